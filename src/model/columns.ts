import type { Driver, EntityMetadata, NamingStrategyInterface } from "typeorm";
import type { ColumnMetadata } from "typeorm/metadata/ColumnMetadata";
import { UserError } from "../errors";
import { besides } from "../schema/qualified";
import type { Column } from "../schema/types";
import type { DdlProfile } from "./profile";

/** What the column and constraint readers need to know about the table being read. */
export interface TableContext {
  readonly metadata: EntityMetadata;
  /** The table's name in the model: `schema.table` outside the default schema. */
  readonly tableName: string;
  /** The model's name of any entity's table (a foreign key's referenced table). */
  readonly tableNameOf: (metadata: EntityMetadata) => string;
  readonly driver: Driver;
  readonly profile: DdlProfile;
  /**
   * The table name TypeORM hands its naming strategy while writing DDL
   * (`Table.create`: schema/database-qualified only outside the defaults).
   */
  readonly typeormPath: string;
  /** The DataSource's naming strategy (EntityMetadata reaches it as `dataSource` in 1.x, `connection` in 0.3). */
  readonly namingStrategy: NamingStrategyInterface;
}

/** Raised when entity metadata holds a value TypeORM itself would write as broken SQL. */
export class UnsupportedModelError extends UserError {
  constructor(
    readonly table: string,
    readonly column: string | undefined,
    reason: string,
  ) {
    super(`${column ? `${table}.${column}` : table}: ${reason}`);
  }
}

/** The columns TypeORM creates for a table, in the order it creates them. */
export function tableColumns(metadata: EntityMetadata): ColumnMetadata[] {
  return metadata.columns.filter((c) => !c.isVirtualProperty);
}

/** One column as TypeORM's createTable writes it, before the dialect's canonical pass. */
export function columnOf(column: ColumnMetadata, ctx: TableContext): Column {
  const type = ctx.driver.normalizeType(column);
  const out: Column = { name: column.databaseName, type, nullable: isNullable(column, ctx) };
  const enumValues = enumValuesOf(column, type, ctx);
  if (enumValues) out.enumValues = enumValues;
  if (ctx.profile.enums === "named-type" && type === "enum") out.enumName = postgresEnumName(column, ctx.metadata, ctx.tableName);
  else Object.assign(out, sizeOf(column, type, enumValues !== undefined, ctx));
  if (column.isArray) out.array = true;
  if (ctx.profile.unsigned && column.unsigned) out.unsigned = true;
  // TypeORM 0.3 writes ZEROFILL (which implies UNSIGNED); 1.x dropped the option and writes neither.
  if (ctx.profile.unsigned && (column as { zerofill?: boolean }).zerofill) out.zerofill = true;
  const dflt = defaultOf(column, ctx);
  if (dflt !== undefined) out.default = dflt;
  Object.assign(out, generationOf(column, ctx));
  if (ctx.profile.comments && column.comment) out.comment = column.comment;
  if (column.collation) out.collation = column.collation;
  if (ctx.profile.charset && column.charset) out.charset = column.charset;
  if (ctx.profile.onUpdate && column.onUpdate) out.onUpdate = atDatePrecision(column.onUpdate, column, ctx);
  return out;
}

/**
 * TypeORM gives every create/update date column the driver's default
 * `CURRENT_TIMESTAMP(6)` (default and ON UPDATE), even one declared with
 * another precision, which MySQL refuses ("Invalid default value"). The
 * revision writes the column's own precision, so the model reads it so too.
 */
function atDatePrecision(value: string, column: ColumnMetadata, ctx: TableContext): string {
  if (!column.isCreateDate && !column.isUpdateDate) return value;
  const mapped = ctx.driver.mappedDataTypes;
  const implicit = column.isCreateDate ? mapped.createDateDefault : mapped.updateDateDefault;
  if (typeof column.precision !== "number" || value.toUpperCase() !== String(implicit).toUpperCase()) return value;
  return value.replace(/\(\s*\d+\s*\)$/, `(${column.precision})`);
}

/**
 * Primary columns are NOT NULL whatever they declare. MariaDB refuses NULL/NOT
 * NULL on generated columns, so TypeORM's "mariadb" driver writes neither and
 * the server reports them nullable.
 */
function isNullable(column: ColumnMetadata, ctx: TableContext): boolean {
  if (column.isPrimary) return false;
  if (column.asExpression && ctx.driver.options.type === "mariadb") return true;
  return column.isNullable === true;
}

/** The enum's values, where TypeORM writes them (PostgreSQL type, MySQL inline list, SQLite CHECK). */
function enumValuesOf(column: ColumnMetadata, type: string, ctx: TableContext): string[] | undefined {
  if (!column.enum) return undefined;
  const values = column.enum.map((v) => String(v));
  switch (ctx.profile.enums) {
    case "named-type":
      return type === "enum" ? values : undefined;
    case "inline":
      return values;
    case "check":
      return column.isArray ? undefined : values;
  }
}

/**
 * PostgresQueryRunner.buildEnumName: the declared name or `<table>_<column
 * lower-cased>_enum`, in the schema of the table (`tableName` as the model
 * writes it), as TypeORM creates one type per schema.
 */
export function postgresEnumName(column: ColumnMetadata, metadata: EntityMetadata, tableName: string): string {
  return besides(tableName, column.enumName ?? defaultEnumName(metadata.tableName, column.databaseName));
}

/** TypeORM's name for the enum type of a column that declares none: `<table>_<column lower-cased>_enum`. */
export function defaultEnumName(table: string, column: string): string {
  return `${table}_${column.toLowerCase()}_enum`;
}

/**
 * Length, precision and scale as createFullType writes them: a length wins
 * over precision, and scale is only written with a precision. Implicit lengths
 * the driver knows (`dataTypeDefaults`, MySQL's varchar 255) are stated, as
 * the canonical form wants; implicit precisions are left to the dialect.
 */
function sizeOf(
  column: ColumnMetadata,
  type: string,
  isEnum: boolean,
  ctx: TableContext,
): Pick<Column, "length" | "precision" | "scale"> {
  // SQLite's createFullType writes every enum column as a bare varchar.
  if (isEnum && ctx.profile.enums === "check") return {};
  const driver = ctx.driver;
  const declared = driver.getColumnLength(column);
  const length = declared ? Number(declared) : driver.dataTypeDefaults?.[type]?.length;
  if (length !== undefined && !Number.isNaN(length)) return { length };
  if (column.precision === undefined || column.precision === null) return {};
  if (column.scale === undefined || column.scale === null) return { precision: column.precision };
  return { precision: column.precision, scale: column.scale };
}

/**
 * TypeORM wraps a string default in quotes without escaping it, so
 * `default: "O'Brien"` would be invalid SQL (typeorm#10408). A body that is
 * already a valid escaped literal (`"it''s"`, the usual workaround) is kept
 * as it is, so databases TypeORM itself created with it show no drift.
 */
function escapeStringDefault(raw: unknown, written: string): string {
  if (typeof raw !== "string" || written !== `'${raw}'`) return written;
  if (/^(?:[^']|'')*$/.test(raw)) return written;
  return `'${raw.replaceAll("'", "''")}'`;
}

/** The DEFAULT TypeORM writes: its own normalizeDefault, plus PostgreSQL's uuid generator. */
function defaultOf(column: ColumnMetadata, ctx: TableContext): string | undefined {
  // A generated column has no default on any dialect (SQLite writes only the AS clause).
  if (column.asExpression) return undefined;
  const value = ctx.driver.normalizeDefault(column);
  if (value !== undefined && value !== null) return atDatePrecision(escapeStringDefault(column.default, value), column, ctx);
  if (ctx.profile.uuidDefault && column.isGenerated && column.generationStrategy === "uuid") {
    return (ctx.driver as Driver & { uuidGenerator?: string }).uuidGenerator;
  }
  return undefined;
}

/** Auto-increment, identity and computed-column properties. */
function generationOf(column: ColumnMetadata, ctx: TableContext): Pick<Column, "autoIncrement" | "identity" | "generated"> {
  const out: Pick<Column, "autoIncrement" | "identity" | "generated"> = {};
  if (column.isGenerated && column.generationStrategy === "increment") out.autoIncrement = true;
  // "identity" is missing from ColumnMetadata's declared union but is what @PrimaryGeneratedColumn("identity") stores.
  const strategy: string | undefined = column.generationStrategy;
  if (ctx.profile.identity && column.isGenerated && strategy === "identity") {
    out.identity = column.generatedIdentity === "ALWAYS" ? "ALWAYS" : "BY DEFAULT";
  }
  if (column.asExpression) {
    out.generated = { expression: column.asExpression, stored: column.generatedType === "STORED" };
  }
  return out;
}
