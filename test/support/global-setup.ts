import { Client } from "pg";
import { createConnection } from "mysql2/promise";
import { MYSQL_URL, POSTGRES_URL } from "./databases";

async function probe(name: string, check: () => Promise<void>): Promise<boolean> {
  try {
    await check();
    return true;
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    if (process.env.CI === "true") {
      throw new Error(`${name} is unreachable under CI=true (${reason}); database tests must run in CI, never skip.`);
    }
    process.stderr.write(`\n!!! SKIPPING ${name} tests: server unreachable (${reason}). Start it (see ../shared/services.md) to run them.\n`);
    return false;
  }
}

export default async function globalSetup(): Promise<void> {
  const pg = await probe("PostgreSQL", async () => {
    const c = new Client({ connectionString: POSTGRES_URL, connectionTimeoutMillis: 3000 });
    await c.connect();
    await c.end();
  });
  const my = await probe("MySQL", async () => {
    const c = await createConnection({ uri: MYSQL_URL, connectTimeout: 3000 });
    await c.end();
  });
  process.env.RETORT_TEST_POSTGRES = pg ? "up" : "down";
  process.env.RETORT_TEST_MYSQL = my ? "up" : "down";
}
