/**
 * Helpers the three introspectors share: a catalog query that reports itself
 * (the benchmark counts them), grouping catalog rows, and the by-name order
 * of the canonical schema.
 */
import { compareText } from "../compare/similarity";
import type { IntrospectOptions, Queryable } from "./dialect";

export function catalogQuery<T>(db: Queryable, sql: string, options: IntrospectOptions, params?: unknown[]): Promise<T[]> {
  options.onQuery?.(sql);
  return db.query<T>(sql, params);
}

/** Rows grouped by `key`, groups in first-seen order, rows in their order. */
export function groupBy<T>(rows: readonly T[], key: (row: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const row of rows) {
    const k = key(row);
    const list = groups.get(k);
    if (list) list.push(row);
    else groups.set(k, [row]);
  }
  return groups;
}

export function byName(a: { name: string }, b: { name: string }): number {
  return compareText(a.name, b.name);
}
