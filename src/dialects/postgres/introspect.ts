/**
 * PostgreSQL introspector: the tables of current_schema() read with six
 * pg_catalog queries (columns, constraints, indexes, enums, views/triggers, view definitions),
 * however many tables there are, then put in canonical form.
 */
import type { Column, EnumType, ForeignKey, Index, ReferentialAction, Schema, Table, UnmodelledObject } from "../../schema/types";
import type { CatalogSnapshot, IntrospectOptions, Queryable } from "../dialect";
import { byName, catalogQuery, groupBy } from "../catalog";
import { compareText } from "../../compare/similarity";
import { canonicalTable } from "./grammar";
import { readViews } from "./views";
import { managedViews, mergeViewReads, type ViewRead } from "../views";
import { qualifiedName, SCHEMA_FILTER } from "./namespaces";

interface ColumnRow {
  table_name: string;
  table_comment: string | null;
  column_name: string;
  attnum: number;
  not_null: boolean;
  base_type: string;
  base_typtype: string;
  base_typname: string;
  is_array: boolean;
  typmod: number;
  enum_values: string[] | null;
  column_default: string | null;
  identity: string;
  generated: string;
  column_comment: string | null;
  collation: string | null;
}

interface ConstraintRow {
  table_name: string;
  name: string;
  type: "p" | "u" | "f" | "c" | "x";
  /** attnums of the constrained columns, named through the columns query (one correlated subquery per row less). */
  column_numbers: number[];
  referenced_table: string | null;
  referenced_columns: string[] | null;
  on_delete: string;
  on_update: string;
  deferrable: boolean;
  deferred: boolean;
  check_expression: string | null;
}

interface IndexRow {
  table_name: string;
  name: string;
  is_unique: boolean;
  method: string;
  predicate: string | null;
  columns: string[];
  orders: string[];
}

interface EnumRow {
  name: string;
  values: string[];
}

interface UnmodelledRow {
  kind: "view" | "trigger";
  name: string;
  table_name: string | null;
}

// Lists come back as json (array_to_json): the driver reads json with JSON.parse, and its parser of
// PostgreSQL's text arrays is JavaScript; a 1000-table catalog read took 53 instead of 61 ms of this process's CPU.
export const COLUMNS_SQL = `
SELECT ${qualifiedName("n", "c.relname")} AS table_name,
       td.description AS table_comment,
       a.attname AS column_name,
       a.attnum AS attnum,
       a.attnotnull AS not_null,
       pg_catalog.format_type(bt.oid, NULL) AS base_type,
       bt.typtype AS base_typtype,
       ${qualifiedName("btn", "bt.typname")} AS base_typname,
       (t.typcategory = 'A') AS is_array,
       a.atttypmod AS typmod,
       CASE WHEN bt.typtype = 'e' THEN
         array_to_json(ARRAY(SELECT e.enumlabel::text FROM pg_catalog.pg_enum e WHERE e.enumtypid = bt.oid ORDER BY e.enumsortorder))
       END AS enum_values,
       pg_catalog.pg_get_expr(ad.adbin, ad.adrelid) AS column_default,
       a.attidentity AS identity,
       a.attgenerated AS generated,
       cd.description AS column_comment,
       CASE WHEN a.attcollation <> 0 AND a.attcollation <> t.typcollation THEN coll.collname::text END AS collation
  FROM pg_catalog.pg_class c
  JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
  JOIN pg_catalog.pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
  JOIN pg_catalog.pg_type t ON t.oid = a.atttypid
  JOIN pg_catalog.pg_type bt ON bt.oid = CASE WHEN t.typcategory = 'A' THEN t.typelem ELSE t.oid END
  JOIN pg_catalog.pg_namespace btn ON btn.oid = bt.typnamespace
  LEFT JOIN pg_catalog.pg_attrdef ad ON ad.adrelid = c.oid AND ad.adnum = a.attnum
  -- Joined rather than obj_description()/col_description(): those SQL functions
  -- run once per column row and were half of this query's time at 1000 tables.
  LEFT JOIN pg_catalog.pg_description td
         ON td.objoid = c.oid AND td.classoid = 'pg_catalog.pg_class'::regclass AND td.objsubid = 0
  LEFT JOIN pg_catalog.pg_description cd
         ON cd.objoid = c.oid AND cd.classoid = 'pg_catalog.pg_class'::regclass AND cd.objsubid = a.attnum
  LEFT JOIN pg_catalog.pg_collation coll ON coll.oid = a.attcollation
 WHERE ${SCHEMA_FILTER} AND c.relkind IN ('r', 'p') AND NOT c.relispartition`;

export const CONSTRAINTS_SQL = `
SELECT ${qualifiedName("n", "c.relname")} AS table_name,
       con.conname AS name,
       con.contype AS type,
       array_to_json(con.conkey) AS column_numbers,
       CASE WHEN fc.oid IS NOT NULL THEN ${qualifiedName("fn", "fc.relname")} END AS referenced_table,
       CASE WHEN con.contype = 'f' THEN
         array_to_json(ARRAY(SELECT a.attname::text FROM unnest(con.confkey) WITH ORDINALITY k(num, ord)
                 JOIN pg_catalog.pg_attribute a ON a.attrelid = con.confrelid AND a.attnum = k.num ORDER BY k.ord))
       END AS referenced_columns,
       con.confdeltype AS on_delete,
       con.confupdtype AS on_update,
       con.condeferrable AS deferrable,
       con.condeferred AS deferred,
       CASE WHEN con.contype = 'c' THEN pg_catalog.pg_get_expr(con.conbin, con.conrelid, true)
            WHEN con.contype = 'x' THEN pg_catalog.pg_get_constraintdef(con.oid, true) END AS check_expression
  FROM pg_catalog.pg_constraint con
  JOIN pg_catalog.pg_class c ON c.oid = con.conrelid
  JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
  LEFT JOIN pg_catalog.pg_class fc ON fc.oid = con.confrelid
  LEFT JOIN pg_catalog.pg_namespace fn ON fn.oid = fc.relnamespace
 WHERE ${SCHEMA_FILTER} AND con.contype IN ('p', 'u', 'f', 'c', 'x')`;

/** Indexes that back a primary key, unique or exclusion constraint are the constraint's business, not listed here. */
export const INDEXES_SQL = `
SELECT ${qualifiedName("n", "t.relname")} AS table_name,
       i.relname AS name,
       ix.indisunique AS is_unique,
       am.amname AS method,
       pg_catalog.pg_get_expr(ix.indpred, ix.indrelid, true) AS predicate,
       array_to_json(ARRAY(SELECT pg_catalog.pg_get_indexdef(ix.indexrelid, k, true) FROM generate_series(1, ix.indnkeyatts) k ORDER BY k)) AS columns,
       -- indoption bits: 1 DESC, 2 NULLS FIRST (each the default of the other direction).
       array_to_json(ARRAY(SELECT CASE ix.indoption[k - 1] & 3 WHEN 0 THEN '' WHEN 1 THEN 'DESC NULLS LAST' WHEN 2 THEN 'NULLS FIRST' ELSE 'DESC' END
               FROM generate_series(1, ix.indnkeyatts) k ORDER BY k)) AS orders
  FROM pg_catalog.pg_index ix
  JOIN pg_catalog.pg_class i ON i.oid = ix.indexrelid
  JOIN pg_catalog.pg_class t ON t.oid = ix.indrelid
  JOIN pg_catalog.pg_namespace n ON n.oid = t.relnamespace
  JOIN pg_catalog.pg_am am ON am.oid = i.relam
 WHERE ${SCHEMA_FILTER} AND t.relkind IN ('r', 'p')
   AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_constraint con
                    WHERE con.conindid = ix.indexrelid AND con.conrelid = ix.indrelid AND con.contype IN ('p', 'u', 'x'))`;

export const ENUMS_SQL = `
SELECT ${qualifiedName("n", "t.typname")} AS name,
       array_to_json(ARRAY(SELECT e.enumlabel::text FROM pg_catalog.pg_enum e WHERE e.enumtypid = t.oid ORDER BY e.enumsortorder)) AS values
  FROM pg_catalog.pg_type t
  JOIN pg_catalog.pg_namespace n ON n.oid = t.typnamespace
 WHERE ${SCHEMA_FILTER} AND t.typtype = 'e'
 ORDER BY 1`;

export const UNMODELLED_SQL = `
SELECT 'view' AS kind, ${qualifiedName("n", "c.relname")} AS name, NULL AS table_name
  FROM pg_catalog.pg_class c
  JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
 WHERE ${SCHEMA_FILTER} AND c.relkind IN ('v', 'm')
UNION ALL
SELECT 'trigger' AS kind, tg.tgname AS name, ${qualifiedName("n", "c.relname")} AS table_name
  FROM pg_catalog.pg_trigger tg
  JOIN pg_catalog.pg_class c ON c.oid = tg.tgrelid
  JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
 WHERE ${SCHEMA_FILTER} AND NOT tg.tgisinternal`;

const ACTIONS: Readonly<Record<string, ReferentialAction>> = {
  a: "NO ACTION",
  r: "RESTRICT",
  c: "CASCADE",
  n: "SET NULL",
  d: "SET DEFAULT",
};

const VARHDRSZ = 4;

/** Length / precision / scale from a column's typmod (the catalog's encoding, per base type). */
export function decodeTypmod(type: string, typmod: number): Pick<Column, "length" | "precision" | "scale"> {
  if (typmod < 0) return {};
  switch (type) {
    case "character varying":
    case "character":
      return { length: typmod - VARHDRSZ };
    case "bit":
    case "bit varying":
      return { length: typmod };
    case "numeric": {
      const t = typmod - VARHDRSZ;
      // PostgreSQL 15 stores the scale as an 11-bit signed field (negative scales are allowed).
      return { precision: (t >> 16) & 0xffff, scale: ((t & 0x7ff) ^ 1024) - 1024 };
    }
    case "time without time zone":
    case "time with time zone":
    case "timestamp without time zone":
    case "timestamp with time zone":
      return { precision: typmod };
    case "interval": {
      const precision = typmod & 0xffff;
      return precision === 0xffff ? {} : { precision };
    }
    default:
      return {};
  }
}

function columnOf(row: ColumnRow): Column {
  const isEnum = row.base_typtype === "e";
  const column: Column = { name: row.column_name, type: isEnum ? "enum" : row.base_type, nullable: !row.not_null };
  Object.assign(column, isEnum ? {} : decodeTypmod(row.base_type, row.typmod));
  if (row.is_array) column.array = true;
  if (isEnum) {
    column.enumName = row.base_typname;
    column.enumValues = row.enum_values ?? [];
  }
  if (row.identity === "a") column.identity = "ALWAYS";
  if (row.identity === "d") column.identity = "BY DEFAULT";
  if (row.generated === "s" && row.column_default !== null) {
    column.generated = { expression: row.column_default, stored: true };
  } else if (row.column_default !== null) {
    if (/^nextval\(/i.test(row.column_default)) column.autoIncrement = true;
    else column.default = row.column_default;
  }
  if (row.column_comment) column.comment = row.column_comment;
  if (row.collation) column.collation = row.collation;
  return column;
}

/** `"Mixed Case"` -> `Mixed Case`; expressions such as `lower(email)` are kept as written. */
export function unquoteIdentifier(entry: string): string {
  const m = /^"((?:[^"]|"")*)"$/.exec(entry);
  return m ? m[1]!.replace(/""/g, '"') : entry;
}

/**
 * The queries leave ordering to us: sorting ~14,000 wide rows spilled to disk
 * on the server at 1000 tables; tables and constraints are sorted by name in
 * canonical form, and columns here by position.
 */
function tablesOf(columns: ColumnRow[]): Map<string, Table> {
  const tables = new Map<string, Table>();
  for (const row of [...columns].sort((a, b) => a.attnum - b.attnum)) {
    let table = tables.get(row.table_name);
    if (!table) {
      table = { name: row.table_name, columns: [], uniques: [], indexes: [], foreignKeys: [], checks: [] };
      if (row.table_comment) table.comment = row.table_comment;
      tables.set(row.table_name, table);
    }
    table.columns.push(columnOf(row));
  }
  return tables;
}

function deferrableOf(row: ConstraintRow): ForeignKey["deferrable"] {
  if (!row.deferrable) return undefined;
  return row.deferred ? "INITIALLY DEFERRED" : "INITIALLY IMMEDIATE";
}

function addConstraint(table: Table, row: ConstraintRow, columnNames: ReadonlyMap<number, string>): void {
  const deferrable = deferrableOf(row);
  const columns = (row.column_numbers ?? []).map((n) => columnNames.get(n) ?? String(n));
  switch (row.type) {
    case "p":
      table.primaryKey = { name: row.name, columns };
      return;
    case "u":
      table.uniques!.push({ name: row.name, columns, ...(deferrable ? { deferrable } : {}) });
      return;
    case "f":
      table.foreignKeys!.push({
        name: row.name,
        columns,
        referencedTable: row.referenced_table ?? "",
        referencedColumns: row.referenced_columns ?? [],
        onDelete: ACTIONS[row.on_delete] ?? "NO ACTION",
        onUpdate: ACTIONS[row.on_update] ?? "NO ACTION",
        ...(deferrable ? { deferrable } : {}),
      });
      return;
    case "c":
      table.checks!.push({ name: row.name, expression: row.check_expression ?? "" });
      return;
    case "x": {
      // pg_get_constraintdef() ends with the DEFERRABLE clause, which is read from the flags instead.
      const expression = (row.check_expression ?? "").replace(/\s+DEFERRABLE(\s+INITIALLY\s+(DEFERRED|IMMEDIATE))?\s*$/i, "");
      (table.exclusions ??= []).push({ name: row.name, expression, ...(deferrable ? { deferrable } : {}) });
      return;
    }
  }
}

function indexOf(row: IndexRow): Index {
  const index: Index = { name: row.name, columns: row.columns.map(unquoteIdentifier) };
  if (row.is_unique) index.unique = true;
  if (row.predicate) index.where = row.predicate;
  if (row.method !== "btree") index.using = row.method;
  if (row.orders.some((o) => o !== "")) index.order = row.orders;
  return index;
}

/** The live schema of current_schema() and of `options.namespaces`, canonical. */
export async function introspect(db: Queryable, options: IntrospectOptions = {}): Promise<Schema> {
  return (await snapshotCatalog(db, options)).schema(options.includeTable);
}

/** The catalog queries of current_schema() and `options.namespaces`; tables are chosen by `schema(include)`. */
export async function snapshotCatalog(db: Queryable, options: Omit<IntrospectOptions, "includeTable"> = {}): Promise<CatalogSnapshot> {
  const namespaces = [...new Set(options.namespaces ?? [])].sort();
  return snapshotOf(db, options, namespaces, await readRows(db, options, namespaces, true));
}

/**
 * A snapshot of these rows. Rows of other schemas merge by concatenation:
 * `schemaOf` orders everything it returns by name (constraint names are
 * unique per table, index, type, view and table names per schema), so the
 * order rows arrive in is no part of the result.
 */
function snapshotOf(db: Queryable, options: Omit<IntrospectOptions, "includeTable">, namespaces: string[], rows: CatalogRows): CatalogSnapshot {
  return {
    namespaces,
    schema: (include = () => true) => schemaOf(rows, include),
    async widen(more) {
      const missing = [...new Set(more)].filter((n) => !namespaces.includes(n)).sort();
      if (missing.length === 0) return this;
      const extra = await readRows(db, options, missing, false);
      const merged: CatalogRows = {
        columns: [...rows.columns, ...extra.columns],
        constraints: [...rows.constraints, ...extra.constraints],
        indexes: [...rows.indexes, ...extra.indexes],
        enums: [...rows.enums, ...extra.enums],
        unmodelled: [...rows.unmodelled, ...extra.unmodelled],
        views: mergeViewReads(rows.views, extra.views),
      };
      return snapshotOf(db, options, [...namespaces, ...missing].sort(), merged);
    },
  };
}

/** The rows of `namespaces`, and of current_schema() with `withDefault`. */
async function readRows(db: Queryable, options: Omit<IntrospectOptions, "includeTable">, namespaces: readonly string[], withDefault: boolean): Promise<CatalogRows> {
  const params = [namespaces, withDefault];
  const columns = await catalogQuery<ColumnRow>(db, COLUMNS_SQL, options, params);
  const constraints = await catalogQuery<ConstraintRow>(db, CONSTRAINTS_SQL, options, params);
  const indexes = await catalogQuery<IndexRow>(db, INDEXES_SQL, options, params);
  const enums = await catalogQuery<EnumRow>(db, ENUMS_SQL, options, params);
  const unmodelled = await catalogQuery<UnmodelledRow>(db, UNMODELLED_SQL, options, params);
  const views = await readViews(db, options, namespaces, withDefault);
  return { columns, constraints, indexes, enums, unmodelled, views };
}

interface CatalogRows {
  columns: ColumnRow[];
  constraints: ConstraintRow[];
  indexes: IndexRow[];
  enums: EnumRow[];
  unmodelled: UnmodelledRow[];
  views: ViewRead;
}

/** The canonical schema of the managed tables; builds new objects on each call, the rows stay as read. */
function schemaOf({ columns, constraints, indexes, enums, unmodelled, views: read }: CatalogRows, include: (name: string) => boolean): Schema {
  const views = managedViews(read, include);
  const managed = columns.filter((r) => include(r.table_name));
  const tables = tablesOf(managed);
  const columnNames = new Map(
    [...groupBy(managed, (r) => r.table_name)].map(([table, rows]) => [table, new Map(rows.map((r) => [r.attnum, r.column_name]))]),
  );
  for (const row of constraints) {
    const table = tables.get(row.table_name);
    if (table) addConstraint(table, row, columnNames.get(row.table_name)!);
  }
  for (const row of indexes) tables.get(row.table_name)?.indexes!.push(indexOf(row));

  const enumTypes: EnumType[] = enums.map((e) => ({ name: e.name, values: e.values }));
  const others: UnmodelledObject[] = unmodelled
    .filter((u) => u.table_name === null || include(u.table_name))
    .filter((u) => !(u.kind === "view" && views.some((v) => v.name === u.name && !v.unrecorded)))
    .map((u) => (u.table_name === null ? { kind: u.kind, name: u.name } : { kind: u.kind, name: u.name, table: u.table_name }))
    // A trigger's name is unique on its table only.
    .sort((a, b) => compareText(a.kind, b.kind) || compareText(a.name, b.name) || compareText(a.table ?? "", b.table ?? ""));
  const sorted = [...tables.values()].map(canonicalTable).sort(byName);
  return { tables: sorted, enums: enumTypes.sort(byName), ...(views.length > 0 ? { views } : {}), unmodelled: others };
}
