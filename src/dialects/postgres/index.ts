/**
 * The PostgreSQL dialect: render (op -> SQL), introspect (catalog -> Schema),
 * grammar (canonical spellings), and the session/lock hooks.
 */
import type { Dialect, Queryable } from "../dialect";
import { postgresComparer } from "./comparer";
import { canonicalColumn, canonicalTable } from "./grammar";
import { portableResolver } from "./portable";
import { introspect } from "./introspect";
import { quoteIdentifier, quoteLiteral } from "./quote";
import { render } from "./render";

/** Both processes hash the same key to the same 32-bit advisory lock id. */
async function acquireLock(db: Queryable, key: string): Promise<void> {
  await db.query("SELECT pg_advisory_lock(hashtext($1))", [key]);
}

async function releaseLock(db: Queryable, key: string): Promise<void> {
  await db.query("SELECT pg_advisory_unlock(hashtext($1))", [key]);
}

// PostgreSQL needs no session preparation: DDL is transactional and constraints are checked as they are created.
async function noSessionWork(): Promise<void> {}

export const postgresDialect: Dialect = {
  name: "postgres",
  comparer: postgresComparer,
  transactionalDdl: true,
  quoteIdentifier,
  quoteLiteral,
  render,
  introspect,
  canonicalColumn,
  portableResolver,
  canonicalTable,
  prepareSession: noSessionWork,
  verifyBeforeCommit: noSessionWork,
  restoreSession: noSessionWork,
  acquireLock,
  releaseLock,
};

export { canonicalColumn, canonicalTable } from "./grammar";
export { render, columnDefinition, renderType } from "./render";
export { introspect } from "./introspect";
export { quoteIdentifier, quoteLiteral } from "./quote";
