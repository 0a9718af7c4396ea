import { getDialect } from "../../src/dialects";
import { connectWith } from "../../src/runner/connection";
import type { Schema } from "../../src/schema/types";
import type { TestDatabase } from "./databases";

/** Opens a short-lived connection to a test database and runs `fn` with it. */
export async function withDb<T>(db: TestDatabase, fn: (query: <R = Record<string, unknown>>(sql: string) => Promise<R[]>) => Promise<T>): Promise<T> {
  const conn = await connectWith(db.options);
  try {
    return await fn((sql) => conn.db.query(sql));
  } finally {
    await conn.close();
  }
}

/** The live schema of a test database, read by our introspector. */
export async function introspect(db: TestDatabase, includeTable?: (name: string) => boolean): Promise<Schema> {
  const conn = await connectWith(db.options);
  try {
    return await getDialect(db.dialect).introspect(conn.db, { includeTable });
  } finally {
    await conn.close();
  }
}

export async function tableNames(db: TestDatabase): Promise<string[]> {
  return (await introspect(db)).tables.map((t) => t.name).sort();
}

export async function versionRows(db: TestDatabase, table = "retort_version"): Promise<string[]> {
  return withDb(db, async (query) => {
    const rows = await query<{ v: string }>(`SELECT version_num AS v FROM ${table}`);
    return rows.map((r) => r.v).sort();
  });
}

export async function count(db: TestDatabase, table: string): Promise<number> {
  return withDb(db, async (query) => {
    const [row] = await query<{ n: number | string }>(`SELECT COUNT(*) AS n FROM ${table}`);
    return Number(row.n);
  });
}
