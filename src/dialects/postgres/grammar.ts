/**
 * PostgreSQL grammar: one canonical spelling per type family and per default
 * expression, shared by the introspector and the entity-metadata reader (see
 * src/schema/CANONICAL.md). Pure functions, no I/O.
 */
import { canonicalExclusion } from "./exclusion";
import { canonicalForeignKeyWith, canonicalIndexOrder, canonicalReferentialAction, type ForeignKeyRules } from "../../schema/canonical";
import type { Check, Column, ForeignKey, Index, ReferentialAction, Table, Unique } from "../../schema/types";
import { canonicalExpression } from "./expression";
import { quoteString } from "./quote";
import { canonicalArrayLiteral } from "./array-literal";
import { byName } from "../catalog";

/** Aliases folded to the spelling TypeORM's PostgresDriver.normalizeType() returns. */
const TYPE_ALIASES: Readonly<Record<string, string>> = {
  int: "integer",
  int4: "integer",
  int2: "smallint",
  int8: "bigint",
  serial: "integer",
  serial4: "integer",
  smallserial: "smallint",
  serial2: "smallint",
  bigserial: "bigint",
  serial8: "bigint",
  varchar: "character varying",
  char: "character",
  bpchar: "character",
  timestamp: "timestamp without time zone",
  timestamptz: "timestamp with time zone",
  time: "time without time zone",
  timetz: "time with time zone",
  bool: "boolean",
  float: "double precision",
  float8: "double precision",
  float4: "real",
  decimal: "numeric",
  varbit: "bit varying",
  "simple-array": "text",
  "simple-json": "text",
  "simple-enum": "enum",
};

/** Whether `type` is a spelling of a built-in (or alias) rather than a user-defined type name. */
export function isKnownTypeSpelling(type: string): boolean {
  const lower = type.trim().toLowerCase().replace(/\s+/g, " ");
  return lower in TYPE_ALIASES || Object.values(TYPE_ALIASES).includes(lower) || BUILTIN_TYPES.has(lower);
}

const BUILTIN_TYPES = new Set([
  "text", "uuid", "json", "jsonb", "bytea", "date", "interval", "money", "xml", "inet", "cidr", "macaddr", "macaddr8",
  "tsvector", "tsquery", "point", "line", "lseg", "box", "path", "polygon", "circle", "bit", "oid", "int4range",
  "int8range", "numrange", "tsrange", "tstzrange", "daterange", "geometry", "geography", "citext", "hstore", "ltree",
]);

const SERIAL_TYPES = new Set(["serial", "serial4", "smallserial", "serial2", "bigserial", "serial8"]);

/** Types whose length PostgreSQL keeps, with the implicit length where there is one. */
const LENGTH_TYPES: Readonly<Record<string, number | undefined>> = {
  "character varying": undefined,
  character: 1,
  bit: 1,
  "bit varying": undefined,
};

/** Types with a fractional-seconds precision; 6 is PostgreSQL's implicit value. */
const TIME_TYPES = new Set([
  "interval",
  "time without time zone",
  "time with time zone",
  "timestamp without time zone",
  "timestamp with time zone",
]);

export const INTEGER_TYPES = new Set(["smallint", "integer", "bigint"]);
const NUMERIC_TYPES = new Set([...INTEGER_TYPES, "numeric", "real", "double precision"]);
const TEXT_TYPES = new Set(["text", "character varying", "character"]);

/** The canonical name of a type spelling (`int4` -> `integer`); user types keep their case. */
export function canonicalTypeName(type: string): string {
  const trimmed = type.trim();
  if (trimmed.includes('"')) return trimmed;
  const lower = trimmed.toLowerCase().replace(/\s+/g, " ");
  return TYPE_ALIASES[lower] ?? lower;
}

export function isSerialType(type: string): boolean {
  return SERIAL_TYPES.has(type.trim().toLowerCase());
}

export function isTimeType(type: string): boolean {
  return TIME_TYPES.has(type);
}

export function isNumericType(type: string): boolean {
  return NUMERIC_TYPES.has(type);
}

export function isTextType(type: string): boolean {
  return TEXT_TYPES.has(type);
}

/**
 * Splits an SQL expression into string literals and the code between them,
 * so rewrites (cast stripping, case folding) never touch a literal's content.
 * Quoted identifiers stay inside the code, whole: the quote in a type named
 * `"it's_enum"` (`'a'::"it's_enum"`) does not open a literal.
 */
function splitLiterals(sql: string): Array<{ literal: boolean; text: string }> {
  const parts: Array<{ literal: boolean; text: string }> = [];
  const re = /"(?:[^"]|"")*"|[eE]?'(?:[^']|'')*'/g;
  let last = 0;
  for (let m = re.exec(sql); m; m = re.exec(sql)) {
    if (m[0].startsWith('"')) continue;
    if (m.index > last) parts.push({ literal: false, text: sql.slice(last, m.index) });
    parts.push({ literal: true, text: m[0] });
    last = m.index + m[0].length;
  }
  if (last < sql.length) parts.push({ literal: false, text: sql.slice(last) });
  return parts;
}

/** Removes `::type` casts outside string literals (`'a'::character varying(20)[]` -> `'a'`; `'a'::billing.mood` -> `'a'`). */
export function stripCasts(sql: string): string {
  const cast = /::\s*(?:(?:"(?:[^"]|"")+"|[a-z_][\w$]*)\.)?(?:"(?:[^"]|"")+"|[a-z_][\w$]*)(?:\s+(?:varying|precision|with(?:out)?\s+time\s+zone|zone))*(?:\s*\(\s*\d+(?:\s*,\s*\d+)?\s*\))?(?:\s+with(?:out)?\s+time\s+zone)?(?:\s*\[\s*\])*/gi;
  return splitLiterals(sql)
    .map((p) => (p.literal ? p.text : p.text.replace(cast, "")))
    .join("");
}

/** Removes parentheses that wrap the whole expression (`((a > 0))` -> `a > 0`). */
export function stripOuterParens(sql: string): string {
  let s = sql.trim();
  while (s.startsWith("(") && s.endsWith(")") && closingParen(s, 0) === s.length - 1) s = s.slice(1, -1).trim();
  return s;
}

function closingParen(s: string, open: number): number {
  let depth = 0;
  let quote: string | undefined;
  for (let i = open; i < s.length; i++) {
    const ch = s[i];
    // Literals and quoted identifiers both double their own quote, so toggling on it is enough.
    if (quote === undefined && (ch === "'" || ch === '"')) quote = ch;
    else if (ch === quote) quote = undefined;
    if (quote !== undefined) continue;
    if (ch === "(") depth++;
    if (ch === ")" && --depth === 0) return i;
  }
  return -1;
}

const CURRENT_TIME_SPELLINGS = new Set([
  "now()",
  "current_timestamp",
  "transaction_timestamp()",
  "'now'",
]);

const SQL_VALUE_FUNCTIONS = new Set(["current_date", "current_time", "localtime", "localtimestamp", "current_user", "session_user", "current_schema"]);

/**
 * The canonical default of a column: casts removed, outer parentheses
 * removed, current-time spellings folded to `CURRENT_TIMESTAMP`, numbers
 * unquoted on numeric columns, `NULL` as no default.
 */
export function canonicalDefault(expression: string | undefined, type: string): string | undefined {
  if (expression === undefined || expression === null) return undefined;
  const raw = expression.trim();
  if (raw === "") return undefined;
  const bare = stripOuterParens(stripCasts(raw));
  const lower = bare.toLowerCase();
  if (lower === "null") return undefined;
  if (CURRENT_TIME_SPELLINGS.has(lower)) return "CURRENT_TIMESTAMP";
  if (SQL_VALUE_FUNCTIONS.has(lower)) return lower.toUpperCase();
  if (type === "boolean") {
    if (["true", "'t'", "'true'", "'y'", "'yes'", "'on'", "'1'"].includes(lower)) return "true";
    if (["false", "'f'", "'false'", "'n'", "'no'", "'off'", "'0'"].includes(lower)) return "false";
  }
  if (type === "json" || type === "jsonb") return canonicalJsonLiteral(bare, type === "jsonb");
  const number = /^(')?(-?\d+(?:\.\d+)?(?:e[+-]?\d+)?)\1$/i.exec(bare);
  // A quoted number is a number only on a numeric column; on a text column `'5'` stays a string.
  if (number && (number[1] === undefined || isNumericType(type))) return number[2]!;
  return bare;
}

/**
 * A JSON string literal in one fixed spelling (JSON.stringify, no spaces), so
 * `'{"k":[1,2]}'` as declared equals `'{"k": [1, 2]}'` as jsonb prints it.
 * jsonb keeps object keys in its own order, not the declared one, so for
 * jsonb keys are sorted. Anything else is left as it is.
 */
export function canonicalJsonLiteral(expression: string, sortKeys: boolean): string {
  const literal = /^'((?:[^']|'')*)'$/.exec(expression);
  if (!literal) return expression;
  try {
    const value: unknown = JSON.parse(literal[1]!.replace(/''/g, "'"));
    return quoteString(JSON.stringify(sortKeys ? sortedKeys(value) : value));
  } catch {
    return expression;
  }
}

function sortedKeys(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(sortedKeys);
  if (value === null || typeof value !== "object") return value;
  const entries = Object.entries(value as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return Object.fromEntries(entries.map(([k, v]) => [k, sortedKeys(v)]));
}

/** The canonical form of a column (see CANONICAL.md). */
export function canonicalColumn(column: Column): Column {
  let type = canonicalTypeName(column.type);
  let array = column.array === true;
  if (type.endsWith("[]")) {
    array = true;
    type = canonicalTypeName(type.replace(/(\[\])+$/, ""));
  }
  const autoIncrement = column.autoIncrement === true || isSerialType(column.type) || isSequenceDefault(column.default);
  const isEnum = type === "enum" || (column.enumName !== undefined && canonicalTypeName(column.enumName) === type);
  if (isEnum) type = "enum";

  const out: Column = { name: column.name, type };
  const length = canonicalLength(type, column.length);
  if (length !== undefined) out.length = length;
  const { precision, scale } = canonicalPrecision(type, column.precision, column.scale);
  if (precision !== undefined) out.precision = precision;
  if (scale !== undefined) out.scale = scale;
  if (array) out.array = true;
  out.nullable = column.nullable ?? true;
  const generated = column.generated;
  const def = autoIncrement || column.identity || generated ? undefined : canonicalDefault(column.default, type);
  if (def !== undefined) out.default = array ? canonicalArrayLiteral(def) : def;
  if (autoIncrement && !column.identity && !generated) out.autoIncrement = true;
  if (column.identity) out.identity = column.identity;
  if (generated) out.generated = { expression: stripOuterParens(generated.expression.replace(/\s+/g, " ")), stored: true };
  if (column.comment) out.comment = column.comment;
  if (column.collation && column.collation !== "default") out.collation = column.collation;
  if (isEnum) {
    if (column.enumName) out.enumName = column.enumName;
    if (column.enumValues) out.enumValues = [...column.enumValues];
  }
  return out;
}

function isSequenceDefault(def: string | undefined): boolean {
  return typeof def === "string" && /^nextval\(/i.test(def.trim());
}

function canonicalLength(type: string, length: number | undefined): number | undefined {
  if (!(type in LENGTH_TYPES)) return undefined;
  const value = length === undefined || length === null ? undefined : Number(length);
  return value ?? LENGTH_TYPES[type];
}

function canonicalPrecision(
  type: string,
  precision: number | undefined,
  scale: number | undefined,
): { precision?: number; scale?: number } {
  if (isTimeType(type)) {
    return precision === undefined || precision === null || Number(precision) === 6 ? {} : { precision: Number(precision) };
  }
  if (type !== "numeric") return {};
  if (precision === undefined || precision === null) return {};
  const s = scale === undefined || scale === null || Number(scale) === 0 ? undefined : Number(scale);
  return s === undefined ? { precision: Number(precision) } : { precision: Number(precision), scale: s };
}

/** PostgreSQL keeps RESTRICT apart from NO ACTION and every DEFERRABLE mode. */
const FOREIGN_KEY_RULES: ForeignKeyRules = { restrictIsNoAction: false, deferrable: (d) => d };

export function canonicalAction(action: string | undefined): ReferentialAction {
  return canonicalReferentialAction(action, FOREIGN_KEY_RULES);
}

/**
 * A check expression without `CHECK` and in canonical expression form (see
 * canonicalExpression): unneeded identifier quotes, literal casts and
 * redundant parentheses removed. `columnTypes` maps the table's column names
 * to their canonical types.
 */
export function canonicalCheckExpression(expression: string, columnTypes?: ReadonlyMap<string, string>): string {
  let s = expression.trim().replace(/\s+/g, " ");
  const m = /^CHECK\s*(\(.*\))(\s+NOT VALID)?$/i.exec(s);
  if (m) s = m[1]!;
  return canonicalExpression(s, columnTypes);
}

function canonicalIndex(index: Index, columnTypes: ReadonlyMap<string, string>): Index {
  const out: Index = { name: index.name, columns: [...index.columns] };
  if (index.unique) out.unique = true;
  if (index.where) out.where = canonicalExpression(index.where, columnTypes);
  if (index.spatial) out.spatial = true;
  if (index.fulltext) out.fulltext = true;
  const using = index.using?.toLowerCase();
  if (using && using !== "btree" && !(index.spatial && using === "gist")) out.using = using;
  const order = canonicalIndexOrder(index.order, { "DESC NULLS FIRST": "DESC", "NULLS LAST": "" });
  if (order) out.order = order;
  return out;
}

function canonicalUnique(unique: Unique): Unique {
  const out: Unique = { name: unique.name, columns: [...unique.columns] };
  if (unique.deferrable) out.deferrable = unique.deferrable;
  return out;
}

function canonicalForeignKey(fk: ForeignKey): ForeignKey {
  return canonicalForeignKeyWith(fk, FOREIGN_KEY_RULES);
}

function canonicalCheck(check: Check, columnTypes: ReadonlyMap<string, string>): Check {
  return { name: check.name, expression: canonicalCheckExpression(check.expression, columnTypes) };
}

/**
 * The canonical form of a table: canonical columns (primary-key columns NOT
 * NULL, as PostgreSQL makes them), constraint lists always present and
 * sorted by name.
 */
export function canonicalTable(table: Table): Table {
  const pkColumns = new Set(table.primaryKey?.columns ?? []);
  const out: Table = {
    name: table.name,
    columns: table.columns.map((c) => {
      const col = canonicalColumn(c);
      return pkColumns.has(col.name) ? { ...col, nullable: false } : col;
    }),
  };
  if (table.primaryKey && table.primaryKey.columns.length > 0) {
    out.primaryKey = table.primaryKey.name
      ? { name: table.primaryKey.name, columns: [...table.primaryKey.columns] }
      : { columns: [...table.primaryKey.columns] };
  }
  out.uniques = (table.uniques ?? []).map(canonicalUnique).sort(byName);
  // Arrays excepted: casting an array column to text changes its value.
  const columnTypes = new Map(out.columns.filter((c) => !c.array).map((c) => [c.name, c.type]));
  // Generated expressions come back from pg_get_expr rewritten like checks (parentheses, casts, quotes).
  out.columns = out.columns.map((c) =>
    c.generated ? { ...c, generated: { ...c.generated, expression: canonicalExpression(c.generated.expression, columnTypes) } } : c,
  );
  out.indexes = (table.indexes ?? []).map((i) => canonicalIndex(i, columnTypes)).sort(byName);
  out.foreignKeys = (table.foreignKeys ?? []).map(canonicalForeignKey).sort(byName);
  out.checks = (table.checks ?? []).map((c) => canonicalCheck(c, columnTypes)).sort(byName);
  if (table.exclusions?.length) out.exclusions = table.exclusions.map(canonicalExclusion).sort(byName);
  if (table.comment) out.comment = table.comment;
  return out;
}
