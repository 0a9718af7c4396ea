import type { Op } from "../ops/types";
import type { Schema, Table } from "../schema/types";
import { findTable } from "../schema/types";
import type { ComparerDialect } from "./dialect";
import { explainOp } from "./describe";
import { compareText } from "./similarity";
import type { Finding, Step } from "./types";

/**
 * Execution phases of an upgrade, in order. Views go first and come back
 * last, around every change to what they read. Drops of constraints come before
 * renames (so they use the names the database has now), tables are created
 * before their foreign keys, constraint drops before column drops, and
 * constraints are created once every column exists.
 */
export const Phase = {
  dropView: 0,
  enumAdd: 1,
  dropForeignKey: 2,
  dropConstraint: 3,
  rename: 4,
  createTable: 5,
  addColumn: 6,
  alterColumn: 7,
  dropColumn: 8,
  dropTable: 9,
  createConstraint: 10,
  createForeignKey: 11,
  createView: 12,
  enumDrop: 13,
} as const;
export type Phase = (typeof Phase)[keyof typeof Phase];

export type SortKey = ReadonlyArray<string | number>;

/** An op before ordering, with comparer-specific wording that overrides the generic explanation. */
export interface Planned {
  op: Op;
  phase: Phase;
  key: SortKey;
  detected?: string;
  /** What differs, when the comparer knows more than the op alone tells (a changed foreign key's properties). */
  reasons?: string[];
  review?: string[];
}

/** Shared state while diffing: both schemas, the accepted renames, and the growing plan. */
export interface DiffContext {
  dialect: ComparerDialect;
  /** The database as introspected: drops that run before the renames use its names. */
  original: Schema;
  /** The database after the accepted table and column renames. */
  renamed: Schema;
  target: Schema;
  /** Renamed table name -> its name in `original`. */
  originalTableName: Map<string, string>;
  planned: Planned[];
  findings: Finding[];
  /** Enum values renamed, old -> new (see enum-renames.ts). */
  enumValueRenames?: ReadonlyMap<string, string>;
}

/** The table as the database has it before any rename. */
export function originalTable(ctx: DiffContext, renamedName: string): Table | undefined {
  return findTable(ctx.original, ctx.originalTableName.get(renamedName) ?? renamedName);
}

function compareKeys(a: SortKey, b: SortKey): number {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const x = a[i];
    const y = b[i];
    if (x === y) continue;
    if (x === undefined) return -1;
    if (y === undefined) return 1;
    if (typeof x === "number" && typeof y === "number") return x - y;
    return compareText(String(x), String(y));
  }
  return 0;
}

/** The table an op concerns, if one. */
export function opTable(op: Op): string | undefined {
  if (op.kind === "createTable") return op.table.name;
  if (op.kind === "renameTable") return op.to;
  return "table" in op && typeof op.table === "string" ? op.table : undefined;
}

/** A step with its explanation; no property is set to `undefined`. */
export function toStep(op: Op, dialect: ComparerDialect, detected?: string, extraReview?: string[], reasons?: string[]): Step {
  const explanation = explainOp(op, dialect);
  const step: Step = { op, detected: detected ?? explanation.detected, reasons: reasons && reasons.length > 0 ? reasons : explanation.reasons };
  const review = [...(extraReview ?? []), ...(explanation.review ?? [])];
  if (review.length > 0) step.review = review;
  if (explanation.destructive) step.destructive = true;
  return step;
}

/** The planned ops in execution order, explained. */
export function orderSteps(planned: readonly Planned[], dialect: ComparerDialect): Step[] {
  return [...planned]
    .sort((a, b) => a.phase - b.phase || compareKeys(a.key, b.key))
    .map((p) => toStep(p.op, dialect, p.detected, p.review, p.reasons));
}
