import "reflect-metadata";
import { existsSync } from "node:fs";
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

const DEFAULT_CONFIG_FILES = ["ormconfig.ts", "ormconfig.js"];

export function findConfigFile(cwd: string, explicit?: string): string {
  if (explicit) {
    const path = isAbsolute(explicit) ? explicit : resolve(cwd, explicit);
    if (!existsSync(path)) throw new ConfigError(`Config file ${explicit} does not exist.`);
    return path;
  }
  for (const name of DEFAULT_CONFIG_FILES) {
    const path = resolve(cwd, name);
    if (existsSync(path)) return path;
  }
  throw new ConfigError(
    `No ormconfig.ts or ormconfig.js in ${cwd}; pass -c/--config <file> or run \`retort init\` in your project.`,
  );
}

function matches(name: string, pattern: string | RegExp): boolean {
  return typeof pattern === "string" ? pattern === name : pattern.test(name);
}

function describeLoadError(path: string, error: unknown): string {
  if (error instanceof UserCodeSyntaxError) return `Could not load ${error.message}.`.replace(/\.\.$/, ".");
  const message = error instanceof Error ? error.message.split("\n")[0] : String(error);
  return scrubSecrets(`Could not load config ${path}: ${message}`);
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
  let exported = (mod.default ?? mod.dataSource ?? mod.AppDataSource) as unknown;
  if (exported instanceof Promise) exported = await exported;
  let options: DataSourceOptions;
  if (exported instanceof DataSource || (exported && typeof exported === "object" && "options" in exported && "entityMetadatas" in exported)) {
    options = (exported as DataSource).options;
  } else if (exported && typeof exported === "object" && "type" in exported) {
    options = exported as DataSourceOptions;
  } else {
    throw new ConfigError(`Config ${path} must default-export a TypeORM DataSource or DataSourceOptions.`);
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
  const retort = {
    ...retortExport,
    migrationsDir: resolve(baseDir, retortExport.migrationsDir ?? "migrations"),
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
      if (name === retort.versionTable || name === `${retort.versionTable}_history` || name === "typeorm_metadata") return false;
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
