/** Fresh, uniquely named benchmark databases, created and dropped per run. */
import { randomBytes } from "node:crypto";
import { mkdirSync, rmSync } from "node:fs";
import { join } from "node:path";
import { Client } from "pg";
import { createConnection } from "mysql2/promise";
import type { DialectName } from "../../src/ops/types";

const POSTGRES_URL = process.env.BENCH_POSTGRES_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres";
const MYSQL_URL = process.env.BENCH_MYSQL_URL ?? "mysql://root@127.0.0.1:3306/mysql";

export interface BenchDatabase {
  name: string;
  /** What DATABASE_URL would hold. */
  url: string;
  /** Connection options written into ormconfig.ts. */
  options: Record<string, unknown>;
  drop(): Promise<void>;
}

function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

export async function createBenchDatabase(dialect: DialectName, label: string, scratchDir: string): Promise<BenchDatabase> {
  const name = `retort_bench_${label}_${randomBytes(3).toString("hex")}`;
  if (dialect === "sqlite") {
    mkdirSync(scratchDir, { recursive: true });
    const file = join(scratchDir, `${name}.db`);
    return {
      name,
      url: `sqlite:///${file}`,
      options: { type: "better-sqlite3", database: file },
      drop: async () => {
        for (const suffix of ["", "-wal", "-shm", "-journal"]) rmSync(`${file}${suffix}`, { force: true });
      },
    };
  }
  if (dialect === "postgres") {
    const admin = new Client({ connectionString: POSTGRES_URL });
    await admin.connect();
    await admin.query(`CREATE DATABASE "${name}"`);
    await admin.end();
    const url = withDatabase(POSTGRES_URL, name);
    return {
      name,
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
    name,
    url,
    options: { type: "mysql", url },
    drop: async () => {
      const c = await createConnection(MYSQL_URL);
      await c.query(`DROP DATABASE IF EXISTS \`${name}\``);
      await c.end();
    },
  };
}
