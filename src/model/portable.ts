/**
 * The portable form of entity columns, read from TypeORM's column metadata as
 * declared (ColumnMetadata.type before the driver normalizes it, the declared
 * length, precision and default) rather than from the database. A column is
 * portable when its declared type means the same on every driver (TypeORM's
 * `"varchar"` is a varchar everywhere, `"timestamp"` is a timestamp on MySQL
 * but a datetime-like column nowhere else) and when this dialect's portable
 * resolver renders it exactly as the target column: a portable column always
 * converges where it was generated.
 */
import type { DataSource, EntityMetadata } from "typeorm";
import type { ColumnMetadata } from "typeorm/metadata/ColumnMetadata";
import { isDeepStrictEqual } from "node:util";
import type { PortableColumn, PortableDefault, PortableResolver, PortableType } from "../ops/portable";
import type { Column, Schema, Unique } from "../schema/types";
import { typeorm, typeormInternal } from "../config/typeorm";
import { postgresEnumName, tableColumns } from "./columns";
import { tableMetadatas } from "./metadata";
import { tableNameOf } from "./namespaces";
import { ddlProfileOf } from "./profile";

/** Declared TypeORM types every driver normalizes the way the portable type renders (see src/dialects/portable-rules.ts). */
const DECLARED: Readonly<Record<string, PortableType>> = {
  smallint: "SmallInteger",
  int: "Integer",
  integer: "Integer",
  bigint: "BigInteger",
  decimal: "Decimal",
  float: "Float",
  "double precision": "Double",
  boolean: "Boolean",
  varchar: "String",
  text: "Text",
  date: "Date",
  time: "Time",
  uuid: "Uuid",
  json: "Json",
  "simple-json": "SimpleJson",
  "simple-array": "SimpleArray",
  enum: "Enum",
  "simple-enum": "Enum",
};

/** Portable columns by table, then column name. */
export type PortableIndex = Map<string, Map<string, PortableColumn>>;

function declaredType(column: ColumnMetadata, driver: DataSource["driver"]): PortableType | undefined {
  const mapped = driver.mappedDataTypes;
  // A date role keeps TypeORM's mapped type unless the entity declared another.
  if (column.isCreateDate && (column.type === mapped.createDate || column.type === Date)) return "CreateDate";
  if (column.isUpdateDate && (column.type === mapped.updateDate || column.type === Date)) return "UpdateDate";
  if (column.isDeleteDate && (column.type === mapped.deleteDate || column.type === Date)) return "DeleteDate";
  if (column.isVersion) return "Integer";
  if (column.type === String) return "String";
  if (column.type === Number) return "Integer";
  if (column.type === Boolean) return "Boolean";
  if (column.type === Date) return "DateTime";
  return typeof column.type === "string" ? DECLARED[column.type] : undefined;
}

const NOW = /^(?:now\(\)|current_timestamp(?:\(\d*\))?|datetime\('now'\))$/i;

const NOT_PORTABLE = Symbol("not portable");

/** The declared default as a portable one; NOT_PORTABLE when it is SQL only one dialect reads. */
function declaredDefault(column: ColumnMetadata, type: PortableType): PortableDefault | undefined | typeof NOT_PORTABLE {
  if (column.isGenerated && column.generationStrategy === "uuid") return { fn: "uuid" };
  const value: unknown = column.default;
  if (value === undefined || value === null) return undefined;
  if (typeof value === "function") {
    const sql = String((value as () => unknown)());
    if (!NOW.test(sql.trim())) return NOT_PORTABLE;
    return type === "CreateDate" || type === "UpdateDate" ? undefined : { fn: "now" };
  }
  if (typeof value === "string" || typeof value === "number" || typeof value === "boolean") return value;
  return NOT_PORTABLE;
}

/** What no portable column carries: a column with any of these is written in this dialect's spelling. */
function dialectOnly(column: ColumnMetadata): boolean {
  const strategy: string | undefined = column.generationStrategy;
  return (
    column.isArray ||
    column.unsigned ||
    !!column.charset ||
    !!column.collation ||
    !!column.asExpression ||
    (column.isGenerated && strategy !== "increment" && strategy !== "uuid") ||
    (!!column.onUpdate && !column.isUpdateDate)
  );
}

function portableOf(column: ColumnMetadata, metadata: EntityMetadata, tableName: string, driver: DataSource["driver"], target: Column): PortableColumn | undefined {
  if (dialectOnly(column)) return undefined;
  const type = declaredType(column, driver);
  if (!type) return undefined;
  const dflt = declaredDefault(column, type);
  if (dflt === NOT_PORTABLE) return undefined;
  const out: PortableColumn = { name: column.databaseName, type };
  if (column.length) out.length = Number(column.length);
  const role = type === "CreateDate" || type === "UpdateDate" || type === "DeleteDate";
  // A role's precision may be TypeORM's mapped one (MySQL 6); leaving it out lets each dialect map its own.
  if (column.precision !== undefined && column.precision !== null && !role) out.precision = column.precision;
  if (out.precision !== undefined && column.scale !== undefined && column.scale !== null) out.scale = column.scale;
  out.nullable = target.nullable === true;
  if (dflt !== undefined && dflt !== null) out.default = dflt;
  if (column.isGenerated && column.generationStrategy === "increment") out.autoIncrement = true;
  if (type === "Enum" && column.enum) {
    out.enumValues = column.enum.map(String);
    out.enumName = postgresEnumName(column, metadata, tableName);
  }
  if (column.comment) out.comment = column.comment;
  return out;
}

/**
 * The portable form of every target column that has one and that `resolver`
 * renders exactly as `target` describes it (for a date role, with or without
 * the mapped precision).
 */
export function portableIndexOf(dataSource: DataSource, target: Schema, resolver: PortableResolver): PortableIndex {
  const index: PortableIndex = new Map();
  const tables = new Map(target.tables.map((t) => [t.name, t]));
  const profile = ddlProfileOf(dataSource);
  for (const metadata of tableMetadatas(dataSource)) {
    const table = tables.get(tableNameOf(metadata, dataSource, profile).name);
    if (!table) continue;
    // A junction entity and a @JoinTable may name one table: the first declares a column.
    const columns = index.get(table.name) ?? new Map<string, PortableColumn>();
    for (const column of tableColumns(metadata)) {
      if (columns.has(column.databaseName)) continue;
      const targetColumn = table.columns.find((c) => c.name === column.databaseName);
      if (!targetColumn) continue;
      const portable = portableOf(column, metadata, table.name, dataSource.driver, targetColumn);
      // A date role with a declared precision (`@UpdateDateColumn({ precision: 3 })`) states it.
      const declared = portable && column.precision !== undefined && column.precision !== null && { ...portable, precision: column.precision };
      const found = [portable, declared].find((p) => p && isDeepStrictEqual(resolver.column(p), targetColumn));
      if (found) columns.set(found.name, found);
    }
    index.set(table.name, columns);
  }
  return index;
}

/** A unique constraint as declared: its constraint name, and the index name a driver that keeps it as an index gives it. */
export interface DeclaredUnique extends Unique {
  indexName: string;
}

/** Unique constraints the entities declare, by table. */
export type DeclaredUniques = Map<string, DeclaredUnique[]>;

interface UniqueMetadataClass {
  new (options: { entityMetadata: EntityMetadata; args: unknown }): {
    name: string;
    givenName?: string;
    columns: ColumnMetadata[];
    build(naming: unknown): void;
  };
}

/**
 * The unique constraints as declared (`@Unique`, `@Column({ unique: true })`,
 * a one-to-one join column), read from TypeORM's decorator storage rather than
 * from the built metadata: a driver that keeps them as unique indexes (MySQL)
 * has already turned them into indexes there, under index names. A revision
 * written on such a driver states them as constraints, with the constraint
 * names the other drivers give them, so the file means the same everywhere.
 */
export function declaredUniquesOf(dataSource: DataSource): DeclaredUniques {
  const out: DeclaredUniques = new Map();
  const UniqueMetadata = typeormInternal<{ UniqueMetadata: UniqueMetadataClass }>("metadata/UniqueMetadata")?.UniqueMetadata;
  const Transformer = typeormInternal<{ EntitySchemaTransformer: new () => { transform(s: unknown[]): MetadataArgs } }>(
    "entity-schema/EntitySchemaTransformer",
  )?.EntitySchemaTransformer;
  if (!UniqueMetadata || !Transformer) return out;
  const { EntitySchema, getMetadataArgsStorage } = typeorm();
  const schemas = (Array.isArray(dataSource.options.entities) ? dataSource.options.entities : []).filter((e) => e instanceof EntitySchema);
  const storages: MetadataArgs[] = [getMetadataArgsStorage() as unknown as MetadataArgs, new Transformer().transform(schemas)];
  const naming = dataSource.namingStrategy;
  for (const metadata of tableMetadatas(dataSource)) {
    const uniques: DeclaredUnique[] = [];
    for (const args of storages.flatMap((s) => s.filterUniques(metadata.inheritanceTree))) {
      try {
        const unique = new UniqueMetadata({ entityMetadata: metadata, args });
        unique.build(naming);
        const columns = unique.columns.map((c) => c.databaseName);
        // EntityMetadataBuilder: an index made of a unique keeps its given name, else namingStrategy.indexName.
        uniques.push({ name: unique.name, columns, indexName: unique.givenName ?? naming.indexName(metadata.tableName, columns) });
      } catch {
        // A unique TypeORM itself would refuse is reported by the model, not here.
      }
    }
    for (const relation of metadata.relations) {
      const columns = relation.joinColumns.map((c) => c.databaseName);
      if (!relation.isOneToOne || columns.length === 0 || relation.joinColumns.every((c) => c.isPrimary)) continue;
      const name = naming.relationConstraintName(metadata.tableName, columns);
      uniques.push({ name, columns, indexName: name });
    }
    if (uniques.length > 0) out.set(metadata.tableName, [...(out.get(metadata.tableName) ?? []), ...uniques]);
  }
  return out;
}

interface MetadataArgs {
  filterUniques(target: unknown): unknown[];
}
