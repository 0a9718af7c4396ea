export * from "./graph";
export { parseTarget, resolveUpgradeTarget, resolveDowngradeTarget } from "./targets";
export type { ParsedTarget, Position, DowngradeTarget } from "./targets";
