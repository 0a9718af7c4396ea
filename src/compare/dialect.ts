import type { ColumnChanges } from "../ops/types";
import type { Column, Exclusion } from "../schema/types";
import { typeText } from "./describe";

/**
 * The few questions the generic comparer asks a dialect. The real dialects
 * implement it (usually by reusing `genericNarrowing`); the comparer never
 * branches on `name`, which is only used in messages.
 */
export interface ComparerDialect {
  /** For messages only. */
  readonly name: string;
  /**
   * Whether enums are schema-level types (PostgreSQL `CREATE TYPE ... AS ENUM`).
   * When true, `Schema.enums` are compared and produce createEnum/alterEnum/dropEnum,
   * and a column's `enumValues` are taken from its type rather than compared per column.
   */
  readonly supportsEnumTypes: boolean;
  /**
   * Whether CREATE TABLE accepts a foreign key to a table that does not exist
   * yet (SQLite checks references only when rows are written). When true, new
   * tables keep their foreign keys inline, which on SQLite avoids a table
   * rebuild per key; when false, foreign keys of new tables (other than
   * self-references) become separate createForeignKey steps after every
   * createTable, so cycles between new tables work.
   */
  readonly createTableAcceptsForwardReferences: boolean;
  /**
   * Why changing a column from `from` to `to` can lose data or fail on
   * existing rows (a narrowing type, length, precision or scale change;
   * NOT NULL on a nullable column; removed enum values). Empty when safe.
   * Each entry is one sentence for the REVIEW comment.
   */
  narrowing(from: Column, to: Column): string[];
  /**
   * What a conversion that keeps every value assumes (PostgreSQL: the time
   * zone a `timestamp` becoming `timestamptz` is read in). Each entry is one
   * sentence for a REVIEW comment; the change is not flagged as destructive.
   */
  conversionNotes?(from: Column, to: Column): string[];
  /** REVIEW lines for a new exclusion constraint (e.g. an extension it needs). */
  exclusionReview?(table: string, exclusion: Exclusion): string[];
  /**
   * How the check text the database has compares with the models' text under
   * the same name: "same" after the dialect's normalization, "changed" when
   * the rule provably differs (the comparer drops and re-creates the check),
   * "rewritten" when the database may have rewritten the text beyond what the
   * normalizer can prove equal (a finding, never an op). `columns` are the
   * table's column names, so references can be told from keywords.
   */
  compareCheckExpressions(database: string, model: string, columns: readonly string[]): CheckVerdict;
  /**
   * Whether a column that a foreign key uses (referencing or referenced)
   * refuses `changes` while the key exists (MySQL: "used in a foreign key
   * constraint"). When true, the comparer drops every such key before the
   * alterColumn steps and re-creates it after them.
   */
  foreignKeyBlocksAlter(changes: ColumnChanges): boolean;
  /**
   * Which foreign keys keep a primary key from being dropped while they exist:
   * `referencing` those that reference it (PostgreSQL: "other objects depend
   * on it"), `local` those of the same table whose columns lead the key, whose
   * index it is (MySQL errno 150). The comparer drops them before the key
   * and re-creates them after the new one.
   */
  readonly primaryKeyDropNeedsForeignKeysOff: { readonly referencing: boolean; readonly local: boolean };
}

export type CheckVerdict = "same" | "changed" | "rewritten";

export type Family = "integer" | "float" | "decimal" | "string" | "binary" | "date" | "datetime" | "time" | "other";

const INTEGER_BYTES: Record<string, number> = {
  tinyint: 1,
  int1: 1,
  smallint: 2,
  int2: 2,
  mediumint: 3,
  int: 4,
  integer: 4,
  int4: 4,
  bigint: 8,
  int8: 8,
};

/** Decimal digits an integer of that many bytes can need. */
const INTEGER_DIGITS: Record<number, number> = { 1: 3, 2: 5, 3: 8, 4: 10, 8: 19 };

const FLOAT_BYTES: Record<string, number> = {
  real: 4,
  float4: 4,
  float: 4,
  "double precision": 8,
  double: 8,
  float8: 8,
};

const DECIMAL_TYPES = new Set(["numeric", "decimal", "dec", "fixed"]);

/** Character capacity of string types without a declared length. */
const STRING_CAPACITY: Record<string, number> = {
  text: Infinity,
  citext: Infinity,
  clob: Infinity,
  "character varying": Infinity,
  varchar: Infinity,
  nvarchar: Infinity,
  "varying character": Infinity,
  "native character": Infinity,
  character: 1,
  char: 1,
  nchar: 1,
  tinytext: 255,
  mediumtext: 16777215,
  longtext: 4294967295,
};

const BINARY_CAPACITY: Record<string, number> = {
  bytea: Infinity,
  blob: Infinity,
  tinyblob: 255,
  mediumblob: 16777215,
  longblob: 4294967295,
  binary: 1,
  varbinary: Infinity,
};

export function familyOf(type: string): Family {
  if (type in INTEGER_BYTES) return "integer";
  if (type in FLOAT_BYTES) return "float";
  if (DECIMAL_TYPES.has(type)) return "decimal";
  if (type in STRING_CAPACITY) return "string";
  if (type in BINARY_CAPACITY) return "binary";
  if (type === "date") return "date";
  if (type.startsWith("timestamp") || type === "datetime" || type === "datetime2") return "datetime";
  if (type.startsWith("time")) return "time";
  return "other";
}

function capacity(column: Column, table: Record<string, number>): number {
  return column.length ?? table[column.type] ?? Infinity;
}

/** How many characters a string column holds (`Infinity` for text). */
export function stringCapacity(column: Column): number {
  return capacity(column, STRING_CAPACITY);
}

/** Storage bytes of an integer type (`undefined` for other types). */
export function integerBytes(type: string): number | undefined {
  return INTEGER_BYTES[type];
}

/** Digits left of the decimal point; `Infinity` when unconstrained. */
export function integerDigits(column: Column): number {
  if (column.precision === undefined) return Infinity;
  return column.precision - (column.scale ?? 0);
}

/** Digits right of the decimal point; `Infinity` when unconstrained (PostgreSQL `numeric` without precision). */
export function fractionalDigits(column: Column): number {
  if (column.precision === undefined) return Infinity;
  return column.scale ?? 0;
}

function sameTypeRisks(from: Column, to: Column): string[] {
  const risks: string[] = [];
  const family = familyOf(from.type);
  if (to.length !== undefined && (from.length === undefined || to.length < from.length)) {
    risks.push(`values longer than ${to.length} may be truncated or rejected`);
  }
  if (family === "decimal") {
    if (integerDigits(to) < integerDigits(from)) {
      risks.push(`values with more than ${integerDigits(to)} integer digits will be rejected`);
    }
    if (fractionalDigits(to) < fractionalDigits(from)) {
      risks.push(`fractional digits beyond scale ${to.scale ?? 0} will be rounded away`);
    }
  } else if (to.precision !== undefined && (from.precision === undefined || to.precision < from.precision)) {
    risks.push(`precision drops to ${to.precision}; existing values may be rounded`);
  }
  return risks;
}

function crossTypeRisks(from: Column, to: Column): string[] {
  const fromFamily = familyOf(from.type);
  const toFamily = familyOf(to.type);
  const changed = `${typeText(from)} -> ${typeText(to)}`;
  if (toFamily === "string" && capacity(to, STRING_CAPACITY) === Infinity) return [];
  if (fromFamily === "string" && toFamily === "string") {
    return capacity(to, STRING_CAPACITY) < capacity(from, STRING_CAPACITY) ? [`${changed}: longer values may be truncated or rejected`] : [];
  }
  if (fromFamily === "binary" && toFamily === "binary") {
    return capacity(to, BINARY_CAPACITY) < capacity(from, BINARY_CAPACITY) ? [`${changed}: longer values may be truncated or rejected`] : [];
  }
  if (fromFamily === "integer" && toFamily === "integer") {
    return INTEGER_BYTES[to.type] < INTEGER_BYTES[from.type] ? [`${changed}: values out of the smaller range will be rejected`] : [];
  }
  if (fromFamily === "float" && toFamily === "float") {
    return FLOAT_BYTES[to.type] < FLOAT_BYTES[from.type] ? [`${changed}: values lose precision`] : [];
  }
  if (fromFamily === "integer" && toFamily === "decimal") {
    return integerDigits(to) < INTEGER_DIGITS[INTEGER_BYTES[from.type]] ? [`${changed}: large values will be rejected`] : [];
  }
  if (fromFamily === "integer" && toFamily === "float") {
    return INTEGER_BYTES[from.type] * 2 > FLOAT_BYTES[to.type] ? [`${changed}: large values lose precision`] : [];
  }
  if (fromFamily === "date" && toFamily === "datetime") return [];
  return [`${changed}: a type change; existing values may not convert`];
}

function enumRisks(from: Column, to: Column): string[] {
  if (!from.enumValues || !to.enumValues) return [];
  const removed = from.enumValues.filter((v) => !to.enumValues!.includes(v));
  if (removed.length === 0) return [];
  return [`enum values ${removed.map((v) => `'${v}'`).join(", ")} are no longer allowed; rows holding them will fail`];
}

/**
 * The generic answer to `ComparerDialect.narrowing`: length, precision and
 * scale decreases; integer and float size decreases; a text type gaining a
 * length; type family changes (which may fail to convert); signedness and
 * array changes; removed enum values; NOT NULL on a nullable column.
 * Widenings (int -> bigint, varchar(32) -> varchar(64), varchar -> text,
 * date -> timestamp) are safe.
 */
export function genericNarrowing(from: Column, to: Column): string[] {
  const risks: string[] = [];
  if (from.type === to.type) risks.push(...sameTypeRisks(from, to));
  else risks.push(...crossTypeRisks(from, to));
  if (Boolean(from.array) !== Boolean(to.array)) {
    risks.push(`${to.array ? "becomes" : "stops being"} an array; existing values may not convert`);
  }
  if (Boolean(from.unsigned) !== Boolean(to.unsigned)) {
    risks.push(to.unsigned ? "becomes UNSIGNED; negative values will be rejected" : "stops being UNSIGNED; the upper half of the range will be rejected");
  }
  risks.push(...enumRisks(from, to));
  // With a default, autogenerate fills the NULLs first (fillNulls), which carries its own REVIEW line.
  if (from.nullable !== false && to.nullable === false && to.default === undefined) {
    risks.push("NOT NULL may fail on existing NULLs; fill them first (an UPDATE in the upgrade) or give the column a default");
  }
  return risks;
}

/** A dialect-neutral ComparerDialect for tests and as a base for real dialects. */
export const genericComparerDialect: ComparerDialect = {
  name: "generic",
  supportsEnumTypes: true,
  createTableAcceptsForwardReferences: false,
  narrowing: genericNarrowing,
  foreignKeyBlocksAlter: () => false,
  primaryKeyDropNeedsForeignKeysOff: { referencing: false, local: false },
  compareCheckExpressions: (a, b) => (a === b ? "same" : "changed"),
};
