/**
 * The portable column vocabulary of revision files. A column whose `type` is
 * one of PORTABLE_TYPES (CamelCase, as SQLAlchemy's generic types: `String`,
 * `DateTime`, `Boolean`) is portable: its `default` is a JS value rather than
 * SQL, and each dialect renders it at run time by the rules TypeORM's driver
 * applies to an entity column on that dialect (`dialect.portableResolver`).
 * Any other `type` is a dialect spelling and passes through unchanged, so
 * revision files written before the vocabulary existed keep working.
 */
import type { Column, Table } from "../schema/types";
import { applyColumnChanges } from "./reverse";
import { ALTERABLE_PROPERTIES, type ColumnChanges, type DialectName, type Op } from "./types";

export const PORTABLE_TYPES = [
  "SmallInteger",
  "Integer",
  "BigInteger",
  "Decimal",
  "Float",
  "Double",
  "Boolean",
  "String",
  "Text",
  "Date",
  "Time",
  "DateTime",
  "DateTimeTz",
  "CreateDate",
  "UpdateDate",
  "DeleteDate",
  "Uuid",
  "Json",
  "SimpleJson",
  "SimpleArray",
  "Enum",
  "Blob",
] as const;

export type PortableType = (typeof PORTABLE_TYPES)[number];

/** A database-side function a portable default may name. */
export interface PortableFunction {
  fn: "now" | "uuid";
}

/**
 * A portable default: a JS literal (a string is the text itself, not SQL),
 * `null` for none, `{ fn: "now" }` for the current timestamp and
 * `{ fn: "uuid" }` for a generated uuid (a server default where the dialect
 * has one; TypeORM generates it elsewhere).
 */
export type PortableDefault = string | number | boolean | null | PortableFunction;

/** A portable column as a revision file writes it. */
export interface PortableColumn {
  name: string;
  type: PortableType;
  length?: number;
  precision?: number;
  scale?: number;
  nullable?: boolean;
  default?: PortableDefault;
  autoIncrement?: boolean;
  /** Enum values; `enumName` names the PostgreSQL type (the other dialects inline the values). */
  enumValues?: string[];
  enumName?: string;
  comment?: string;
}

/**
 * The portable column a `fillNulls` value belongs to, as far as its rendering
 * depends on it: the value is then a portable default, written per dialect as
 * that column's default would be (`true` is `1` on SQLite and MySQL, `true` on
 * PostgreSQL).
 */
export type PortableValueType = Pick<PortableColumn, "type" | "length" | "precision" | "scale">;

/** The properties a `fillNulls` value type may carry. */
export const PORTABLE_VALUE_TYPE_PROPERTIES: ReadonlyArray<keyof PortableValueType> = ["type", "length", "precision", "scale"];

/** A column in a revision file: a dialect spelling or the portable vocabulary. */
export type ColumnSpec = Column | PortableColumn;

/** The properties a portable column may carry (anything else makes it a dialect column). */
export const PORTABLE_PROPERTIES: ReadonlyArray<keyof PortableColumn> = [
  "name",
  "type",
  "length",
  "precision",
  "scale",
  "nullable",
  "default",
  "autoIncrement",
  "enumValues",
  "enumName",
  "comment",
];

const PORTABLE_TYPE_SET: ReadonlySet<string> = new Set(PORTABLE_TYPES);

export function isPortableType(type: unknown): type is PortableType {
  return typeof type === "string" && PORTABLE_TYPE_SET.has(type);
}

export function isPortableColumn(column: { type?: unknown } | undefined): column is PortableColumn {
  return column !== undefined && isPortableType(column.type);
}

/** Turns portable columns into the dialect's columns; built once per run by the dialect (it may ask the server). */
export interface PortableResolver {
  column(column: PortableColumn): Column;
  /** The dialect's own reading of an op beyond its columns (MySQL: the index name TypeORM gives a unique constraint). */
  op?(op: Op): Op;
}

/** Raised when a revision op states dialects that do not include the one it runs on. */
export class DialectOnlyOpError extends Error {
  constructor(
    readonly dialect: DialectName,
    readonly dialects: readonly DialectName[],
    readonly opDescription: string,
  ) {
    super(`${opDescription} is written for ${dialects.join(" and ")} only and this database is ${dialect}`);
    this.name = "DialectOnlyOpError";
  }
}

/** `addColumn("docs", "body")`: how an op is named in messages. */
export function describeOp(op: Op): string {
  const o = op as unknown as Record<string, unknown>;
  const table = typeof o.table === "string" ? o.table : (o.table as Table | undefined)?.name;
  const second =
    (o.column && typeof o.column === "object" ? (o.column as Column).name : o.column) ??
    (o.index as { name?: string } | undefined)?.name ??
    o.name ??
    o.from;
  const args = [table, second].filter((v): v is string => typeof v === "string").map((v) => JSON.stringify(v));
  return `op.${op.kind}(${args.join(", ")})`;
}

function resolveColumn(column: Column | undefined, resolver: PortableResolver): Column | undefined {
  if (column === undefined) return undefined;
  return isPortableColumn(column) ? resolver.column(column) : column;
}

type AlterColumnOp = Extract<Op, { kind: "alterColumn" }>;

/**
 * `op` with `mapColumn` applied to every whole column it carries (a new or
 * dropped table's, an added or dropped column); an `alterColumn`, whose
 * changes are partial, goes to `mapAlter`. The one list of which ops carry
 * columns, for resolving portable columns and for checking SQL defaults.
 */
function mapColumnsOf(op: Op, mapColumn: (column: Column) => Column, mapAlter: (op: AlterColumnOp) => Op | undefined): Op | undefined {
  const table = (t: Table): Table => {
    const columns = t.columns.map(mapColumn);
    return columns.every((c, i) => c === t.columns[i]) ? t : { ...t, columns };
  };
  switch (op.kind) {
    case "createTable":
      return { ...op, table: table(op.table) };
    case "dropTable":
      return op.existing ? { ...op, existing: table(op.existing) } : op;
    case "addColumn":
      return { ...op, column: mapColumn(op.column) };
    case "dropColumn":
      return op.existing ? { ...op, existing: mapColumn(op.existing) } : op;
    case "alterColumn":
      return mapAlter(op);
    default:
      return op;
  }
}

/**
 * The dialect changes of a portable `alterColumn`: the column before and after
 * the change are both resolved, and every dialect property that differs is a
 * change. `undefined` when the change is nothing on this dialect (`Text` to
 * `SimpleJson` is `text` either way).
 */
function resolveAlter(op: AlterColumnOp, resolver: PortableResolver): Op | undefined {
  const changes = op.changes as Record<string, unknown>;
  if (!isPortableType(changes.type) && !isPortableColumn(op.existing)) return op;
  const resolved: Record<string, unknown> = {};
  if (op.existing === undefined) {
    // Without the previous definition, the changes alone are resolved and stated whole.
    const partial = Object.fromEntries(Object.entries(changes).filter(([, v]) => v !== null));
    const target = resolver.column({ name: op.column, ...partial } as PortableColumn);
    for (const key of ALTERABLE_PROPERTIES) {
      if (target[key] !== undefined) resolved[key] = target[key];
      else if (changes[key] === null) resolved[key] = null;
    }
    return { ...op, changes: resolved as ColumnChanges };
  }
  const existing = resolveColumn(op.existing, resolver)!;
  const target = resolveColumn(applyColumnChanges(op.existing, op.changes), resolver)!;
  for (const key of ALTERABLE_PROPERTIES) {
    const b = target[key];
    if (JSON.stringify(existing[key]) !== JSON.stringify(b)) resolved[key] = b === undefined ? null : b;
  }
  if (Object.keys(resolved).length === 0) return undefined;
  return { ...op, changes: resolved as ColumnChanges, existing };
}

/** `op` with every portable column resolved for the dialect; `undefined` when nothing is left to do. */
export function resolvePortableOp(op: Op, resolver: PortableResolver): Op | undefined {
  const resolved = op.kind === "fillNulls" ? resolveFill(op, resolver) : resolveColumns(op, resolver);
  return resolved && resolver.op ? resolver.op(resolved) : resolved;
}

/** A portable fill value's SQL on the resolver's dialect (the default it gives a column of that type); undefined where it has none. */
export function portableFillSql(op: Extract<Op, { kind: "fillNulls" }>, valueType: PortableValueType, resolver: PortableResolver): string | undefined {
  return resolver.column({ ...valueType, name: op.column, nullable: true, default: op.value as PortableDefault }).default;
}

function resolveFill(op: Extract<Op, { kind: "fillNulls" }>, resolver: PortableResolver): Op {
  if (!op.valueType) return op;
  const sql = portableFillSql(op, op.valueType, resolver);
  if (sql === undefined) throw new DefaultValueError(`${describeOp(op)}: the value ${describeValue(op.value)} has no SQL form on this database`);
  const { valueType: _portable, ...dialectOp } = op;
  return { ...dialectOp, value: sql };
}

/** The SQL a renderer writes for a fill: resolvePortableOp has made a portable value SQL before any renderer runs. */
export function fillSql(op: Extract<Op, { kind: "fillNulls" }>): string {
  if (op.valueType || typeof op.value !== "string") throw new Error(`${describeOp(op)} reached SQL rendering with its portable value unresolved`);
  return op.value;
}

function resolveColumns(op: Op, resolver: PortableResolver): Op | undefined {
  return mapColumnsOf(
    op,
    (column) => resolveColumn(column, resolver)!,
    (alter) => resolveAlter(alter, resolver),
  );
}

/**
 * A default written in a revision file that is neither SQL text nor a
 * portable column's JS value. Not a UserError: the runner wraps it with the
 * revision, the statement reached and what was rolled back.
 */
export class DefaultValueError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "DefaultValueError";
  }
}

/**
 * `op` with the defaults of its dialect-typed columns as SQL text. Such a
 * default is SQL (`"0"`, `"'draft'"`); a finite number is its own literal, as
 * it is in TypeORM's `@Column({ default: 0 })`, and is taken as that text.
 * Any other JS value (`true`, an object) would mean something different per
 * dialect: it is refused here, naming the column, rather than failing in a
 * renderer with a message about neither.
 */
export function withSqlDefaults(op: Op): Op {
  const named = (column: string, value: unknown, role = "the default of"): string | null | undefined => {
    if (value === undefined || value === null || typeof value === "string") return value;
    if ((typeof value === "number" && Number.isFinite(value)) || typeof value === "bigint") return String(value);
    throw new DefaultValueError(
      `${describeOp(op)}: ${role} column "${column}" is SQL text (such as "0" or "'draft'") because its type is a dialect's spelling, not ${describeValue(value)}; write it as SQL, or give the column a portable type (such as "Boolean") to write a JS value`,
    );
  };
  const column = (c: Column): Column =>
    isPortableColumn(c) || c.default === undefined || typeof c.default === "string" ? c : { ...c, default: named(c.name, c.default) as Column["default"] };
  // Without a portable value type, its value is SQL whatever the column's type: the table is not known here.
  if (op.kind === "fillNulls") return op.valueType ? checkedFill(op) : { ...op, value: named(op.column, op.value, "the value written into")! };
  return mapColumnsOf(op, column, (alter) => {
    const existing = alter.existing && column(alter.existing);
    const portable = isPortableType(alter.changes.type) || isPortableColumn(alter.existing);
    if (portable || alter.changes.default === undefined || alter.changes.default === null) return { ...alter, existing };
    return { ...alter, changes: { ...alter.changes, default: named(alter.column, alter.changes.default) }, existing };
  })!;
}

/** A portable `fillNulls` as the file wrote it, refused here when its type or value cannot be rendered. */
function checkedFill(op: Extract<Op, { kind: "fillNulls" }>): Op {
  const valueType = op.valueType as Record<string, unknown>;
  const refuse = (what: string) => {
    throw new DefaultValueError(`${describeOp(op)}: ${what}`);
  };
  if (typeof valueType !== "object" || valueType === null || !isPortableType(valueType.type)) {
    refuse(`the type of the value written into column "${op.column}" is one of the portable types (${PORTABLE_TYPES.join(", ")}), not ${describeValue(valueType?.type)}`);
  }
  const extra = Object.keys(valueType).filter((key) => !(PORTABLE_VALUE_TYPE_PROPERTIES as readonly string[]).includes(key));
  if (extra.length > 0) refuse(`the type of the value written into column "${op.column}" takes only ${PORTABLE_VALUE_TYPE_PROPERTIES.join(", ")}, not ${extra.join(", ")}`);
  const value = op.value as unknown;
  const isFunction = typeof value === "object" && value !== null && ["now", "uuid"].includes((value as PortableFunction).fn);
  if (!isFunction && !(typeof value === "string" || typeof value === "boolean" || (typeof value === "number" && Number.isFinite(value)))) {
    refuse(`the value written into column "${op.column}" is a portable default (a string, number, boolean, { fn: "now" } or { fn: "uuid" }), not ${describeValue(value)}`);
  }
  return op;
}

/** A JS value as a message shows it: JSON where it has one, else its kind. */
function describeValue(value: unknown): string {
  if (typeof value === "function") return "a function";
  try {
    return JSON.stringify(value) ?? String(value);
  } catch {
    return `a ${typeof value}`;
  }
}
