import type { DataSource, DataSourceOptions, EntityMetadata } from "typeorm";
import { typeorm } from "../config/typeorm";

/** Raised when entity metadata is read from a DataSource whose metadata was never built. */
export class MetadataNotBuiltError extends Error {
  constructor(readonly dataSource: DataSource) {
    super(
      "The DataSource's entity metadata has not been built: call initialize() or buildMetadataOnly()/ensureMetadata() before reading the models.",
    );
    this.name = "MetadataNotBuiltError";
  }
}

/** The part of DataSource that builds metadata; TypeORM declares it protected. */
interface MetadataBuilding {
  buildMetadatas(): Promise<void>;
}

function hasEntities(dataSource: DataSource): boolean {
  const entities = dataSource.options.entities;
  if (!entities) return false;
  return Array.isArray(entities) ? entities.length > 0 : Object.keys(entities).length > 0;
}

/**
 * Builds the entity metadata of `dataSource` without connecting, when it is
 * neither initialized nor built yet. Drivers only need a connection for
 * version-dependent type choices (MariaDB `uuid`/`json`); everything the
 * schema reader uses is available offline.
 */
export async function ensureMetadata(dataSource: DataSource): Promise<DataSource> {
  if (dataSource.isInitialized || dataSource.entityMetadatas.length > 0) return dataSource;
  await (dataSource as unknown as MetadataBuilding).buildMetadatas();
  return dataSource;
}

/** A DataSource for `options` with its entity metadata built and no connection opened. */
export async function buildMetadataOnly(options: DataSourceOptions): Promise<DataSource> {
  const { DataSource } = typeorm();
  return ensureMetadata(new DataSource(options));
}

/** Throws MetadataNotBuiltError when the models could not have been read yet. */
export function assertMetadataBuilt(dataSource: DataSource): void {
  if (!dataSource.isInitialized && dataSource.entityMetadatas.length === 0 && hasEntities(dataSource)) {
    throw new MetadataNotBuiltError(dataSource);
  }
}

/**
 * The metadatas RdbmsSchemaBuilder turns into tables: views are not tables,
 * single-table-inheritance children live in their parent's table, and
 * `synchronize: false` entities are left alone by TypeORM.
 */
export function tableMetadatas(dataSource: DataSource): EntityMetadata[] {
  return dataSource.entityMetadatas.filter(
    (m) => m.synchronize && m.tableType !== "entity-child" && m.tableType !== "view",
  );
}

/** Entities TypeORM skips because of `synchronize: false` (reported, never modelled). */
export function unsynchronizedMetadatas(dataSource: DataSource): EntityMetadata[] {
  return dataSource.entityMetadatas.filter((m) => !m.synchronize && m.tableType !== "entity-child" && m.tableType !== "view");
}

/** The `@ViewEntity`s RdbmsSchemaBuilder creates views for (`synchronize: false` ones are left alone). */
export function viewMetadatas(dataSource: DataSource): EntityMetadata[] {
  return dataSource.entityMetadatas.filter((m) => m.synchronize && m.tableType === "view");
}
