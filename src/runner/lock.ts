/**
 * The migration lock as the user sees it: take it, say after a second who
 * holds it when it is busy, and give up after the configured timeout with one
 * sentence. The dialect answers the lock specifics (how to try, who holds it).
 */
import type { Dialect, LockHolder, LockSession } from "../dialects/dialect";
import { UserError } from "../errors";

/** Default `retort.lockTimeout` / `--lock-timeout`, in seconds. */
export const DEFAULT_LOCK_TIMEOUT_SECONDS = 300;

/** How long a deploy waits quietly before it says what it is waiting for. */
export const LOCK_NOTICE_MS = 1000;

export interface LockWait {
  /** Seconds to wait for the lock before giving up (0: fail at once when it is taken). */
  timeoutSeconds: number;
  /** Where the waiting line goes (stderr in the CLI). */
  warn: (line: string) => void;
}

export class LockTimeoutError extends UserError {
  constructor(
    readonly timeoutSeconds: number,
    readonly holder: LockHolder | undefined,
  ) {
    const who = holder ? `it is still held by ${holder.description}` : "another deploy held it the whole time";
    const longer = "wait longer with --lock-timeout (or retort.lockTimeout in the config)";
    const next = holder?.remedy ? `if that deploy is no longer running, free the lock with ${holder.remedy}, or ${longer}` : longer;
    super(`Gave up waiting for the migration lock after ${timeoutSeconds} s: ${who}; ${next}.`);
  }
}

/** Takes the dialect's migration lock within `wait.timeoutSeconds`, or throws LockTimeoutError. */
export async function acquireMigrationLock(dialect: Dialect, session: LockSession, key: string, wait: LockWait): Promise<void> {
  const timeoutMs = wait.timeoutSeconds * 1000;
  const quiet = Math.min(LOCK_NOTICE_MS, timeoutMs);
  if (await dialect.acquireLock(session, key, quiet)) return;
  const holder = await dialect.lockHolder(session, key);
  if (timeoutMs > quiet) {
    wait.warn(
      `waiting for the migration lock held by ${holder?.description ?? "another deploy"}; giving up after ${wait.timeoutSeconds} s (--lock-timeout)`,
    );
    if (await dialect.acquireLock(session, key, timeoutMs - quiet)) return;
  }
  throw new LockTimeoutError(wait.timeoutSeconds, (await dialect.lockHolder(session, key)) ?? holder);
}

/** A lock timeout from the CLI, the environment or the config: seconds, 0 or more. */
export function parseLockTimeout(value: unknown, source: string): number {
  const seconds = typeof value === "number" ? value : typeof value === "string" && value.trim() !== "" ? Number(value) : NaN;
  if (!Number.isFinite(seconds) || seconds < 0) {
    throw new UserError(`${source} must be a number of seconds, 0 or more (got ${JSON.stringify(value)}).`);
  }
  return seconds;
}
