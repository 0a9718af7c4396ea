/**
 * The SQLite dialect (better-sqlite3 through TypeORM). DDL is transactional;
 * what ALTER TABLE cannot do is a table rebuild inside the transaction, with
 * foreign keys switched off for the session and checked before commit.
 */
import type { Dialect, Queryable } from "../dialect";
import { sqliteComparer } from "./comparer";
import { ForeignKeyViolationError, type ForeignKeyViolation } from "./errors";
import { canonicalColumn, canonicalTable, quoteIdentifier, quoteLiteral } from "./grammar";
import { portableResolver } from "./portable";
import { introspect } from "./introspect";
import { render } from "./render";

export { ForeignKeysEnabledError, ForeignKeyViolationError, SqliteRebuildError, SqliteTableNotFoundError } from "./errors";
export type { ForeignKeyViolation } from "./errors";

/** How long a second writer waits for SQLite's write lock before failing. */
export const LOCK_WAIT_MS = 30000;

/** foreign_keys as it was before prepareSession, so restoreSession puts it back. */
const savedForeignKeys = new WeakMap<Queryable, number>();

async function pragmaValue(db: Queryable, name: string): Promise<number | undefined> {
  const rows = await db.query<Record<string, unknown>>(`PRAGMA ${name}`);
  const value = rows[0] ? Object.values(rows[0])[0] : undefined;
  return value === undefined ? undefined : Number(value);
}

/**
 * PRAGMA foreign_keys is a no-op inside a transaction, so it is switched off
 * here, before BEGIN: with it on, DROP TABLE during a rebuild would run an
 * implicit DELETE that cascades into (or fails on) the child rows.
 * legacy_alter_table off makes RENAME update references in indexes, triggers,
 * views and other tables' foreign keys.
 */
async function prepareSession(db: Queryable): Promise<void> {
  savedForeignKeys.set(db, (await pragmaValue(db, "foreign_keys")) ?? 1);
  await db.query("PRAGMA foreign_keys = OFF");
  await db.query("PRAGMA legacy_alter_table = OFF");
}

async function verifyBeforeCommit(db: Queryable): Promise<void> {
  const rows = await db.query<{ table: string; rowid: number | null; parent: string; fkid: number }>("PRAGMA foreign_key_check");
  if (rows.length === 0) return;
  const violations: ForeignKeyViolation[] = rows.map((r) => ({ table: r.table, rowid: r.rowid, parent: r.parent, fkid: r.fkid }));
  throw new ForeignKeyViolationError(violations);
}

async function restoreSession(db: Queryable): Promise<void> {
  const previous = savedForeignKeys.get(db) ?? 1;
  savedForeignKeys.delete(db);
  await db.query(`PRAGMA foreign_keys = ${previous ? "ON" : "OFF"}`);
}

/**
 * SQLite has no advisory lock: the migration's own write transaction is the
 * lock. A long busy timeout makes a second deploy wait for it instead of
 * failing at once with SQLITE_BUSY.
 */
async function acquireLock(db: Queryable): Promise<void> {
  await db.query(`PRAGMA busy_timeout = ${LOCK_WAIT_MS}`);
}

export const sqliteDialect: Dialect = {
  name: "sqlite",
  comparer: sqliteComparer,
  transactionalDdl: true,
  quoteIdentifier,
  quoteLiteral,
  render,
  introspect,
  canonicalColumn,
  portableResolver,
  canonicalTable,
  prepareSession,
  verifyBeforeCommit,
  restoreSession,
  acquireLock,
  releaseLock: async () => {},
};
