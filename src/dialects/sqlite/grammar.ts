/**
 * SQLite grammar: quoting, and the one canonical spelling of types, defaults
 * and constraints that both the introspector and the entity-metadata reader
 * end with (src/schema/CANONICAL.md). Pure functions, no I/O.
 */
import { canonicalForeignKeyWith, canonicalIndexOrder, type ForeignKeyRules } from "../../schema/canonical";
import type { Check, Column, ForeignKey, Index, PrimaryKey, Table, Unique } from "../../schema/types";
import { tokenize } from "./parse";
import { byName as compareByName } from "../catalog";

export function quoteIdentifier(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

function quoteString(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}

function pad(n: number, width = 2): string {
  return String(n).padStart(width, "0");
}

/** `YYYY-MM-DD HH:MM:SS.SSS` in UTC: how TypeORM stores a `datetime` on SQLite. */
export function utcDatetime(date: Date): string {
  return (
    `${pad(date.getUTCFullYear(), 4)}-${pad(date.getUTCMonth() + 1)}-${pad(date.getUTCDate())} ` +
    `${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())}:${pad(date.getUTCSeconds())}.${pad(date.getUTCMilliseconds(), 3)}`
  );
}

export class UnquotableValueError extends Error {
  constructor(readonly value: unknown) {
    super(`Cannot write ${String(value)} as an SQLite literal`);
    this.name = "UnquotableValueError";
  }
}

export function quoteLiteral(value: unknown): string {
  if (value === null || value === undefined) return "NULL";
  if (typeof value === "string") return quoteString(value);
  if (typeof value === "number") {
    if (!Number.isFinite(value)) throw new UnquotableValueError(value);
    return String(value);
  }
  if (typeof value === "bigint") return value.toString();
  // SQLite has no boolean storage class; TypeORM writes 1/0.
  if (typeof value === "boolean") return value ? "1" : "0";
  if (value instanceof Date) {
    if (Number.isNaN(value.getTime())) throw new UnquotableValueError(value);
    return quoteString(utcDatetime(value));
  }
  if (Buffer.isBuffer(value)) return `X'${value.toString("hex").toUpperCase()}'`;
  if (value instanceof Uint8Array) return `X'${Buffer.from(value).toString("hex").toUpperCase()}'`;
  if (typeof value === "object") return quoteString(JSON.stringify(value));
  throw new UnquotableValueError(value);
}

/** Types that keep a length, as TypeORM's AbstractSqliteDriver.withLengthColumnTypes lists them. */
export const LENGTH_TYPES = new Set(["character", "varchar", "varying character", "nchar", "native character", "nvarchar", "text", "blob", "clob"]);
/** Types that keep precision (and, for the numeric ones, scale). */
export const PRECISION_TYPES = new Set(["real", "double", "double precision", "float", "numeric", "decimal", "date", "time", "datetime"]);
const SCALE_TYPES = new Set(["real", "double", "double precision", "float", "numeric", "decimal"]);

/** Folded as TypeORM's AbstractSqliteDriver.normalizeType() does. */
const TYPE_ALIASES: Readonly<Record<string, string>> = {
  int: "integer",
  uuid: "varchar",
  "simple-array": "text",
  "simple-json": "text",
  "simple-enum": "varchar",
  enum: "varchar",
};

export interface TypeSpec {
  type: string;
  length?: number;
  precision?: number;
  scale?: number;
}

/** Splits a declared type such as `varchar(20)` or `decimal(10, 2)` the way TypeORM's loadTables does. */
export function parseTypeSpec(declared: string): TypeSpec {
  const text = declared.trim().toLowerCase().replace(/\s+/g, " ");
  const m = /^([^(]*?)\s*\(\s*(\d+)\s*(?:,\s*(\d+)\s*)?\)$/.exec(text);
  if (!m) return { type: TYPE_ALIASES[text] ?? text };
  const base = TYPE_ALIASES[m[1]] ?? m[1];
  if (LENGTH_TYPES.has(base) && m[3] === undefined) return { type: base, length: Number(m[2]) };
  if (PRECISION_TYPES.has(base)) {
    const spec: TypeSpec = { type: base, precision: Number(m[2]) };
    if (m[3] !== undefined && SCALE_TYPES.has(base)) spec.scale = Number(m[3]);
    return spec;
  }
  return { type: text };
}

/** The type as written in a column definition. */
export function typeSql(column: Column): string {
  const base = column.type;
  if (column.length !== undefined) return `${base}(${column.length})`;
  if (column.precision !== undefined && column.scale !== undefined) return `${base}(${column.precision},${column.scale})`;
  if (column.precision !== undefined) return `${base}(${column.precision})`;
  return base;
}

/** Removes parentheses that wrap the whole expression, however many. */
export function stripOuterParens(expression: string): string {
  let text = expression.trim();
  for (;;) {
    const tokens = tokenize(text);
    if (tokens.length < 2 || tokens[0].text !== "(" || tokens[tokens.length - 1].text !== ")") return text;
    let depth = 0;
    for (let i = 0; i < tokens.length - 1; i++) {
      if (tokens[i].text === "(" && tokens[i].kind === "punct") depth += 1;
      if (tokens[i].text === ")" && tokens[i].kind === "punct") depth -= 1;
      if (depth === 0) return text;
    }
    text = text.slice(1, -1).trim();
  }
}

const PLAIN_EXPRESSION_BREAKERS = /\s|--|\/\*/;

/** Collapses whitespace outside quoted text, and drops outer parentheses. */
export function normalizeExpression(expression: string): string {
  // No whitespace or comment to collapse and no leading parenthesis: the tokens are the text (most defaults).
  if (expression[0] !== "(" && !PLAIN_EXPRESSION_BREAKERS.test(expression)) return expression;
  const text = stripOuterParens(expression);
  const tokens = tokenize(text);
  let out = "";
  tokens.forEach((t, i) => {
    const prev = tokens[i - 1];
    if (prev && t.start > prev.end) out += " ";
    out += t.text;
  });
  return out;
}

const CURRENT_TIME_DEFAULTS = /^(current_timestamp|datetime\s*\(\s*'now'\s*\))$/i;

/**
 * Canonical default: outer parentheses folded (`(datetime('now'))` and
 * `datetime('now')` are the same default; SQLite itself strips them), booleans
 * as 1/0 (TypeORM's normalizeDefault), CURRENT_TIMESTAMP folded into
 * TypeORM's `datetime('now')` (same text, same UTC format), NULL as no default.
 */
export function normalizeDefault(value: string | undefined): string | undefined {
  if (value === undefined) return undefined;
  const text = normalizeExpression(value);
  if (text === "" || /^null$/i.test(text)) return undefined;
  if (/^true$/i.test(text)) return "1";
  if (/^false$/i.test(text)) return "0";
  if (CURRENT_TIME_DEFAULTS.test(text)) return "datetime('now')";
  if (/^current_(date|time)$/i.test(text)) return text.toUpperCase();
  if (/^[+]?\d+(\.\d+)?$/.test(text)) return text.replace(/^\+/, "");
  return text;
}

const BUILTIN_COLLATIONS = new Set(["BINARY", "NOCASE", "RTRIM"]);

function canonicalCollation(collation: string | undefined): string | undefined {
  if (!collation) return undefined;
  const upper = collation.toUpperCase();
  if (upper === "BINARY") return undefined;
  return BUILTIN_COLLATIONS.has(upper) ? upper : collation;
}

/**
 * What SQLite cannot store (array, unsigned, zerofill, comment, charset,
 * identity, onUpdate, enumName; TypeORM ignores them on SQLite too) is never
 * copied to the canonical column.
 */
export function canonicalColumn(column: Column): Column {
  const spec = parseTypeSpec(column.type);
  const out: Column = { name: column.name, type: spec.type };
  const enumValues = column.enumValues && column.enumValues.length > 0 ? column.enumValues.map(String) : undefined;
  // TypeORM's createFullType renders every enum column as a bare varchar plus CHECK ("c" IN (...)).
  if (enumValues) out.type = "varchar";
  const length = column.length ?? spec.length;
  if (length !== undefined && !enumValues) out.length = Number(length);
  const precision = column.precision ?? spec.precision;
  if (precision !== undefined && precision !== null) out.precision = Number(precision);
  const scale = column.scale ?? spec.scale;
  // decimal(p,0) is decimal(p) (SQL's default scale), as MySQL reports it: a file generated there must match.
  if (scale !== undefined && scale !== null && !(Number(scale) === 0 && out.precision !== undefined)) out.scale = Number(scale);
  out.nullable = column.nullable === true;
  const def = column.generated ? undefined : normalizeDefault(column.default);
  if (def !== undefined) out.default = def;
  if (column.autoIncrement) out.autoIncrement = true;
  if (column.generated) out.generated = { expression: normalizeExpression(column.generated.expression), stored: !!column.generated.stored };
  const collation = canonicalCollation(column.collation);
  if (collation) out.collation = collation;
  if (enumValues) out.enumValues = enumValues;
  return out;
}

/** SQLite treats DEFERRABLE INITIALLY IMMEDIATE exactly like NOT DEFERRABLE (there is no SET CONSTRAINTS). */
const FOREIGN_KEY_RULES: ForeignKeyRules = {
  restrictIsNoAction: false,
  deferrable: (d) => (d === "INITIALLY DEFERRED" ? d : undefined),
};


export function canonicalForeignKey(fk: ForeignKey): ForeignKey {
  return canonicalForeignKeyWith(fk, FOREIGN_KEY_RULES);
}

export function canonicalIndex(index: Index): Index {
  const out: Index = { name: index.name, columns: [...index.columns] };
  if (index.unique) out.unique = true;
  if (index.where && index.where.trim()) out.where = normalizeExpression(index.where);
  const order = canonicalIndexOrder(index.order);
  if (order) out.order = order;
  return out;
}

function canonicalUnique(unique: Unique): Unique {
  return { name: unique.name, columns: [...unique.columns] };
}

function canonicalCheck(check: Check): Check {
  return { name: check.name, expression: normalizeExpression(check.expression) };
}

function byName<T extends { name: string }>(items: readonly T[] | undefined, map: (item: T) => T): T[] {
  return (items ?? []).map(map).sort(compareByName);
}

/**
 * SQLite never names a primary key in a way TypeORM reads back, and its
 * primary-key columns are NOT NULL in every table TypeORM writes.
 */
function canonicalPrimaryKey(pk: PrimaryKey | undefined): PrimaryKey | undefined {
  return pk && pk.columns.length > 0 ? { columns: [...pk.columns] } : undefined;
}

export function canonicalTable(table: Table): Table {
  const primaryKey = canonicalPrimaryKey(table.primaryKey);
  const pkColumns = new Set(primaryKey?.columns ?? []);
  const out: Table = {
    name: table.name,
    columns: table.columns.map((c) => {
      const col = canonicalColumn(c);
      if (pkColumns.has(col.name)) col.nullable = false;
      return col;
    }),
  };
  if (primaryKey) out.primaryKey = primaryKey;
  out.uniques = byName(table.uniques, canonicalUnique);
  out.indexes = byName(table.indexes, canonicalIndex);
  out.foreignKeys = byName(table.foreignKeys, canonicalForeignKey);
  out.checks = byName(table.checks, canonicalCheck);
  if (table.withoutRowid) out.withoutRowid = true;
  return out;
}
