/**
 * Test databases. Each test file that needs PostgreSQL or MySQL creates its own
 * uniquely named database and drops it afterwards. Server availability is
 * probed once in `globalSetup` (test/support/global-setup.ts): outside CI an
 * unreachable server skips its tests with one loud line; under CI=true it
 * fails the run.
 */
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { DataSourceOptions } from "typeorm";
import { Client } from "pg";
import { createConnection } from "mysql2/promise";
import type { DialectName } from "../../src/ops/types";

export const POSTGRES_URL = process.env.TEST_POSTGRES_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres";
export const MYSQL_URL = process.env.TEST_MYSQL_URL ?? "mysql://root@127.0.0.1:3306/test";

export const ALL_DIALECTS: DialectName[] = ["sqlite", "postgres", "mysql"];

/** Dialects whose server answered the global setup's probe (SQLite always). */
export function availableDialects(): DialectName[] {
  return ALL_DIALECTS.filter((d) => d === "sqlite" || process.env[`RETORT_TEST_${d.toUpperCase()}`] === "up");
}

export interface TestDatabase {
  dialect: DialectName;
  /** A connection URL for this database (what DATABASE_URL would hold). */
  url: string;
  /** TypeORM options for this database (no entities). */
  options: DataSourceOptions;
  drop(): Promise<void>;
}

function uniqueName(): string {
  return `retort_t_${Date.now().toString(36)}_${randomBytes(3).toString("hex")}`;
}

function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

/** Creates a fresh, empty database for `dialect`. */
export async function createTestDatabase(dialect: DialectName): Promise<TestDatabase> {
  const name = uniqueName();
  if (dialect === "sqlite") {
    const dir = mkdtempSync(join(tmpdir(), "retort-sqlite-"));
    const file = join(dir, `${name}.db`);
    return {
      dialect,
      url: `sqlite:///${file}`.replace("sqlite:////", "sqlite:////"),
      options: { type: "better-sqlite3", database: file },
      drop: async () => rmSync(dir, { recursive: true, force: true }),
    };
  }
  if (dialect === "postgres") {
    const admin = new Client({ connectionString: POSTGRES_URL });
    await admin.connect();
    await admin.query(`CREATE DATABASE "${name}"`);
    await admin.end();
    const url = withDatabase(POSTGRES_URL, name);
    return {
      dialect,
      url,
      options: { type: "postgres", url },
      drop: async () => {
        const c = new Client({ connectionString: POSTGRES_URL });
        await c.connect();
        await c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
        await c.end();
      },
    };
  }
  const admin = await createConnection(MYSQL_URL);
  await admin.query(`CREATE DATABASE \`${name}\``);
  await admin.end();
  const url = withDatabase(MYSQL_URL, name);
  return {
    dialect,
    url,
    options: { type: "mysql", url },
    drop: async () => {
      const c = await createConnection(MYSQL_URL);
      await c.query(`DROP DATABASE IF EXISTS \`${name}\``);
      await c.end();
    },
  };
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
