export * from "./types";
export { compare, type CompareOptions, UnmatchedRenameError } from "./compare";
export { type ComparerDialect, genericNarrowing, genericComparerDialect } from "./dialect";
export { applyOp, applyOps, ApplyError } from "./apply";
export { explainOp, typeText, type Explanation } from "./describe";
export { deepEqual, nameSimilarity } from "./similarity";
