/**
 * What each op costs on MySQL 8.0 and MariaDB 10.x (InnoDB), by their
 * online-DDL tables: the algorithm (INSTANT, INPLACE with or without a
 * rebuild, COPY) and whether concurrent DML goes on. The two families differ
 * (MariaDB drops columns instantly from 10.4, MySQL from 8.0.29; MariaDB
 * widens a VARCHAR instantly, MySQL in place); see test/dialects/cost.test.ts
 * for the cited cases.
 */
import type { Op, OpHandlers, OpOf } from "../../ops/types";
import type { Column } from "../../schema/types";
import { applyColumnChanges } from "../../ops/reverse";
import { atLeast, cappedCountSql, countedRows, metadataOnly, type CostContext, type OpCost, type ServerVersion, type TableRows } from "../cost";
import type { Queryable } from "../dialect";
import { quoteIdentifier } from "./quote";
import { canonicalColumn } from "./grammar";

type Algorithm = NonNullable<OpCost["algorithm"]>;
interface Online {
  algorithm: Algorithm;
  rebuild: boolean;
  /** Concurrent DML is permitted. */
  dml: boolean;
  note: string;
}

const INSTANT = (note: string): Online => ({ algorithm: "INSTANT", rebuild: false, dml: true, note });
const INPLACE = (note: string, rebuild = false, dml = true): Online => ({ algorithm: "INPLACE", rebuild, dml, note });
const COPY = (note: string): Online => ({ algorithm: "COPY", rebuild: true, dml: false, note });

const RANK: Record<Algorithm, number> = { INSTANT: 0, INPLACE: 1, COPY: 2 };

function cost(table: string, online: Online[], scan = false): OpCost {
  const worst = online.reduce((a, b) => (RANK[b.algorithm] > RANK[a.algorithm] || (b.rebuild && !a.rebuild && b.algorithm === a.algorithm) ? b : a));
  const rebuild = online.some((o) => o.rebuild);
  const dml = online.every((o) => o.dml);
  return {
    table,
    algorithm: worst.algorithm,
    // COPY reads stay possible (LOCK=SHARED); INPLACE operations that refuse DML take LOCK=SHARED too.
    lock: dml ? "NONE" : "SHARED",
    rewrite: rebuild,
    scan: scan || rebuild,
    blocksReads: false,
    blocksWrites: !dml,
    notes: [...new Set(online.map((o) => o.note))],
    known: true,
  };
}

const mariadb = (server: ServerVersion) => server.family === "mariadb";

function addColumn(op: OpOf<"addColumn">, ctx: CostContext): OpCost {
  const column = op.column;
  if (column.generated?.stored) return cost(op.table, [COPY("adding a STORED generated column copies the table")]);
  if (column.autoIncrement) return cost(op.table, [INPLACE("adding an AUTO_INCREMENT column rebuilds the table without concurrent DML", true, false)]);
  const instant = mariadb(ctx.server) ? atLeast(ctx.server, 10, 3, 2) : atLeast(ctx.server, 8, 0, 12);
  return cost(op.table, [instant ? INSTANT("ADD COLUMN (last) is instant") : INPLACE("ADD COLUMN rebuilds the table", true)]);
}

/**
 * MariaDB drops an unindexed column instantly; a column an index holds alone
 * goes NOCOPY (the index is dropped, INSTANT refused: "Reason: DROP INDEX");
 * one a multi-column index or the primary key holds rebuilds the table in
 * place (NOCOPY refused) — as seen on 10.11, from the live table's indexes.
 */
function dropColumn(op: OpOf<"dropColumn">, ctx: CostContext): OpCost {
  const instant = mariadb(ctx.server) ? atLeast(ctx.server, 10, 4) : atLeast(ctx.server, 8, 0, 29);
  if (!instant) return cost(op.table, [INPLACE("DROP COLUMN rebuilds the table", true)]);
  const table = ctx.table;
  if (mariadb(ctx.server) && table) {
    const keys = [...(table.primaryKey ? [table.primaryKey.columns] : []), ...[...(table.indexes ?? []), ...(table.uniques ?? [])].map((i) => i.columns)];
    const holding = keys.filter((k) => k.some((c) => c.toLowerCase() === op.column.toLowerCase()));
    if (holding.some((k) => k.length > 1 || k === table.primaryKey?.columns)) {
      return cost(op.table, [INPLACE("DROP COLUMN rebuilds the table: a multi-column index or the primary key holds the column", true)]);
    }
    if (holding.length > 0) return cost(op.table, [INPLACE("DROP COLUMN drops the index holding the column, without copying the table (NOCOPY)")]);
  }
  return cost(op.table, [INSTANT("DROP COLUMN is instant")]);
}

/** MySQL: INPLACE, metadata only. MariaDB refuses INSTANT ("Reason: DROP INDEX", seen on 10.11): NOCOPY, metadata only. */
const dropIndex = (op: OpOf<"dropIndex"> | OpOf<"dropUnique">) => cost(op.table, [INPLACE("DROP INDEX: metadata only")]);

function renameColumn(op: OpOf<"renameColumn">, ctx: CostContext): OpCost {
  const instant = mariadb(ctx.server) || atLeast(ctx.server, 8, 0, 28);
  return cost(op.table, [instant ? INSTANT("RENAME COLUMN is instant") : INPLACE("RENAME COLUMN: metadata only")]);
}

/** Bytes per character of the charset, for the VARCHAR length prefix (utf8mb4 when unknown). */
function maxBytes(column: Column): number {
  const charset = (column.charset ?? "utf8mb4").toLowerCase();
  if (charset === "utf8mb4") return 4;
  if (charset === "utf8" || charset === "utf8mb3") return 3;
  if (charset === "ucs2" || charset === "utf16") return 4;
  return 1;
}

/** VARCHAR keeps a 1-byte length prefix up to 255 bytes, 2 bytes above. */
const prefixBytes = (column: Column, length: number) => (length * maxBytes(column) <= 255 ? 1 : 2);

function lengthChange(before: Column, after: Column, ctx: CostContext): Online {
  const widening = /^(varchar|varbinary)$/.test(after.type) && before.type === after.type && (after.length ?? 0) > (before.length ?? 0);
  if (!widening || prefixBytes(before, before.length ?? 0) !== prefixBytes(after, after.length ?? 0)) {
    return COPY(widening ? "the VARCHAR length prefix grows from 1 to 2 bytes: the table is copied" : "changing the column type copies the table");
  }
  if (mariadb(ctx.server) && atLeast(ctx.server, 10, 4, 3)) return INSTANT("extending the VARCHAR is instant");
  return INPLACE("extending the VARCHAR: metadata only");
}

function enumChange(before: Column, after: Column): Online {
  const old = before.enumValues ?? [];
  const appended = old.every((v, i) => after.enumValues?.[i] === v) && (after.enumValues?.length ?? 0) <= 255;
  return appended ? INSTANT("adding ENUM/SET members at the end is instant") : COPY("changing ENUM/SET members other than at the end copies the table");
}

function alterColumn(op: OpOf<"alterColumn">, ctx: CostContext): OpCost {
  const existing = op.existing ?? ctx.table?.columns.find((c) => c.name === op.column);
  const before = existing ? canonicalColumn(existing) : undefined;
  const after = before ? canonicalColumn(applyColumnChanges(before, op.changes)) : undefined;
  const online: Online[] = [];
  const changed = (Object.keys(op.changes) as Array<keyof typeof op.changes>).filter(
    (k) => !before || !after || JSON.stringify(before[k]) !== JSON.stringify(after[k]),
  );
  for (const key of changed) {
    switch (key) {
      case "default":
        online.push(INSTANT("setting or dropping the default is instant"));
        break;
      case "comment":
        online.push(mariadb(ctx.server) ? INSTANT("a new comment is instant") : INPLACE("a new comment: metadata only"));
        break;
      case "onUpdate":
        online.push(INPLACE("metadata only"));
        break;
      case "nullable":
        online.push(INPLACE(op.changes.nullable === false ? "NOT NULL rebuilds the table (and fails on NULLs)" : "NULL rebuilds the table", true));
        break;
      case "length":
        online.push(before && after ? lengthChange(before, after, ctx) : COPY("changing the column length copies the table unless it only extends a VARCHAR"));
        break;
      case "enumValues":
        online.push(before && after ? enumChange(before, after) : COPY("changing ENUM/SET members copies the table unless members are appended"));
        break;
      default:
        online.push(COPY("changing the column type copies the table"));
    }
  }
  if (online.length === 0) online.push(INSTANT("nothing changes on this server"));
  return cost(op.table, online);
}

function createIndex(op: OpOf<"createIndex">): OpCost {
  if (op.index.fulltext) return cost(op.table, [INPLACE("a FULLTEXT index is built without concurrent DML", false, false)], true);
  if (op.index.spatial) return cost(op.table, [INPLACE("a SPATIAL index is built without concurrent DML", false, false)], true);
  return cost(op.table, [INPLACE("the index is built in place; writes go on")], true);
}

const handlers: OpHandlers<OpCost, CostContext> = {
  createTable: (op) => metadataOnly(op.table.name, undefined, ["new table"]),
  dropTable: (op) => metadataOnly(op.table, "EXCLUSIVE", ["DROP TABLE"], { blocksReads: true, blocksWrites: true }),
  renameTable: (op) => cost(op.from, [INSTANT("RENAME TABLE: metadata only")]),
  addColumn,
  dropColumn,
  renameColumn,
  alterColumn,
  fillNulls: (op) => metadataOnly(op.table, "row locks", ["UPDATE scans the table and locks the rows it changes"], { scan: true }),
  createIndex,
  dropIndex,
  renameIndex: (op, ctx) => cost(op.table, [mariadb(ctx.server) ? INSTANT("RENAME INDEX is instant") : INPLACE("RENAME INDEX: metadata only")]),
  createUnique: (op) => cost(op.table, [INPLACE("the unique index is built in place; writes go on")], true),
  dropUnique: dropIndex,
  createPrimaryKey: (op) => cost(op.table, [INPLACE("ADD PRIMARY KEY rebuilds the table in place", true)]),
  dropPrimaryKey: (op) => cost(op.table, [COPY("DROP PRIMARY KEY without adding one copies the table")]),
  // foreign_key_checks is on for migrations: only COPY validates the rows.
  createForeignKey: (op) => ({
    ...cost(op.table, [COPY("ADD FOREIGN KEY with foreign_key_checks on copies the table")]),
    alsoLocks: op.foreignKey.referencedTable === op.table ? [] : [op.foreignKey.referencedTable],
  }),
  dropForeignKey: (op) => cost(op.table, [INPLACE("DROP FOREIGN KEY: metadata only")]),
  createCheck: (op) => cost(op.table, [COPY("ADD CHECK validates every row by copying the table")]),
  dropCheck: (op, ctx) => cost(op.table, [mariadb(ctx.server) ? INSTANT("DROP CONSTRAINT (CHECK) is instant") : INPLACE("DROP CHECK: metadata only")]),
  // TypeORM ignores @Exclusion on MySQL and so does the renderer: nothing runs.
  createExclusion: (op) => metadataOnly(op.table, undefined, ["exclusion constraints do not exist on MySQL: nothing runs"]),
  dropExclusion: (op) => metadataOnly(op.table, undefined, ["exclusion constraints do not exist on MySQL: nothing runs"]),
  createEnum: () => metadataOnly(undefined, undefined, ["nothing to do: enums are column types here"]),
  alterEnum: () => metadataOnly(undefined, undefined, ["nothing to do: enums are column types here"]),
  dropEnum: () => metadataOnly(undefined, undefined, ["nothing to do: enums are column types here"]),
  createView: () => metadataOnly(undefined, undefined, ["CREATE VIEW: catalog only"]),
  dropView: () => metadataOnly(undefined, undefined, ["DROP VIEW: catalog only"]),
  execute: () => metadataOnly(undefined, undefined, ["raw SQL: not analysed"], { known: false }),
  bulkInsert: (op) => metadataOnly(op.table, "row locks", ["INSERT"]),
};

export function classify(op: Op, ctx: CostContext): OpCost {
  return (handlers[op.kind] as (o: Op, c: CostContext) => OpCost)(op, ctx);
}

/**
 * Live row counts: information_schema.TABLES.TABLE_ROWS is InnoDB's estimate
 * (and cached for information_schema_stats_expiry, so a young table shows 0):
 * below SMALL_ESTIMATE rows the table is counted instead (capped).
 */
export async function tableRows(db: Queryable, tables: readonly string[]): Promise<Map<string, TableRows>> {
  const result = new Map<string, TableRows>();
  if (tables.length === 0) return result;
  const rows = await db.query<{ name: string; estimate: number | string | null }>(
    `SELECT TABLE_NAME AS name, TABLE_ROWS AS estimate FROM information_schema.TABLES
      WHERE TABLE_SCHEMA = DATABASE() AND TABLE_TYPE = 'BASE TABLE' AND TABLE_NAME IN (${tables.map(() => "?").join(", ")})`,
    [...tables],
  );
  for (const row of rows) {
    const estimate = Number(row.estimate ?? 0);
    if (estimate >= SMALL_ESTIMATE) result.set(row.name, { rows: estimate, estimated: true });
    else result.set(row.name, countedRows((await db.query<{ n: unknown }>(cappedCountSql(quoteIdentifier(row.name))))[0]?.n));
  }
  return result;
}

const SMALL_ESTIMATE = 100_000;
