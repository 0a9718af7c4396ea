/**
 * Reads the live schema of DATABASE() with a fixed set of information_schema
 * queries (nine, however many tables), then folds each table through the
 * grammar. MariaDB and MySQL 8 report defaults and checks differently; the
 * first query tells them apart.
 */
import { readViews } from "./views";
import { managedViews } from "../views";
import type { CatalogSnapshot, IntrospectOptions, Queryable } from "../dialect";
import type {
  Check,
  Column,
  ForeignKey,
  Index,
  Schema,
  Table,
  UnmodelledObject,
  View,
} from "../../schema/types";
import {
  NUMERIC_TYPES,
  decodeStringLiteral,
  canonicalTable,
  normalizeExpression,
  parseEnumValues,
  parseTypeSpec,
} from "./grammar";
import { byName, catalogQuery, groupBy } from "../catalog";
import { standardString } from "./quote";

type Row = Record<string, unknown>;

interface Flavor {
  mariadb: boolean;
}

interface TableRow {
  name: string;
  comment: string;
  collation: string | null;
}

const SQL = {
  server: "SELECT DATABASE() AS db, VERSION() AS version",
  tables:
    "SELECT TABLE_NAME AS name, TABLE_COMMENT AS comment, TABLE_COLLATION AS collation FROM information_schema.TABLES " +
    "WHERE TABLE_SCHEMA = DATABASE() AND TABLE_TYPE = 'BASE TABLE' ORDER BY TABLE_NAME",
  columns:
    "SELECT TABLE_NAME AS tableName, COLUMN_NAME AS name, COLUMN_TYPE AS columnType, DATA_TYPE AS dataType, " +
    "COLUMN_DEFAULT AS defaultValue, IS_NULLABLE AS nullable, EXTRA AS extra, GENERATION_EXPRESSION AS generation, " +
    "CHARACTER_SET_NAME AS charset, COLLATION_NAME AS collation, COLUMN_COMMENT AS comment " +
    "FROM information_schema.COLUMNS WHERE TABLE_SCHEMA = DATABASE() ORDER BY TABLE_NAME, ORDINAL_POSITION",
  statistics:
    "SELECT TABLE_NAME AS tableName, INDEX_NAME AS name, NON_UNIQUE AS nonUnique, COLUMN_NAME AS columnName, " +
    "INDEX_TYPE AS indexType, COLLATION AS collation FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = DATABASE() " +
    "ORDER BY TABLE_NAME, INDEX_NAME, SEQ_IN_INDEX",
  // Referential actions are read apart and joined here: MariaDB evaluates a join of these two
  // information_schema views row by row (370 ms at 1000 foreign keys; 25 ms for the two reads).
  foreignKeys:
    "SELECT TABLE_NAME AS tableName, CONSTRAINT_NAME AS name, COLUMN_NAME AS columnName, " +
    "REFERENCED_TABLE_NAME AS referencedTable, REFERENCED_COLUMN_NAME AS referencedColumn " +
    "FROM information_schema.KEY_COLUMN_USAGE WHERE TABLE_SCHEMA = DATABASE() AND REFERENCED_TABLE_NAME IS NOT NULL " +
    "ORDER BY TABLE_NAME, CONSTRAINT_NAME, ORDINAL_POSITION",
  referentialActions:
    "SELECT TABLE_NAME AS tableName, CONSTRAINT_NAME AS name, DELETE_RULE AS onDelete, UPDATE_RULE AS onUpdate " +
    "FROM information_schema.REFERENTIAL_CONSTRAINTS WHERE CONSTRAINT_SCHEMA = DATABASE()",
  checksMariaDb:
    "SELECT TABLE_NAME AS tableName, CONSTRAINT_NAME AS name, CHECK_CLAUSE AS expression " +
    "FROM information_schema.CHECK_CONSTRAINTS WHERE CONSTRAINT_SCHEMA = DATABASE()",
  checksMySql:
    "SELECT tc.TABLE_NAME AS tableName, cc.CONSTRAINT_NAME AS name, cc.CHECK_CLAUSE AS expression " +
    "FROM information_schema.TABLE_CONSTRAINTS tc JOIN information_schema.CHECK_CONSTRAINTS cc " +
    "ON cc.CONSTRAINT_SCHEMA = tc.CONSTRAINT_SCHEMA AND cc.CONSTRAINT_NAME = tc.CONSTRAINT_NAME " +
    "WHERE tc.TABLE_SCHEMA = DATABASE() AND tc.CONSTRAINT_TYPE = 'CHECK'",
  defaultCollations:
    "SELECT COLLATION_NAME AS name FROM information_schema.COLLATIONS WHERE IS_DEFAULT = 'Yes'",
  unmodelled:
    "SELECT 'view' AS kind, TABLE_NAME AS name, NULL AS tableName FROM information_schema.VIEWS WHERE TABLE_SCHEMA = DATABASE() " +
    "UNION ALL SELECT 'trigger' AS kind, TRIGGER_NAME AS name, EVENT_OBJECT_TABLE AS tableName " +
    "FROM information_schema.TRIGGERS WHERE TRIGGER_SCHEMA = DATABASE()",
};

const str = (value: unknown): string =>
  value === null || value === undefined ? "" : String(value);

/** Catalog rows per value of `key` (per table unless told otherwise). */
function groupRows(rows: Row[], key = "tableName"): Map<string, Row[]> {
  return groupBy(rows, (row) => str(row[key]));
}

/** Charset of a collation: its name up to the first underscore (`utf8mb4_bin` -> `utf8mb4`, `binary` -> `binary`). */
const charsetOf = (collation: string): string => collation.split("_")[0];

/**
 * The default as an SQL expression, string literals in the model's standard
 * spelling. MariaDB (10.2.7+) already reports one, with MySQL's backslash
 * escapes (`'C:\\temp'`, `NULL` for none, `current_timestamp()`); MySQL 8
 * reports string literals unquoted and marks expressions DEFAULT_GENERATED.
 */
function defaultOf(row: Row, type: string, flavor: Flavor): string | undefined {
  const value = row.defaultValue;
  if (value === null || value === undefined) return undefined;
  const text = String(value);
  if (flavor.mariadb) {
    if (text === "NULL") return undefined;
    const literal = decodeStringLiteral(text);
    return literal === undefined ? text : standardString(literal);
  }
  if (
    /DEFAULT_GENERATED/i.test(str(row.extra)) ||
    NUMERIC_TYPES.has(type) ||
    type === "bit"
  )
    return text;
  return standardString(text);
}

function onUpdateOf(extra: string): string | undefined {
  const m = /on update (\S+)/i.exec(extra);
  return m ? m[1] : undefined;
}

function columnOf(row: Row, table: TableRow, flavor: Flavor): Column {
  const spec = parseTypeSpec(str(row.columnType));
  const type = str(row.dataType).toLowerCase();
  const extra = str(row.extra);
  const column: Column = {
    name: str(row.name),
    type,
    nullable: row.nullable === "YES",
  };
  if (type === "enum" || type === "set")
    column.enumValues = parseEnumValues(spec.args ?? "");
  else if (spec.args !== undefined) column.type = `${type}(${spec.args})`;
  if (spec.unsigned) column.unsigned = true;
  if (spec.zerofill) column.zerofill = true;
  const dflt = defaultOf(row, type, flavor);
  if (dflt !== undefined) column.default = dflt;
  if (/auto_increment/i.test(extra)) column.autoIncrement = true;
  const onUpdate = onUpdateOf(extra);
  if (onUpdate) column.onUpdate = onUpdate;
  const generation = str(row.generation);
  if (generation && /GENERATED|PERSISTENT/i.test(extra)) {
    column.generated = {
      expression: generation,
      stored: /STORED|PERSISTENT/i.test(extra),
    };
  }
  if (row.comment) column.comment = str(row.comment);
  const tableCollation = table.collation ?? "";
  if (row.charset && row.charset !== charsetOf(tableCollation))
    column.charset = str(row.charset);
  if (row.collation && row.collation !== tableCollation)
    column.collation = str(row.collation);
  return column;
}

/**
 * The models' columns with the charset and collation the server would store
 * (an explicit `CHARACTER SET` without `COLLATE` takes that charset's default
 * collation, nothing takes the table's), reduced as `columnOf` reduces a live
 * column: an explicit charset equal to the table's default is no change.
 * Tables not created yet get the database's default.
 */
export async function alignModelCharsets(db: Queryable, model: Schema): Promise<Schema> {
  const spelled = (c: Column) => c.charset !== undefined || c.collation !== undefined;
  if (!model.tables.some((t) => t.columns.some(spelled))) return model;
  const run = (sql: string) => db.query<Row>(sql);
  const [database] = await run("SELECT @@collation_database AS collation");
  const tableCollations = new Map(
    (await run(SQL.tables)).map((r) => [str(r.name), str(r.collation)]),
  );
  const defaults = new Set(
    (await run(SQL.defaultCollations)).map((r) => str(r.name)),
  );
  const defaultCollationOf = (charset: string) =>
    [...defaults].find((c) => charsetOf(c) === charset);
  const tables = model.tables.map((table) => {
    if (!table.columns.some(spelled)) return table;
    const tableCollation = tableCollations.get(table.name) || str(database?.collation);
    const columns = table.columns.map((column) => {
      if (!spelled(column)) return column;
      const charset = column.charset ?? (column.collation ? charsetOf(column.collation) : charsetOf(tableCollation));
      const collation = column.collation ?? (column.charset ? defaultCollationOf(column.charset) : tableCollation);
      const out: Column = { ...column };
      delete out.charset;
      delete out.collation;
      if (charset !== charsetOf(tableCollation)) out.charset = charset;
      if (collation && collation !== tableCollation) out.collation = collation;
      return out;
    });
    dropImpliedCollations(columns, defaults);
    return { ...table, columns };
  });
  return { ...model, tables };
}

/** A collation that is just the default of a non-default charset says nothing the charset does not. */
function dropImpliedCollations(columns: Column[], defaults: Set<string>): void {
  for (const column of columns) {
    if (column.charset && column.collation && defaults.has(column.collation))
      delete column.collation;
  }
}

function indexesOf(
  rows: Row[],
  foreignKeyNames: Set<string>,
): { primaryKey?: string[]; indexes: Index[] } {
  const indexes: Index[] = [];
  let primaryKey: string[] | undefined;
  for (const [name, parts] of groupRows(rows, "name")) {
    const columns = parts.map((p) => str(p.columnName));
    if (name === "PRIMARY") {
      primaryKey = columns;
      continue;
    }
    // The index MySQL creates for a foreign key carries the key's name; it is the key's, not the model's.
    if (foreignKeyNames.has(name)) continue;
    const indexType = str(parts[0].indexType).toUpperCase();
    const index: Index = { name, columns };
    if (Number(parts[0].nonUnique) === 0) index.unique = true;
    // `D` since MariaDB 10.8 and MySQL 8; older servers accept DESC but store ascending.
    const order = parts.map((p) => (str(p.collation) === "D" ? "DESC" : ""));
    if (order.includes("DESC")) index.order = order;
    if (indexType === "FULLTEXT") index.fulltext = true;
    else if (indexType === "SPATIAL") index.spatial = true;
    // MariaDB keeps a unique index on a TEXT/BLOB column as a hash of the values (a "long unique"); it is what the model's index becomes.
    else if (indexType && indexType !== "BTREE" && !(index.unique && indexType === "HASH"))
      index.using = indexType.toLowerCase();
    indexes.push(index);
  }
  return { primaryKey, indexes };
}

function foreignKeysOf(rows: Row[], actions: Map<string, Row> | undefined): ForeignKey[] {
  return [...groupRows(rows, "name")].map(([name, parts]) => ({
    name,
    columns: parts.map((p) => str(p.columnName)),
    referencedTable: str(parts[0].referencedTable),
    referencedColumns: parts.map((p) => str(p.referencedColumn)),
    onDelete: str(actions?.get(name)?.onDelete) as ForeignKey["onDelete"],
    onUpdate: str(actions?.get(name)?.onUpdate) as ForeignKey["onUpdate"],
  }));
}

/**
 * MariaDB implements `json` as LONGTEXT with a column check `json_valid(col)`
 * named after the column; such a column is reported as `json` and its check
 * dropped, as TypeORM treats it.
 */
function foldJsonAliases(columns: Column[], checks: Check[]): Check[] {
  return checks.filter((check) => {
    const column = columns.find((c) => c.name === check.name);
    const isJsonCheck =
      normalizeExpression(check.expression).toLowerCase() ===
      `json_valid(${check.name.toLowerCase()})`;
    if (!column || column.type !== "longtext" || !isJsonCheck) return true;
    column.type = "json";
    delete column.charset;
    delete column.collation;
    return false;
  });
}

interface Catalog {
  tables: TableRow[];
  columns: Map<string, Row[]>;
  statistics: Map<string, Row[]>;
  foreignKeys: Map<string, Row[]>;
  /** Per table, per constraint name: its DELETE_RULE and UPDATE_RULE. */
  referentialActions: Map<string, Map<string, Row>>;
  checks: Map<string, Row[]>;
  unmodelled: Row[];
  defaultCollations: Set<string>;
}

function tableOf(row: TableRow, catalog: Catalog, flavor: Flavor): Table {
  const columns = (catalog.columns.get(row.name) ?? []).map((c) =>
    columnOf(c, row, flavor),
  );
  dropImpliedCollations(columns, catalog.defaultCollations);
  const foreignKeys = foreignKeysOf(catalog.foreignKeys.get(row.name) ?? [], catalog.referentialActions.get(row.name));
  const { primaryKey, indexes } = indexesOf(
    catalog.statistics.get(row.name) ?? [],
    new Set(foreignKeys.map((f) => f.name)),
  );
  const rawChecks = (catalog.checks.get(row.name) ?? []).map((c) => ({
    name: str(c.name),
    expression: str(c.expression),
  }));
  const checks = foldJsonAliases(columns, rawChecks);
  const table: Table = {
    name: row.name,
    columns,
    indexes,
    foreignKeys,
    checks,
  };
  if (primaryKey) table.primaryKey = { name: "PRIMARY", columns: primaryKey };
  if (row.comment) table.comment = row.comment;
  return canonicalTable(table);
}

function unmodelledOf(
  rows: Row[],
  include: (name: string) => boolean,
): UnmodelledObject[] {
  return rows
    .map((r): UnmodelledObject => {
      const object: UnmodelledObject = {
        kind: str(r.kind) as UnmodelledObject["kind"],
        name: str(r.name),
      };
      if (r.tableName) object.table = str(r.tableName);
      return object;
    })
    .filter((o) => include(o.table ?? o.name));
}

/** The live schema of the connection's current database, canonical. */
export async function introspectMysql(
  db: Queryable,
  options: IntrospectOptions = {},
): Promise<Schema> {
  return (await snapshotMysqlCatalog(db, options)).schema(options.includeTable);
}

/** The catalog queries of the current database (namespaces do not apply: one database); tables are chosen by `schema(include)`. */
export async function snapshotMysqlCatalog(
  db: Queryable,
  options: Omit<IntrospectOptions, "includeTable"> = {},
): Promise<CatalogSnapshot> {
  const run = (sql: string): Promise<Row[]> => catalogQuery<Row>(db, sql, options);
  const [server] = await run(SQL.server);
  const flavor: Flavor = { mariadb: /mariadb/i.test(str(server?.version)) };
  const tables = (await run(SQL.tables)).map((r) => ({
    name: str(r.name),
    comment: str(r.comment),
    collation: r.collation ? str(r.collation) : null,
  }));
  const columns = groupRows(await run(SQL.columns));
  const statistics = groupRows(await run(SQL.statistics));
  const foreignKeys = groupRows(await run(SQL.foreignKeys));
  const referentialActions = new Map(
    [...groupRows(await run(SQL.referentialActions))].map(([table, rows]) => [table, new Map(rows.map((r) => [str(r.name), r]))]),
  );
  const checks = groupRows(
    await run(flavor.mariadb ? SQL.checksMariaDb : SQL.checksMySql),
  );
  const defaultCollations = new Set(
    (await run(SQL.defaultCollations)).map((r) => str(r.name)),
  );
  const unmodelledRows = await run(SQL.unmodelled);
  const catalog: Catalog = {
    tables,
    columns,
    statistics,
    foreignKeys,
    referentialActions,
    checks,
    unmodelled: unmodelledRows,
    defaultCollations,
  };
  const views = await readViews(db, tables.map((t) => t.name), options);
  return { namespaces: [], schema: (include = () => true) => schemaOf(catalog, flavor, managedViews(views, include), include) };
}

/** The canonical schema of the managed tables; builds new objects on each call, the rows stay as read. */
function schemaOf(catalog: Catalog, flavor: Flavor, views: View[], include: (name: string) => boolean): Schema {
  const schema: Schema = {
    tables: catalog.tables
      .filter((t) => include(t.name))
      .map((t) => tableOf(t, catalog, flavor))
      .sort(byName),
    enums: [],
  };
  if (views.length > 0) schema.views = views;
  const recorded = new Set(views.filter((v) => !v.unrecorded).map((v) => v.name));
  const unmodelled = unmodelledOf(catalog.unmodelled, include).filter((o) => !(o.kind === "view" && recorded.has(o.name)));
  if (unmodelled.length > 0) schema.unmodelled = unmodelled;
  return schema;
}
