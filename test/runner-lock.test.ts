/**
 * The generic wait around a dialect's lock, on a scripted dialect: quiet when
 * the lock comes within a second, one line naming the holder otherwise, and a
 * one-sentence LockTimeoutError after the timeout.
 */
import type { Dialect, LockHolder, LockSession } from "../src/dialects/dialect";
import { acquireMigrationLock, LOCK_NOTICE_MS, LockTimeoutError, parseLockTimeout } from "../src/runner/lock";

const session = {} as LockSession;
const HOLDER: LockHolder = { description: "PostgreSQL backend pid 42 (app@10.0.0.5)", remedy: "SELECT pg_terminate_backend(42)" };

/** A dialect whose acquireLock answers from `grants` in turn, recording each wait it was given. */
function scripted(grants: boolean[], holder: LockHolder | null = HOLDER): { dialect: Dialect; waits: number[] } {
  const waits: number[] = [];
  const dialect = {
    acquireLock: async (_s: LockSession, _k: string, waitMs: number) => {
      waits.push(waitMs);
      return grants.shift() ?? false;
    },
    lockHolder: async () => holder ?? undefined,
  } as unknown as Dialect;
  return { dialect, waits };
}

test("a lock granted within the first second is taken silently", async () => {
  const { dialect, waits } = scripted([true]);
  const lines: string[] = [];
  await acquireMigrationLock(dialect, session, "k", { timeoutSeconds: 300, warn: (l) => lines.push(l) });
  expect(waits).toEqual([LOCK_NOTICE_MS]);
  expect(lines).toEqual([]);
});

test("a busy lock is announced once with its holder, then waited for the rest of the timeout", async () => {
  const { dialect, waits } = scripted([false, true]);
  const lines: string[] = [];
  await acquireMigrationLock(dialect, session, "k", { timeoutSeconds: 300, warn: (l) => lines.push(l) });
  expect(waits).toEqual([1000, 299000]);
  expect(lines).toEqual([
    "waiting for the migration lock held by PostgreSQL backend pid 42 (app@10.0.0.5); giving up after 300 s (--lock-timeout)",
  ]);
});

test("after the timeout: LockTimeoutError naming the holder and how to free it", async () => {
  const { dialect } = scripted([false, false]);
  const error = await acquireMigrationLock(dialect, session, "k", { timeoutSeconds: 2, warn: () => undefined }).catch((e) => e);
  expect(error).toBeInstanceOf(LockTimeoutError);
  expect(error.message).toBe(
    "Gave up waiting for the migration lock after 2 s: it is still held by PostgreSQL backend pid 42 (app@10.0.0.5); " +
      "if that deploy is no longer running, free the lock with SELECT pg_terminate_backend(42), " +
      "or wait longer with --lock-timeout (or retort.lockTimeout in the config).",
  );
});

test("a timeout of a second or less gives up without a waiting line; a holder the server cannot name is 'another deploy'", async () => {
  for (const timeoutSeconds of [0, 1]) {
    const { dialect, waits } = scripted([false], null);
    const lines: string[] = [];
    const error = await acquireMigrationLock(dialect, session, "k", { timeoutSeconds, warn: (l) => lines.push(l) }).catch((e) => e);
    expect(waits).toEqual([timeoutSeconds * 1000]);
    expect(lines).toEqual([]);
    expect(error.message).toBe(
      `Gave up waiting for the migration lock after ${timeoutSeconds} s: another deploy held it the whole time; ` +
        "wait longer with --lock-timeout (or retort.lockTimeout in the config).",
    );
  }
});

test("parseLockTimeout takes seconds, 0 or more, from numbers and strings", () => {
  expect(parseLockTimeout("2", "--lock-timeout")).toBe(2);
  expect(parseLockTimeout(0.5, "x")).toBe(0.5);
  expect(parseLockTimeout(0, "x")).toBe(0);
  for (const bad of ["", " ", "1m", "-1", -3, Infinity, null, true]) expect(() => parseLockTimeout(bad, "x")).toThrow(/^x must be a number of seconds/);
});
