import { join, resolve } from "node:path";
import { globSync } from "tinyglobby";
import type { DataSourceOptions } from "typeorm";
import type { PlatformTools } from "typeorm/platform/PlatformTools";
import { precompile } from "../config/loader";
import { typeormInternal } from "../config/typeorm";

/**
 * Prepares the files TypeORM is about to load from the `entities`,
 * `subscribers` and `migrations` globs: compiles the TypeScript ones missing
 * from the compile cache in one batch, then warms TypeORM's package.json
 * lookups.
 */
export async function prepareEntityFiles(options: DataSourceOptions): Promise<void> {
  precompile(entityFilesOf(options));
  await warmEntityFileLookups(options);
}

/** The files the globs match, expanded as TypeORM's DirectoryExportedClassesLoader does. */
export function entityFilesOf(options: DataSourceOptions): string[] {
  const tools = typeormInternal<{ PlatformTools: typeof PlatformTools }>("platform/PlatformTools")?.PlatformTools;
  const normalize = tools ? (glob: string) => tools.pathNormalize(glob) : (glob: string) => glob;
  return globsOf(options).flatMap((glob) => globSync(normalize(glob)).map((file) => resolve(file)));
}

/**
 * TypeORM loads every file an `entities` glob matches through
 * `importOrRequireFile`, which first looks for the nearest package.json (to
 * choose between `import()` and `require`) by trying each parent directory.
 * It caches the answer per directory, but starts all lookups at once, so with
 * 1000 entity files every lookup misses: about 5,000 failed stats, ~0.3 s of a
 * 1000-entity `retort check`. One lookup per glob directory beforehand fills
 * the cache for all of them. Best effort: if TypeORM's internals move, this
 * does nothing.
 */
export async function warmEntityFileLookups(options: DataSourceOptions): Promise<void> {
  const directories = new Set(globsOf(options).map(staticDirectoryOf));
  if (directories.size === 0) return;
  const importOrRequireFile = typeormInternal<{ importOrRequireFile?: (path: string) => Promise<unknown> }>("util/ImportUtils")?.importOrRequireFile;
  if (typeof importOrRequireFile !== "function") return;
  for (const directory of directories) {
    // A file that does not exist: the lookup runs and caches, the require then fails quietly.
    await importOrRequireFile(join(directory, "retort-package-json-lookup.js")).catch(() => undefined);
  }
}

function globsOf(options: DataSourceOptions): string[] {
  const lists = [options.entities, options.subscribers, options.migrations];
  return lists.flatMap((list) => (Array.isArray(list) ? list : list ? Object.values(list) : [])).filter((x): x is string => typeof x === "string");
}

const GLOB_MAGIC = /[*?[\]{}()!+@]/;

/** The directory part of a glob before its first wildcard (`/app/src/**\/*.ts` -> `/app/src`). */
export function staticDirectoryOf(glob: string): string {
  const segments = glob.replace(/\\/g, "/").split("/");
  const firstMagic = segments.findIndex((segment) => GLOB_MAGIC.test(segment));
  const kept = firstMagic < 0 ? segments.slice(0, -1) : segments.slice(0, firstMagic);
  return kept.join("/") || "/";
}
