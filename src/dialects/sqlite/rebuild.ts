/**
 * What SQLite's ALTER TABLE cannot do is done by rebuilding the table, the
 * procedure of https://www.sqlite.org/lang_altertable.html#otheralter:
 * create the new definition under a temporary name, copy the rows, drop the
 * old table, rename the new one, recreate indexes, views and triggers.
 *
 * It runs inside the runner's transaction with `PRAGMA foreign_keys = OFF`
 * (set by prepareSession before BEGIN), so dropping the old table neither
 * cascades into child rows nor fails; `verifyBeforeCommit` then runs
 * `PRAGMA foreign_key_check` so a rebuild that broke a reference rolls back.
 */
import type { Op } from "../../ops/types";
import { applyColumnChanges } from "../../ops/reverse";
import type { Column, Table } from "../../schema/types";
import { OfflineUnsupportedError, type Queryable } from "../dialect";
import { createIndexSql, createTableSql } from "./ddl";
import { ForeignKeysEnabledError, SqliteRebuildError, SqliteTableNotFoundError } from "./errors";
import { canonicalIndex, canonicalTable, quoteIdentifier as q, quoteLiteral } from "./grammar";
import { readCatalog, type SqliteCatalog } from "./introspect";
import { mentionsIdentifier, parseCreateTable } from "./parse";

/** Applies an op to a table definition; throws SqliteRebuildError when it cannot. */
export type TableTransform = (table: Table) => Table;

export const TEMP_PREFIX = "_retort_tmp_";

export function offlineRebuildError(op: Op, table: string): OfflineUnsupportedError {
  return new OfflineUnsupportedError(
    `${op.kind} on "${table}" needs a table rebuild on SQLite (ALTER TABLE cannot do it), and a rebuild reads the live table: ` +
      "`--sql` cannot produce it offline. Run the migration against the database instead.",
  );
}

/**
 * With foreign_keys on, DROP TABLE deletes the old rows one by one, firing
 * ON DELETE actions in the tables that reference it. The pragma cannot change
 * inside a transaction, so a rebuild of a referenced table refuses to go on
 * rather than lose child rows.
 */
async function requireForeignKeysOff(db: Queryable, op: Op, catalog: SqliteCatalog, table: string): Promise<void> {
  const referenced = catalog.schema.tables.some((t) =>
    (t.foreignKeys ?? []).some((fk) => fk.referencedTable.toLowerCase() === table.toLowerCase()),
  );
  if (!referenced) return;
  const rows = await db.query<{ foreign_keys: number }>("PRAGMA foreign_keys");
  if (Number(rows[0]?.foreign_keys) === 1) throw new ForeignKeysEnabledError(op, table);
}

/** Views and triggers that mention the table, plus the views and triggers that mention those, in creation order. */
function dependents(catalog: SqliteCatalog, table: string): SqliteCatalog["objects"] {
  const candidates = catalog.objects.filter((o) => (o.type === "view" || o.type === "trigger") && o.sql);
  const names = new Set([table.toLowerCase()]);
  const chosen = new Set<string>();
  for (let changed = true; changed; ) {
    changed = false;
    for (const o of candidates) {
      if (chosen.has(o.name)) continue;
      const onTable = o.type === "trigger" && names.has(o.tableName.toLowerCase());
      if (onTable || [...names].some((n) => mentionsIdentifier(o.sql ?? "", n))) {
        chosen.add(o.name);
        if (o.type === "view") names.add(o.name.toLowerCase());
        changed = true;
      }
    }
  }
  return candidates.filter((o) => chosen.has(o.name));
}

/** An empty table copies nothing, so a new NOT NULL column without a default is fine there (as on other databases). */
function copyStatement(op: Op, current: Table, next: Table, tmp: string, hasRows: boolean): string | undefined {
  const stored = (c: Column) => !c.generated;
  const old = new Set(current.columns.filter(stored).map((c) => c.name));
  const missing = next.columns.filter((c) => stored(c) && !old.has(c.name) && !c.nullable && c.default === undefined);
  if (missing.length > 0 && hasRows) {
    throw new SqliteRebuildError(
      op,
      current.name,
      `new column "${missing[0].name}" is NOT NULL without a default, so the existing rows cannot be copied; give it a default or make it nullable`,
    );
  }
  const shared = next.columns.filter((c) => stored(c) && old.has(c.name)).map((c) => q(c.name));
  if (shared.length === 0) return undefined;
  return `INSERT INTO ${q(tmp)} (${shared.join(", ")}) SELECT ${shared.join(", ")} FROM ${q(current.name)}`;
}

/**
 * The copy leaves the new table's AUTOINCREMENT sequence at the highest copied
 * id; carry the old counter over so ids of deleted rows are never reused.
 * (DROP TABLE deletes the old counter; RENAME moves the new one.)
 */
function sequenceStatements(current: Table, next: Table, tmp: string): string[] {
  const counts = (t: Table) => t.columns.some((c) => c.autoIncrement);
  if (!counts(current) || !counts(next)) return [];
  return [
    `DELETE FROM sqlite_sequence WHERE name = ${quoteLiteral(tmp)}`,
    `INSERT INTO sqlite_sequence (name, seq) SELECT ${quoteLiteral(tmp)}, seq FROM sqlite_sequence WHERE name = ${quoteLiteral(current.name)}`,
  ];
}

/** The original CREATE INDEX text when the index is unchanged (keeps expressions, DESC, collations), else rendered. */
function indexStatements(op: Op, current: Table, next: Table, catalog: SqliteCatalog): string[] {
  const sqlOf = new Map(catalog.objects.filter((o) => o.type === "index" && o.sql).map((o) => [o.name, o.sql as string]));
  return (next.indexes ?? []).map((index) => {
    const before = current.indexes?.find((i) => i.name === index.name);
    const same = before && JSON.stringify(canonicalIndex(before)) === JSON.stringify(canonicalIndex(index));
    const original = sqlOf.get(index.name);
    return same && original ? original : createIndexSql(current.name, index, op);
  });
}

/** The statements that rebuild `table` into `transform(table)`, read from the live database. */
export async function rebuildTable(db: Queryable | undefined, op: Op, tableName: string, transform: TableTransform): Promise<string[]> {
  if (!db) throw offlineRebuildError(op, tableName);
  const catalog = await readCatalog(db);
  // SQLite table names are case-insensitive.
  const current =
    catalog.schema.tables.find((t) => t.name === tableName) ??
    catalog.schema.tables.find((t) => t.name.toLowerCase() === tableName.toLowerCase());
  if (!current) throw new SqliteTableNotFoundError(tableName);
  const table = current.name;
  await requireForeignKeysOff(db, op, catalog, table);
  const next = canonicalTable(transform(structuredClone(current)));
  const tmp = `${TEMP_PREFIX}${table}`;
  const deps = dependents(catalog, table);
  const hasRows = (await db.query(`SELECT 1 FROM ${q(table)} LIMIT 1`)).length > 0;
  const copy = copyStatement(op, current, next, tmp, hasRows);
  const strict = parseCreateTable(catalog.objects.find((o) => o.type === "table" && o.name === table)?.sql ?? "").strict;
  return [
    ...[...deps].reverse().map((o) => `DROP ${o.type === "view" ? "VIEW" : "TRIGGER"} ${q(o.name)}`),
    createTableSql(next, op, tmp, strict),
    ...(copy ? [copy] : []),
    ...sequenceStatements(current, next, tmp),
    `DROP TABLE ${q(table)}`,
    `ALTER TABLE ${q(tmp)} RENAME TO ${q(table)}`,
    ...indexStatements(op, current, next, catalog),
    ...deps.map((o) => o.sql as string),
  ];
}

// ---- Table transforms, one per op that needs a rebuild ----

function fail(op: Op, table: Table, reason: string): never {
  throw new SqliteRebuildError(op, table.name, reason);
}

function findColumn(op: Op, table: Table, name: string): Column {
  return table.columns.find((c) => c.name === name) ?? fail(op, table, `column "${name}" does not exist`);
}

function requireName<T extends { name: string }>(op: Op, table: Table, items: T[] | undefined, name: string, what: string): void {
  if (!(items ?? []).some((i) => i.name === name)) fail(op, table, `${what} "${name}" does not exist`);
}

function refuseDuplicate<T extends { name: string }>(op: Op, table: Table, items: T[] | undefined, name: string, what: string): void {
  if ((items ?? []).some((i) => i.name === name)) fail(op, table, `${what} "${name}" already exists`);
}

export function addColumnTransform(op: Extract<Op, { kind: "addColumn" }>): TableTransform {
  return (table) => {
    if (table.columns.some((c) => c.name === op.column.name)) fail(op, table, `column "${op.column.name}" already exists`);
    return { ...table, columns: [...table.columns, op.column] };
  };
}

/** Drops the column and what cannot outlive it: indexes, uniques, foreign keys, checks and the primary key that use it. */
export function dropColumnTransform(op: Extract<Op, { kind: "dropColumn" }>): TableTransform {
  const name = op.column;
  const uses = (columns: string[]) => columns.includes(name);
  return (table) => {
    findColumn(op, table, name);
    const next: Table = {
      ...table,
      columns: table.columns.filter((c) => c.name !== name),
      uniques: (table.uniques ?? []).filter((u) => !uses(u.columns)),
      indexes: (table.indexes ?? []).filter((i) => !uses(i.columns) && !(i.where && mentionsIdentifier(i.where, name))),
      foreignKeys: (table.foreignKeys ?? []).filter((f) => !uses(f.columns)),
      checks: (table.checks ?? []).filter((c) => !mentionsIdentifier(c.expression, name)),
    };
    if (table.primaryKey && uses(table.primaryKey.columns)) delete next.primaryKey;
    return next;
  };
}

export function alterColumnTransform(op: Extract<Op, { kind: "alterColumn" }>): TableTransform {
  return (table) => {
    findColumn(op, table, op.column);
    return { ...table, columns: table.columns.map((c) => (c.name === op.column ? applyColumnChanges(c, op.changes) : c)) };
  };
}

export function createUniqueTransform(op: Extract<Op, { kind: "createUnique" }>): TableTransform {
  return (table) => {
    refuseDuplicate(op, table, table.uniques, op.unique.name, "unique constraint");
    op.unique.columns.forEach((c) => findColumn(op, table, c));
    return { ...table, uniques: [...(table.uniques ?? []), op.unique] };
  };
}

export function dropUniqueTransform(op: Extract<Op, { kind: "dropUnique" }>): TableTransform {
  return (table) => {
    requireName(op, table, table.uniques, op.name, "unique constraint");
    return { ...table, uniques: (table.uniques ?? []).filter((u) => u.name !== op.name) };
  };
}

export function createPrimaryKeyTransform(op: Extract<Op, { kind: "createPrimaryKey" }>): TableTransform {
  return (table) => {
    if (table.primaryKey) fail(op, table, `it already has a primary key (${table.primaryKey.columns.join(", ")})`);
    op.primaryKey.columns.forEach((c) => findColumn(op, table, c));
    return { ...table, primaryKey: op.primaryKey };
  };
}

/** AUTOINCREMENT only exists on a primary key, so it goes with it. */
export function dropPrimaryKeyTransform(op: Extract<Op, { kind: "dropPrimaryKey" }>): TableTransform {
  return (table) => {
    if (!table.primaryKey) fail(op, table, "it has no primary key");
    const next: Table = { ...table, columns: table.columns.map(({ autoIncrement: _ai, ...c }) => c) };
    delete next.primaryKey;
    return next;
  };
}

export function createForeignKeyTransform(op: Extract<Op, { kind: "createForeignKey" }>): TableTransform {
  return (table) => {
    refuseDuplicate(op, table, table.foreignKeys, op.foreignKey.name, "foreign key");
    op.foreignKey.columns.forEach((c) => findColumn(op, table, c));
    return { ...table, foreignKeys: [...(table.foreignKeys ?? []), op.foreignKey] };
  };
}

export function dropForeignKeyTransform(op: Extract<Op, { kind: "dropForeignKey" }>): TableTransform {
  return (table) => {
    requireName(op, table, table.foreignKeys, op.name, "foreign key");
    return { ...table, foreignKeys: (table.foreignKeys ?? []).filter((f) => f.name !== op.name) };
  };
}

export function createCheckTransform(op: Extract<Op, { kind: "createCheck" }>): TableTransform {
  return (table) => {
    refuseDuplicate(op, table, table.checks, op.check.name, "check constraint");
    return { ...table, checks: [...(table.checks ?? []), op.check] };
  };
}

export function dropCheckTransform(op: Extract<Op, { kind: "dropCheck" }>): TableTransform {
  return (table) => {
    requireName(op, table, table.checks, op.name, "check constraint");
    return { ...table, checks: (table.checks ?? []).filter((c) => c.name !== op.name) };
  };
}
