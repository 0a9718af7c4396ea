/**
 * What each op costs on SQLite: whether it is an ALTER TABLE SQLite does in
 * place or a table rebuild (create new, copy rows, drop old, rename), as
 * render.ts decides. Every write holds the database's write lock; readers go
 * on (in WAL mode) and other writers wait.
 */
import type { AlterableProperty, Op, OpHandlers } from "../../ops/types";
import { cappedCountSql, countedRows, metadataOnly, type CostContext, type OpCost, type TableRows } from "../cost";
import type { Queryable } from "../dialect";
import { quoteIdentifier } from "./grammar";
import { canAddColumnDirectly } from "./ddl";
import { dropColumnNeedsRebuild, IGNORED_PROPERTIES } from "./render";

const WRITE_LOCK = "database write lock";

function direct(table: string | undefined, note: string, scan = false): OpCost {
  return metadataOnly(table, WRITE_LOCK, [note], { blocksWrites: true, scan });
}

function rebuild(table: string, note: string): OpCost {
  return metadataOnly(table, WRITE_LOCK, [`${note}: the table is rebuilt (rows copied into a new table)`], { blocksWrites: true, rewrite: true, scan: true });
}

const handlers: OpHandlers<OpCost, CostContext> = {
  createTable: (op) => metadataOnly(op.table.name, undefined, ["new table"]),
  dropTable: (op) => direct(op.table, "DROP TABLE"),
  renameTable: (op) => direct(op.from, "RENAME TABLE: in place"),
  addColumn: (op) => (canAddColumnDirectly(op.column) ? direct(op.table, "ADD COLUMN: in place") : rebuild(op.table, "this ADD COLUMN")),
  dropColumn: (op, ctx) =>
    ctx.table && dropColumnNeedsRebuild(ctx.table, op.column)
      ? rebuild(op.table, "the column is keyed, indexed or referenced")
      : direct(op.table, ctx.table ? "DROP COLUMN: in place" : "DROP COLUMN: in place unless the column is keyed, indexed or referenced (a rebuild)"),
  renameColumn: (op) => direct(op.table, "RENAME COLUMN: in place"),
  alterColumn: (op) =>
    (Object.keys(op.changes) as AlterableProperty[]).every((k) => IGNORED_PROPERTIES.has(k))
      ? metadataOnly(op.table, undefined, ["nothing SQLite stores changes"])
      : rebuild(op.table, "ALTER COLUMN"),
  fillNulls: (op) => direct(op.table, "UPDATE scans the table", true),
  createIndex: (op) => direct(op.table, "CREATE INDEX scans the table", true),
  dropIndex: (op) => direct(op.table, "DROP INDEX"),
  renameIndex: (op) => direct(op.table, "the index is dropped and rebuilt under its new name", true),
  createUnique: (op) => rebuild(op.table, "ADD UNIQUE"),
  dropUnique: (op) => rebuild(op.table, "DROP UNIQUE"),
  createPrimaryKey: (op) => rebuild(op.table, "ADD PRIMARY KEY"),
  dropPrimaryKey: (op) => rebuild(op.table, "DROP PRIMARY KEY"),
  createForeignKey: (op) => rebuild(op.table, "ADD FOREIGN KEY"),
  dropForeignKey: (op) => rebuild(op.table, "DROP FOREIGN KEY"),
  createCheck: (op) => rebuild(op.table, "ADD CHECK"),
  dropCheck: (op) => rebuild(op.table, "DROP CHECK"),
  createExclusion: (op) => metadataOnly(op.table, undefined, ["exclusion constraints do not exist on SQLite: nothing runs"]),
  dropExclusion: (op) => metadataOnly(op.table, undefined, ["exclusion constraints do not exist on SQLite: nothing runs"]),
  createEnum: () => metadataOnly(undefined, undefined, ["nothing to do: enums are CHECKs here"]),
  alterEnum: () => metadataOnly(undefined, undefined, ["nothing to do: enums are CHECKs here"]),
  dropEnum: () => metadataOnly(undefined, undefined, ["nothing to do: enums are CHECKs here"]),
  createView: () => direct(undefined, "CREATE VIEW: catalog only"),
  dropView: () => direct(undefined, "DROP VIEW: catalog only"),
  execute: () => metadataOnly(undefined, WRITE_LOCK, ["raw SQL: not analysed"], { known: false }),
  bulkInsert: (op) => direct(op.table, "INSERT"),
};

export function classify(op: Op, ctx: CostContext): OpCost {
  return (handlers[op.kind] as (o: Op, c: CostContext) => OpCost)(op, ctx);
}

/** Live row counts: SQLite keeps no estimate, so each table is counted (capped). */
export async function tableRows(db: Queryable, tables: readonly string[]): Promise<Map<string, TableRows>> {
  const result = new Map<string, TableRows>();
  if (tables.length === 0) return result;
  const present = await db.query<{ name: string }>(
    `SELECT name FROM sqlite_master WHERE type = 'table' AND name IN (${tables.map(() => "?").join(", ")})`,
    [...tables],
  );
  for (const { name } of present) result.set(name, countedRows((await db.query<{ n: unknown }>(cappedCountSql(quoteIdentifier(name))))[0]?.n));
  return result;
}
