/**
 * The PostgreSQL dialect: render (op -> SQL), introspect (catalog -> Schema),
 * grammar (canonical spellings), and the session/lock hooks.
 */
import { classify, tableRows } from "./cost";
import { parseServerVersion } from "../cost";
import { serverScratchDatabase } from "../scratch";
import { driverErrorCode, type Dialect, type LockHolder, type LockSession, type Queryable, type SafeForm, type StatementLockTimeout } from "../dialect";
import type { Op } from "../../ops/types";
import { splitQualified } from "../../schema/qualified";
import { postgresComparer } from "./comparer";
import { canonicalColumn, canonicalTable } from "./grammar";
import { portableResolver } from "./portable";
import { introspect, snapshotCatalog } from "./introspect";
import { MAX_IDENTIFIER_BYTES, quoteIdentifier, quoteLiteral, quoteQualified, storedName } from "./quote";
import { autoIncrementProblem, render } from "./render";
import { opPreconditions } from "../preconditions";

/** SQLSTATE lock_not_available: `lock_timeout` expired. */
const LOCK_NOT_AVAILABLE = "55P03";

/**
 * Both processes hash the same key to the same advisory lock id (advisory
 * locks are per database, so other databases on the server never wait).
 * `lock_timeout` bounds the wait and keeps the server's FIFO queue of waiters;
 * 0 would mean "forever" there, so a zero wait is a single try.
 */
async function acquireLock({ db }: LockSession, key: string, waitMs: number): Promise<boolean> {
  if (waitMs <= 0) {
    const [row] = await db.query<{ ok: boolean }>("SELECT pg_try_advisory_lock(hashtext($1)) AS ok", [key]);
    return row?.ok === true;
  }
  await db.query(`SET lock_timeout = ${Math.ceil(waitMs)}`);
  try {
    await db.query("SELECT pg_advisory_lock(hashtext($1))", [key]);
    return true;
  } catch (error) {
    if (driverErrorCode(error) === LOCK_NOT_AVAILABLE) return false;
    throw error;
  } finally {
    await db.query("RESET lock_timeout");
  }
}

/**
 * pg_locks shows a one-bigint advisory lock as classid (high 32 bits), objid
 * (low 32 bits) and objsubid 1; pg_stat_activity names the backend. The pid is
 * visible to every role, the user and address only to privileged ones.
 */
async function lockHolder({ db }: LockSession, key: string): Promise<LockHolder | undefined> {
  const [row] = await db.query<{ pid: number; usename: string | null; client: string | null; since: Date | string | null; state: string | null }>(
    `SELECT l.pid, a.usename, host(a.client_addr) AS client, a.backend_start AS since, a.state
       FROM pg_locks l LEFT JOIN pg_stat_activity a ON a.pid = l.pid
      WHERE l.locktype = 'advisory' AND l.granted AND l.objsubid = 1
        AND l.database = (SELECT oid FROM pg_database WHERE datname = current_database())
        AND l.classid::text::bigint = (hashtext($1)::bigint >> 32) & 4294967295
        AND l.objid::text::bigint = hashtext($1)::bigint & 4294967295
      LIMIT 1`,
    [key],
  );
  if (!row) return undefined;
  const who = row.usename ? `${row.usename}@${row.client ?? "local socket"}` : undefined;
  const since = row.since ? `connected ${new Date(row.since).toISOString().replace("T", " ").replace(/\.\d+Z$/, " UTC")}` : undefined;
  const details = [who, since, row.state].filter(Boolean).join(", ");
  return {
    description: `PostgreSQL backend pid ${row.pid}${details ? ` (${details})` : ""}`,
    remedy: `SELECT pg_terminate_backend(${row.pid})`,
  };
}

async function releaseLock({ db }: LockSession, key: string): Promise<void> {
  await db.query("SELECT pg_advisory_unlock(hashtext($1))", [key]);
}

// PostgreSQL needs no session preparation: DDL is transactional and constraints are checked as they are created.
async function noSessionWork(): Promise<void> {}

/**
 * Safe mode on PostgreSQL (lock levels from the manual's "Explicit Locking"
 * table and ALTER TABLE notes): CREATE INDEX CONCURRENTLY takes SHARE UPDATE
 * EXCLUSIVE instead of SHARE; a foreign key or check added NOT VALID holds its
 * lock only for the catalog change, and VALIDATE CONSTRAINT scans under SHARE
 * UPDATE EXCLUSIVE (a foreign key: SHARE ROW EXCLUSIVE on the referenced
 * table); SET NOT NULL skips its scan behind a validated CHECK (12+). Each
 * step must commit on its own, or the first one's lock lasts until the end.
 */
function safeForm(op: Op): SafeForm | undefined {
  const online = (o: Op): SafeForm => ({ op: { ...o, online: true } as Op, outsideTransaction: true });
  switch (op.kind) {
    case "createIndex":
    case "createUnique":
    case "createPrimaryKey":
    case "createForeignKey":
    case "createCheck":
      return online(op);
    case "alterColumn":
      return op.changes.nullable === false ? online(op) : undefined;
    default:
      return undefined;
  }
}

/**
 * lock_timeout bounds every lock wait of a statement, including CREATE INDEX
 * CONCURRENTLY's wait for older transactions, which leaves an INVALID index
 * behind when it runs out; that index is dropped before the retry (a safe
 * unique constraint or primary key builds its index the same way).
 */
/** The index `op` builds CONCURRENTLY, if it does. */
function concurrentIndexName(op: Op): string | undefined {
  if (op.kind === "createIndex") return op.concurrently || op.online ? op.index.name : undefined;
  if (op.kind === "createUnique") return op.online ? op.unique.name : undefined;
  if (op.kind === "createPrimaryKey" && op.online) return op.primaryKey.name ?? `${splitQualified(op.table).name}_pkey`;
  return undefined;
}

const statementLockTimeout: StatementLockTimeout = {
  set: (ms) => [`SET lock_timeout = '${Math.max(1, Math.round(ms))}ms'`],
  reset: ["RESET lock_timeout"],
  isTimeout: (error) => driverErrorCode(error) === "55P03",
  describe: "lock_timeout (SQLSTATE 55P03)",
  async cleanup(op: Op, db: Queryable) {
    const name = concurrentIndexName(op);
    if (name === undefined) return;
    const invalid = await db.query(
      "SELECT 1 FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid WHERE c.relname = $1 AND c.relnamespace = current_schema()::regnamespace AND NOT i.indisvalid",
      [storedName(name)],
    );
    if (invalid.length > 0) await db.query(`DROP INDEX CONCURRENTLY IF EXISTS ${quoteIdentifier(name)}`);
  },
};

export const postgresDialect: Dialect = {
  classify,
  tableRows,
  assumedServer: { ...parseServerVersion("15.0", "postgresql"), assumed: true },
  name: "postgres",
  comparer: postgresComparer,
  transactionalDdl: true,
  concurrentIndexes: true,
  materializedViews: true,
  identifierLimit: { server: "PostgreSQL", max: MAX_IDENTIFIER_BYTES, unit: "bytes", truncates: true },
  storedName,
  quoteIdentifier,
  quoteTableName: quoteQualified,
  quoteLiteral,
  concatSql: (...parts: string[]) => parts.join(" || "),
  autoIncrementProblem: (_table, column) => autoIncrementProblem(column),
  render,
  safeForm,
  statementLockTimeout,
  // A failed ALTER rolls back with its revision; only what PostgreSQL would change silently
  // (numeric scale rounding) or reports without the row count needs a check first.
  preconditions: (op, kinds = { nulls: false, narrowing: true, constraints: false }) => opPreconditions(op, { q: quoteIdentifier, table: quoteQualified, literal: quoteLiteral }, kinds),
  introspect,
  snapshotCatalog,
  canonicalColumn,
  portableResolver,
  canonicalTable,
  prepareSession: noSessionWork,
  verifyBeforeCommit: noSessionWork,
  restoreSession: noSessionWork,
  acquireLock,
  lockHolder,
  releaseLock,
  createScratchDatabase: (options, admin, name) => serverScratchDatabase(options, admin, name, quoteIdentifier),
};

export { canonicalColumn, canonicalTable } from "./grammar";
export { render, columnDefinition, renderType } from "./render";
export { introspect } from "./introspect";
export { quoteIdentifier, quoteLiteral } from "./quote";
