/**
 * The MySQL/MariaDB dialect. DDL commits implicitly on MySQL, so
 * `transactionalDdl` is false and the runner checks each revision's data
 * preconditions before its first statement.
 */
import { createHash } from "node:crypto";
import type { Dialect, Queryable } from "../dialect";
import { mysqlComparer } from "./comparer";
import type { Op } from "../../ops/types";
import type { Table } from "../../schema/types";
import { canonicalColumn, canonicalTable } from "./grammar";
import { introspectMysql } from "./introspect";
import { quoteIdentifier, quoteLiteral } from "./quote";
import { renderOp } from "./render";
import { opPreconditions } from "../preconditions";

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

/** Seconds each GET_LOCK call waits before the loop asks again. */
const LOCK_WAIT_SECONDS = 10;

/** MySQL limits user-lock names to 64 characters; longer keys are hashed to stay distinct. */
function lockName(key: string): string {
  return key.length <= 64
    ? key
    : `retort_${createHash("sha1").update(key).digest("hex")}`;
}

async function acquireLock(db: Queryable, key: string): Promise<void> {
  for (;;) {
    const [row] = await db.query<{ granted: unknown }>(
      "SELECT GET_LOCK(?, ?) AS granted",
      [lockName(key), LOCK_WAIT_SECONDS],
    );
    const granted = row?.granted;
    if (granted === null || granted === undefined) throw new LockError(key);
    if (Number(granted) === 1) return;
  }
}

async function releaseLock(db: Queryable, key: string): Promise<void> {
  await db.query("SELECT RELEASE_LOCK(?) AS released", [lockName(key)]);
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
  name: "mysql",
  comparer: mysqlComparer,
  transactionalDdl: false,
  quoteIdentifier,
  quoteLiteral,
  render: (op: Op, db?: Queryable) => renderOp(op, { db, loadTable }),
  // DDL commits at once: every data condition that would stop a revision half-way is checked first.
  preconditions: (op) => opPreconditions(op, { q: quoteIdentifier, literal: quoteLiteral }, { nulls: true, narrowing: true, constraints: true }),
  introspect: introspectMysql,
  canonicalColumn,
  canonicalTable,
  prepareSession,
  verifyBeforeCommit: noop,
  restoreSession,
  acquireLock,
  releaseLock,
};
