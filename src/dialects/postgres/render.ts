/**
 * PostgreSQL renderer: each op kind to the DDL statements that perform it.
 * Type changes are in-place `ALTER COLUMN ... TYPE` (with `USING` when the
 * base type changes), never drop-and-add.
 */
import { fillSql } from "../../ops/portable";
import type { Column, Exclusion, ForeignKey, Index, PrimaryKey, Table, Unique } from "../../schema/types";
import type { Op, OpHandlers, OpOf } from "../../ops/types";
import { createViewSql, dropViewSql } from "./views";
import { ensureSchema } from "./namespaces";
import { applyColumnChanges, renamedValues } from "../../ops/reverse";
import { AutoIncrementTypeError, UnsupportedOpError, type Queryable } from "../dialect";
import { exclusionNeedsBtreeGist } from "./exclusion";
import { canonicalTypeName, INTEGER_TYPES, isKnownTypeSpelling, isNumericType, isSerialType, isTimeType } from "./grammar";
import { besides, qualify, splitQualified } from "../../schema/qualified";
import { quoteIdentifier as q, quoteLiteral, quoteQualified as qt, quoteString, storedName } from "./quote";

interface RenderContext {
  db?: Queryable;
}

type Statements = string[] | Promise<string[]>;

// ---------------------------------------------------------------- types

function isEnumColumn(column: Column): boolean {
  return column.enumName !== undefined && (column.type === "enum" || column.type === column.enumName);
}

/** The base type without array brackets: `numeric(10,2)`, `timestamp(3) with time zone`, `"mood"`. */
export function renderBaseType(column: Column): string {
  if (isEnumColumn(column)) return qt(column.enumName!);
  if (column.type === "enum") throw new MissingEnumNameError(column);
  const bare = column.type.trim().replace(/(\[\])+$/, "");
  // A user type such as an enum named "Mood Type" keeps its exact spelling; built-ins fold to one spelling.
  if (!isKnownTypeSpelling(bare) && !bare.includes('"') && /[^a-z0-9_]/.test(bare)) return q(bare);
  const type = canonicalTypeName(bare);
  const modifier = typeModifier(type, column);
  if (!modifier) return type;
  // PostgreSQL wants the precision right after `time`/`timestamp`, before `with(out) time zone`.
  const zoned = /^(time|timestamp)( with(?:out)? time zone)$/.exec(type);
  return zoned ? `${zoned[1]}${modifier}${zoned[2]}` : `${type}${modifier}`;
}

function typeModifier(type: string, column: Column): string {
  if (column.length !== undefined && column.length !== null) return `(${column.length})`;
  if (column.precision === undefined || column.precision === null) return "";
  if (isTimeType(type)) return `(${column.precision})`;
  if (type !== "numeric") return "";
  return column.scale !== undefined && column.scale !== null ? `(${column.precision},${column.scale})` : `(${column.precision})`;
}

export function renderType(column: Column): string {
  const array = column.array === true || /\[\]$/.test(column.type);
  return renderBaseType(column) + (array ? "[]" : "");
}

const SERIAL_OF: Readonly<Record<string, string>> = { smallint: "smallserial", integer: "serial", bigint: "bigserial" };

function serialType(column: Column): string {
  if (isSerialType(column.type)) return column.type.toLowerCase();
  const serial = SERIAL_OF[canonicalTypeName(column.type)];
  if (!serial) throw new AutoIncrementTypeError(column, autoIncrementProblem(column)!);
  return serial;
}

export class MissingEnumNameError extends Error {
  constructor(readonly column: Column) {
    super(`Column "${column.name}" has type enum but no enumName; PostgreSQL enum columns need the enum type's name.`);
    this.name = "MissingEnumNameError";
  }
}

/** PostgreSQL auto-increments through serial types, which exist for the three integer sizes only. */
export function autoIncrementProblem(column: Column): string | undefined {
  if (isSerialType(column.type) || (SERIAL_OF[canonicalTypeName(column.type)] && !column.array)) return undefined;
  return `PostgreSQL only auto-increments smallint, integer and bigint columns, not ${column.type}`;
}

/** `"name" type [COLLATE] [GENERATED ...] [DEFAULT ...] [NOT NULL]`. */
export function columnDefinition(column: Column): string {
  const parts = [q(column.name)];
  const plainSerial = column.autoIncrement && !column.identity && !column.array;
  parts.push(plainSerial ? serialType(column) : renderType(column));
  if (column.collation) parts.push(`COLLATE ${q(column.collation)}`);
  if (column.generated) parts.push(`GENERATED ALWAYS AS (${column.generated.expression}) STORED`);
  else if (column.identity) parts.push(`GENERATED ${column.identity} AS IDENTITY`);
  else if (column.default !== undefined && column.default !== null && !plainSerial) parts.push(`DEFAULT ${column.default}`);
  if (column.nullable === false) parts.push("NOT NULL");
  return parts.join(" ");
}

// ---------------------------------------------------------------- constraints

function columnList(columns: readonly string[]): string {
  return columns.map(q).join(", ");
}

function deferrableClause(deferrable: string | undefined): string {
  return deferrable ? ` DEFERRABLE ${deferrable}` : "";
}

function primaryKeyClause(pk: PrimaryKey): string {
  return `${pk.name ? `CONSTRAINT ${q(pk.name)} ` : ""}PRIMARY KEY (${columnList(pk.columns)})`;
}

function uniqueClause(unique: Unique): string {
  return `CONSTRAINT ${q(unique.name)} UNIQUE (${columnList(unique.columns)})${deferrableClause(unique.deferrable)}`;
}

function foreignKeyClause(fk: ForeignKey): string {
  let sql =
    `CONSTRAINT ${q(fk.name)} FOREIGN KEY (${columnList(fk.columns)}) ` +
    `REFERENCES ${qt(fk.referencedTable)} (${columnList(fk.referencedColumns)})`;
  if (fk.onDelete) sql += ` ON DELETE ${fk.onDelete}`;
  if (fk.onUpdate) sql += ` ON UPDATE ${fk.onUpdate}`;
  return sql + deferrableClause(fk.deferrable);
}

function checkClause(name: string, expression: string): string {
  return `CONSTRAINT ${q(name)} CHECK (${expression})`;
}

function exclusionClause(exclusion: Exclusion): string {
  return `CONSTRAINT ${q(exclusion.name)} EXCLUDE ${exclusion.expression}${deferrableClause(exclusion.deferrable)}`;
}

/** btree_gist first when the constraint needs it (see exclusionNeedsBtreeGist). */
function exclusionStatements(exclusions: readonly Exclusion[]): string[] {
  return exclusions.some((x) => exclusionNeedsBtreeGist(x.expression)) ? ["CREATE EXTENSION IF NOT EXISTS btree_gist"] : [];
}

/** An index entry is a column name unless it is an expression such as `lower(email)`. */
function indexElement(entry: string): string {
  return /[()]/.test(entry) ? `(${entry})` : q(entry);
}

function createIndexSql(op: OpOf<"createIndex">): string {
  const index: Index = op.index;
  if (index.fulltext) throw new UnsupportedOpError("postgres", op, "FULLTEXT indexes are MySQL only; use a gin index over a tsvector expression");
  const using = index.using ?? (index.spatial ? "gist" : undefined);
  let sql = `CREATE ${index.unique ? "UNIQUE " : ""}INDEX ${op.concurrently || op.online ? "CONCURRENTLY " : ""}${q(index.name)} ON ${qt(op.table)}`;
  if (using) sql += ` USING ${using}`;
  sql += ` (${index.columns.map((entry, i) => [indexElement(entry), index.order?.[i]].filter(Boolean).join(" ")).join(", ")})`;
  if (index.where) sql += ` WHERE ${index.where}`;
  return sql;
}

function commentOnColumn(table: string, column: string, comment: string | undefined | null): string {
  return `COMMENT ON COLUMN ${qt(table)}.${q(column)} IS ${comment ? quoteString(comment) : "NULL"}`;
}

// ---------------------------------------------------------------- tables

function createTableSql(table: Table): string[] {
  const body = table.columns.map(columnDefinition);
  if (table.primaryKey && table.primaryKey.columns.length > 0) body.push(primaryKeyClause(table.primaryKey));
  for (const u of table.uniques ?? []) body.push(uniqueClause(u));
  for (const c of table.checks ?? []) body.push(checkClause(c.name, c.expression));
  for (const fk of table.foreignKeys ?? []) body.push(foreignKeyClause(fk));
  for (const x of table.exclusions ?? []) body.push(exclusionClause(x));
  const statements = [...ensureSchema(table.name), ...exclusionStatements(table.exclusions ?? []), `CREATE TABLE ${qt(table.name)} (${body.join(", ")})`];
  for (const index of table.indexes ?? []) statements.push(createIndexSql({ kind: "createIndex", table: table.name, index }));
  if (table.comment) statements.push(`COMMENT ON TABLE ${qt(table.name)} IS ${quoteString(table.comment)}`);
  for (const column of table.columns) if (column.comment) statements.push(commentOnColumn(table.name, column.name, column.comment));
  return statements;
}

function alterTable(table: string, action: string): string {
  return `ALTER TABLE ${qt(table)} ${action}`;
}


/**
 * A rename across schemas is a move (`SET SCHEMA` keeps the rows, indexes,
 * constraints and owned sequences), then a rename within the new schema. The
 * default schema has no name in the op, so a move into it asks the server.
 */
function renameTableSql(op: OpOf<"renameTable">): string[] {
  const from = splitQualified(op.from);
  const to = splitQualified(op.to);
  const statements: string[] = [];
  if (from.namespace !== to.namespace) {
    if (to.namespace !== undefined) statements.push(...ensureSchema(op.to), alterTable(op.from, `SET SCHEMA ${q(to.namespace)}`));
    else statements.push(`DO $retort$ BEGIN EXECUTE format('ALTER TABLE %s SET SCHEMA %I', ${quoteString(qt(op.from))}, current_schema()); END $retort$`);
  }
  if (from.name !== to.name) statements.push(alterTable(qualify(to.namespace, from.name), `RENAME TO ${q(to.name)}`));
  return statements;
}

/**
 * The unique constraint whose index `op` names. MySQL keeps a unique
 * constraint as a unique index, so a revision written there may drop one as
 * an index; here the constraint owns the index and is what goes.
 */
async function uniqueOwning(op: OpOf<"dropIndex">, db?: Queryable): Promise<string | undefined> {
  if (!db) return undefined;
  const rows = await db.query<{ conname: string }>(
    `SELECT con.conname FROM pg_catalog.pg_constraint con WHERE con.contype = 'u' AND con.conindid = to_regclass($1)`,
    [qt(besides(op.table, op.name))],
  );
  return rows[0]?.conname;
}

async function primaryKeyName(op: OpOf<"dropPrimaryKey">, db?: Queryable): Promise<string> {
  if (op.name) return op.name;
  if (op.existing?.name) return op.existing.name;
  if (db) {
    const rows = await db.query<{ conname: string }>(
      `SELECT con.conname FROM pg_catalog.pg_constraint con WHERE con.contype = 'p' AND con.conrelid = to_regclass($1)`,
      [qt(op.table)],
    );
    if (rows[0]) return rows[0].conname;
  }
  return `${splitQualified(op.table).name}_pkey`;
}

// ---------------------------------------------------------------- alterColumn

const TYPE_PROPERTIES = ["type", "length", "precision", "scale", "array", "collation", "enumName"] as const;
const FOREIGN_PROPERTIES = ["unsigned", "charset", "onUpdate"] as const;

function changed(op: OpOf<"alterColumn">, key: keyof OpOf<"alterColumn">["changes"]): boolean {
  return key in op.changes;
}

function baseTypeKey(column: Column): string {
  return isEnumColumn(column) ? `enum:${column.enumName}` : canonicalTypeName(column.type).replace(/(\[\])+$/, "");
}

/**
 * The intermediate cast a type change needs: enums convert through text, and
 * PostgreSQL casts boolean only to and from integer, so other numeric types
 * (numeric, bigint, real...) go through integer.
 */
function castVia(before: Column, after: Column): string {
  if (isEnumColumn(before)) return "::text";
  // PostgreSQL casts only text to an enum type: a number or a boolean reaches it through its text.
  const textual = (c: Column) => !c.array && (CHARACTER_TYPES.has(canonicalTypeName(c.type)) || canonicalTypeName(c.type) === "text");
  if (isEnumColumn(after) && !textual(before)) return "::text";
  const boolean = (c: Column) => canonicalTypeName(c.type) === "boolean" && !c.array;
  const otherNumber = (c: Column) => isNumericType(canonicalTypeName(c.type)) && canonicalTypeName(c.type) !== "integer" && !c.array;
  return (boolean(before) && otherNumber(after)) || (otherNumber(before) && boolean(after)) ? "::integer" : "";
}

const CHARACTER_TYPES = new Set(["character varying", "character"]);

/**
 * The type a `USING` expression casts to. An explicit cast to varchar(n) or
 * char(n) cuts longer values silently; casting to text leaves the length to
 * the assignment into the column, which raises "value too long" instead.
 */
function usingCastType(after: Column): string {
  const base = canonicalTypeName(after.type.replace(/(\[\])+$/, ""));
  if (isEnumColumn(after) || after.length === undefined || !CHARACTER_TYPES.has(base)) return renderType(after);
  return after.array || /\[\]$/.test(after.type) ? "text[]" : "text";
}

/** Whether the change goes beyond length/precision/collation, so a cast (`USING`) is needed. */
function baseTypeChanged(op: OpOf<"alterColumn">, before: Column, after: Column, known: boolean): boolean {
  if (!changed(op, "type") && !changed(op, "array") && !changed(op, "enumName")) return false;
  return !known || baseTypeKey(before) !== baseTypeKey(after) || Boolean(before.array) !== Boolean(after.array);
}

/** The sequence a serial column gets: `<table>_<column>_seq`, in the table's schema (a name for `qt`). */
function sequenceName(table: string, column: string): string {
  return `${table}_${column}_seq`;
}

async function ownedSequence(op: OpOf<"alterColumn">, db?: Queryable): Promise<string> {
  if (db) {
    const rows = await db.query<{ seq: string | null }>(`SELECT pg_get_serial_sequence($1, $2) AS seq`, [qt(op.table), op.column]);
    if (rows[0]?.seq) return rows[0].seq;
  }
  return qt(sequenceName(op.table, op.column));
}

/** What the column looks like before and after; without `existing`, only what `changes` says is known. */
function columnStates(op: OpOf<"alterColumn">): { before: Column; after: Column; known: boolean } {
  const before: Column = op.existing ?? { name: op.column, type: "" };
  return { before, after: applyColumnChanges(before, op.changes), known: op.existing !== undefined };
}

function typeStatements(op: OpOf<"alterColumn">, before: Column, after: Column, known: boolean): string[] {
  if (!TYPE_PROPERTIES.some((k) => changed(op, k))) return [];
  if (!after.type) {
    throw new UnsupportedOpError("postgres", op, "changing length, precision, scale, array or collation needs the column's type; pass `existing`");
  }
  const baseChanged = baseTypeChanged(op, before, after, known);
  const typeSql = renderType(after) + (changed(op, "collation") ? ` COLLATE ${q(after.collation ?? "default")}` : "");
  let using = "";
  if (op.using) using = ` USING ${op.using}`;
  else if (baseChanged) using = ` USING ${q(op.column)}${known ? castVia(before, after) : ""}::${usingCastType(after)}`;
  const alterType = alterTable(op.table, `ALTER COLUMN ${q(op.column)} TYPE ${typeSql}${using}`);
  // A default that cannot be cast to the new type blocks ALTER TYPE, so it is dropped around it.
  const oldDefault = before.default;
  if (!baseChanged || oldDefault === undefined || changed(op, "default")) return [alterType];
  return [
    alterTable(op.table, `ALTER COLUMN ${q(op.column)} DROP DEFAULT`),
    alterType,
    alterTable(op.table, `ALTER COLUMN ${q(op.column)} SET DEFAULT ${oldDefault}`),
  ];
}

function defaultStatements(op: OpOf<"alterColumn">, after: Column, baseChanged: boolean): { pre: string[]; post: string[] } {
  if (!changed(op, "default")) return { pre: [], post: [] };
  const col = `ALTER COLUMN ${q(op.column)}`;
  // Drop first so the old default never has to survive a type change; set after the type is in place.
  const pre = baseChanged || after.default === undefined ? [alterTable(op.table, `${col} DROP DEFAULT`)] : [];
  const post = after.default !== undefined ? [alterTable(op.table, `${col} SET DEFAULT ${after.default}`)] : [];
  return { pre, post };
}

function identityStatements(op: OpOf<"alterColumn">, before: Column, after: Column): { pre: string[]; post: string[] } {
  if (!changed(op, "identity")) return { pre: [], post: [] };
  const col = `ALTER COLUMN ${q(op.column)}`;
  if (!after.identity) return { pre: [alterTable(op.table, `${col} DROP IDENTITY IF EXISTS`)], post: [] };
  if (before.identity) return { pre: [], post: [alterTable(op.table, `${col} SET GENERATED ${after.identity}`)] };
  // A new identity's sequence starts at 1: move it past the ids the column already holds (a serial's rows).
  const sequence = `pg_get_serial_sequence(${quoteString(q(op.table))}, ${quoteString(op.column)})`;
  return {
    pre: [],
    post: [
      alterTable(op.table, `${col} ADD GENERATED ${after.identity} AS IDENTITY`),
      `SELECT setval(${sequence}, COALESCE(MAX(${q(op.column)}), 0) + 1, false) FROM ${q(op.table)}`,
    ],
  };
}

async function autoIncrementStatements(
  op: OpOf<"alterColumn">,
  after: Column,
  db?: Queryable,
): Promise<{ pre: string[]; post: string[] }> {
  if (!changed(op, "autoIncrement")) return { pre: [], post: [] };
  const col = `ALTER COLUMN ${q(op.column)}`;
  if (!after.autoIncrement) {
    const seq = await ownedSequence(op, db);
    return { pre: [alterTable(op.table, `${col} DROP DEFAULT`), `DROP SEQUENCE IF EXISTS ${seq}`], post: [] };
  }
  const type = canonicalTypeName(after.type || "integer");
  if (!INTEGER_TYPES.has(type)) throw new UnsupportedOpError("postgres", op, `autoIncrement needs an integer column, not ${after.type}`);
  const seq = qt(sequenceName(op.table, op.column));
  return {
    pre: [],
    post: [
      `CREATE SEQUENCE ${seq} AS ${type} OWNED BY ${qt(op.table)}.${q(op.column)}`,
      `SELECT setval(${quoteString(seq)}, COALESCE(MAX(${q(op.column)}), 0) + 1, false) FROM ${qt(op.table)}`,
      alterTable(op.table, `${col} SET DEFAULT nextval(${quoteString(seq)}::regclass)`),
    ],
  };
}

/** `setExpression`: the server has ALTER COLUMN ... SET EXPRESSION (PostgreSQL 17+). */
function generatedStatements(op: OpOf<"alterColumn">, before: Column, after: Column, setExpression: boolean): string[] {
  if (!changed(op, "generated")) return [];
  const same = JSON.stringify(before.generated) === JSON.stringify(after.generated);
  if (same) return [];
  if (before.generated && !after.generated) return [alterTable(op.table, `ALTER COLUMN ${q(op.column)} DROP EXPRESSION`)];
  if (before.generated && after.generated && setExpression)
    return [alterTable(op.table, `ALTER COLUMN ${q(op.column)} SET EXPRESSION AS (${after.generated.expression})`)];
  throw new UnsupportedOpError(
    "postgres",
    op,
    "PostgreSQL can only drop a generation expression (DROP EXPRESSION); to add one, drop the column and add it again",
  );
}

/** Whether a generated column gets a new expression: it holds no data of its own, so it can be re-created. */
function regeneratesColumn(op: OpOf<"alterColumn">, before: Column, after: Column, known: boolean): boolean {
  if (!known || !changed(op, "generated") || !before.generated || !after.generated) return false;
  return JSON.stringify(before.generated) !== JSON.stringify(after.generated);
}

/** Definitions of the indexes on `table` that use `column`, so they can be rebuilt after it is re-created. */
async function indexesOnColumn(table: string, column: string, db?: Queryable): Promise<string[]> {
  if (!db) return [];
  const rows = await db.query<{ def: string }>(
    `SELECT pg_get_indexdef(i.indexrelid) AS def FROM pg_catalog.pg_index i
       JOIN pg_catalog.pg_attribute a ON a.attrelid = i.indrelid AND a.attname = $2
      WHERE i.indrelid = to_regclass($1) AND a.attnum = ANY(i.indkey)
      ORDER BY 1`,
    [qt(table), column],
  );
  return rows.map((r) => r.def);
}

/**
 * PostgreSQL before 17 cannot change a generation expression in place. The
 * column is dropped and added again in one ALTER TABLE (its values are
 * recomputed, so nothing is lost); it moves to the end of the table (only a
 * rewrite of the whole table could keep its place), and its comment and,
 * when a connection is at hand, its indexes are re-created.
 */
async function regenerateColumnSql(op: OpOf<"alterColumn">, after: Column, db?: Queryable): Promise<string[]> {
  const indexes = await indexesOnColumn(op.table, op.column, db);
  const statements = [alterTable(op.table, `DROP COLUMN ${q(op.column)}, ADD COLUMN ${columnDefinition(after)}`)];
  if (after.comment) statements.push(commentOnColumn(op.table, op.column, after.comment));
  return [...statements, ...indexes];
}

function rejectForeignProperties(op: OpOf<"alterColumn">): void {
  for (const key of FOREIGN_PROPERTIES) {
    const value = op.changes[key];
    if (value !== undefined && value !== null) throw new UnsupportedOpError("postgres", op, `${key} does not exist on PostgreSQL`);
  }
}

async function alterColumnSql(op: OpOf<"alterColumn">, db?: Queryable): Promise<string[]> {
  rejectForeignProperties(op);
  const { before, after, known } = columnStates(op);
  const newExpression = changed(op, "generated") && before.generated !== undefined && after.generated !== undefined;
  const setExpression = newExpression && (await hasSetExpression(db));
  if (!setExpression && regeneratesColumn(op, before, after, known)) return regenerateColumnSql(op, after, db);
  const col = `ALTER COLUMN ${q(op.column)}`;
  const baseChanged = baseTypeChanged(op, before, after, known);
  const generated = generatedStatements(op, before, after, setExpression);
  const identity = identityStatements(op, before, after);
  const serial = await autoIncrementStatements(op, after, db);
  const defaults = defaultStatements(op, after, baseChanged);
  const statements = [...generated, ...identity.pre, ...serial.pre, ...defaults.pre, ...typeStatements(op, before, after, known)];
  if (changed(op, "nullable") && after.nullable === false && op.online) statements.push(...onlineNotNull(op.table, op.column));
  else if (changed(op, "nullable")) statements.push(alterTable(op.table, `${col} ${after.nullable === false ? "SET" : "DROP"} NOT NULL`));
  statements.push(...defaults.post, ...identity.post, ...serial.post);
  // enumValues is informational on PostgreSQL: the values belong to the type and change through alterEnum.
  if (changed(op, "comment")) statements.push(commentOnColumn(op.table, op.column, after.comment));
  return statements;
}

/**
 * Safe mode's SET NOT NULL: a CHECK added NOT VALID takes its lock only for
 * an instant, VALIDATE scans under SHARE UPDATE EXCLUSIVE (reads and writes go
 * on), and from PostgreSQL 12 SET NOT NULL trusts the validated check instead
 * of scanning again; the check is then dropped.
 */
function onlineNotNull(table: string, column: string): string[] {
  const name = storedName(`${splitQualified(table).name}_${column}_not_null`);
  return [
    alterTable(table, `ADD ${checkClause(name, `${q(column)} IS NOT NULL`)} NOT VALID`),
    alterTable(table, `VALIDATE CONSTRAINT ${q(name)}`),
    alterTable(table, `ALTER COLUMN ${q(column)} SET NOT NULL`),
    alterTable(table, `DROP CONSTRAINT ${q(name)}`),
  ];
}

/**
 * Safe mode's UNIQUE / PRIMARY KEY: the index is built CONCURRENTLY (SHARE
 * UPDATE EXCLUSIVE: reads and writes go on), then the constraint takes it over
 * (`USING INDEX`), which holds ACCESS EXCLUSIVE only for the catalog change.
 * A primary key over nullable columns also sets them NOT NULL there, which
 * scans the table under that lock (the ALTER TABLE manual says so).
 */
function attachIndexBuiltConcurrently(table: string, name: string, columns: readonly string[], constraint: string): string[] {
  return [`CREATE UNIQUE INDEX CONCURRENTLY ${q(name)} ON ${qt(table)} (${columnList(columns)})`, alterTable(table, `ADD CONSTRAINT ${q(name)} ${constraint}`)];
}

/** A constraint added NOT VALID (existing rows unchecked, only a short lock), then validated without blocking writes. */
function addValidatedSeparately(table: string, clause: string, name: string, online: boolean | undefined): string[] {
  if (!online) return [alterTable(table, `ADD ${clause}`)];
  return [alterTable(table, `ADD ${clause} NOT VALID`), alterTable(table, `VALIDATE CONSTRAINT ${q(name)}`)];
}

// ---------------------------------------------------------------- enums

function isSubsequence(existing: readonly string[], values: readonly string[]): boolean {
  let i = 0;
  for (const v of values) if (v === existing[i]) i++;
  return i === existing.length && new Set(values).size === values.length;
}

/** `ADD VALUE` statements for values inserted into an otherwise unchanged list. */
function addValueStatements(name: string, existing: readonly string[], values: readonly string[]): string[] {
  const present = new Set(existing);
  const statements: string[] = [];
  values.forEach((value, i) => {
    if (present.has(value)) return;
    // The previous value is always present by now; a value added first goes before the first old one.
    const anchor = i > 0 ? `AFTER ${quoteString(values[i - 1]!)}` : existing.length > 0 ? `BEFORE ${quoteString(existing[0]!)}` : "";
    statements.push(`ALTER TYPE ${qt(name)} ADD VALUE ${quoteString(value)}${anchor ? ` ${anchor}` : ""}`);
    present.add(value);
  });
  return statements;
}

/**
 * Rebuilds an enum whose values were removed or reordered: the old type is
 * renamed, the new one created, every column using the old type (arrays too,
 * found through the catalog at run time, so this works offline) converted
 * through text, and the old type dropped.
 */
function rebuildEnumStatements(name: string, values: readonly string[]): string[] {
  const old = `${name}_old`;
  const oldType = quoteString(qt(old));
  // The new type's name, quoted (and schema-qualified) once here, for format('%s').
  const newType = quoteString(qt(name));
  const block = `DO $retort$
DECLARE
  r record;
BEGIN
  FOR r IN
    SELECT n.nspname, c.relname, a.attname, (t.typcategory = 'A') AS is_array, pg_catalog.pg_get_expr(d.adbin, d.adrelid) AS def
      FROM pg_catalog.pg_attribute a
      JOIN pg_catalog.pg_class c ON c.oid = a.attrelid AND c.relkind IN ('r', 'p')
      JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
      JOIN pg_catalog.pg_type t ON t.oid = a.atttypid
      LEFT JOIN pg_catalog.pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
     WHERE a.attnum > 0 AND NOT a.attisdropped
       AND (a.atttypid = ${oldType}::regtype OR t.typelem = ${oldType}::regtype)
  LOOP
    IF r.def IS NOT NULL THEN
      EXECUTE format('ALTER TABLE %I.%I ALTER COLUMN %I DROP DEFAULT', r.nspname, r.relname, r.attname);
    END IF;
    IF r.is_array THEN
      EXECUTE format('ALTER TABLE %I.%I ALTER COLUMN %I TYPE %s[] USING %I::text[]::%s[]', r.nspname, r.relname, r.attname, ${newType}, r.attname, ${newType});
    ELSE
      EXECUTE format('ALTER TABLE %I.%I ALTER COLUMN %I TYPE %s USING %I::text::%s', r.nspname, r.relname, r.attname, ${newType}, r.attname, ${newType});
    END IF;
    IF r.def IS NOT NULL THEN
      EXECUTE format('ALTER TABLE %I.%I ALTER COLUMN %I SET DEFAULT %s', r.nspname, r.relname, r.attname,
        replace(r.def, '::' || ${oldType}::regtype::text, '::' || ${newType}));
    END IF;
  END LOOP;
END
$retort$`;
  return [
    `ALTER TYPE ${qt(name)} RENAME TO ${q(splitQualified(old).name)}`,
    `CREATE TYPE ${qt(name)} AS ENUM (${values.map(quoteString).join(", ")})`,
    block,
    `DROP TYPE ${qt(old)}`,
  ];
}

function alterEnumSql(op: OpOf<"alterEnum">): string[] {
  // RENAME VALUE rewrites the label in place: every row holding it reads the new one.
  const renames = Object.entries(op.renames ?? {}).map(
    ([from, to]) => `ALTER TYPE ${q(op.name)} RENAME VALUE ${quoteString(from)} TO ${quoteString(to)}`,
  );
  const existing = renamedValues(op.existing, op.renames);
  if (existing.length === op.values.length && existing.every((v, i) => v === op.values[i])) return renames;
  if (!op.recreate && isSubsequence(existing, op.values)) return [...renames, ...addValueStatements(op.name, existing, op.values)];
  return [...renames, ...rebuildEnumStatements(op.name, op.values)];
}

// ---------------------------------------------------------------- data

function executeSql(op: OpOf<"execute">): string[] {
  if (typeof op.sql === "string") return [op.sql];
  const sql = op.sql.postgres;
  if (sql === undefined) throw new UnsupportedOpError("postgres", op, "the execute op has no SQL for postgres");
  return Array.isArray(sql) ? [...sql] : [sql];
}

function bulkInsertSql(op: OpOf<"bulkInsert">): string[] {
  if (op.rows.length === 0) return [];
  const columns: string[] = [];
  for (const row of op.rows) for (const key of Object.keys(row)) if (!columns.includes(key)) columns.push(key);
  // A key missing from a row takes the column's default, as it would in a single-row INSERT.
  const values = op.rows.map((row) => `(${columns.map((c) => (c in row ? quoteLiteral(row[c]) : "DEFAULT")).join(", ")})`);
  return [`INSERT INTO ${qt(op.table)} (${columnList(columns)}) VALUES ${values.join(", ")}`];
}

// ---------------------------------------------------------------- the table

const handlers: OpHandlers<Statements, RenderContext> = {
  createTable: (op) => createTableSql(op.table),
  dropTable: (op) => [`DROP TABLE ${qt(op.table)}`],
  renameTable: (op) => renameTableSql(op),
  addColumn: (op) => {
    const statements = [alterTable(op.table, `ADD COLUMN ${columnDefinition(op.column)}`)];
    if (op.column.comment) statements.push(commentOnColumn(op.table, op.column.name, op.column.comment));
    return statements;
  },
  dropColumn: (op) => [alterTable(op.table, `DROP COLUMN ${q(op.column)}`)],
  renameColumn: (op) => [alterTable(op.table, `RENAME COLUMN ${q(op.from)} TO ${q(op.to)}`)],
  alterColumn: (op, ctx) => alterColumnSql(op, ctx.db),
  fillNulls: (op) => [`UPDATE ${qt(op.table)} SET ${q(op.column)} = ${fillSql(op)} WHERE ${q(op.column)} IS NULL`],
  createIndex: (op) => [createIndexSql(op)],
  // An index lives in its table's schema.
  dropIndex: async (op, ctx) => {
    const owner = await uniqueOwning(op, ctx.db);
    return [owner ? alterTable(op.table, `DROP CONSTRAINT ${q(owner)}`) : `DROP INDEX ${qt(besides(op.table, op.name))}`];
  },
  renameIndex: (op) => [`ALTER INDEX ${qt(besides(op.table, op.from))} RENAME TO ${q(op.to)}`],
  createUnique: (op) =>
    op.online
      ? attachIndexBuiltConcurrently(op.table, op.unique.name, op.unique.columns, `UNIQUE USING INDEX ${q(op.unique.name)}${deferrableClause(op.unique.deferrable)}`)
      : [alterTable(op.table, `ADD ${uniqueClause(op.unique)}`)],
  dropUnique: (op) => [alterTable(op.table, `DROP CONSTRAINT ${q(op.name)}`)],
  createPrimaryKey: (op) => {
    if (!op.online) return [alterTable(op.table, `ADD ${primaryKeyClause(op.primaryKey)}`)];
    // PostgreSQL's own name for an unnamed key, so that the index and the constraint agree.
    const name = op.primaryKey.name ?? storedName(`${splitQualified(op.table).name}_pkey`);
    return attachIndexBuiltConcurrently(op.table, name, op.primaryKey.columns, `PRIMARY KEY USING INDEX ${q(name)}`);
  },
  dropPrimaryKey: async (op, ctx) => [alterTable(op.table, `DROP CONSTRAINT ${q(await primaryKeyName(op, ctx.db))}`)],
  createForeignKey: (op) => addValidatedSeparately(op.table, foreignKeyClause(op.foreignKey), op.foreignKey.name, op.online),
  dropForeignKey: (op) => [alterTable(op.table, `DROP CONSTRAINT ${q(op.name)}`)],
  createCheck: (op) => addValidatedSeparately(op.table, checkClause(op.check.name, op.check.expression), op.check.name, op.online),
  dropCheck: (op) => [alterTable(op.table, `DROP CONSTRAINT ${q(op.name)}`)],
  createExclusion: (op) => [...exclusionStatements([op.exclusion]), alterTable(op.table, `ADD ${exclusionClause(op.exclusion)}`)],
  dropExclusion: (op) => [alterTable(op.table, `DROP CONSTRAINT ${q(op.name)}`)],
  createEnum: (op) => [...ensureSchema(op.name), `CREATE TYPE ${qt(op.name)} AS ENUM (${op.values.map(quoteString).join(", ")})`],
  alterEnum: (op) => alterEnumSql(op),
  dropEnum: (op) => [`DROP TYPE ${qt(op.name)}`],
  createView: (op) => createViewSql(op),
  dropView: (op) => dropViewSql(op),
  execute: (op) => executeSql(op),
  bulkInsert: (op) => bulkInsertSql(op),
};

/** The SQL statements that perform `op` on PostgreSQL. */
export async function render(op: Op, db?: Queryable): Promise<string[]> {
  const handler = handlers[op.kind] as (o: Op, ctx: RenderContext) => Statements;
  const statements = await handler(op, { db });
  if (op.kind === "execute") return statements;
  // TypeORM creates the uuid extension on connect for the entities that need it; a database built by
  // revisions alone (CI, a fresh deploy) must get it from the revision: the one extension its function needs.
  if (statements.some((sql) => USES_UUID_OSSP.test(sql))) return [createExtension("uuid-ossp"), ...statements];
  if (statements.some((sql) => USES_GEN_RANDOM_UUID.test(sql)) && !(await hasBuiltinGenRandomUuid(db))) {
    return [createExtension("pgcrypto"), ...statements];
  }
  return statements;
}

const USES_UUID_OSSP = /\buuid_generate_v[1345](?:mc)?\(/;
const USES_GEN_RANDOM_UUID = /\bgen_random_uuid\(/;

function createExtension(name: string): string {
  return `CREATE EXTENSION IF NOT EXISTS ${q(name)}`;
}

const serverVersions = new WeakMap<Queryable, Promise<number>>();

/** `server_version_num` (170002 for 17.2), asked once per connection. */
function serverVersionNum(db: Queryable): Promise<number> {
  let known = serverVersions.get(db);
  if (!known) {
    known = db.query<{ v: string }>("SELECT current_setting('server_version_num') AS v").then((rows) => Number(rows[0]?.v ?? 0));
    serverVersions.set(db, known);
  }
  return known;
}

/**
 * gen_random_uuid() is built in from PostgreSQL 13 (pgcrypto before). Offline
 * SQL assumes a supported server (12 is past its end of life).
 */
async function hasBuiltinGenRandomUuid(db: Queryable | undefined): Promise<boolean> {
  return !db || (await serverVersionNum(db)) >= 130000;
}

/**
 * ALTER COLUMN ... SET EXPRESSION exists from PostgreSQL 17. Offline SQL
 * cannot know the server, so it uses what every version runs (drop and re-add).
 */
async function hasSetExpression(db: Queryable | undefined): Promise<boolean> {
  return db !== undefined && (await serverVersionNum(db)) >= 170000;
}
