import "reflect-metadata";
import { DataSource, type DataSourceOptions, type QueryRunner } from "typeorm";
import type { Queryable } from "../dialects/dialect";
import type { DialectName } from "../ops/types";
import { entityMetadataErrorOf, prepareEntityFiles } from "./entity-lookups";
import { installMetadataArgsIndex } from "./metadata-index";

/** Maps TypeORM's driver `type` onto our three dialects. */
export function dialectNameOf(options: DataSourceOptions): DialectName {
  switch (options.type) {
    case "postgres":
    case "aurora-postgres":
      return "postgres";
    case "mysql":
    case "mariadb":
    case "aurora-mysql":
      return "mysql";
    case "better-sqlite3":
      return "sqlite";
    default:
      throw new UnsupportedDatabaseError(String(options.type));
  }
}

export class UnsupportedDatabaseError extends Error {
  constructor(readonly type: string) {
    super(`Database type "${type}" is not supported; retort works with postgres, mysql, mariadb and better-sqlite3.`);
    this.name = "UnsupportedDatabaseError";
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
  return connect(new DataSource({ ...options, synchronize: false, migrationsRun: false, logging: false } as DataSourceOptions));
}
