/**
 * What a statement costs the live database while it runs: the lock it takes,
 * whether it rewrites or scans the table, and the transaction rules it
 * follows. Each dialect answers for its own server family and version
 * (`Dialect.classify`); generic code (lint, autogenerate notes) only asks.
 */
import type { Column, Table } from "../schema/types";

/** The server a classification is for; `assumed` when no database was asked. */
export interface ServerVersion {
  family: "postgresql" | "mysql" | "mariadb" | "sqlite";
  major: number;
  minor: number;
  patch: number;
  /** For messages: `PostgreSQL 15.4`, `MariaDB 10.11.6`. */
  text: string;
  assumed?: boolean;
}

export function atLeast(server: ServerVersion, major: number, minor = 0, patch = 0): boolean {
  if (server.major !== major) return server.major > major;
  if (server.minor !== minor) return server.minor > minor;
  return server.patch >= patch;
}

/** `PostgreSQL 15.4 (Debian ...)`, `10.11.6-MariaDB-1`, `8.0.35`, `SQLite 3.45.1`: the server family and version. */
export function parseServerVersion(text: string, fallbackFamily: ServerVersion["family"]): ServerVersion {
  const family: ServerVersion["family"] = /mariadb/i.test(text) ? "mariadb" : fallbackFamily;
  const match = /(\d+)(?:\.(\d+))?(?:\.(\d+))?/.exec(text);
  const [major, minor, patch] = [match?.[1], match?.[2], match?.[3]].map((n) => Number(n ?? 0));
  const names = { postgresql: "PostgreSQL", mysql: "MySQL", mariadb: "MariaDB", sqlite: "SQLite" };
  return { family, major, minor, patch, text: `${names[family]} ${match ? match[0] : "?"}` };
}

/** What the dialect needs to know about the op's surroundings. */
export interface CostContext {
  server: ServerVersion;
  /** The table as it is in the live database, when one was read (SQLite: whether DROP COLUMN must rebuild). */
  table?: Table;
  /** Whether the revision runs in a transaction (`transactional = false` turns it off). */
  transactional: boolean;
}

/**
 * One op's cost. `lock` and `algorithm` are the server's own words; the
 * booleans are what generic code judges by, so it never reads those words.
 */
export interface OpCost {
  /** The table the op locks, rewrites or scans (undefined: none, e.g. an enum type or raw SQL). */
  table?: string;
  /** PostgreSQL's lock level (`ACCESS EXCLUSIVE`), MySQL/MariaDB's LOCK (`NONE`, `SHARED`, `EXCLUSIVE`), SQLite's database write lock. */
  lock?: string;
  /** MySQL/MariaDB online DDL: `INSTANT`, `INPLACE` (with `rewrite` when it rebuilds), `COPY`. */
  algorithm?: "INSTANT" | "INPLACE" | "COPY";
  /** The table (and its indexes) is rewritten, rebuilt or copied: time and disk grow with its size. */
  rewrite: boolean;
  /** Every row is read (validation, index build) without a rewrite. */
  scan: boolean;
  /** Whether other sessions' reads / writes of the table wait for the statement. */
  blocksReads: boolean;
  blocksWrites: boolean;
  /** Other tables the op locks too (the table a foreign key references). */
  alsoLocks?: string[];
  /** Set when the op cannot run inside a transaction, or has rules there (`ALTER TYPE ... ADD VALUE`). */
  transaction?: { inTransaction: "refused" | "restricted"; rule: string };
  /** What the statement does, short (`SET NOT NULL scans the table`). */
  notes: string[];
  /** False when the dialect cannot tell (raw SQL). */
  known: boolean;
}

/** The cost of an op that only touches the catalog. */
export function metadataOnly(table: string | undefined, lock: string | undefined, notes: string[] = [], extra: Partial<OpCost> = {}): OpCost {
  return { table, lock, rewrite: false, scan: false, blocksReads: false, blocksWrites: false, notes, known: true, ...extra };
}

/** Rows in a live table: counted, or the catalog's estimate. */
export interface TableRows {
  rows: number;
  estimated: boolean;
  /** The count stopped at `rows` (COUNT_CAP): there are at least that many. */
  capped?: boolean;
}

/** Counting stops here, so a count is cheap whatever the table's size. */
export const COUNT_CAP = 1_000_000;

/** `SELECT count(*)` that reads at most COUNT_CAP rows. */
export function cappedCountSql(quotedTable: string): string {
  return `SELECT count(*) AS n FROM (SELECT 1 FROM ${quotedTable} LIMIT ${COUNT_CAP}) counted`;
}

export function countedRows(n: unknown): TableRows {
  const rows = Number(n);
  return { rows, estimated: false, ...(rows >= COUNT_CAP ? { capped: true } : {}) };
}

export type { Column };
