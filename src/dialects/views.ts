/**
 * Views, the parts the three dialects share: the record of each view's
 * definition, kept where TypeORM's own schema builder keeps it, and the merge
 * of that record with what the catalog says.
 *
 * Why a record: every server rewrites view text (PostgreSQL deparses it,
 * MySQL qualifies every column, SQLite alone keeps it verbatim), so comparing
 * the entity's expression with the server's text would report drift after
 * every upgrade. TypeORM's synchronize compares the expression with the copy
 * it stored in `typeorm_metadata` (type VIEW / MATERIALIZED_VIEW, name, value);
 * createView/dropView keep that same row, so a database TypeORM synchronized
 * and one retort migrated read the same, and after `upgrade head` the
 * definitions compare equal by construction.
 */
import { qualify, splitQualified } from "../schema/qualified";
import type { View } from "../schema/types";
import type { ViewDefinition } from "../ops/types";
import { byName, catalogQuery } from "./catalog";
import type { IntrospectOptions, Queryable } from "./dialect";

/** TypeORM's metadata table (DataSource `metadataTableName` default). */
export const VIEW_LEDGER = "typeorm_metadata";

/** How one dialect writes the ledger's statements. */
export interface LedgerSpelling {
  quote(name: string): string;
  literal(value: string): string;
  /** Column types as TypeORM's driver creates the table (`metadataType` etc. and `metadataValue`). */
  nameType: string;
  valueType: string;
  /**
   * The column TypeORM fills with the view's location (`schema` on PostgreSQL,
   * `database` on MySQL) and the SQL of the default location. A view outside
   * the default is recorded, as TypeORM records it, by its bare name with its
   * schema in that column.
   */
  location?: { column: "schema" | "database"; value: string };
}

const TYPES = ["VIEW", "MATERIALIZED_VIEW"] as const;

function ledgerTable(s: LedgerSpelling): string {
  const q = s.quote;
  return (
    `CREATE TABLE IF NOT EXISTS ${q(VIEW_LEDGER)} (${q("type")} ${s.nameType} NOT NULL, ${q("database")} ${s.nameType} NULL, ` +
    `${q("schema")} ${s.nameType} NULL, ${q("table")} ${s.nameType} NULL, ${q("name")} ${s.nameType} NULL, ${q("value")} ${s.valueType} NULL)`
  );
}

/** The SQL value of the location column for a view in `namespace` (undefined: the default). */
function locationOf(s: LedgerSpelling, namespace: string | undefined): string | undefined {
  if (!s.location) return undefined;
  return namespace === undefined ? s.location.value : s.literal(namespace);
}

/** The WHERE that finds a view's rows (`name` as the model writes it; in the default location, a row without location is TypeORM's too). */
export function ledgerFilter(s: LedgerSpelling, qualified?: string): string {
  const q = s.quote;
  const parts = [`${q("type")} IN (${TYPES.map((t) => s.literal(t)).join(", ")})`];
  if (qualified === undefined) return parts[0];
  const { namespace, name } = splitQualified(qualified);
  parts.push(`${q("name")} = ${s.literal(name)}`);
  const location = locationOf(s, namespace);
  if (s.location && location) {
    const column = q(s.location.column);
    parts.push(namespace === undefined ? `(${column} = ${location} OR ${column} IS NULL)` : `${column} = ${location}`);
  }
  return parts.join(" AND ");
}

/**
 * The ledger's view rows, named as the model names views (`present`: whether
 * the ledger table exists, which the caller's catalog query tells). Rows of
 * every location are read; those of views not in the catalog read match
 * nothing.
 */
export async function readLedger(db: Queryable, present: boolean, s: LedgerSpelling, options: IntrospectOptions): Promise<LedgerRow[]> {
  if (!present) return [];
  const q = s.quote;
  const location = s.location ? `, ${q(s.location.column)} AS location, ${s.location.value} AS home` : "";
  const rows = await catalogQuery<LedgerRow & { location?: string | null; home?: string }>(
    db,
    `SELECT ${q("name")} AS name, ${q("value")} AS value${location} FROM ${q(VIEW_LEDGER)} WHERE ${ledgerFilter(s)}`,
    options,
  );
  return rows.map((r) => ({ name: r.location == null || r.location === r.home ? r.name : qualify(r.location, r.name), value: r.value }));
}

/** Statements that record `view`'s definition (run beside its CREATE VIEW). */
export function recordView(s: LedgerSpelling, view: ViewDefinition): string[] {
  const q = s.quote;
  const { namespace, name } = splitQualified(view.name);
  const location = locationOf(s, namespace);
  const columns = [q("type"), ...(s.location ? [q(s.location.column)] : []), q("name"), q("value")];
  const values = [
    s.literal(view.materialized ? "MATERIALIZED_VIEW" : "VIEW"),
    ...(location ? [location] : []),
    s.literal(name),
    s.literal(view.definition),
  ];
  return [
    ledgerTable(s),
    `DELETE FROM ${q(VIEW_LEDGER)} WHERE ${ledgerFilter(s, view.name)}`,
    `INSERT INTO ${q(VIEW_LEDGER)} (${columns.join(", ")}) VALUES (${values.join(", ")})`,
  ];
}

/** Statements that forget `name`'s record (run beside its DROP VIEW). */
export function forgetView(s: LedgerSpelling, name: string): string[] {
  return [ledgerTable(s), `DELETE FROM ${s.quote(VIEW_LEDGER)} WHERE ${ledgerFilter(s, name)}`];
}

/** A view as the catalog shows it. */
export interface CatalogView {
  name: string;
  /** The server's own text of the SELECT. */
  serverText: string;
  materialized?: boolean;
  reads: string[];
}

export interface LedgerRow {
  name: string;
  value: string | null;
}

/** The views of a catalog read, before any is judged managed, and the ledger (read when there is a view). */
export interface ViewRead {
  catalog: CatalogView[];
  ledger?: LedgerRow[];
}

/** Two reads of different schemas as one (the ledger is the same table whichever read it). */
export function mergeViewReads(a: ViewRead, b: ViewRead): ViewRead {
  const ledger = a.ledger ?? b.ledger;
  return { catalog: [...a.catalog, ...b.catalog], ...(ledger ? { ledger } : {}) };
}

/** The managed views of a read, definitions from the ledger where recorded. */
export function managedViews(read: ViewRead, include: (name: string) => boolean): View[] {
  return read.catalog.length === 0 ? [] : viewsOf(read.catalog, read.ledger ?? [], include);
}

/**
 * The views of the database: the definition is the recorded one when there is
 * a record, else the server's text and the view is `unrecorded` (not managed:
 * never dropped unless an entity declares it).
 */
export function viewsOf(catalog: readonly CatalogView[], ledger: readonly LedgerRow[], include: (name: string) => boolean): View[] {
  const recorded = new Map(ledger.filter((r) => r.value !== null).map((r) => [r.name, r.value as string]));
  return catalog
    .filter((v) => include(v.name))
    .map((v) => {
      const definition = recorded.get(v.name);
      const view: View = { name: v.name, definition: definition ?? v.serverText };
      if (v.materialized) view.materialized = true;
      const reads = [...new Set(v.reads)].filter((r) => r !== v.name).sort();
      if (reads.length > 0) view.reads = reads;
      if (definition === undefined) view.unrecorded = true;
      return view;
    })
    .sort(byName);
}
