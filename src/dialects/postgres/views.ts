/**
 * PostgreSQL views and materialized views: the catalog read (pg_get_viewdef,
 * and what each reads from pg_depend through its rewrite rule), the ledger
 * TypeORM keeps (`typeorm_metadata`, per schema), and the DDL.
 */
import type { OpOf } from "../../ops/types";
import type { IntrospectOptions, Queryable } from "../dialect";
import { catalogQuery } from "../catalog";
import { forgetView, VIEW_LEDGER, readLedger, recordView, type CatalogView, type LedgerSpelling, type ViewRead } from "../views";
import { quoteIdentifier as q, quoteQualified as qt, quoteString } from "./quote";
import { ensureSchema, qualifiedName, SCHEMA_FILTER } from "./namespaces";

export const LEDGER: LedgerSpelling = {
  quote: q,
  literal: quoteString,
  nameType: "character varying",
  valueType: "text",
  location: { column: "schema", value: "current_schema()" },
};

export const VIEWS_SQL = `
SELECT ${qualifiedName("n", "c.relname")} AS name,
       c.relkind = 'm' AS materialized,
       pg_catalog.pg_get_viewdef(c.oid) AS server_text,
       ARRAY(SELECT DISTINCT ${qualifiedName("rn", "rc.relname")}
               FROM pg_catalog.pg_rewrite r
               JOIN pg_catalog.pg_depend d ON d.classid = 'pg_catalog.pg_rewrite'::regclass AND d.objid = r.oid
                                          AND d.refclassid = 'pg_catalog.pg_class'::regclass
               JOIN pg_catalog.pg_class rc ON rc.oid = d.refobjid
               JOIN pg_catalog.pg_namespace rn ON rn.oid = rc.relnamespace
              WHERE r.ev_class = c.oid AND rc.oid <> c.oid) AS reads,
       pg_catalog.to_regclass(pg_catalog.quote_ident(current_schema()) || '.${VIEW_LEDGER}') IS NOT NULL AS ledger
  FROM pg_catalog.pg_class c
  JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
 WHERE ${SCHEMA_FILTER} AND c.relkind IN ('v', 'm')`;

interface ViewRow {
  name: string;
  materialized: boolean;
  server_text: string;
  reads: string[];
  /** Whether the ledger table exists (asked here: one catalog query, with or without views). */
  ledger: boolean;
}

/** The views of `namespaces` and, with `withDefault`, of current_schema(), all of them (`managedViews` chooses). */
export async function readViews(db: Queryable, options: IntrospectOptions, namespaces: readonly string[], withDefault: boolean): Promise<ViewRead> {
  const rows = await catalogQuery<ViewRow>(db, VIEWS_SQL, options, [namespaces, withDefault]);
  if (rows.length === 0) return { catalog: [] };
  const catalog: CatalogView[] = rows.map((r) => ({ name: r.name, serverText: r.server_text.trim().replace(/;$/, ""), materialized: r.materialized, reads: r.reads }));
  return { catalog, ledger: await readLedger(db, rows[0].ledger, LEDGER, options) };
}

const kindOf = (materialized: boolean | undefined) => (materialized ? "MATERIALIZED VIEW" : "VIEW");

export function createViewSql(op: OpOf<"createView">): string[] {
  return [...ensureSchema(op.view.name), `CREATE ${kindOf(op.view.materialized)} ${qt(op.view.name)} AS ${op.view.definition}`, ...recordView(LEDGER, op.view)];
}

export function dropViewSql(op: OpOf<"dropView">): string[] {
  return [`DROP ${kindOf(op.materialized)} ${qt(op.name)}`, ...forgetView(LEDGER, op.name)];
}
