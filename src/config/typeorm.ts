import { existsSync, readFileSync } from "node:fs";
import Module, { createRequire } from "node:module";
import { dirname, join } from "node:path";
import type * as TypeORM from "typeorm";
import { ConfigError, firstLineOf } from "../errors";

export type TypeormModule = typeof TypeORM;

/**
 * The one TypeORM retort uses in a process: the user's. Entity metadata, the
 * naming strategy, the driver's type and default normalization and the
 * DataSource class must all come from the TypeORM the project builds and
 * synchronizes with (0.3 and 1.x write different junction foreign keys, for
 * one), so nothing in retort imports `typeorm` as a value: everything asks
 * here. TypeORM is a peer dependency; a second copy in the process would
 * also split `instanceof DataSource` and the decorator storage.
 */
interface ActiveTypeorm {
  module: TypeormModule;
  /** The package folder (where its package.json is). */
  root: string;
  version: string;
}

let active: ActiveTypeorm | undefined;

/** `require.resolve(request)` as a file in `dir` would see it, or undefined. */
function resolveFrom(dir: string, request: string): string | undefined {
  try {
    return createRequire(join(dir, "retort-resolve.js")).resolve(request);
  } catch {
    return undefined;
  }
}

function packageRootOf(file: string): string {
  let dir = dirname(file);
  while (!existsSync(join(dir, "package.json"))) {
    const parent = dirname(dir);
    if (parent === dir) return dirname(file);
    dir = parent;
  }
  return dir;
}

function activate(entry: string | undefined): ActiveTypeorm {
  const root = packageRootOf(entry ?? require.resolve("typeorm"));
  const restore = deferDriverModules(join(root, "driver", "DriverFactory.js"));
  let module: TypeormModule;
  try {
    // A path is required by path, so that under jest (which keeps its own module
    // registry) the tests' `import "typeorm"` and retort share one instance.
    module = (entry ? require(entry) : require("typeorm")) as TypeormModule;
  } finally {
    restore();
  }
  const version = String((JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as { version?: string }).version ?? "");
  return { module, root, version };
}

type ModuleLoad = (request: string, parent: { filename?: string } | undefined, isMain: boolean) => unknown;

/** A driver class's module as TypeORM's DriverFactory names it: `./postgres/PostgresDriver`. */
const DRIVER_MODULE = /^\.\/[\w-]+\/\w+Driver$/;

/**
 * While TypeORM loads: the driver modules its DriverFactory requires (a
 * dozen databases, each with its query runner and helpers, a sixth of a
 * command's start) are loaded when the factory first reads a class from
 * them, which it does for the one database the DataSource names. Nothing
 * else in TypeORM requires them. Returns the function that ends it.
 */
function deferDriverModules(factoryFile: string): () => void {
  const loader = Module as unknown as { _load: ModuleLoad };
  const load = loader._load;
  loader._load = function (request, parent, isMain) {
    if (parent?.filename !== factoryFile || !DRIVER_MODULE.test(request)) return load.call(this, request, parent, isMain);
    let loaded: object | undefined;
    const real = () => (loaded ??= load.call(this, request, parent, isMain) as object);
    return new Proxy(
      {},
      {
        get: (_, key) => Reflect.get(real(), key),
        has: (_, key) => Reflect.has(real(), key),
        ownKeys: () => Reflect.ownKeys(real()),
        // Reported configurable: the (empty) target must not be held to the real module's own properties.
        getOwnPropertyDescriptor: (_, key) => {
          const descriptor = Reflect.getOwnPropertyDescriptor(real(), key);
          return descriptor && { ...descriptor, configurable: true };
        },
      },
    );
  };
  return () => {
    loader._load = load;
  };
}

/**
 * Makes the TypeORM of the project in `projectDir` (the config file's folder)
 * the one retort uses, loading that project's `reflect-metadata` first as its
 * own entry point would. Falls back to the TypeORM retort itself resolves
 * (the same peer in an installed project) when the folder has none.
 */
export function useProjectTypeorm(projectDir: string): void {
  const entry = resolveFrom(projectDir, "typeorm");
  if (entry === undefined && resolveOwn() === undefined) {
    throw new ConfigError(`TypeORM is not installed in ${projectDir}; run \`npm install typeorm reflect-metadata\` there.`);
  }
  const reflect = resolveFrom(projectDir, "reflect-metadata") ?? (entry && resolveFrom(packageRootOf(entry), "reflect-metadata"));
  if (reflect) require(reflect);
  if (active && entry !== undefined && packageRootOf(entry) === active.root) return;
  active = activate(entry);
}

function resolveOwn(): string | undefined {
  try {
    return require.resolve("typeorm");
  } catch {
    return undefined;
  }
}

/** The TypeORM in use (the project's once a config was loaded). */
export function typeorm(): TypeormModule {
  active ??= activate(undefined);
  return active.module;
}

/** The version of the TypeORM in use, e.g. "0.3.31". */
export function typeormVersion(): string {
  typeorm();
  return active!.version;
}

/**
 * A module inside the TypeORM in use (`"platform/PlatformTools"`), or
 * undefined when that version has no such file. Only for internals retort
 * patches or warms on a best-effort basis.
 */
export function typeormInternal<T>(path: string): T | undefined {
  typeorm();
  const file = join(active!.root, `${path}.js`);
  return existsSync(file) ? (require(file) as T) : undefined;
}

/** Driver packages of the databases retort supports (`mysql` is TypeORM 0.3's first choice for MySQL). */
const RETORT_DRIVER_PACKAGES = new Set(["pg", "mysql", "mysql2", "better-sqlite3", "sqlite3"]);

/**
 * One sentence for TypeORM's driver errors — a driver package missing or
 * failing to load, a driver type this TypeORM does not have — else undefined.
 * The database drivers are optional peer dependencies: a project installs
 * only the one it uses.
 */
export function driverErrorSentence(error: unknown): string | undefined {
  if (!(error instanceof Error)) return undefined;
  if (error.name === "DriverPackageNotInstalledError") {
    const named = /npm install ([@\w./-]+)/.exec(error.message)?.[1];
    if (!named) return undefined;
    if (!RETORT_DRIVER_PACKAGES.has(named)) {
      return `The config's database needs the ${named} package, and retort does not support that database; it works with PostgreSQL (pg), MySQL/MariaDB (mysql2) and SQLite (better-sqlite3, or sqlite3 on TypeORM 0.3).`;
    }
    const failure = loadFailureOf(named);
    if (failure) return `The database driver ${named} is installed but does not load (${failure}); run \`npm rebuild ${named}\`.`;
    // TypeORM 0.3 names the legacy `mysql` package first; retort is tested with mysql2, which 0.3 also takes.
    const wanted = named === "mysql" ? "mysql2" : named;
    return `The database driver ${wanted} is not installed: run \`npm install ${wanted}\` in your project.`;
  }
  if (error.name === "MissingDriverError") {
    const type = /"([^"]+)"/.exec(error.message)?.[1];
    if (type === "sqlite") {
      return `TypeORM ${typeormVersion()} has no "sqlite" driver (1.0 removed it with the sqlite3 package): use type "better-sqlite3" and run \`npm install better-sqlite3\`.`;
    }
    return `TypeORM ${typeormVersion()} has no database type "${type}".`;
  }
  return undefined;
}

/** Why `pkg`, resolvable from the TypeORM in use, throws when required; undefined when it is absent or loads. */
function loadFailureOf(pkg: string): string | undefined {
  typeorm();
  const entry = resolveFrom(active!.root, pkg);
  if (!entry) return undefined;
  try {
    require(entry);
    return undefined;
  } catch (error) {
    return firstLineOf(error);
  }
}
