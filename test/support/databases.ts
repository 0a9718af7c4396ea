/**
 * Test databases. Each test file that needs PostgreSQL or MySQL creates its own
 * uniquely named database and drops it afterwards. Server availability is
 * probed once in `globalSetup` (test/support/global-setup.ts): outside CI an
 * unreachable server skips its tests with one loud line; under CI=true it
 * fails the run.
 */
import { randomBytes } from "node:crypto";
import { Client } from "pg";
import type { DialectName } from "../../src/ops/types";
import { createScratchDatabase, type ScratchDatabase } from "../../scripts/scratch-database";

export const POSTGRES_URL = process.env.TEST_POSTGRES_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres";
export const MYSQL_URL = process.env.TEST_MYSQL_URL ?? "mysql://root@127.0.0.1:3306/test";

export const ALL_DIALECTS: DialectName[] = ["sqlite", "postgres", "mysql"];

/**
 * The dialects a CLI suite whose logic is the same on every database runs on
 * in `npm test`, which must fit CI's 15-minute budget on two cores (each CLI
 * spawn costs about half a second of CPU); `npm run test:full`
 * (`RETORT_TEST_MATRIX=full`) runs such suites on all three.
 */
export function representativeDialects(...dialects: DialectName[]): DialectName[] {
  return fullMatrix() ? ALL_DIALECTS : dialects;
}

/** `npm run test:full` (RETORT_TEST_MATRIX=full): every dialect and every repetition, beyond what CI's budget runs. */
export function fullMatrix(): boolean {
  return process.env.RETORT_TEST_MATRIX === "full";
}

/** Dialects whose server answered the global setup's probe (SQLite always). */
export function availableDialects(): DialectName[] {
  return ALL_DIALECTS.filter((d) => d === "sqlite" || process.env[`RETORT_TEST_${d.toUpperCase()}`] === "up");
}

export type TestDatabase = ScratchDatabase;

/** Creates a fresh, empty database for `dialect`. */
export async function createTestDatabase(dialect: DialectName): Promise<TestDatabase> {
  if (dialect === "postgres") return takePostgresDatabase();
  return createScratchDatabase(dialect, uniqueName(), { postgresUrl: POSTGRES_URL, mysqlUrl: MYSQL_URL });
}

function uniqueName(): string {
  return `retort_t_${Date.now().toString(36)}_${randomBytes(3).toString("hex")}`;
}

/*
 * PostgreSQL's DROP DATABASE forces a checkpoint (0.5 to 2.5 s each on these
 * machines) and the suite uses hundreds of databases, so a test file reuses
 * its PostgreSQL databases: `drop()` empties one (every session on it ended,
 * every non-system schema dropped, `public` re-created) and keeps it for the
 * file's next `createTestDatabase`; the file's databases are dropped when it ends.
 */
const postgresDatabases: TestDatabase[] = [];
const idlePostgresDatabases: TestDatabase[] = [];

if (typeof afterAll === "function") {
  afterAll(async () => {
    idlePostgresDatabases.length = 0;
    for (const db of postgresDatabases.splice(0)) await db.drop();
  });
}

async function takePostgresDatabase(): Promise<TestDatabase> {
  let db = idlePostgresDatabases.pop();
  if (!db) {
    db = await createScratchDatabase("postgres", uniqueName(), { postgresUrl: POSTGRES_URL, mysqlUrl: MYSQL_URL });
    postgresDatabases.push(db);
  }
  const owned = db;
  let returned = false;
  return {
    ...owned,
    drop: async () => {
      if (returned) return;
      returned = true;
      await emptyPostgresDatabase(owned.url);
      idlePostgresDatabases.push(owned);
    },
  };
}

async function emptyPostgresDatabase(url: string): Promise<void> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    await client.query("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()");
    await client.query(`DO $$
      DECLARE s text;
      BEGIN
        FOR s IN SELECT nspname FROM pg_namespace
                 WHERE nspname NOT IN ('pg_catalog', 'information_schema', 'pg_toast')
                   AND nspname NOT LIKE 'pg\\_temp\\_%' AND nspname NOT LIKE 'pg\\_toast\\_temp\\_%'
        LOOP
          EXECUTE format('DROP SCHEMA %I CASCADE', s);
        END LOOP;
      END $$`);
    await client.query("CREATE SCHEMA public AUTHORIZATION pg_database_owner");
  } finally {
    await client.end();
  }
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
