/**
 * The MySQL/MariaDB dialect. DDL commits implicitly on MySQL, so
 * `transactionalDdl` is false and the session hooks have nothing to do.
 */
import { createHash } from "node:crypto";
import type { Dialect, Queryable } from "../dialect";
import { mysqlComparer } from "./comparer";
import type { Op } from "../../ops/types";
import type { Table } from "../../schema/types";
import { canonicalColumn, canonicalTable } from "./grammar";
import { portableResolver } from "./portable";
import { introspectMysql } from "./introspect";
import { quoteIdentifier, quoteLiteral } from "./quote";
import { renderOp } from "./render";

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

export const mysqlDialect: Dialect = {
  name: "mysql",
  comparer: mysqlComparer,
  transactionalDdl: false,
  quoteIdentifier,
  quoteLiteral,
  render: (op: Op, db?: Queryable) => renderOp(op, { db, loadTable }),
  introspect: introspectMysql,
  canonicalColumn,
  portableResolver,
  canonicalTable,
  prepareSession: noop,
  verifyBeforeCommit: noop,
  restoreSession: noop,
  acquireLock,
  releaseLock,
};
