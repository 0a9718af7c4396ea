import { existsSync, readFileSync, statSync } from "node:fs";
import { dirname, isAbsolute, resolve } from "node:path";
import type { DataSource, DataSourceOptions } from "typeorm";
import { ConfigError } from "../errors";
import { dialectNameOf } from "../runner/connection";
import { filesLikelyLoadedAfter } from "./likely-files";
import { loadConfigModule, precompileInBackground, UserCodeSyntaxError } from "./loader";
import { driverErrorSentence, typeorm, useProjectTypeorm } from "./typeorm";
import { parseDatabaseUrl, rememberSecretsOf, scrubSecrets } from "./url";

/** The tool's own options: `export const retort = { ... }` in the config file. */
export interface RetortOptions {
  /** Folder of revision files; relative to the config file. Default `migrations`. */
  migrationsDir?: string;
  /** Version table name. Default `retort_version`. */
  versionTable?: string;
  /** Revision file name template; tokens {rev} {slug} {year} {month} {day} {hour} {minute} {second} {epoch}. Default `{rev}_{slug}`. */
  fileTemplate?: string;
  /**
   * `per-revision` (default): each revision commits with its version-table row.
   * `all`: one transaction around the whole run (PostgreSQL, SQLite).
   */
  transactionMode?: "per-revision" | "all";
  /**
   * Seconds `upgrade`, `downgrade` and `stamp` wait for the migration lock
   * held by another deploy before giving up (exit 2). Default 300.
   * `--lock-timeout` and RETORT_LOCK_TIMEOUT override it.
   */
  lockTimeout?: number;
  /**
   * Safe mode for `revision --autogenerate` (as `--safe`): ops on existing
   * tables are written in the form that keeps them readable and writable
   * (PostgreSQL: CONCURRENTLY, NOT VALID + VALIDATE, NOT NULL via a validated
   * CHECK, in a non-transactional revision; MySQL/MariaDB: ALGORITHM/LOCK
   * asserted). SQLite: no effect. Default false.
   */
  safe?: boolean;
  /**
   * Milliseconds each migration statement may wait for a table lock
   * (PostgreSQL lock_timeout; MySQL lock_wait_timeout, rounded up to whole
   * seconds) before it gives up and is retried; `--statement-lock-timeout`
   * overrides it. Default: no limit.
   */
  statementLockTimeout?: number;
  /** Retries of a statement whose lock wait ran out (`--lock-retries`). Default 3 when a statement lock timeout is set. */
  lockRetries?: number;
  /**
   * The live-data impact preview of `revision --autogenerate` (rows that a
   * NOT NULL, a narrower type, a UNIQUE, a foreign key, a check or a removed
   * enum value would hit, counted before the file is written). `false` turns
   * it off. Defaults: tables up to 1,000,000 rows (catalog estimate), 10 s.
   */
  impact?: false | { maxRows?: number; budgetSeconds?: number };
  /** Tables autogenerate manages: names or RegExps. Default: all. */
  include?: Array<string | RegExp>;
  /** Tables autogenerate never touches (still excluded when included). */
  exclude?: Array<string | RegExp>;
  /** Comparison switches. */
  compare?: {
    /** Compare column comments. Default true. */
    comments?: boolean;
    /** Compare server defaults. Default true. */
    defaults?: boolean;
  };
  /** Commands run on a freshly written revision file (`{file}` is replaced), e.g. `eslint --fix {file}`. */
  postWrite?: string[];
}

export interface LoadedConfig {
  /** Absolute path of the config file. */
  path: string;
  /** The DataSource built from the config (not initialized), with DATABASE_URL applied. */
  dataSource: DataSource;
  options: DataSourceOptions;
  retort: Required<Pick<RetortOptions, "migrationsDir" | "versionTable" | "fileTemplate" | "transactionMode">> &
    RetortOptions;
  /** Whether the table is one autogenerate manages (never the version table). */
  isManagedTable(name: string): boolean;
  /** TypeORM's own tables (migrations, metadata, cache): left alone unless an entity declares one. */
  typeormTables: ReadonlySet<string>;
  /** TypeORM's own migrations as the config names them (retort's DataSource loads none): for `init --from-typeorm`. */
  typeormMigrations: { tableName: string; sources: DataSourceOptions["migrations"] };
}

/**
 * Searched in this order when no -c/--config is given: retort's own
 * `ormconfig.*` first, then the file TypeORM's CLI is usually pointed at
 * with `-d` (`data-source.ts`, `src/data-source.ts`).
 */
export const DEFAULT_CONFIG_FILES = [
  "ormconfig.ts",
  "ormconfig.js",
  "ormconfig.mts",
  "ormconfig.cts",
  "ormconfig.cjs",
  "data-source.ts",
  "data-source.js",
  "data-source.mts",
  "src/data-source.ts",
  "src/data-source.js",
  "src/data-source.mts",
];

export function findConfigFile(cwd: string, explicit?: string): string {
  if (explicit) {
    const path = isAbsolute(explicit) ? explicit : resolve(cwd, explicit);
    if (!existsSync(path)) throw new ConfigError(`Config file ${explicit} does not exist.`);
    return path;
  }
  const found = findDefaultConfigFile(cwd);
  if (found) return found;
  throw new ConfigError(
    `No ormconfig.ts, ormconfig.js, data-source.ts or src/data-source.ts in ${cwd}; pass -c/--config <file> or run \`retort init\` in your project.`,
  );
}

/** The first of DEFAULT_CONFIG_FILES present in `cwd`, if any. */
export function findDefaultConfigFile(cwd: string): string | undefined {
  return DEFAULT_CONFIG_FILES.map((name) => resolve(cwd, name)).find((path) => existsSync(path));
}

/**
 * The DataSource (or options) a config module exports: the default export,
 * `dataSource` / `AppDataSource`, or else the only DataSource it exports
 * (TypeORM's CLI accepts any name).
 */
function exportedDataSource(mod: Record<string, unknown>): unknown {
  const named = mod.default ?? mod.dataSource ?? mod.AppDataSource;
  if (named !== undefined) return named;
  const sources = Object.values(mod).filter((value) => value instanceof typeorm().DataSource || isDataSourceLike(value));
  return sources.length === 1 ? sources[0] : undefined;
}

function isDataSourceLike(value: unknown): boolean {
  return Boolean(value && typeof value === "object" && "options" in value && "entityMetadatas" in value);
}

function matches(name: string, pattern: string | RegExp): boolean {
  return typeof pattern === "string" ? pattern === name : pattern.test(name);
}

function likelyFilesOf(path: string, cwd: string, entities: boolean): string[] {
  try {
    return filesLikelyLoadedAfter(path, readFileSync(path, "utf8"), { entities, cwd });
  } catch {
    // Unreadable: reported when the config is loaded.
    return [];
  }
}

function describeLoadError(path: string, error: unknown, how = ""): string {
  if (error instanceof UserCodeSyntaxError) return `Could not load ${error.message}.`.replace(/\.\.$/, ".");
  const driverProblem = driverErrorSentence(error);
  if (driverProblem) return driverProblem;
  const message = error instanceof Error ? error.message.split("\n")[0] : String(error);
  return scrubSecrets(`Could not load config ${path}: ${how}${message}`);
}

export interface LoadConfigOptions {
  /**
   * Entity files the config imports run only if the entity metadata is
   * built (the commands that do not compare the model). Default false.
   */
  deferEntityImports?: boolean;
  env?: NodeJS.ProcessEnv;
  /**
   * The files a command loads next, compiled in the config's compiler run
   * when the config is not in the compile cache (see likely-files.ts): its
   * revisions, and the entity files too when `entities` (a command that
   * compares the model). Default: the config alone.
   */
  compileAhead?: { entities: boolean };
}

/** Loads the config file, applies DATABASE_URL, and returns the DataSource (not yet connected). */
export async function loadConfig(cwd: string, explicit?: string, { deferEntityImports = false, env = process.env, compileAhead }: LoadConfigOptions = {}): Promise<LoadedConfig> {
  const path = findConfigFile(cwd, explicit);
  // Not in the compile cache (a cold start, an edited config): it compiles while TypeORM loads, each about a quarter second.
  const configCompiled = precompileInBackground([path], () => (compileAhead ? likelyFilesOf(path, cwd, compileAhead.entities) : []));
  useProjectTypeorm(dirname(path));
  const { DataSource } = typeorm();
  await configCompiled;
  let mod: Record<string, unknown>;
  try {
    mod = loadConfigModule(path, deferEntityImports);
  } catch (error) {
    throw new ConfigError(describeLoadError(path, error));
  }
  let exported = exportedDataSource(mod);
  if (exported instanceof Promise) {
    try {
      exported = await exported;
    } catch (error) {
      throw new ConfigError(describeLoadError(path, error, "its exported Promise was rejected: "));
    }
  }
  let options: DataSourceOptions;
  if (exported instanceof DataSource || isDataSourceLike(exported)) {
    options = (exported as DataSource).options;
  } else if (exported && typeof exported === "object" && "type" in exported) {
    options = exported as DataSourceOptions;
  } else {
    throw new ConfigError(`Config ${path} must export a TypeORM DataSource (as its default export, dataSource, AppDataSource or its only DataSource export) or DataSourceOptions.`);
  }
  const baseDir = dirname(path);
  if (env.DATABASE_URL) {
    const fromUrl = parseDatabaseUrl(env.DATABASE_URL, baseDir);
    rememberSecretsOf(fromUrl);
    options = mergeConnection(options, fromUrl);
  } else if (isSqliteFile(options)) {
    // A relative SQLite path means "beside the config", whatever the cwd.
    options = { ...options, database: resolve(baseDir, options.database as string) } as DataSourceOptions;
  }
  rememberSecretsOf(options);
  dialectNameOf(options);
  const retortExport = (mod.retort ?? {}) as RetortOptions;
  const migrationsDir = resolve(baseDir, retortExport.migrationsDir ?? "migrations");
  if (existsSync(migrationsDir) && !statSync(migrationsDir).isDirectory()) {
    const where = retortExport.migrationsDir ? ` (retort.migrationsDir in ${path})` : "";
    throw new ConfigError(`The migrations folder ${migrationsDir}${where} is a file, not a folder; point migrationsDir at the folder of revision files.`);
  }
  const retort = {
    ...retortExport,
    migrationsDir,
    versionTable: retortExport.versionTable ?? "retort_version",
    fileTemplate: retortExport.fileTemplate ?? "{rev}_{slug}",
    transactionMode: retortExport.transactionMode ?? "per-revision",
  };
  const finalOptions = {
    ...options,
    synchronize: false,
    migrationsRun: false,
    dropSchema: false,
    logging: false,
    migrations: [],
  } as DataSourceOptions;
  let dataSource: DataSource;
  try {
    dataSource = new DataSource(finalOptions);
  } catch (error) {
    const driverProblem = driverErrorSentence(error);
    if (driverProblem) throw new ConfigError(driverProblem);
    throw error;
  }
  const bookkeeping = typeormBookkeepingTables(options);
  return {
    path,
    dataSource,
    options: finalOptions,
    retort,
    typeormTables: bookkeeping,
    typeormMigrations: { tableName: typeormMigrationsTable(options), sources: options.migrations },
    isManagedTable(name: string) {
      if (name === retort.versionTable || name === `${retort.versionTable}_history`) return false;
      if (retort.include?.length && !retort.include.some((p) => matches(name, p))) return false;
      return !(retort.exclude ?? []).some((p) => matches(name, p));
    },
  };
}

/**
 * Tables TypeORM keeps for itself: its migrations table, its metadata table
 * (views, generated columns) and the query-result cache, under their default
 * names and under the names the config gives them. A database once built by
 * TypeORM's migrations keeps its `migrations` table whatever the config says
 * today, so the defaults are not the application's either, unless one of
 * its entities declares a table of that name.
 */
export function typeormBookkeepingTables(options: DataSourceOptions): Set<string> {
  const names = new Set(["migrations", "typeorm_metadata", "query-result-cache"]);
  const cache = (options as { cache?: unknown }).cache;
  const cacheTable = cache && typeof cache === "object" ? (cache as { tableName?: unknown }).tableName : undefined;
  for (const name of [options.migrationsTableName, options.metadataTableName, cacheTable]) {
    if (typeof name === "string" && name !== "") names.add(name);
  }
  // TypeORM keeps them in the DataSource's `schema` when it has one, which the model names `schema.table`.
  const schema = dataSourceSchema(options);
  if (schema) for (const name of [...names]) if (!name.includes(".")) names.add(`${schema}.${name}`);
  return names;
}

/** The DataSource-level `schema` option (PostgreSQL), where TypeORM puts its own tables too. */
function dataSourceSchema(options: DataSourceOptions): string | undefined {
  const schema = (options as { schema?: unknown }).schema;
  return typeof schema === "string" && schema !== "" ? schema : undefined;
}

/**
 * TypeORM's migrations table as MigrationExecutor names it: in the
 * DataSource's `schema` when there is one, unless `migrationsTableName`
 * already names a schema (`meta.migrations`).
 */
function typeormMigrationsTable(options: DataSourceOptions): string {
  const name = options.migrationsTableName || "migrations";
  const schema = dataSourceSchema(options);
  return schema && !name.includes(".") ? `${schema}.${name}` : name;
}

/** A SQLite driver over a database file (TypeORM 0.3's `sqlite` too; its types are not in 1.x's). */
function isSqliteFile(options: DataSourceOptions): boolean {
  const type = options.type as string;
  return (type === "better-sqlite3" || type === "sqlite") && typeof options.database === "string" && options.database !== ":memory:";
}

/** Replaces the connection part of `options` with what the URL says, keeping entities and the rest. */
function mergeConnection(options: DataSourceOptions, url: ReturnType<typeof parseDatabaseUrl>): DataSourceOptions {
  const {
    host: _h,
    port: _p,
    username: _u,
    password: _pw,
    database: _d,
    url: _url,
    ...rest
  } = options as DataSourceOptions & Record<string, unknown>;
  // TypeORM 0.3's `sqlite` driver keeps serving a sqlite:// URL: the project may have no better-sqlite3.
  if (url.type === "better-sqlite3" && (options.type as string) === "sqlite") return { ...rest, ...url, type: "sqlite" } as unknown as DataSourceOptions;
  return { ...rest, ...url } as DataSourceOptions;
}
