/**
 * Autogenerate's cost notes: for each generated step on an existing table
 * that holds rows, one comment line saying what it locks, rewrites or scans
 * (`costNote`). Steps on tables the same revision creates get none.
 */
import type { Step } from "../compare/types";
import type { Dialect, PortableDriverOptions, Queryable } from "../dialects/dialect";
import { parseServerVersion, type ServerVersion, type TableRows } from "../dialects/cost";
import { serverInfo } from "../dialects/server-info";
import { resolvePortableOp } from "../ops/portable";
import { classifyOp, costNote } from "./classify";
import { tablesOf } from "./lint";

export async function withCostNotes(steps: readonly Step[], dialect: Dialect, db: Queryable, driver: PortableDriverOptions | undefined, transactional: boolean): Promise<Step[]> {
  const resolver = await dialect.portableResolver(db, driver);
  const resolved = steps.map((s) => resolvePortableOp(s.op, resolver));
  const created = new Set(resolved.flatMap((op) => (op?.kind === "createTable" ? [op.table.name] : [])));
  const existing = [...new Set(resolved.flatMap((op) => (op ? tablesOf(op) : [])))].filter((t) => !created.has(t));
  if (existing.length === 0) return [...steps];
  let rows: Map<string, TableRows>;
  let server: ServerVersion;
  try {
    rows = await dialect.tableRows(db, existing);
    if (![...rows.values()].some((r) => r.rows > 0)) return [...steps];
    server = parseServerVersion((await serverInfo(dialect.name, db)).version, dialect.assumedServer.family);
  } catch {
    // The notes are advice: a catalog the user may not read never stops the revision from being written.
    return [...steps];
  }
  return steps.map((step, i) => {
    const op = resolved[i];
    const table = op && tablesOf(op)[0];
    if (!op || table === undefined || created.has(table)) return step;
    const note = costNote(classifyOp(op, { dialect, server, rows: rows.get(table), newTable: false, transactional }));
    return note ? { ...step, note } : step;
  });
}
