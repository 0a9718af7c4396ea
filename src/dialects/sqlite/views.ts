/**
 * SQLite views: sqlite_master keeps each CREATE VIEW verbatim (a table
 * rebuild re-runs it, rebuild.ts), the ledger TypeORM keeps
 * (`typeorm_metadata`), and the DDL. SQLite has no materialized views.
 */
import type { OpOf } from "../../ops/types";
import type { View } from "../../schema/types";
import { UnsupportedOpError, type IntrospectOptions, type Queryable } from "../dialect";
import { forgetView, readLedger, recordView, viewsOf, VIEW_LEDGER, type LedgerSpelling } from "../views";
import { quoteIdentifier as q, quoteLiteral } from "./grammar";
import { mentionsIdentifier } from "./parse";

export const LEDGER: LedgerSpelling = {
  quote: q,
  literal: (value) => quoteLiteral(value),
  nameType: "varchar",
  valueType: "text",
};

/** The SELECT of a stored `CREATE VIEW name [(columns)] AS select`. */
export function viewSelect(sql: string): string {
  const m = /^\s*CREATE\s+(?:TEMP(?:ORARY)?\s+)?VIEW\s+(?:IF\s+NOT\s+EXISTS\s+)?(?:"(?:[^"]|"")*"|`(?:[^`]|``)*`|\[[^\]]*\]|[^\s(]+)\s*(?:\([^)]*\)\s*)?AS\s+/i.exec(sql);
  return (m ? sql.slice(m[0].length) : sql).trim();
}

/** The views among sqlite_master `objects`, definitions from the ledger where recorded. */
export async function introspectViews(
  db: Queryable,
  objects: ReadonlyArray<{ type: string; name: string; sql: string | null }>,
  options: IntrospectOptions,
): Promise<View[]> {
  const views = objects.filter((o) => o.type === "view" && o.sql);
  if (views.length === 0) return [];
  const relations = objects.filter((o) => o.type === "table" || o.type === "view").map((o) => o.name);
  const catalog = views.map((o) => ({
    name: o.name,
    serverText: viewSelect(o.sql as string),
    reads: relations.filter((r) => mentionsIdentifier(o.sql as string, r)),
  }));
  const present = objects.some((o) => o.type === "table" && o.name === VIEW_LEDGER);
  return viewsOf(catalog, await readLedger(db, present, LEDGER, options), options.includeTable ?? (() => true));
}

function refuseMaterialized(op: OpOf<"createView" | "dropView">, materialized: boolean | undefined): void {
  if (materialized) throw new UnsupportedOpError("sqlite", op, "SQLite has no materialized views");
}

export function createViewSql(op: OpOf<"createView">): string[] {
  refuseMaterialized(op, op.view.materialized);
  return [`CREATE VIEW ${q(op.view.name)} AS ${op.view.definition}`, ...recordView(LEDGER, op.view)];
}

export function dropViewSql(op: OpOf<"dropView">): string[] {
  refuseMaterialized(op, op.materialized);
  return [`DROP VIEW ${q(op.name)}`, ...forgetView(LEDGER, op.name)];
}
