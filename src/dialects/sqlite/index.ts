/**
 * The SQLite dialect (better-sqlite3 through TypeORM). DDL is transactional;
 * what ALTER TABLE cannot do is a table rebuild inside the transaction, with
 * foreign keys switched off for the session and checked before commit.
 */
import { classify, tableRows } from "./cost";
import { parseServerVersion } from "../cost";
import { fileScratchDatabase } from "../scratch";
import { driverErrorCode, type Dialect, type LockHolder, type LockSession, type Queryable } from "../dialect";
import { sqliteComparer } from "./comparer";
import { ForeignKeyViolationError, type ForeignKeyViolation } from "./errors";
import { canonicalColumn, canonicalTable, quoteIdentifier, quoteLiteral } from "./grammar";
import { portableResolver } from "./portable";
import { introspect } from "./introspect";
import { render } from "./render";
import { autoIncrementProblem } from "./ddl";
import { opPreconditions, type Precondition, type PreconditionSql } from "../preconditions";

export { ForeignKeysEnabledError, ForeignKeyViolationError, SqliteRebuildError, SqliteTableNotFoundError } from "./errors";
export type { ForeignKeyViolation } from "./errors";

/** How long the migration waits for readers to let go when it commits. */
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

/** A table name no application uses; it exists only inside the lock's transaction. */
const LOCK_PROBE = quoteIdentifier("retort migration lock");

// SQLite's LENGTH counts characters of text.
const PRECONDITION_SQL: PreconditionSql = { q: quoteIdentifier, literal: quoteLiteral, charLength: "LENGTH" };

function isBusy(error: unknown): boolean {
  const code = driverErrorCode(error);
  return code === "SQLITE_BUSY" || code === "SQLITE_LOCKED" || /database is locked/i.test(String((error as Error)?.message));
}

/** busy_timeout as it was before the lock, so releaseLock puts it back. */
const savedBusyTimeout = new WeakMap<Queryable, number>();

/**
 * SQLite has no advisory lock: the lock is a write transaction held for the
 * whole run, which the revisions' transactions nest in as savepoints. It must
 * be TypeORM's own transaction for that nesting, and TypeORM only issues a
 * deferred BEGIN, so the first statement writes (a scratch table created and
 * dropped again): a deferred transaction whose first statement writes takes
 * the write lock exactly as BEGIN IMMEDIATE does, waiting up to busy_timeout.
 * A write after a read would instead fail at once with SQLITE_BUSY (the
 * deadlock SQLite refuses to wait for), which is what broke concurrent deploys.
 * better-sqlite3 waits synchronously, hence the bounded `waitMs`.
 */
async function acquireLock({ db, transactions }: LockSession, _key: string, waitMs: number): Promise<boolean> {
  if (!savedBusyTimeout.has(db)) savedBusyTimeout.set(db, (await pragmaValue(db, "busy_timeout")) ?? 0);
  await db.query(`PRAGMA busy_timeout = ${Math.max(0, Math.ceil(waitMs))}`);
  await transactions.startTransaction();
  try {
    await db.query(`CREATE TABLE ${LOCK_PROBE} (x)`);
    await db.query(`DROP TABLE ${LOCK_PROBE}`);
  } catch (error) {
    await transactions.rollbackTransaction();
    if (isBusy(error)) return false;
    throw error;
  }
  // Holding the write lock, the run only waits for readers to finish at COMMIT.
  await db.query(`PRAGMA busy_timeout = ${LOCK_WAIT_MS}`);
  return true;
}

/** SQLite cannot say which process holds a lock, only that the file is locked. */
async function lockHolder({ db }: LockSession): Promise<LockHolder | undefined> {
  const [row] = await db.query<{ file: string | null }>("SELECT file FROM pragma_database_list WHERE name = 'main'");
  return { description: `another process (the SQLite database file ${row?.file || ":memory:"} is locked for writing)` };
}

/** Commits the run's transaction: the revisions that finished are kept even when a later one failed. */
async function releaseLock({ db, transactions }: LockSession): Promise<void> {
  try {
    if (transactions.isTransactionActive) await transactions.commitTransaction();
  } finally {
    await db.query(`PRAGMA busy_timeout = ${savedBusyTimeout.get(db) ?? LOCK_WAIT_MS}`);
    savedBusyTimeout.delete(db);
  }
}

export const sqliteDialect: Dialect = {
  classify,
  tableRows,
  assumedServer: { ...parseServerVersion("3.35.0", "sqlite"), assumed: true },
  name: "sqlite",
  comparer: sqliteComparer,
  transactionalDdl: true,
  concurrentIndexes: false,
  materializedViews: false,
  identifierLimit: undefined,
  storedName: (name: string) => name,
  quoteIdentifier,
  quoteTableName: quoteIdentifier,
  quoteLiteral,
  concatSql: (...parts: string[]) => parts.join(" || "),
  autoIncrementProblem,
  render,
  // SQLite keeps every value as it is whatever the declared type (no length or range is enforced,
  // a table rebuild copies values unchanged), and a failing op rolls back with its revision.
  // The runner needs no check (a failed statement rolls back, and SQLite never truncates); the preview asks for kinds.
  preconditions: (op, kinds): Precondition[] => (kinds ? opPreconditions(op, PRECONDITION_SQL, kinds) : []),
  // Every ALTER takes SQLite's one database-wide write lock, and the run holds that lock from start to end:
  // there is no lighter form to ask for and no per-statement lock wait to bound.
  safeForm: () => undefined,
  introspect,
  canonicalColumn,
  portableResolver,
  canonicalTable,
  prepareSession,
  verifyBeforeCommit,
  restoreSession,
  acquireLock,
  lockHolder,
  releaseLock,
  createScratchDatabase: (_options, _admin, name) => fileScratchDatabase(name),
};
