import "reflect-metadata";
import { existsSync, statSync } from "node:fs";
import { dirname, isAbsolute, resolve } from "node:path";
import { DataSource, type DataSourceOptions } from "typeorm";
import { ConfigError } from "../errors";
import { loadUserModule, UserCodeSyntaxError } from "./loader";
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
  const sources = Object.values(mod).filter((value) => value instanceof DataSource || isDataSourceLike(value));
  return sources.length === 1 ? sources[0] : undefined;
}

function isDataSourceLike(value: unknown): boolean {
  return Boolean(value && typeof value === "object" && "options" in value && "entityMetadatas" in value);
}

function matches(name: string, pattern: string | RegExp): boolean {
  return typeof pattern === "string" ? pattern === name : pattern.test(name);
}

function describeLoadError(path: string, error: unknown, how = ""): string {
  if (error instanceof UserCodeSyntaxError) return `Could not load ${error.message}.`.replace(/\.\.$/, ".");
  const message = error instanceof Error ? error.message.split("\n")[0] : String(error);
  return scrubSecrets(`Could not load config ${path}: ${how}${message}`);
}

/** Loads the config file, applies DATABASE_URL, and returns the DataSource (not yet connected). */
export async function loadConfig(cwd: string, explicit?: string, env: NodeJS.ProcessEnv = process.env): Promise<LoadedConfig> {
  const path = findConfigFile(cwd, explicit);
  let mod: Record<string, unknown>;
  try {
    mod = loadUserModule(path);
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
  } else if (options.type === "better-sqlite3" && typeof options.database === "string" && options.database !== ":memory:") {
    // A relative SQLite path means "beside the config", whatever the cwd.
    options = { ...options, database: resolve(baseDir, options.database) };
  }
  rememberSecretsOf(options);
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
  return {
    path,
    dataSource: new DataSource(finalOptions),
    options: finalOptions,
    retort,
    isManagedTable(name: string) {
      // TypeORM's own bookkeeping table (views, generated columns) is not the application's.
      if (name === retort.versionTable || name === "typeorm_metadata") return false;
      if (retort.include?.length && !retort.include.some((p) => matches(name, p))) return false;
      return !(retort.exclude ?? []).some((p) => matches(name, p));
    },
  };
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
  return { ...rest, ...url } as DataSourceOptions;
}
