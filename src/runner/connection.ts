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
  close(): Promise<void>;
}

/** Connects using `dataSource` (initializing it if needed) and reserves one connection for migrations. */
export async function connect(dataSource: DataSource): Promise<Connection> {
  installMetadataArgsIndex();
  if (!dataSource.isInitialized) {
    await prepareEntityFiles(dataSource.options);
    reportMetadataErrorsAsEntityErrors(dataSource);
    await dataSource.initialize();
  }
  const runner = dataSource.createQueryRunner();
  await runner.connect();
  return {
    dataSource,
    runner,
    db: queryableOf(runner),
    dialect: dialectNameOf(dataSource.options),
    async close() {
      if (!runner.isReleased) await runner.release();
      if (dataSource.isInitialized) await dataSource.destroy();
    },
  };
}

/**
 * initialize() connects, then builds the entity metadata: a failure of the
 * second is about the entities, not the connection, and is reported so.
 */
function reportMetadataErrorsAsEntityErrors(dataSource: DataSource): void {
  const target = dataSource as unknown as { buildMetadatas?: () => Promise<void> };
  const build = target.buildMetadatas;
  if (typeof build !== "function") return;
  target.buildMetadatas = async function (this: unknown) {
    try {
      await build.call(this);
    } catch (error) {
      throw entityMetadataErrorOf(error);
    }
  };
}

/** Opens a connection from plain options (entities optional). */
export async function connectWith(options: DataSourceOptions): Promise<Connection> {
  const { DataSource } = typeorm();
  return connect(new DataSource({ ...options, synchronize: false, migrationsRun: false, logging: false } as DataSourceOptions));
}
