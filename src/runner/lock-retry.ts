/**
 * A per-statement lock wait limit with retries. An ALTER queued behind a
 * long transaction blocks every session that queues behind it; with a limit
 * it gives up after a moment (PostgreSQL SQLSTATE 55P03, MySQL
 * ER_LOCK_WAIT_TIMEOUT), the application goes on, and the statement is tried
 * again after a pause. Inside a transaction the statement runs under a
 * savepoint, so that a timed-out try leaves the transaction usable.
 */
import { setTimeout as sleep } from "node:timers/promises";
import type { Dialect, Queryable } from "../dialects/dialect";
import { firstLineOf, UserError } from "../errors";
import type { Op } from "../ops/types";

export interface StatementLockOptions {
  /** Milliseconds each statement may wait for a lock. */
  timeoutMs: number;
  /** Tries after the first one. */
  retries: number;
}

export const DEFAULT_LOCK_RETRIES = 3;
const SAVEPOINT = "retort_lock_retry";

/** The pause before retry `n` (1-based): 0.5 s, 1 s, 2 s, ... at most 10 s. */
export function retryDelayMs(n: number): number {
  return Math.min(500 * 2 ** (n - 1), 10_000);
}

function parseNumber(value: unknown, what: string, min: number): number {
  const n = typeof value === "number" ? value : Number(String(value).trim());
  if (String(value).trim() === "" || !Number.isInteger(n) || n < min) {
    throw new UserError(`${what} must be a whole number${min > 0 ? " above 0" : " (0 or more)"}, not ${JSON.stringify(String(value))}.`);
  }
  return n;
}

/**
 * The limit from the command line, else the config; undefined when neither
 * sets a timeout (`--lock-retries` alone is refused: it would mean nothing).
 */
export function statementLockOptions(
  cli: { timeout?: unknown; retries?: unknown },
  config: { statementLockTimeout?: unknown; lockRetries?: unknown },
): StatementLockOptions | undefined {
  const timeout =
    cli.timeout !== undefined
      ? parseNumber(cli.timeout, "--statement-lock-timeout (milliseconds)", 1)
      : config.statementLockTimeout !== undefined
        ? parseNumber(config.statementLockTimeout, "retort.statementLockTimeout (milliseconds) in the config", 1)
        : undefined;
  const retries =
    cli.retries !== undefined
      ? parseNumber(cli.retries, "--lock-retries", 0)
      : config.lockRetries !== undefined
        ? parseNumber(config.lockRetries, "retort.lockRetries in the config", 0)
        : undefined;
  if (timeout === undefined) {
    if (cli.retries !== undefined) throw new UserError("--lock-retries needs a statement lock timeout: add --statement-lock-timeout MS (or retort.statementLockTimeout).");
    return undefined;
  }
  return { timeoutMs: timeout, retries: retries ?? DEFAULT_LOCK_RETRIES };
}

function oneLine(sql: string): string {
  const flat = sql.replace(/\s+/g, " ").trim();
  return flat.length > 120 ? `${flat.slice(0, 117)}...` : flat;
}

async function runAll(db: Queryable, statements: readonly string[]): Promise<void> {
  for (const sql of statements) await db.query(sql);
}

/**
 * A statement runner for the migration connection: plain `db.query` without
 * options or where the dialect cannot bound lock waits; otherwise each
 * statement under the limit, retried as the options say.
 */
export function lockRetryingRunner(
  db: Queryable,
  dialect: Dialect,
  options: StatementLockOptions | undefined,
  inTransaction: () => boolean,
  warn: (line: string) => void,
): (sql: string, op?: Op) => Promise<Record<string, unknown>[]> {
  const limit = dialect.statementLockTimeout;
  if (!options || !limit) return (sql) => db.query(sql);
  return async (sql, op) => {
    for (let attempt = 0; ; attempt++) {
      const savepoint = dialect.transactionalDdl && inTransaction();
      try {
        if (savepoint) await db.query(`SAVEPOINT ${SAVEPOINT}`);
        await runAll(db, limit.set(options.timeoutMs));
        if (attempt > 0 && op && limit.cleanup) await limit.cleanup(op, db);
        const rows = await db.query(sql);
        await runAll(db, limit.reset);
        if (savepoint) await db.query(`RELEASE SAVEPOINT ${SAVEPOINT}`);
        return rows;
      } catch (error) {
        const timedOut = limit.isTimeout(error);
        // After another error a transaction is aborted: its rollback undoes the SET.
        if (savepoint && timedOut) await db.query(`ROLLBACK TO SAVEPOINT ${SAVEPOINT}`);
        if (!savepoint) await runAll(db, limit.reset).catch(() => undefined);
        if (!timedOut) throw error;
        if (attempt >= options.retries) {
          const reason = firstLineOf(error);
          throw new Error(
            `${limit.describe}: no lock within ${options.timeoutMs} ms after ${attempt + 1} tr${attempt === 0 ? "y" : "ies"} (${reason}); ` +
              "retry when the blocking transaction is gone, or raise --statement-lock-timeout / --lock-retries",
          );
        }
        const delay = retryDelayMs(attempt + 1);
        warn(
          `${limit.describe}: no lock within ${options.timeoutMs} ms for ${oneLine(sql)}; retry ${attempt + 1} of ${options.retries} in ${delay} ms`,
        );
        await sleep(delay);
      }
    }
  };
}
