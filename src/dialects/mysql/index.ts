/**
 * The MySQL/MariaDB dialect. DDL commits implicitly on MySQL, so
 * `transactionalDdl` is false and the runner checks each revision's data
 * preconditions before its first statement.
 */
import { classify, tableRows } from "./cost";
import { parseServerVersion } from "../cost";
import { serverScratchDatabase } from "../scratch";
import { createHash } from "node:crypto";
import { driverErrorCode, type Dialect, type LockHolder, type LockSession, type Queryable } from "../dialect";
import { hasOnlineForm } from "./online";
import { mysqlComparer } from "./comparer";
import type { Op } from "../../ops/types";
import type { Table } from "../../schema/types";
import { canonicalColumn, canonicalTable } from "./grammar";
import { portableResolver } from "./portable";
import { alignModelCharsets, introspectMysql, snapshotMysqlCatalog } from "./introspect";
import { quoteIdentifier, quoteLiteral } from "./quote";
import { autoIncrementProblem, renderOp } from "./render";
import { ALL_KINDS, opPreconditions } from "../preconditions";

export { ColumnNotFoundError } from "./render";

/** Raised when GET_LOCK reports an error (NULL) instead of granting or timing out. */
export class LockError extends Error {
  constructor(readonly key: string) {
    super(
      `GET_LOCK(${JSON.stringify(key)}) failed on the MySQL server (it returned NULL).`,
    );
    this.name = "LockError";
  }
}

/**
 * GET_LOCK names are server-wide, so the name carries the database: deploys
 * to two databases on one server must not wait for each other. MySQL limits
 * names to 64 characters; longer ones are hashed (the hash keeps them distinct).
 */
async function lockName(db: Queryable, key: string): Promise<string> {
  const [row] = await db.query<{ name: string | null }>("SELECT DATABASE() AS name");
  const name = `${key}@${row?.name ?? ""}`;
  return name.length <= 64 ? name : `retort_${createHash("sha1").update(name).digest("hex")}`;
}

/** GET_LOCK waits whole seconds; 0 is a single try. */
async function acquireLock({ db }: LockSession, key: string, waitMs: number): Promise<boolean> {
  const name = await lockName(db, key);
  const [row] = await db.query<{ granted: unknown }>("SELECT GET_LOCK(?, ?) AS granted", [name, Math.max(0, Math.ceil(waitMs / 1000))]);
  const granted = row?.granted;
  if (granted === null || granted === undefined) throw new LockError(name);
  return Number(granted) === 1;
}

/** IS_USED_LOCK names the holder's connection id; the process list adds who and how long (when this user may see it). */
async function lockHolder({ db }: LockSession, key: string): Promise<LockHolder | undefined> {
  const [used] = await db.query<{ id: unknown }>("SELECT IS_USED_LOCK(?) AS id", [await lockName(db, key)]);
  if (used?.id === null || used?.id === undefined) return undefined;
  const id = String(used.id);
  const [proc] = await db.query<{ user: string; host: string; command: string; time: number }>(
    "SELECT USER AS user, HOST AS host, COMMAND AS command, TIME AS time FROM information_schema.PROCESSLIST WHERE ID = ?",
    [id],
  );
  const details = proc ? ` (${proc.user}@${proc.host}, ${String(proc.command).toLowerCase()} for ${proc.time} s)` : "";
  return { description: `MySQL connection id ${id}${details}`, remedy: `KILL ${id}` };
}

async function releaseLock({ db }: LockSession, key: string): Promise<void> {
  await db.query("SELECT RELEASE_LOCK(?) AS released", [await lockName(db, key)]);
}

async function loadTable(
  db: Queryable,
  name: string,
): Promise<Table | undefined> {
  const schema = await introspectMysql(db, { includeTable: (t) => t === name });
  return schema.tables.find((t) => t.name === name);
}

const noop = async (): Promise<void> => undefined;

/**
 * A non-strict sql_mode lets ALTER TABLE truncate, round or zero values with
 * a warning; during a migration every such change is an error instead. The
 * session's own mode is put back afterwards.
 */
async function prepareSession(db: Queryable): Promise<void> {
  await db.query("SET @retort_sql_mode = @@SESSION.sql_mode");
  await db.query("SET SESSION sql_mode = CONCAT_WS(',', NULLIF(@@SESSION.sql_mode, ''), 'STRICT_ALL_TABLES')");
}

async function restoreSession(db: Queryable): Promise<void> {
  await db.query("SET SESSION sql_mode = @retort_sql_mode");
}

export const mysqlDialect: Dialect = {
  classify,
  tableRows,
  assumedServer: { ...parseServerVersion("8.0.19", "mysql"), assumed: true },
  name: "mysql",
  comparer: mysqlComparer,
  transactionalDdl: false,
  concurrentIndexes: false,
  materializedViews: false,
  // MySQL and MariaDB refuse a longer table, column, index or constraint name (ER_TOO_LONG_IDENT).
  identifierLimit: { server: "MySQL", max: 64, unit: "characters", truncates: false },
  storedName: (name: string) => name,
  quoteIdentifier,
  // Tables in another database are refused (model/namespaces.ts): a name is one identifier.
  quoteTableName: quoteIdentifier,
  quoteLiteral,
  concatSql: (...parts: string[]) => `CONCAT(${parts.join(", ")})`,
  autoIncrementProblem: (_table, column) => autoIncrementProblem(column),
  render: (op: Op, db?: Queryable) => renderOp(op, { db, loadTable }),
  // DDL commits by itself here: the online form needs no transaction rule.
  safeForm: (op) => (hasOnlineForm(op) ? { op: { ...op, online: true } as Op, outsideTransaction: false } : undefined),
  // lock_wait_timeout bounds the wait for a metadata lock, in whole seconds.
  statementLockTimeout: {
    set: (ms) => [`SET SESSION lock_wait_timeout = ${Math.max(1, Math.ceil(ms / 1000))}`],
    reset: ["SET SESSION lock_wait_timeout = DEFAULT"],
    isTimeout: (error) => driverErrorCode(error) === "ER_LOCK_WAIT_TIMEOUT",
    describe: "lock_wait_timeout (ER_LOCK_WAIT_TIMEOUT)",
  },
  // DDL commits at once: every data condition that would stop a revision half-way is checked first.
  preconditions: (op, kinds = ALL_KINDS) => opPreconditions(op, { q: quoteIdentifier, literal: quoteLiteral }, kinds),
  introspect: introspectMysql,
  snapshotCatalog: snapshotMysqlCatalog,
  canonicalColumn,
  portableResolver,
  canonicalTable,
  alignModel: alignModelCharsets,
  prepareSession,
  verifyBeforeCommit: noop,
  restoreSession,
  acquireLock,
  lockHolder,
  releaseLock,
  createScratchDatabase: (options, admin, name) => serverScratchDatabase(options, admin, name, quoteIdentifier),
};
