import { genericNarrowing, type ComparerDialect } from "../../compare/dialect";
import { looseCheckText } from "../check-text";
import { canonicalCheckExpression } from "./grammar";

/** The comparer's questions, answered for PostgreSQL. */
export const postgresComparer: ComparerDialect = {
  name: "postgres",
  supportsEnumTypes: true,
  createTableAcceptsForwardReferences: false,
  narrowing: genericNarrowing,
  sameCheckExpression: (a, b) => looseCheckText(canonicalCheckExpression(a)) === looseCheckText(canonicalCheckExpression(b)),
  // ALTER COLUMN TYPE rebuilds the foreign keys that use the column.
  foreignKeyBlocksAlter: () => false,
  primaryKeyDropNeedsForeignKeysOff: { referencing: true, local: false },
};
