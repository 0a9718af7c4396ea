/**
 * Op -> MySQL/MariaDB DDL. Every identifier is backtick-quoted. Statements
 * target MariaDB 10.5+ and MySQL 8.0.19+ (RENAME COLUMN, DROP CONSTRAINT).
 */
import { createViewSql, dropViewSql } from "./views";
import {
  AutoIncrementTypeError,
  OfflineUnsupportedError,
  UnsupportedOpError,
  type Queryable,
} from "../dialect";
import { applyColumnChanges } from "../../ops/reverse";
import { fillSql } from "../../ops/portable";
import type { ColumnChanges, Op, OpHandlers, OpOf } from "../../ops/types";
import { INSTANT, onlineForm, serverOf, type IndexKey } from "./online";
import type {
  Check,
  Column,
  ForeignKey,
  Index,
  Table,
} from "../../schema/types";
import {
  IMPLICIT_LENGTHS,
  INTEGER_TYPES,
  TEMPORAL_PRECISION_TYPES,
  canonicalColumn,
  canonicalCurrentTime,
  parseEnumValues,
  parseTypeSpec,
} from "./grammar";
import { decodeStandardString, quoteIdentifier as q, quoteLiteral, quoteString } from "./quote";

/** Raised when an op names a column the live database does not have. */
export class ColumnNotFoundError extends Error {
  constructor(
    readonly table: string,
    readonly column: string,
  ) {
    super(
      `Column "${table}.${column}" does not exist in the database, so its current definition cannot be read.`,
    );
    this.name = "ColumnNotFoundError";
  }
}

/** Reads one table's live definition; given by index.ts so render does not import the introspector's wiring. */
export type TableLoader = (
  db: Queryable,
  table: string,
) => Promise<Table | undefined>;

export interface RenderContext {
  db?: Queryable;
  loadTable: TableLoader;
}

/** TypeORM-only type names that are not SQL. */
const SQL_TYPE_OF: Readonly<Record<string, string>> = {
  "simple-array": "text",
  "simple-json": "text",
  "simple-enum": "enum",
};

const LENGTH_TYPES = new Set([
  ...Object.keys(IMPLICIT_LENGTHS),
  "nvarchar",
  "national varchar",
  "nchar",
  "national char",
  "character varying",
  "character",
]);
const REQUIRED_LENGTH: Readonly<Record<string, number>> = {
  varchar: 255,
  varbinary: 255,
  nvarchar: 255,
  "national varchar": 255,
  "character varying": 255,
};
const PRECISION_SCALE_TYPES = new Set([
  "decimal",
  "dec",
  "numeric",
  "fixed",
  "float",
  "double",
  "double precision",
  "real",
]);

function sizeSuffix(base: string, column: Column): string {
  if (LENGTH_TYPES.has(base)) {
    const length = column.length ?? REQUIRED_LENGTH[base];
    return length !== undefined ? `(${length})` : "";
  }
  if (TEMPORAL_PRECISION_TYPES.has(base))
    return column.precision ? `(${column.precision})` : "";
  if (!PRECISION_SCALE_TYPES.has(base)) return "";
  if (column.scale !== undefined && column.scale !== null)
    return `(${column.precision ?? 10},${column.scale})`;
  return column.precision !== undefined && column.precision !== null
    ? `(${column.precision})`
    : "";
}

/** The data type part of a column definition: type, size or values, attributes, charset and collation. */
export function typeSql(column: Column): string {
  const spec = parseTypeSpec(column.type);
  const base = SQL_TYPE_OF[spec.base] ?? spec.base;
  let sql: string;
  if (spec.args !== undefined) sql = `${base}(${spec.args})`;
  else if ((base === "enum" || base === "set") && column.enumValues)
    sql = `${base}(${column.enumValues.map((v) => quoteString(String(v))).join(",")})`;
  else sql = base + sizeSuffix(base, column);
  if (column.unsigned || spec.unsigned || column.zerofill || spec.zerofill)
    sql += " UNSIGNED";
  if (column.zerofill || spec.zerofill) sql += " ZEROFILL";
  if (column.charset) sql += ` CHARACTER SET ${word(column.charset)}`;
  if (column.collation) sql += ` COLLATE ${word(column.collation)}`;
  return sql;
}

/** Charset and collation names are bare words; anything else is written as a string. */
function word(name: string): string {
  return /^\w+$/.test(name) ? name : quoteString(name);
}

/**
 * A default's string literal in MySQL's spelling. Op defaults are standard
 * SQL, where a backslash is an ordinary character (`'C:\temp'` is what the
 * entity says on every dialect); MySQL would read `\t` as a tab, so
 * backslashes are escaped here.
 */
function stringLiteral(text: string): string | undefined {
  const value = decodeStandardString(text);
  return value === undefined ? undefined : quoteString(value);
}

/**
 * MySQL 8 only accepts literals and CURRENT_TIMESTAMP bare after DEFAULT;
 * other expressions need parentheses (MariaDB accepts both forms).
 */
export function defaultSql(value: string): string {
  const text = value.trim();
  const literal = stringLiteral(text);
  if (literal !== undefined) return literal;
  if (canonicalCurrentTime(text)) return text;
  if (/^[+-]?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i.test(text)) return text;
  if (
    /^(null|true|false)$/i.test(text) ||
    /^[bx]'[0-9a-f]*'$/i.test(text) ||
    /^\(.*\)$/s.test(text)
  )
    return text;
  return `(${text})`;
}

/** MySQL and MariaDB give AUTO_INCREMENT to integer and floating-point columns only. */
export function autoIncrementProblem(column: Column): string | undefined {
  const type = canonicalColumn(column).type;
  if (INTEGER_TYPES.has(type) || type === "float" || type === "double") return undefined;
  return `MySQL only auto-increments integer columns, not ${typeSql(column)}`;
}

/** A full column definition as CREATE TABLE, ADD COLUMN and MODIFY COLUMN take it. */
export function columnDefinition(column: Column): string {
  const parts = [q(column.name), typeSql(column)];
  if (column.generated) {
    parts.push(
      `GENERATED ALWAYS AS (${column.generated.expression}) ${column.generated.stored ? "STORED" : "VIRTUAL"}`,
    );
  } else {
    // An absent `nullable` means NOT NULL, TypeORM's column default.
    parts.push(column.nullable ? "NULL" : "NOT NULL");
    if (column.default !== undefined && column.default !== null)
      parts.push(`DEFAULT ${defaultSql(column.default)}`);
    if (column.autoIncrement) {
      const problem = autoIncrementProblem(column);
      if (problem) throw new AutoIncrementTypeError(column, problem);
      parts.push("AUTO_INCREMENT");
    }
    if (column.onUpdate) parts.push(`ON UPDATE ${column.onUpdate}`);
  }
  if (column.comment) parts.push(`COMMENT ${quoteString(column.comment)}`);
  return parts.join(" ");
}

const columnList = (columns: readonly string[]): string =>
  `(${columns.map(q).join(", ")})`;

/** An index's columns with their sort order (`DESC`; MariaDB before 10.8 parses it and sorts ascending). */
const indexColumnList = (index: Index): string =>
  `(${index.columns.map((c, i) => [q(c), index.order?.[i]].filter(Boolean).join(" ")).join(", ")})`;

function unsupported(op: Op, reason: string): never {
  throw new UnsupportedOpError("mysql", op, reason);
}

function checkIndex(op: Op, index: Index): void {
  if (index.where)
    unsupported(
      op,
      `index "${index.name}" has a WHERE clause; MySQL has no partial indexes`,
    );
  const using = index.using?.toLowerCase();
  if (using && using !== "btree" && using !== "hash")
    unsupported(op, `index method "${index.using}" does not exist on MySQL`);
  const nulls = index.order?.find((o) => /NULLS/i.test(o));
  if (nulls)
    unsupported(op, `index "${index.name}" sorts ${nulls}; MySQL has no NULLS FIRST/LAST`);
}

function usingSql(index: Index): string {
  const using = index.using?.toLowerCase();
  return using && !index.fulltext && !index.spatial
    ? ` USING ${using.toUpperCase()}`
    : "";
}

function indexKind(index: Index): string {
  if (index.fulltext) return "FULLTEXT ";
  if (index.spatial) return "SPATIAL ";
  return index.unique ? "UNIQUE " : "";
}

function foreignKeyBody(fk: ForeignKey): string {
  let sql = `CONSTRAINT ${q(fk.name)} FOREIGN KEY ${columnList(fk.columns)} REFERENCES ${q(fk.referencedTable)} ${columnList(fk.referencedColumns)}`;
  if (fk.onDelete) sql += ` ON DELETE ${fk.onDelete}`;
  if (fk.onUpdate) sql += ` ON UPDATE ${fk.onUpdate}`;
  // DEFERRABLE is ignored, as TypeORM's MysqlQueryRunner ignores it: MySQL checks foreign keys immediately.
  return sql;
}

const checkBody = (check: Check): string =>
  `CONSTRAINT ${q(check.name)} CHECK (${check.expression})`;

function createTable(op: OpOf<"createTable">): string[] {
  const t = op.table;
  const lines = t.columns.map(columnDefinition);
  if (t.primaryKey && t.primaryKey.columns.length > 0)
    lines.push(`PRIMARY KEY ${columnList(t.primaryKey.columns)}`);
  for (const u of t.uniques ?? [])
    lines.push(`UNIQUE KEY ${q(u.name)} ${columnList(u.columns)}`);
  for (const index of t.indexes ?? []) {
    checkIndex(op, index);
    lines.push(
      `${indexKind(index)}KEY ${q(index.name)} ${indexColumnList(index)}${usingSql(index)}`,
    );
  }
  for (const fk of t.foreignKeys ?? []) lines.push(foreignKeyBody(fk));
  for (const check of t.checks ?? []) lines.push(checkBody(check));
  const comment = t.comment ? ` COMMENT=${quoteString(t.comment)}` : "";
  return [`CREATE TABLE ${q(t.name)} (\n  ${lines.join(",\n  ")}\n)${comment}`];
}

const alter = (table: string, action: string): string =>
  `ALTER TABLE ${q(table)} ${action}`;

/** A default that ALTER COLUMN SET DEFAULT takes as is (literals only; expressions go through MODIFY). */
function isPlainLiteral(value: string): boolean {
  const text = value.trim();
  return (
    decodeStandardString(text) !== undefined ||
    /^[+-]?(\d+\.?\d*|\.\d+)$/.test(text)
  );
}

function defaultOnlyChange(op: OpOf<"alterColumn">): string | undefined {
  const keys = Object.keys(op.changes) as (keyof ColumnChanges)[];
  if (keys.length !== 1 || keys[0] !== "default" || op.existing?.generated)
    return undefined;
  const value = op.changes.default;
  if (value === null || value === undefined)
    return alter(op.table, `ALTER COLUMN ${q(op.column)} DROP DEFAULT`);
  return isPlainLiteral(value)
    ? alter(
        op.table,
        `ALTER COLUMN ${q(op.column)} SET DEFAULT ${defaultSql(value)}`,
      )
    : undefined;
}

async function existingColumn(
  op: OpOf<"alterColumn">,
  ctx: RenderContext,
): Promise<Column> {
  if (op.existing) return op.existing;
  if (!ctx.db) {
    throw new OfflineUnsupportedError(
      `alterColumn on MySQL needs \`existing\` (the column's current definition) to write MODIFY COLUMN offline: ` +
        `add existing: {...} to op.alterColumn("${op.table}", "${op.column}", ...) or run against the database.`,
    );
  }
  const table = await ctx.loadTable(ctx.db, op.table);
  const column = table?.columns.find((c) => c.name === op.column);
  if (!column) throw new ColumnNotFoundError(op.table, op.column);
  return column;
}

/**
 * `existing` with a written `varchar(50)` / `decimal(8,2) unsigned` split into
 * type, sizes and flags, so a change of length or precision applies. Nothing
 * else is touched: sizes a type change leaves behind must survive for the
 * reverse change.
 */
function splitWrittenType(column: Column): Column {
  const spec = parseTypeSpec(column.type);
  if (spec.args === undefined && !spec.unsigned && !spec.zerofill)
    return column;
  const result: Column = { ...column, type: spec.base };
  if (spec.unsigned) result.unsigned = true;
  if (spec.zerofill) result.zerofill = true;
  if (spec.args === undefined) return result;
  if (spec.base === "enum" || spec.base === "set") {
    result.enumValues ??= parseEnumValues(spec.args);
    return result;
  }
  const [first, second] = spec.args.split(",").map((a) => Number(a.trim()));
  if (LENGTH_TYPES.has(spec.base)) result.length ??= first;
  else {
    result.precision ??= first;
    if (second !== undefined && !Number.isNaN(second)) result.scale ??= second;
  }
  return result;
}

async function alterColumn(
  op: OpOf<"alterColumn">,
  ctx: RenderContext,
): Promise<string[]> {
  if (op.renameValues) return renameEnumValues(op, op.renameValues, ctx);
  if (Object.keys(op.changes).length === 0) return [];
  const inPlace = defaultOnlyChange(op);
  if (inPlace) return [await withOnlineForm(inPlace, op, ctx)];
  const before = await existingColumn(op, ctx);
  const after = {
    ...applyColumnChanges(splitWrittenType(before), op.changes),
    name: op.column,
  };
  // A new character set invalidates the old collation unless the change names one.
  if ("charset" in op.changes && !("collation" in op.changes))
    delete after.collation;
  const modify = await withOnlineForm(
    alter(op.table, `MODIFY COLUMN ${columnDefinition(after)}`),
    op,
    ctx,
    // A default that is not a plain literal goes through MODIFY, which is not INSTANT.
    (form) => form !== INSTANT,
  );
  const kept = ctx.db
    ? await columnLevelChecks(ctx.db, op.table, op.column)
    : [];
  return [
    modify,
    ...kept.map((check) => alter(op.table, `ADD ${checkBody(check)}`)),
  ];
}

/**
 * An inline ENUM with renamed values: MODIFY to the old values plus the new
 * names, rewrite the rows, then MODIFY to the final list (strict mode refuses
 * a value the ENUM does not list, so the UPDATE needs both).
 */
async function renameEnumValues(
  op: OpOf<"alterColumn">,
  renames: Readonly<Record<string, string>>,
  ctx: RenderContext,
): Promise<string[]> {
  const before = await existingColumn(op, ctx);
  const old = before.enumValues ?? [];
  const both = [...old, ...Object.values(renames).filter((v) => !old.includes(v))];
  const plain = { ...op, renameValues: undefined };
  // Without the connection: the column-level CHECKs MariaDB drops are added back once, after the final MODIFY.
  const widen = await alterColumn({ ...plain, changes: { enumValues: both }, existing: before }, { ...ctx, db: undefined });
  const updates = Object.entries(renames).map(
    ([from, to]) => `UPDATE ${q(op.table)} SET ${q(op.column)} = ${quoteString(to)} WHERE ${q(op.column)} = ${quoteString(from)}`,
  );
  const rest = await alterColumn({ ...plain, existing: { ...before, enumValues: both } }, ctx);
  return [...widen, ...updates, ...rest];
}

/**
 * MariaDB drops a column-level CHECK (named after its column) when MODIFY
 * COLUMN rewrites that column; it is read first and added back as a named
 * table check, which introspects the same. The `json_valid` check of a json
 * column is MariaDB's own: it comes back by itself when the column stays json
 * and must not survive a change to another type. MySQL 8 keeps its checks
 * and has no LEVEL column, so the query fails there and nothing is re-added.
 * Offline there is no way to know, so offline SQL cannot keep them.
 */
async function columnLevelChecks(
  db: Queryable,
  table: string,
  column: string,
): Promise<Check[]> {
  let rows: Array<{ expression: string }>;
  try {
    rows = await db.query<{ expression: string }>(
      "SELECT CHECK_CLAUSE AS expression FROM information_schema.CHECK_CONSTRAINTS " +
        "WHERE CONSTRAINT_SCHEMA = DATABASE() AND TABLE_NAME = ? AND CONSTRAINT_NAME = ? AND LEVEL = 'Column'",
      [table, column],
    );
  } catch {
    return [];
  }
  const isJsonCheck = (expression: string) =>
    /^json_valid\(`?[^`]*`?\)$/i.test(expression.trim());
  return rows
    .filter((r) => !isJsonCheck(String(r.expression)))
    .map((r) => ({ name: column, expression: String(r.expression) }));
}

async function dropForeignKey(
  op: OpOf<"dropForeignKey">,
  ctx: RenderContext,
): Promise<string[]> {
  const drop = `DROP FOREIGN KEY ${q(op.name)}`;
  if (!ctx.db) return [alter(op.table, drop)];
  // MySQL creates an index named after the foreign key when none covers its columns and keeps
  // it after the key is dropped; the introspector hides that index, so it goes with its key.
  const implicit = await ctx.db.query(
    "SELECT 1 AS found FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = ? AND INDEX_NAME = ? LIMIT 1",
    [op.table, op.name],
  );
  return [
    alter(
      op.table,
      implicit.length > 0 ? `${drop}, DROP INDEX ${q(op.name)}` : drop,
    ),
  ];
}

/** Column lists of the foreign keys and the indexes of `table`, by constraint / index name. */
async function keyColumns(
  db: Queryable,
  table: string,
): Promise<{ foreignKeys: Map<string, string[]>; indexes: Map<string, string[]> }> {
  const group = (rows: Array<Record<string, unknown>>) => {
    const out = new Map<string, string[]>();
    for (const r of rows) out.set(String(r.name), [...(out.get(String(r.name)) ?? []), String(r.col)]);
    return out;
  };
  const fks = await db.query<Record<string, unknown>>(
    "SELECT CONSTRAINT_NAME AS name, COLUMN_NAME AS col FROM information_schema.KEY_COLUMN_USAGE WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = ? AND REFERENCED_TABLE_NAME IS NOT NULL ORDER BY CONSTRAINT_NAME, ORDINAL_POSITION",
    [table],
  );
  const indexes = await db.query<Record<string, unknown>>(
    "SELECT INDEX_NAME AS name, COLUMN_NAME AS col FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = ? ORDER BY INDEX_NAME, SEQ_IN_INDEX",
    [table],
  );
  return { foreignKeys: group(fks), indexes: group(indexes) };
}

/** InnoDB enforces a foreign key through any index whose leading columns are the key's, in order. */
function backs(indexColumns: readonly string[], keyColumns: readonly string[]): boolean {
  return keyColumns.every((c, i) => indexColumns[i]?.toLowerCase() === c.toLowerCase());
}

/**
 * Drops an index; MySQL refuses to drop the last index a foreign key can use,
 * so such a key gets an index of its own, named after it as MySQL would name
 * it (the introspector hides it, and dropForeignKey takes it along).
 */
async function dropIndexSql(op: OpOf<"dropIndex"> | OpOf<"dropUnique">, ctx: RenderContext): Promise<string[]> {
  const { table, name } = op;
  // MariaDB's DROP INDEX statement takes no ALGORITHM clause: the online form is an ALTER TABLE.
  if (!ctx.db) return [op.online ? await withOnlineForm(alter(table, `DROP INDEX ${q(name)}`), op, ctx) : `DROP INDEX ${q(name)} ON ${q(table)}`];
  const { foreignKeys, indexes } = await keyColumns(ctx.db, table);
  const dropped = indexes.get(name) ?? [];
  const others = [...indexes].filter(([n]) => n !== name).map(([, cols]) => cols);
  const orphaned = [...foreignKeys].filter(
    ([, cols]) => backs(dropped, cols) && !others.some((o) => backs(o, cols)),
  );
  const clauses = [
    `DROP INDEX ${q(name)}`,
    ...orphaned.map(([fk, cols]) => `ADD INDEX ${q(fk)} ${columnList(cols)}`),
  ];
  return [await withOnlineForm(alter(table, clauses.join(", ")), op, ctx)];
}

/**
 * Creates an index; an index named after a foreign key (MySQL's own, or the
 * one dropIndexSql added) that the new one now backs is dropped with it.
 */
async function createIndexSql(op: OpOf<"createIndex">, ctx: RenderContext): Promise<string[]> {
  checkIndex(op, op.index);
  // CREATE INDEX takes the algorithm and lock options without commas.
  const form = op.online ? onlineForm(op) : undefined;
  const create = `CREATE ${indexKind(op.index)}INDEX ${q(op.index.name)} ON ${q(op.table)} ${indexColumnList(op.index)}${usingSql(op.index)}${form ? ` ${form.replace(",", "")}` : ""}`;
  if (!ctx.db || op.index.fulltext || op.index.spatial) return [create];
  const { foreignKeys, indexes } = await keyColumns(ctx.db, op.table);
  const redundant = [...foreignKeys].filter(
    ([fk, cols]) => fk !== op.index.name && indexes.has(fk) && backs(op.index.columns, cols),
  );
  if (redundant.length === 0) return [create];
  // One statement: MySQL may drop an index it created for a key by itself once another backs the key.
  const add = `ADD ${indexKind(op.index)}INDEX ${q(op.index.name)} ${indexColumnList(op.index)}${usingSql(op.index)}`;
  return [alter(op.table, [add, ...redundant.map(([fk]) => `DROP INDEX ${q(fk)}`), ...(form ? [form] : [])].join(", "))];
}

function executeSql(op: OpOf<"execute">): string[] {
  const sql = typeof op.sql === "string" ? op.sql : op.sql.mysql;
  if (sql === undefined)
    unsupported(
      op,
      "the execute op has no SQL for mysql; add a `mysql` entry to its per-dialect map",
    );
  return Array.isArray(sql) ? [...sql] : [sql];
}

function bulkInsert(op: OpOf<"bulkInsert">): string[] {
  if (op.rows.length === 0) return [];
  const columns = [...new Set(op.rows.flatMap((row) => Object.keys(row)))];
  const values = op.rows.map(
    (row) =>
      `(${columns.map((c) => (c in row ? quoteLiteral(row[c]) : "DEFAULT")).join(", ")})`,
  );
  return [
    `INSERT INTO ${q(op.table)} ${columnList(columns)} VALUES\n  ${values.join(",\n  ")}`,
  ];
}

/**
 * MySQL has no enum types: an enum is a column type (`enum('a','b')`) and
 * changes through that column's alterColumn, so the PostgreSQL-style type ops
 * have nothing to do here.
 */
const noStatements = (): string[] => [];

const handlers: OpHandlers<string[] | Promise<string[]>, RenderContext> = {
  createTable,
  dropTable: (op) => [`DROP TABLE ${q(op.table)}`],
  renameTable: (op) => [`RENAME TABLE ${q(op.from)} TO ${q(op.to)}`],
  addColumn: async (op, ctx) => [
    await withOnlineForm(alter(op.table, `ADD COLUMN ${columnDefinition(op.column)}`), op, ctx),
  ],
  dropColumn: async (op, ctx) => {
    // Which indexes hold the column decides MariaDB's cheapest form (online.ts).
    const keys = op.online && ctx.db ? [...(await keyColumns(ctx.db, op.table)).indexes].map(([name, columns]) => ({ columns, primary: name === "PRIMARY" })) : undefined;
    return [await withOnlineForm(alter(op.table, `DROP COLUMN ${q(op.column)}`), op, ctx, undefined, keys)];
  },
  renameColumn: async (op, ctx) => [
    await withOnlineForm(alter(op.table, `RENAME COLUMN ${q(op.from)} TO ${q(op.to)}`), op, ctx),
  ],
  alterColumn,
  fillNulls: (op) => [
    `UPDATE ${q(op.table)} SET ${q(op.column)} = ${defaultSql(fillSql(op))} WHERE ${q(op.column)} IS NULL`,
  ],
  createIndex: createIndexSql,
  dropIndex: dropIndexSql,
  renameIndex: (op) => [
    alter(op.table, `RENAME INDEX ${q(op.from)} TO ${q(op.to)}`),
  ],
  createUnique: (op) => {
    // CREATE INDEX takes the algorithm and lock options without commas.
    const form = op.online ? onlineForm(op) : undefined;
    return [`CREATE UNIQUE INDEX ${q(op.unique.name)} ON ${q(op.table)} ${columnList(op.unique.columns)}${form ? ` ${form.replace(",", "")}` : ""}`];
  },
  dropUnique: dropIndexSql,
  createPrimaryKey: (op) => [
    alter(op.table, `ADD PRIMARY KEY ${columnList(op.primaryKey.columns)}`),
  ],
  dropPrimaryKey: (op) => [alter(op.table, "DROP PRIMARY KEY")],
  createForeignKey: (op) => [
    alter(op.table, `ADD ${foreignKeyBody(op.foreignKey)}`),
  ],
  dropForeignKey,
  // PostgreSQL only; TypeORM ignores @Exclusion elsewhere, and so does a shared revision.
  createExclusion: noStatements,
  dropExclusion: noStatements,
  createCheck: (op) => [alter(op.table, `ADD ${checkBody(op.check)}`)],
  // DROP CONSTRAINT works on MariaDB and on MySQL 8.0.19+ (MySQL's own DROP CHECK does not exist on MariaDB).
  dropCheck: (op) => [alter(op.table, `DROP CONSTRAINT ${q(op.name)}`)],
  createEnum: noStatements,
  alterEnum: noStatements,
  dropEnum: noStatements,
  createView: createViewSql,
  dropView: dropViewSql,
  execute: executeSql,
  bulkInsert,
};

/**
 * `statement` (one ALTER TABLE) with safe mode's algorithm and lock clause
 * appended when `op` asks for its online form and the server has one.
 */
async function withOnlineForm(
  statement: string,
  op: Op & { online?: boolean },
  ctx: RenderContext,
  applies: (form: string) => boolean = () => true,
  keys?: readonly IndexKey[],
): Promise<string> {
  if (!op.online) return statement;
  const form = onlineForm(op, ctx.db ? await serverOf(ctx.db) : undefined, keys);
  return form && applies(form) ? `${statement}, ${form}` : statement;
}

/** The statements that perform `op` on MySQL/MariaDB. */
export async function renderOp(op: Op, ctx: RenderContext): Promise<string[]> {
  return (
    handlers[op.kind] as (
      o: Op,
      c: RenderContext,
    ) => string[] | Promise<string[]>
  )(op, ctx);
}
