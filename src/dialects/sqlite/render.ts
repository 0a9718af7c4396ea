/**
 * Op -> SQLite statements. What ALTER TABLE can do is rendered directly (and
 * works offline); everything else rebuilds the table (rebuild.ts), which
 * needs the live database.
 */
import { createViewSql, dropViewSql } from "./views";
import { fillSql } from "../../ops/portable";
import type { AlterableProperty, DialectSql, Op, OpHandlers, OpOf } from "../../ops/types";
import type { Table } from "../../schema/types";
import { OfflineUnsupportedError, UnsupportedOpError, type Queryable } from "../dialect";
import { canAddColumnDirectly, columnSql, createIndexSql, createTableSql } from "./ddl";
import { quoteIdentifier as q, quoteLiteral } from "./grammar";
import { readCatalog } from "./introspect";
import { mentionsIdentifier, renameIndexSql } from "./parse";
import * as rebuild from "./rebuild";

type Db = Queryable | undefined;

/** alterColumn properties SQLite does not store (TypeORM ignores them too): changing only these is a no-op. */
// enumName names a PostgreSQL type; SQLite enums are the CHECK that enumValues carries.
export const IGNORED_PROPERTIES = new Set<AlterableProperty>(["comment", "charset", "unsigned", "identity", "onUpdate", "array", "enumName"]);

/** Rows per INSERT statement; far below SQLite's 32766 bound parameters and statement-length limits. */
const INSERT_BATCH = 500;

function executeSql(op: OpOf<"execute">, sql: DialectSql): string[] {
  if (typeof sql === "string") return [sql];
  const mine = sql.sqlite;
  if (mine === undefined) throw new UnsupportedOpError("sqlite", op, "the execute op has no SQL for sqlite");
  return Array.isArray(mine) ? mine : [mine];
}

/** One INSERT per batch of rows with the same keys (SQLite has no DEFAULT in VALUES, so keys are never padded). */
function bulkInsertSql(op: OpOf<"bulkInsert">): string[] {
  const groups = new Map<string, Array<Record<string, unknown>>>();
  for (const row of op.rows) {
    const key = JSON.stringify(Object.keys(row));
    groups.set(key, [...(groups.get(key) ?? []), row]);
  }
  const statements: string[] = [];
  for (const [key, rows] of groups) {
    const columns = JSON.parse(key) as string[];
    if (columns.length === 0) {
      statements.push(...rows.map(() => `INSERT INTO ${q(op.table)} DEFAULT VALUES`));
      continue;
    }
    for (let i = 0; i < rows.length; i += INSERT_BATCH) {
      const values = rows.slice(i, i + INSERT_BATCH).map((r) => `(${columns.map((c) => quoteLiteral(r[c])).join(", ")})`);
      statements.push(`INSERT INTO ${q(op.table)} (${columns.map(q).join(", ")}) VALUES ${values.join(", ")}`);
    }
  }
  return statements;
}

/** Whether ALTER TABLE DROP COLUMN refuses the column (it is keyed, indexed, referenced or checked). */
export function dropColumnNeedsRebuild(table: Table, column: string): boolean {
  const uses = (columns: readonly string[]) => columns.includes(column);
  return (
    uses(table.primaryKey?.columns ?? []) ||
    (table.uniques ?? []).some((u) => uses(u.columns)) ||
    (table.indexes ?? []).some((i) => uses(i.columns) || (!!i.where && mentionsIdentifier(i.where, column))) ||
    (table.foreignKeys ?? []).some((f) => uses(f.columns)) ||
    (table.checks ?? []).some((c) => mentionsIdentifier(c.expression, column)) ||
    table.columns.some((c) => c.name !== column && !!c.generated && mentionsIdentifier(c.generated.expression, column))
  );
}

async function readTable(db: Queryable, name: string): Promise<Table | undefined> {
  const { schema } = await readCatalog(db, { includeTable: (t) => t === name });
  return schema.tables[0];
}

/** Whether `name` is no index of its own but a unique constraint of `table`. */
async function isTableUnique(db: Queryable, table: string, name: string): Promise<boolean> {
  if ((await db.query(`SELECT 1 FROM sqlite_master WHERE type = 'index' AND name = ?`, [name])).length > 0) return false;
  return ((await readTable(db, table))?.uniques ?? []).some((u) => u.name === name);
}

const noStatements = async (): Promise<string[]> => [];

const renderers: OpHandlers<Promise<string[]>, Db> = {
  createTable: async (op) => [createTableSql(op.table, op), ...(op.table.indexes ?? []).map((i) => createIndexSql(op.table.name, i, op))],
  dropTable: async (op) => [`DROP TABLE ${q(op.table)}`],
  renameTable: async (op) => [`ALTER TABLE ${q(op.from)} RENAME TO ${q(op.to)}`],
  addColumn: async (op, db) =>
    canAddColumnDirectly(op.column)
      ? [`ALTER TABLE ${q(op.table)} ADD COLUMN ${columnSql(op.column, { bareDefault: true })}`]
      : rebuild.rebuildTable(db, op, op.table, rebuild.addColumnTransform(op)),
  dropColumn: async (op, db) => {
    const direct = [`ALTER TABLE ${q(op.table)} DROP COLUMN ${q(op.column)}`];
    // Offline we cannot see what uses the column; SQLite itself refuses a DROP COLUMN it cannot do, with a clear error.
    if (!db) return direct;
    const table = await readTable(db, op.table);
    if (!table || !dropColumnNeedsRebuild(table, op.column)) return direct;
    return rebuild.rebuildTable(db, op, op.table, rebuild.dropColumnTransform(op));
  },
  renameColumn: async (op) => [`ALTER TABLE ${q(op.table)} RENAME COLUMN ${q(op.from)} TO ${q(op.to)}`],
  alterColumn: async (op, db) => {
    const keys = Object.keys(op.changes) as AlterableProperty[];
    if (keys.every((k) => IGNORED_PROPERTIES.has(k))) return [];
    // The rows get a renamed enum value first, past the old CHECK, which the rebuild then replaces.
    const renames = Object.entries(op.renameValues ?? {}).map(
      ([from, to]) => `UPDATE ${q(op.table)} SET ${q(op.column)} = ${quoteLiteral(to)} WHERE ${q(op.column)} = ${quoteLiteral(from)}`,
    );
    const rebuilt = await rebuild.rebuildTable(db, op, op.table, rebuild.alterColumnTransform(op));
    if (renames.length === 0) return rebuilt;
    return ["PRAGMA ignore_check_constraints = ON", ...renames, "PRAGMA ignore_check_constraints = OFF", ...rebuilt];
  },
  fillNulls: async (op) => [`UPDATE ${q(op.table)} SET ${q(op.column)} = (${fillSql(op)}) WHERE ${q(op.column)} IS NULL`],
  createIndex: async (op) => [createIndexSql(op.table, op.index, op)],
  // MySQL keeps a unique constraint as a unique index, so a revision written there may drop one as an
  // index; here a named unique constraint is part of its table, which is rebuilt without it.
  dropIndex: async (op, db) =>
    db && (await isTableUnique(db, op.table, op.name))
      ? rebuild.rebuildTable(db, op, op.table, rebuild.dropUniqueTransform({ kind: "dropUnique", table: op.table, name: op.name }))
      : [`DROP INDEX ${q(op.name)}`],
  renameIndex: async (op, db) => {
    // SQLite has no ALTER INDEX ... RENAME: recreate it from its stored definition under the new name.
    if (!db) {
      throw new OfflineUnsupportedError(
        `renameIndex "${op.from}" needs the index's definition from the live database (SQLite has no RENAME INDEX); \`--sql\` cannot produce it offline.`,
      );
    }
    const rows = await db.query<{ sql: string | null }>(`SELECT sql FROM sqlite_master WHERE type = 'index' AND name = ?`, [op.from]);
    const sql = rows[0]?.sql;
    if (!sql) throw new UnsupportedOpError("sqlite", op, `index "${op.from}" does not exist or belongs to a constraint`);
    return [`DROP INDEX ${q(op.from)}`, renameIndexSql(sql, q(op.to))];
  },
  createUnique: (op, db) => rebuild.rebuildTable(db, op, op.table, rebuild.createUniqueTransform(op)),
  dropUnique: (op, db) => rebuild.rebuildTable(db, op, op.table, rebuild.dropUniqueTransform(op)),
  createPrimaryKey: (op, db) => rebuild.rebuildTable(db, op, op.table, rebuild.createPrimaryKeyTransform(op)),
  dropPrimaryKey: (op, db) => rebuild.rebuildTable(db, op, op.table, rebuild.dropPrimaryKeyTransform(op)),
  createForeignKey: (op, db) => rebuild.rebuildTable(db, op, op.table, rebuild.createForeignKeyTransform(op)),
  dropForeignKey: (op, db) => rebuild.rebuildTable(db, op, op.table, rebuild.dropForeignKeyTransform(op)),
  // PostgreSQL only; TypeORM ignores @Exclusion elsewhere, and so does a shared revision.
  createExclusion: noStatements,
  dropExclusion: noStatements,
  createCheck: (op, db) => rebuild.rebuildTable(db, op, op.table, rebuild.createCheckTransform(op)),
  dropCheck: (op, db) => rebuild.rebuildTable(db, op, op.table, rebuild.dropCheckTransform(op)),
  // SQLite has no enum types: TypeORM writes an enum column as varchar with CHECK ("col" IN (...)),
  // which the column definition (and alterColumn's enumValues) carries. The type-level ops have nothing to do.
  createEnum: noStatements,
  alterEnum: noStatements,
  dropEnum: noStatements,
  createView: async (op) => createViewSql(op),
  dropView: async (op) => dropViewSql(op),
  execute: async (op) => executeSql(op, op.sql),
  bulkInsert: async (op) => bulkInsertSql(op),
};

export function render(op: Op, db?: Queryable): Promise<string[]> {
  return (renderers[op.kind] as (o: Op, d: Db) => Promise<string[]>)(op, db);
}
