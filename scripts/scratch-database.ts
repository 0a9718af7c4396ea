/**
 * Uniquely named scratch databases, created empty and dropped afterwards: the
 * test suite's per-file databases and the benchmark's per-run databases.
 */
import { mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Client } from "pg";
import { createConnection } from "mysql2/promise";
import type { DataSourceOptions } from "typeorm";
import type { DialectName } from "../src/ops/types";

export interface ScratchDatabase {
  dialect: DialectName;
  name: string;
  /** A connection URL for this database (what DATABASE_URL would hold). */
  url: string;
  /** TypeORM connection options for this database (no entities). */
  options: DataSourceOptions;
  drop(): Promise<void>;
}

export interface ScratchOptions {
  /** Administrative connection URLs of the servers. */
  postgresUrl: string;
  mysqlUrl: string;
  /** Folder for SQLite files; default a fresh temporary folder, removed on drop. */
  sqliteDir?: string;
}

function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

export async function createScratchDatabase(dialect: DialectName, name: string, options: ScratchOptions): Promise<ScratchDatabase> {
  if (dialect === "sqlite") {
    const ownDir = options.sqliteDir === undefined;
    const dir = options.sqliteDir ?? mkdtempSync(join(tmpdir(), "retort-sqlite-"));
    mkdirSync(dir, { recursive: true });
    const file = join(dir, `${name}.db`);
    return {
      dialect,
      name,
      url: `sqlite:///${file}`,
      options: { type: "better-sqlite3", database: file },
      drop: async () => {
        if (ownDir) rmSync(dir, { recursive: true, force: true });
        else for (const suffix of ["", "-wal", "-shm", "-journal"]) rmSync(`${file}${suffix}`, { force: true });
      },
    };
  }
  if (dialect === "postgres") {
    const admin = new Client({ connectionString: options.postgresUrl });
    await admin.connect();
    await admin.query(`CREATE DATABASE "${name}"`);
    await admin.end();
    const url = withDatabase(options.postgresUrl, name);
    return {
      dialect,
      name,
      url,
      options: { type: "postgres", url },
      drop: async () => {
        const c = new Client({ connectionString: options.postgresUrl });
        await c.connect();
        await c.query(`DROP DATABASE IF EXISTS "${name}" WITH (FORCE)`);
        await c.end();
      },
    };
  }
  const admin = await createConnection(options.mysqlUrl);
  await admin.query(`CREATE DATABASE \`${name}\``);
  await admin.end();
  const url = withDatabase(options.mysqlUrl, name);
  return {
    dialect,
    name,
    url,
    options: { type: "mysql", url },
    drop: async () => {
      const c = await createConnection(options.mysqlUrl);
      await c.query(`DROP DATABASE IF EXISTS \`${name}\``);
      await c.end();
    },
  };
}
