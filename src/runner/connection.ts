import type { DataSource, DataSourceOptions, QueryRunner } from "typeorm";
import { typeorm } from "../config/typeorm";
import type { Queryable } from "../dialects/dialect";
import { ConfigError } from "../errors";
import type { DialectName } from "../ops/types";
import { entityMetadataErrorOf, prepareEntityFiles } from "./entity-lookups";
import { installMetadataArgsIndex } from "./metadata-index";

/** Maps TypeORM's driver `type` onto our three dialects. */
export function dialectNameOf(options: DataSourceOptions): DialectName {
  // A string: TypeORM 0.3's types (which have "sqlite") are not the ones retort compiles against.
  switch (options.type as string) {
    case "postgres":
    case "aurora-postgres":
      return "postgres";
    case "mysql":
    case "mariadb":
    case "aurora-mysql":
      return "mysql";
    case "better-sqlite3":
    // TypeORM 0.3's driver over the `sqlite3` package (1.0 removed it).
    case "sqlite":
      return "sqlite";
    default:
      throw new UnsupportedDatabaseError(String(options.type));
  }
}

export class UnsupportedDatabaseError extends ConfigError {
  constructor(readonly type: string) {
    super(
      type === "sqljs"
        ? `Database type "sqljs" is not supported: sql.js keeps the database in memory and retort migrates a database file in place; use "better-sqlite3".`
        : `Database type "${type}" is not supported; retort works with postgres, mysql, mariadb, better-sqlite3 and (TypeORM 0.3) sqlite.`,
    );
  }
}

/** A `Queryable` over one TypeORM QueryRunner (one physical connection). */
export function queryableOf(runner: QueryRunner): Queryable {
  return {
    async query<T>(sql: string, params?: unknown[]): Promise<T[]> {
      const result = await runner.query(sql, params as unknown[] | undefined, true);
      return (Array.isArray(result?.records) ? result.records : []) as T[];
    },
  };
}

/** An open connection: the DataSource, one dedicated QueryRunner and its `Queryable`. */
export interface Connection {
  dataSource: DataSource;
  runner: QueryRunner;
  db: Queryable;
  dialect: DialectName;
  /** Whether the DataSource's entity metadata is built (see `connect`'s `metadata`). */
  readonly hasMetadata: boolean;
  /** Loads the entity files and builds the DataSource's metadata, once; a no-op when built. */
  ensureMetadata(): Promise<void>;
  close(): Promise<void>;
}

export interface ConnectOptions {
  /**
   * false: connect without loading the entity files or building TypeORM's
   * entity metadata (what `current`, `upgrade` and the other commands that
   * do not compare need); `ensureMetadata()` builds it later, on the same
   * DataSource, when something needs it. Default true.
   */
  metadata?: boolean;
}

interface MetadataBuilder {
  buildMetadatas?: () => Promise<void>;
}

/**
 * Connects using `dataSource` (initializing it if needed) and reserves one connection for migrations.
 * At 1000 entities the metadata build (entity files plus TypeORM's EntityMetadataBuilder) is most of
 * a command's start, so commands that never look at the entities skip it.
 */
export async function connect(dataSource: DataSource, options: ConnectOptions = {}): Promise<Connection> {
  let pending: (() => Promise<void>) | undefined;
  if (!dataSource.isInitialized) {
    const target = dataSource as unknown as MetadataBuilder;
    const original = target.buildMetadatas;
    // Best effort: a TypeORM without this (protected) method builds the metadata in initialize() as before.
    if (options.metadata === false && typeof original === "function") {
      target.buildMetadatas = async () => undefined;
      try {
        await dataSource.initialize();
      } finally {
        delete target.buildMetadatas;
      }
      // Through the instance, so that watchMetadataBuild sees the failure.
      pending = () => buildMetadata(dataSource, () => (dataSource as unknown as Required<MetadataBuilder>).buildMetadatas());
    } else {
      await buildMetadata(dataSource, () => dataSource.initialize());
    }
  }
  const runner = dataSource.createQueryRunner();
  await runner.connect();
  let building: Promise<void> | undefined;
  return {
    dataSource,
    runner,
    db: queryableOf(runner),
    dialect: dialectNameOf(dataSource.options),
    get hasMetadata() {
      return pending === undefined;
    },
    async ensureMetadata() {
      if (!pending) return;
      building ??= pending().then(() => {
        pending = undefined;
      });
      await building;
    },
    async close() {
      if (!runner.isReleased) await runner.release();
      if (dataSource.isInitialized) await dataSource.destroy();
    },
  };
}

/** Runs `build` (initialize(), or the deferred metadata build), telling an entity problem from a connection one. */
async function buildMetadata(dataSource: DataSource, build: () => Promise<unknown>): Promise<void> {
  installMetadataArgsIndex();
  // Loads the entity files first, so a file that does not compile or throws is named as such.
  await prepareEntityFiles(dataSource.options);
  const target = dataSource as unknown as MetadataBuilder;
  const original = target.buildMetadatas;
  if (typeof original === "function") {
    // A failure of TypeORM's metadata step is about the entities, not the connection.
    target.buildMetadatas = async function (this: unknown) {
      try {
        await original.call(this);
      } catch (error) {
        throw entityMetadataErrorOf(error);
      }
    };
  }
  try {
    await build();
  } finally {
    if (typeof original === "function") delete target.buildMetadatas;
  }
}

/** Opens a connection from plain options (entities optional). */
export async function connectWith(options: DataSourceOptions): Promise<Connection> {
  const { DataSource } = typeorm();
  return connect(new DataSource({ ...options, synchronize: false, migrationsRun: false, logging: false } as DataSourceOptions));
}
