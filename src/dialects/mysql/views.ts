/**
 * MySQL/MariaDB views: the catalog read (information_schema.VIEWS, whose text
 * the server rewrites fully qualified), the ledger TypeORM keeps
 * (`typeorm_metadata`, per database), and the DDL. MySQL has no materialized views.
 */
import { mentionedNames } from "../../compare/views";
import type { OpOf } from "../../ops/types";
import { UnsupportedOpError, type IntrospectOptions, type Queryable } from "../dialect";
import { catalogQuery } from "../catalog";
import { forgetView, readLedger, recordView, VIEW_LEDGER, type LedgerSpelling, type ViewRead } from "../views";
import { quoteIdentifier as q, quoteString } from "./quote";

export const LEDGER: LedgerSpelling = {
  quote: q,
  literal: quoteString,
  nameType: "varchar(255)",
  valueType: "text",
  location: { column: "database", value: "DATABASE()" },
};

// Whether the ledger table exists is asked here: one catalog query, with or without views.
const VIEWS_SQL =
  "SELECT v.TABLE_NAME AS name, v.VIEW_DEFINITION AS serverText, " +
  `(SELECT COUNT(*) FROM information_schema.TABLES t WHERE t.TABLE_SCHEMA = DATABASE() AND t.TABLE_NAME = '${VIEW_LEDGER}') AS ledger ` +
  "FROM information_schema.VIEWS v WHERE v.TABLE_SCHEMA = DATABASE()";

/**
 * The views of the current database as read, all of them (`managedViews`
 * chooses); `tables` are every base table's name (what a view may read).
 */
export async function readViews(db: Queryable, tables: readonly string[], options: IntrospectOptions): Promise<ViewRead> {
  const rows = await catalogQuery<{ name: string; serverText: string | null; ledger: number | string }>(db, VIEWS_SQL, options);
  if (rows.length === 0) return { catalog: [] };
  const relations = [...tables, ...rows.map((r) => String(r.name))];
  const catalog = rows.map((r) => {
    const serverText = String(r.serverText ?? "");
    return { name: String(r.name), serverText, reads: mentionedNames(serverText, relations) };
  });
  return { catalog, ledger: await readLedger(db, Number(rows[0].ledger) > 0, LEDGER, options) };
}

function refuseMaterialized(op: OpOf<"createView" | "dropView">, materialized: boolean | undefined): void {
  if (materialized) throw new UnsupportedOpError("mysql", op, "MySQL has no materialized views");
}

export function createViewSql(op: OpOf<"createView">): string[] {
  refuseMaterialized(op, op.view.materialized);
  return [`CREATE VIEW ${q(op.view.name)} AS ${op.view.definition}`, ...recordView(LEDGER, op.view)];
}

export function dropViewSql(op: OpOf<"dropView">): string[] {
  refuseMaterialized(op, op.materialized);
  return [`DROP VIEW ${q(op.name)}`, ...forgetView(LEDGER, op.name)];
}
