/**
 * Test databases. Each test file that needs PostgreSQL or MySQL creates its own
 * uniquely named database and drops it afterwards. Server availability is
 * probed once in `globalSetup` (test/support/global-setup.ts): outside CI an
 * unreachable server skips its tests with one loud line; under CI=true it
 * fails the run.
 */
import { randomBytes } from "node:crypto";
import type { DialectName } from "../../src/ops/types";
import { createScratchDatabase, type ScratchDatabase } from "../../scripts/scratch-database";

export const POSTGRES_URL = process.env.TEST_POSTGRES_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres";
export const MYSQL_URL = process.env.TEST_MYSQL_URL ?? "mysql://root@127.0.0.1:3306/test";

export const ALL_DIALECTS: DialectName[] = ["sqlite", "postgres", "mysql"];

/** Dialects whose server answered the global setup's probe (SQLite always). */
export function availableDialects(): DialectName[] {
  return ALL_DIALECTS.filter((d) => d === "sqlite" || process.env[`RETORT_TEST_${d.toUpperCase()}`] === "up");
}

export type TestDatabase = ScratchDatabase;

/** Creates a fresh, empty database for `dialect`. */
export async function createTestDatabase(dialect: DialectName): Promise<TestDatabase> {
  const name = `retort_t_${Date.now().toString(36)}_${randomBytes(3).toString("hex")}`;
  return createScratchDatabase(dialect, name, { postgresUrl: POSTGRES_URL, mysqlUrl: MYSQL_URL });
}

/**
 * `describe` once per available dialect. Unavailable dialects are reported
 * by the global setup and their blocks are registered as skipped.
 */
export function describeEachDialect(
  title: string,
  body: (dialect: DialectName) => void,
  dialects: DialectName[] = ALL_DIALECTS,
): void {
  const up = availableDialects();
  for (const dialect of dialects) {
    const register = up.includes(dialect) ? describe : describe.skip;
    register(`${title} [${dialect}]`, () => body(dialect));
  }
}
