import type { Column } from "../schema/types";
import { ALTERABLE_PROPERTIES, type ColumnChanges, type Op, type OpHandlers } from "./types";

/** Thrown when an op does not carry what its reverse needs. */
export class IrreversibleOpError extends Error {
  constructor(
    readonly op: Op,
    reason: string,
  ) {
    super(`Cannot reverse ${op.kind}: ${reason}`);
    this.name = "IrreversibleOpError";
  }
}

function need<T>(value: T | undefined, op: Op, what: string): T {
  if (value === undefined) throw new IrreversibleOpError(op, `it does not record ${what}`);
  return value;
}

/** The column after applying `changes` (a `null` change removes the property). */
export function applyColumnChanges(column: Column, changes: ColumnChanges): Column {
  const result: Record<string, unknown> = { ...column };
  for (const key of ALTERABLE_PROPERTIES) {
    if (!(key in changes)) continue;
    const value = changes[key];
    if (value === null || value === undefined) delete result[key];
    else result[key] = value;
  }
  return result as unknown as Column;
}

/** The changes that take `after` back to `before`, for the properties in `keys`. */
export function invertColumnChanges(before: Column, changes: ColumnChanges): ColumnChanges {
  const inverse: Record<string, unknown> = {};
  for (const key of ALTERABLE_PROPERTIES) {
    if (!(key in changes)) continue;
    const previous = before[key];
    inverse[key] = previous === undefined ? null : previous;
  }
  return inverse as ColumnChanges;
}

/** `null`: the op has nothing to undo (the values `fillNulls` wrote stay; the NOT NULL it prepared is undone by its alterColumn's reverse). */
const reversers: OpHandlers<Op | null> = {
  createTable: (op) => ({ kind: "dropTable", table: op.table.name, existing: op.table }),
  dropTable: (op) => ({ kind: "createTable", table: need(op.existing, op, "the dropped table's definition") }),
  renameTable: (op) => ({ kind: "renameTable", from: op.to, to: op.from }),
  addColumn: (op) => ({ kind: "dropColumn", table: op.table, column: op.column.name, existing: op.column }),
  dropColumn: (op) => ({ kind: "addColumn", table: op.table, column: need(op.existing, op, "the dropped column's definition") }),
  renameColumn: (op) => ({ kind: "renameColumn", table: op.table, from: op.to, to: op.from }),
  alterColumn: (op) => {
    const existing = need(op.existing, op, "the column's previous definition (`existing`)");
    return {
      kind: "alterColumn",
      table: op.table,
      column: op.column,
      changes: invertColumnChanges(existing, op.changes),
      existing: applyColumnChanges(existing, op.changes),
      ...(op.renameValues ? { renameValues: invertRenames(op.renameValues) } : {}),
    };
  },
  fillNulls: () => null,
  createIndex: (op) => ({ kind: "dropIndex", table: op.table, name: op.index.name, existing: op.index }),
  dropIndex: (op) => ({ kind: "createIndex", table: op.table, index: need(op.existing, op, "the dropped index's definition") }),
  renameIndex: (op) => ({ kind: "renameIndex", table: op.table, from: op.to, to: op.from }),
  createUnique: (op) => ({ kind: "dropUnique", table: op.table, name: op.unique.name, existing: op.unique }),
  dropUnique: (op) => ({ kind: "createUnique", table: op.table, unique: need(op.existing, op, "the dropped constraint's columns") }),
  createPrimaryKey: (op) => ({ kind: "dropPrimaryKey", table: op.table, name: op.primaryKey.name, existing: op.primaryKey }),
  dropPrimaryKey: (op) => ({ kind: "createPrimaryKey", table: op.table, primaryKey: need(op.existing, op, "the dropped primary key's columns") }),
  createForeignKey: (op) => ({ kind: "dropForeignKey", table: op.table, name: op.foreignKey.name, existing: op.foreignKey }),
  dropForeignKey: (op) => ({ kind: "createForeignKey", table: op.table, foreignKey: need(op.existing, op, "the dropped foreign key's definition") }),
  createCheck: (op) => ({ kind: "dropCheck", table: op.table, name: op.check.name, existing: op.check }),
  dropCheck: (op) => ({ kind: "createCheck", table: op.table, check: need(op.existing, op, "the dropped check's expression") }),
  createExclusion: (op) => ({ kind: "dropExclusion", table: op.table, name: op.exclusion.name, existing: op.exclusion }),
  dropExclusion: (op) => ({ kind: "createExclusion", table: op.table, exclusion: need(op.existing, op, "the dropped exclusion's expression") }),
  createEnum: (op) => ({ kind: "dropEnum", name: op.name, existing: op.values }),
  alterEnum: (op) => ({
    kind: "alterEnum",
    name: op.name,
    values: op.existing,
    existing: op.values,
    ...(op.renames ? { renames: invertRenames(op.renames) } : {}),
  }),
  dropEnum: (op) => ({ kind: "createEnum", name: op.name, values: need(op.existing, op, "the dropped enum's values") }),
  createView: (op) => ({ kind: "dropView", name: op.view.name, ...(op.view.materialized ? { materialized: true } : {}), existing: op.view }),
  dropView: (op) => ({ kind: "createView", view: need(op.existing, op, "the dropped view's definition") }),
  execute: (op) => ({ kind: "execute", sql: need(op.reverse, op, "a `reverse` SQL") }),
  bulkInsert: (op) => {
    throw new IrreversibleOpError(op, "inserted rows are data; write the DELETE in the downgrade yourself");
  },
};

/**
 * The op that undoes `op`, or `null` when there is nothing to undo
 * (`fillNulls`). Throws `IrreversibleOpError` when `op` lacks what that needs.
 */
export function reverseOp(op: Op): Op | null {
  return (reversers[op.kind] as (o: Op) => Op | null)(op);
}

/** The ops that undo `ops`, in the order they must run. */
export function reverseOps(ops: readonly Op[]): Op[] {
  return [...ops].reverse().flatMap((op) => reverseOp(op) ?? []);
}

/** new -> old for old -> new. */
export function invertRenames(renames: Readonly<Record<string, string>>): Record<string, string> {
  return Object.fromEntries(Object.entries(renames).map(([from, to]) => [to, from]));
}

/** `values` with each renamed value under its new name. */
export function renamedValues(values: readonly string[], renames: Readonly<Record<string, string>> | undefined): string[] {
  return values.map((v) => renames?.[v] ?? v);
}
