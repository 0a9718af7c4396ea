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
  const adminUrl = dialect === "postgres" ? options.postgresUrl : options.mysqlUrl;
  const quoted = dialect === "postgres" ? `"${name}"` : `\`${name}\``;
  await onServer(dialect, adminUrl, `CREATE DATABASE ${quoted}`);
  const url = withDatabase(adminUrl, name);
  return {
    dialect,
    name,
    url,
    options: { type: dialect, url },
    drop: () => onServer(dialect, adminUrl, `DROP DATABASE IF EXISTS ${quoted}${dialect === "postgres" ? " WITH (FORCE)" : ""}`),
  };
}

/** Runs one statement over a short-lived administrative connection. */
async function onServer(dialect: "postgres" | "mysql", adminUrl: string, sql: string): Promise<void> {
  if (dialect === "postgres") {
    const client = new Client({ connectionString: adminUrl });
    await client.connect();
    try {
      await client.query(sql);
    } finally {
      await client.end();
    }
    return;
  }
  const connection = await createConnection(adminUrl);
  try {
    await connection.query(sql);
  } finally {
    await connection.end();
  }
}
