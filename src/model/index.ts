/**
 * TypeORM entity metadata -> neutral Schema: the "target" side of
 * autogenerate. It describes the tables TypeORM's RdbmsSchemaBuilder would
 * create for the same entities (createNewTables, createNewIndices,
 * createForeignKeys, ...), with the names TypeORM gives them, and ends with
 * the dialect's canonical pass so it deep-equals the introspected schema.
 */
import type { DataSource, EntityMetadata } from "typeorm";
import type { Dialect } from "../dialects/dialect";
import type { EnumType, Schema, Table, View } from "../schema/types";
import { columnOf, tableColumns, UnsupportedModelError, type TableContext } from "./columns";
import { checksOf, exclusionsOf, foreignKeysOf, indexesOf, primaryKeyOf, uniquesOf } from "./constraints";
import { assertMetadataBuilt, tableMetadatas, viewMetadatas } from "./metadata";
import { modelTableName, tableNameOf } from "./namespaces";
import { serverNames, type TruncatedName } from "./names";
import { ddlProfileOf, type DdlProfile } from "./profile";

export { buildMetadataOnly, ensureMetadata, MetadataNotBuiltError, tableMetadatas, unsynchronizedMetadatas } from "./metadata";
export { UnsupportedModelError, postgresEnumName } from "./columns";
export { ddlProfileOf, type DdlProfile } from "./profile";
export { configuredNamespaces, modelNamespaces, modelTableName } from "./namespaces";
export { IdentifierCollisionError, IdentifierTooLongError, type TruncatedName } from "./names";

export interface SchemaFromMetadataOptions {
  /** Only tables for which this returns true are described. */
  includeTable?: (name: string) => boolean;
  /** Told about each entity name the server will store shortened (the schema already uses the stored name). */
  onTruncatedName?: (name: TruncatedName) => void;
}

/**
 * The schema TypeORM's synchronize would build for the entities of
 * `dataSource`, in the canonical form of `dialect`. The DataSource must be
 * initialized or have its metadata built (`buildMetadataOnly`/`ensureMetadata`).
 */
export function schemaFromMetadata(dataSource: DataSource, dialect: Dialect, options: SchemaFromMetadataOptions = {}): Schema {
  assertMetadataBuilt(dataSource);
  const profile = ddlProfileOf(dataSource);
  const include = options.includeTable ?? (() => true);
  const declared = tableMetadatas(dataSource)
    .map((m) => ({ metadata: m, ...tableNameOf(m, dataSource, profile) }))
    .filter(({ name }) => include(name))
    .map(({ metadata, refusal }) => {
      if (refusal) throw refusal;
      return { table: rawTable(contextOf(metadata, dataSource, profile)), entity: metadata.name };
    });
  const { tables: raw, truncated } = serverNames(mergeSameTable(declared), dialect);
  for (const name of truncated) options.onTruncatedName?.(name);
  const tables = raw.map((t) => dialect.canonicalTable(t));
  for (const table of tables) refuseImpossibleIncrements(table, dialect);
  const views = viewsOf(dataSource, dialect, profile, include);
  return {
    tables: tables.sort(byName),
    enums: profile.enums === "named-type" ? enumsOf(raw) : [],
    ...(views.length > 0 ? { views } : {}),
  };
}

/**
 * The views RdbmsSchemaBuilder creates: the expression as it compares it
 * (a string trimmed, a QueryBuilder rendered by the connected driver), and
 * `materialized` where the dialect has materialized views (TypeORM's other
 * drivers create a plain view). `dependsOn` names view entities.
 */
function viewsOf(dataSource: DataSource, dialect: Dialect, profile: DdlProfile, include: (name: string) => boolean): View[] {
  // Named as tables are (`schema.view` outside the default schema; a view in a namespace the dialect cannot manage is refused).
  const nameOf = (m: EntityMetadata) => tableNameOf(m, dataSource, profile);
  const metadatas = viewMetadatas(dataSource).filter((m) => include(nameOf(m).name));
  const dependencyName = (dependency: unknown) => {
    const found = dataSource.entityMetadatas.find((m) => m.target === dependency || m.name === dependency);
    return found && modelTableName(found, dataSource, profile);
  };
  return metadatas
    .map((m) => {
      const expression = m.expression ?? "";
      const view: View = {
        name: modelTableName(m, dataSource, profile),
        definition: typeof expression === "string" ? expression.trim() : expression(dataSource).getQuery(),
      };
      if (m.tableMetadataArgs.materialized && dialect.materializedViews) view.materialized = true;
      const reads = [...(m.dependsOn ?? [])].flatMap((d) => dependencyName(d) ?? []).sort();
      if (reads.length > 0) view.reads = reads;
      return view;
    })
    .sort(byName);
}

/**
 * One table per name. A junction entity declared with `@Entity({ name })` and
 * the `@JoinTable({ name })` of a many-to-many naming the same table are two
 * metadatas for one table; RdbmsSchemaBuilder creates it from the first
 * (declared entities come before junctions), then adds the columns, indexes,
 * uniques, checks and foreign keys of the later ones that it lacks by name.
 */
export function mergeSameTable<T extends { table: Table; entity: string }>(declared: readonly T[]): T[] {
  const byName = new Map<string, T>();
  for (const item of declared) {
    const first = byName.get(item.table.name);
    if (!first) byName.set(item.table.name, item);
    else byName.set(item.table.name, { ...first, table: mergeInto(first.table, item.table) });
  }
  return [...byName.values()];
}

function mergeInto(first: Table, later: Table): Table {
  const missing = <E extends { name: string }>(mine: E[] | undefined, theirs: E[] | undefined): E[] | undefined => {
    if (!theirs?.length) return mine;
    const names = new Set((mine ?? []).map((e) => e.name));
    return [...(mine ?? []), ...theirs.filter((e) => !names.has(e.name))];
  };
  const table: Table = {
    ...first,
    columns: missing(first.columns, later.columns) ?? [],
    uniques: missing(first.uniques, later.uniques),
    indexes: missing(first.indexes, later.indexes),
    foreignKeys: missing(first.foreignKeys, later.foreignKeys),
    checks: missing(first.checks, later.checks),
  };
  const exclusions = missing(first.exclusions, later.exclusions);
  if (exclusions?.length) table.exclusions = exclusions;
  if (!table.primaryKey && later.primaryKey) table.primaryKey = later.primaryKey;
  return table;
}

/**
 * `@Generated()` defaults to "increment" whatever the property's type, so
 * `@Generated() @PrimaryColumn() id: string` asks for an auto-increment on a
 * varchar, which TypeORM writes and every database refuses or ignores:
 * stop before a revision is written rather than at upgrade.
 */
function refuseImpossibleIncrements(table: Table, dialect: Dialect): void {
  for (const column of table.columns) {
    const problem = column.autoIncrement ? dialect.autoIncrementProblem(table, column) : undefined;
    if (!problem) continue;
    throw new UnsupportedModelError(
      table.name,
      column.name,
      `it is generated by increment (what @Generated() and @PrimaryGeneratedColumn() mean without an argument), but ${problem}; declare it a number, or use @Generated("uuid") for a generated string key`,
    );
  }
}

/** One table as TypeORM writes it, before the dialect's canonical pass. */
export function rawTable(ctx: TableContext): Table {
  const table: Table = {
    name: ctx.tableName,
    columns: tableColumns(ctx.metadata).map((c) => columnOf(c, ctx)),
    uniques: uniquesOf(ctx),
    indexes: indexesOf(ctx),
    foreignKeys: foreignKeysOf(ctx),
    checks: checksOf(ctx),
  };
  const primaryKey = primaryKeyOf(ctx);
  if (primaryKey) table.primaryKey = primaryKey;
  const exclusions = exclusionsOf(ctx);
  if (exclusions.length > 0) table.exclusions = exclusions;
  if (ctx.profile.comments && ctx.metadata.comment) table.comment = ctx.metadata.comment;
  if (ctx.profile.withoutRowid && ctx.metadata.withoutRowid) table.withoutRowid = true;
  return table;
}

/** The reading context of one entity's table. */
export function contextOf(metadata: EntityMetadata, dataSource: DataSource, profile: DdlProfile = ddlProfileOf(dataSource)): TableContext {
  return {
    metadata,
    tableName: modelTableName(metadata, dataSource, profile),
    tableNameOf: (other) => modelTableName(other, dataSource, profile),
    driver: dataSource.driver,
    profile,
    typeormPath: typeormPath(metadata, dataSource),
    namingStrategy: dataSource.namingStrategy,
  };
}

/** Table.create's name: qualified by schema/database only when they differ from the connection's. */
function typeormPath(metadata: EntityMetadata, dataSource: DataSource): string {
  const driver = dataSource.driver;
  const defaultSchema = (driver.options as { schema?: string }).schema;
  const database = metadata.database === driver.database ? undefined : metadata.database;
  const schema = metadata.schema === defaultSchema ? undefined : metadata.schema;
  return driver.buildTableName(metadata.tableName, schema, database);
}

/**
 * PostgreSQL enum types, one per name: like PostgresQueryRunner.createTable,
 * the first column declaring a name creates the type.
 */
function enumsOf(tables: Table[]): EnumType[] {
  const byEnumName = new Map<string, EnumType>();
  for (const column of tables.flatMap((t) => t.columns)) {
    if (column.enumName === undefined || column.enumValues === undefined || byEnumName.has(column.enumName)) continue;
    byEnumName.set(column.enumName, { name: column.enumName, values: [...column.enumValues] });
  }
  return [...byEnumName.values()].sort(byName);
}

function byName(a: { name: string }, b: { name: string }): number {
  return a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
}
