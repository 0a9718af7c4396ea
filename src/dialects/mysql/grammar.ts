/**
 * The MySQL/MariaDB grammar: one canonical spelling per type family, default
 * and expression, shared by the introspector and the entity-metadata reader
 * (see src/schema/CANONICAL.md). Type spellings follow TypeORM's
 * `MysqlDriver.normalizeType()`.
 */
import { canonicalForeignKeyWith, canonicalIndexOrder, canonicalReferentialAction, type ForeignKeyRules } from "../../schema/canonical";
import type {
  Check,
  Column,
  ForeignKey,
  Index,
  PrimaryKey,
  ReferentialAction,
  Table,
} from "../../schema/types";
import { decodeStandardString, standardString } from "./quote";

export const INTEGER_TYPES = new Set([
  "tinyint",
  "smallint",
  "mediumint",
  "int",
  "bigint",
]);
const FRACTIONAL_TYPES = new Set(["decimal", "float", "double"]);
export const NUMERIC_TYPES = new Set([...INTEGER_TYPES, ...FRACTIONAL_TYPES]);
export const TEMPORAL_PRECISION_TYPES = new Set([
  "time",
  "datetime",
  "timestamp",
]);
/** Types whose length the database keeps, with the length it applies when none is given. */
export const IMPLICIT_LENGTHS: Readonly<Record<string, number>> = {
  varchar: 255,
  varbinary: 255,
  char: 1,
  binary: 1,
  bit: 1,
};
/** The implicit precision/scale of the fractional types (TypeORM's `dataTypeDefaults`). */
const IMPLICIT_PRECISION: Readonly<Record<string, number>> = {
  decimal: 10,
  float: 12,
  double: 22,
};

/** TypeORM and SQL aliases folded to the spelling MySQL reports (TypeORM's normalizeType). */
const TYPE_ALIASES: Readonly<Record<string, string>> = {
  integer: "int",
  bool: "tinyint",
  boolean: "tinyint",
  dec: "decimal",
  numeric: "decimal",
  fixed: "decimal",
  "double precision": "double",
  real: "double",
  nvarchar: "varchar",
  "national varchar": "varchar",
  "character varying": "varchar",
  nchar: "char",
  "national char": "char",
  character: "char",
  "simple-array": "text",
  "simple-json": "text",
  "simple-enum": "enum",
  geomcollection: "geometrycollection",
};

export interface TypeSpec {
  /** Lower-case type name without arguments or attributes. */
  base: string;
  /** The text between the parentheses, when the type was written with them (`varchar(20)` -> `20`). */
  args?: string;
  unsigned: boolean;
  zerofill: boolean;
}

/** Splits a written type such as `INT(5) UNSIGNED ZEROFILL` or `enum('a','b')`. */
export function parseTypeSpec(type: string): TypeSpec {
  let text = type.trim();
  const flags = { unsigned: false, zerofill: false };
  for (;;) {
    const m = /\s+(unsigned|zerofill|signed)$/i.exec(text);
    if (!m) break;
    const word = m[1].toLowerCase();
    if (word === "unsigned" || word === "zerofill") flags[word] = true;
    text = text.slice(0, m.index);
  }
  const open = text.indexOf("(");
  if (open < 0 || !text.endsWith(")"))
    return { base: text.toLowerCase().replace(/\s+/g, " "), ...flags };
  return {
    base: text.slice(0, open).trim().toLowerCase().replace(/\s+/g, " "),
    args: text.slice(open + 1, -1).trim(),
    ...flags,
  };
}

/** The canonical name of a type (aliases folded, lower case). */
export function canonicalTypeName(base: string): string {
  const lower = base.trim().toLowerCase();
  return TYPE_ALIASES[lower] ?? lower;
}

/** Reads a single-quoted MySQL string literal (either escape style); `undefined` if `sql` is not exactly one. */
export function decodeStringLiteral(sql: string): string | undefined {
  const text = sql.trim();
  if (text.length < 2 || !text.startsWith("'") || !text.endsWith("'"))
    return undefined;
  let out = "";
  for (let i = 1; i < text.length - 1; i++) {
    const ch = text[i];
    if (ch === "\\") {
      const next = text[++i];
      if (i >= text.length - 1) return undefined;
      out +=
        next === "n"
          ? "\n"
          : next === "t"
            ? "\t"
            : next === "r"
              ? "\r"
              : next === "0"
                ? "\0"
                : next;
    } else if (ch === "'") {
      if (text[i + 1] !== "'" || i + 1 >= text.length - 1) return undefined;
      out += "'";
      i++;
    } else {
      out += ch;
    }
  }
  return out;
}

/** The values of `enum('a','b''c')` / `set(...)` arguments. */
export function parseEnumValues(args: string): string[] {
  const values: string[] = [];
  let i = 0;
  while (i < args.length) {
    while (i < args.length && /[\s,]/.test(args[i])) i++;
    if (i >= args.length) break;
    if (args[i] !== "'")
      throw new SyntaxError(`Cannot read enum values from (${args})`);
    let j = i + 1;
    for (; j < args.length; j++) {
      if (args[j] === "\\") j++;
      else if (args[j] === "'") {
        if (args[j + 1] === "'") j++;
        else break;
      }
    }
    values.push(decodeStringLiteral(args.slice(i, j + 1)) ?? "");
    i = j + 1;
  }
  return values;
}

/** Reserved words (MySQL 8 and MariaDB): identifiers spelled like these keep their backticks. */
const RESERVED = new Set(
  `
  accessible add all alter analyze and as asc asensitive before between bigint binary blob both by call
  cascade case change char character check collate column condition constraint continue convert create cross
  cube cume_dist current_date current_role current_time current_timestamp current_user cursor database
  databases day_hour day_microsecond day_minute day_second dec decimal declare default delayed delete
  dense_rank desc describe deterministic distinct distinctrow div do_domain_ids double drop dual each else
  elseif empty enclosed escaped except exists exit explain false fetch first_value float float4 float8 for
  force foreign from fulltext function generated get grant group grouping groups having high_priority
  hour_microsecond hour_minute hour_second if ignore ignore_domain_ids ignore_server_ids in index infile
  inner inout insensitive insert int int1 int2 int3 int4 int8 integer intersect interval into io_after_gtids
  io_before_gtids is iterate join json_table key keys kill lag last_value lateral lead leading leave left
  like limit linear lines load localtime localtimestamp lock long longblob longtext loop low_priority
  master_bind master_heartbeat_period master_ssl_verify_server_cert match maxvalue mediumblob mediumint
  mediumtext middleint minute_microsecond minute_second mod modifies natural not no_write_to_binlog nth_value
  ntile null numeric of offset on optimize optimizer_costs option optionally or order out outer outfile over
  page_checksum parse_vcol_expr partition percent_rank position precision primary procedure purge range rank
  read reads read_write real recursive ref_system_id references regexp release rename repeat replace require
  resignal restrict return returning revoke right rlike row row_number rows schema schemas second_microsecond
  select sensitive separator set show signal slow smallint spatial specific sql sqlexception sqlstate
  sqlwarning sql_big_result sql_calc_found_rows sql_small_result ssl starting stats_auto_recalc
  stats_persistent stats_sample_pages stored straight_join system table terminated then tinyblob tinyint
  tinytext to trailing trigger true undo union unique unlock unsigned update usage use using utc_date
  utc_time utc_timestamp values varbinary varchar varcharacter varying virtual when where while window with
  write xor year_month zerofill
  `
    .trim()
    .split(/\s+/),
);

/** Whether the parentheses opening at 0 close at the very end. */
function wrapsWhole(text: string): boolean {
  if (!text.startsWith("(") || !text.endsWith(")")) return false;
  let depth = 0;
  let quote: string | undefined;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quote) {
      if (ch === "\\") i++;
      else if (ch === quote) quote = undefined;
      continue;
    }
    if (ch === "'" || ch === '"') quote = ch;
    else if (ch === "(") depth++;
    else if (ch === ")" && --depth === 0 && i < text.length - 1) return false;
  }
  return depth === 0;
}

/**
 * MariaDB and MySQL report expressions with function names and keywords in
 * lower case (`json_object('a',1)`, `interval 1 day`, units too); column names keep their
 * case, since other spellings of them are not rewritten.
 */
function caseOfWord(word: string, rest: string, before: string): string {
  const lower = word.toLowerCase();
  const intervalUnit = /\binterval [^ ]+ $/.test(before);
  return intervalUnit || /^\s*\(/.test(rest) || RESERVED.has(lower)
    ? lower
    : word;
}

/**
 * An SQL expression in the form both producers agree on: whitespace outside
 * strings collapsed (none around commas), function names and keywords in lower
 * case, backticks around plain non-reserved identifiers removed, MySQL 8's
 * charset introducers (`_utf8mb4'x'`) dropped, redundant outer parentheses
 * stripped.
 */
export function normalizeExpression(expression: string): string {
  let out = "";
  const text = expression.trim();
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (ch === "'" || ch === '"') {
      let j = i + 1;
      for (; j < text.length; j++) {
        if (text[j] === "\\") j++;
        else if (text[j] === ch) {
          if (text[j + 1] === ch) j++;
          else break;
        }
      }
      out += text.slice(i, j + 1);
      i = j;
    } else if (ch === "`") {
      const end = text.indexOf("`", i + 1);
      const name = end < 0 ? "" : text.slice(i + 1, end);
      if (
        /^[A-Za-z_][A-Za-z0-9_$]*$/.test(name) &&
        !RESERVED.has(name.toLowerCase())
      ) {
        out += name;
        i = end;
      } else if (end > 0) {
        out += text.slice(i, end + 1);
        i = end;
      } else out += ch;
    } else if (/\s/.test(ch)) {
      if (!out.endsWith(" ") && !out.endsWith(",")) out += " ";
    } else if (ch === ",") {
      out = out.replace(/ $/, "") + ch;
    } else if (
      ch === "_" &&
      /^_[a-z0-9]+'/i.test(text.slice(i)) &&
      !/[\w$]$/.test(out)
    ) {
      i = text.indexOf("'", i) - 1;
    } else if (/[A-Za-z_]/.test(ch) && !/[\w$]$/.test(out)) {
      const word = /^[A-Za-z_][A-Za-z0-9_$]*/.exec(text.slice(i))![0];
      out += caseOfWord(word, text.slice(i + word.length), out);
      i += word.length - 1;
    } else out += ch;
  }
  out = out.trim().replace(/\( /g, "(").replace(/ \)/g, ")");
  while (wrapsWhole(out)) out = out.slice(1, -1).trim();
  return out;
}

const CURRENT_TIME =
  /^(?:current_timestamp|now|localtime|localtimestamp)\s*(?:\(\s*(\d*)\s*\))?$/i;

/** `CURRENT_TIMESTAMP` or `CURRENT_TIMESTAMP(n)` for any current-time spelling, else `undefined`. */
export function canonicalCurrentTime(sql: string): string | undefined {
  const m = CURRENT_TIME.exec(sql.trim());
  if (!m) return undefined;
  const precision = m[1] ? Number(m[1]) : 0;
  return precision > 0
    ? `CURRENT_TIMESTAMP(${precision})`
    : "CURRENT_TIMESTAMP";
}

const NUMBER = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:e[+-]?\d+)?$/i;

/** A numeric literal as plain text: sign, leading zeros and trailing fractional zeros folded (`'1.50'` -> `1.5`). */
function canonicalNumber(text: string): string {
  if (/e/i.test(text)) return String(Number(text));
  let [whole, fraction = ""] = text.replace(/^\+/, "").split(".");
  const negative = whole.startsWith("-");
  whole = whole.replace(/^-/, "").replace(/^0+(?=\d)/, "") || "0";
  fraction = fraction.replace(/0+$/, "");
  const body = fraction ? `${whole}.${fraction}` : whole;
  return negative && body !== "0" ? `-${body}` : body;
}

/** The canonical default of a column of canonical type `type`. */
export function canonicalDefault(
  value: string | undefined,
  type: string,
): string | undefined {
  if (value === undefined || value === null) return undefined;
  const text = String(value).trim();
  if (text === "" || /^null$/i.test(text)) return undefined;
  const time = canonicalCurrentTime(text);
  if (time) return time;
  // Standard SQL, not MySQL's backslash escapes: the introspector has already
  // decoded MySQL's spelling, and TypeORM writes an entity's string unescaped.
  const literal = decodeStandardString(text);
  if (NUMERIC_TYPES.has(type)) {
    if (/^true$/i.test(text)) return "1";
    if (/^false$/i.test(text)) return "0";
    const candidate = literal ?? text;
    if (NUMBER.test(candidate.trim())) return canonicalNumber(candidate.trim());
    return normalizeExpression(text);
  }
  if (literal !== undefined) return standardString(literal);
  if (type !== "bit" && NUMBER.test(text)) return standardString(text);
  return normalizeExpression(text);
}

function positiveInt(value: string | number | undefined): number | undefined {
  if (value === undefined || value === null || value === "") return undefined;
  const n = Number(value);
  return Number.isFinite(n) ? n : undefined;
}

interface Sizes {
  length?: number;
  precision?: number;
  scale?: number;
}

/** Length/precision/scale as the canonical form keeps them for `type`. */
function canonicalSizes(type: string, sizes: Sizes): Sizes {
  if (type in IMPLICIT_LENGTHS)
    return { length: sizes.length ?? IMPLICIT_LENGTHS[type] };
  if (TEMPORAL_PRECISION_TYPES.has(type))
    return sizes.precision ? { precision: sizes.precision } : {};
  if (!FRACTIONAL_TYPES.has(type)) return {};
  const scale = sizes.scale ? sizes.scale : undefined;
  const precision =
    sizes.precision ??
    (scale !== undefined ? IMPLICIT_PRECISION[type] : undefined);
  if (scale === undefined)
    return precision === undefined || precision === IMPLICIT_PRECISION[type]
      ? {}
      : { precision };
  return { precision, scale };
}

/** Sizes written inside a type's parentheses (`varchar(20)`, `decimal(10,2)`, `datetime(3)`). */
function sizesFromArgs(type: string, args: string | undefined): Sizes {
  if (args === undefined || type === "enum" || type === "set") return {};
  const [first, second] = args.split(",").map((s) => positiveInt(s.trim()));
  if (type in IMPLICIT_LENGTHS) return { length: first };
  return { precision: first, scale: second };
}

function assign<T extends object, K extends keyof T>(
  target: T,
  key: K,
  value: T[K] | undefined,
): void {
  if (
    value !== undefined &&
    value !== null &&
    (value as unknown) !== "" &&
    (value as unknown) !== false
  )
    target[key] = value;
}

/** The canonical form of a column (see CANONICAL.md). */
export function canonicalColumn(column: Column): Column {
  const spec = parseTypeSpec(column.type);
  const type = canonicalTypeName(spec.base);
  const fromArgs = sizesFromArgs(type, spec.args);
  const sizes = canonicalSizes(type, {
    length: column.length ?? fromArgs.length,
    precision: column.precision ?? fromArgs.precision,
    scale: column.scale ?? fromArgs.scale,
  });
  const numeric = NUMERIC_TYPES.has(type);
  const zerofill = numeric && (column.zerofill === true || spec.zerofill);
  const result: Column = { name: column.name, type };
  assign(result, "length", sizes.length);
  assign(result, "precision", sizes.precision);
  assign(result, "scale", sizes.scale);
  assign(
    result,
    "unsigned",
    numeric && (column.unsigned === true || spec.unsigned || zerofill)
      ? true
      : undefined,
  );
  assign(result, "zerofill", zerofill ? true : undefined);
  // MariaDB cannot declare NULL/NOT NULL on generated columns and reports them nullable.
  result.nullable = column.generated ? true : column.nullable === true;
  if (!column.generated && !column.autoIncrement)
    assign(result, "default", canonicalDefault(column.default, type));
  assign(
    result,
    "autoIncrement",
    column.autoIncrement === true ? true : undefined,
  );
  if (column.generated) {
    result.generated = {
      expression: normalizeExpression(column.generated.expression),
      stored: column.generated.stored === true,
    };
  }
  assign(result, "comment", column.comment);
  if (type !== "json") {
    assign(result, "charset", column.charset?.toLowerCase());
    assign(result, "collation", column.collation?.toLowerCase());
  }
  if (type === "enum" || type === "set") {
    const values =
      column.enumValues ??
      (spec.args !== undefined ? parseEnumValues(spec.args) : undefined);
    assign(result, "enumValues", values ? values.map(String) : undefined);
  }
  if (column.onUpdate)
    assign(
      result,
      "onUpdate",
      canonicalCurrentTime(column.onUpdate) ??
        normalizeExpression(column.onUpdate),
    );
  return result;
}

const byName = <T extends { name: string }>(a: T, b: T): number =>
  a.name < b.name ? -1 : a.name > b.name ? 1 : 0;

/** MySQL (InnoDB) treats NO ACTION as RESTRICT; both fold to the standard default spelling. */
/** MySQL reports RESTRICT and NO ACTION interchangeably and has no DEFERRABLE. */
const FOREIGN_KEY_RULES: ForeignKeyRules = { restrictIsNoAction: true, deferrable: () => undefined };

export function canonicalAction(action: string | undefined): ReferentialAction {
  return canonicalReferentialAction(action, FOREIGN_KEY_RULES);
}

function canonicalIndex(index: Index): Index {
  const result: Index = { name: index.name, columns: [...index.columns] };
  assign(result, "unique", index.unique === true ? true : undefined);
  assign(result, "where", index.where);
  assign(result, "fulltext", index.fulltext === true ? true : undefined);
  assign(result, "spatial", index.spatial === true ? true : undefined);
  const using = index.using?.toLowerCase();
  if (using && using !== "btree" && !index.fulltext && !index.spatial)
    result.using = using;
  assign(result, "order", canonicalIndexOrder(index.order));
  return result;
}

function canonicalForeignKey(fk: ForeignKey): ForeignKey {
  return canonicalForeignKeyWith(fk, FOREIGN_KEY_RULES);
}

function canonicalCheck(check: Check): Check {
  return {
    name: check.name,
    expression: normalizeExpression(check.expression),
  };
}

/**
 * The canonical form of a table: MySQL keeps unique constraints as unique
 * indexes, names its primary key PRIMARY whatever it was called, forces
 * primary-key columns NOT NULL and ignores DEFERRABLE.
 */
export function canonicalTable(table: Table): Table {
  const pkColumns = new Set(table.primaryKey?.columns ?? []);
  const columns = table.columns.map((c) => {
    const column = canonicalColumn(c);
    if (pkColumns.has(column.name)) column.nullable = false;
    return column;
  });
  const result: Table = { name: table.name, columns };
  if (table.primaryKey && table.primaryKey.columns.length > 0) {
    result.primaryKey = {
      columns: [...table.primaryKey.columns],
    } satisfies PrimaryKey;
  }
  const indexes = [
    ...(table.indexes ?? []).map(canonicalIndex),
    ...(table.uniques ?? []).map((u) =>
      canonicalIndex({ name: u.name, columns: u.columns, unique: true }),
    ),
  ].sort(byName);
  if (indexes.length > 0) result.indexes = indexes;
  const foreignKeys = (table.foreignKeys ?? [])
    .map(canonicalForeignKey)
    .sort(byName);
  if (foreignKeys.length > 0) result.foreignKeys = foreignKeys;
  const checks = (table.checks ?? []).map(canonicalCheck).sort(byName);
  if (checks.length > 0) result.checks = checks;
  assign(result, "comment", table.comment);
  return result;
}
