import { join, relative, resolve } from "node:path";
import { globSync } from "tinyglobby";
import type { DataSourceOptions } from "typeorm";
import type { PlatformTools } from "typeorm/platform/PlatformTools";
import { materializeDeferredEntities } from "../config/deferred-entities";
import { GLOB_MAGIC } from "../config/likely-files";
import { precompile, precompileInBackground, UserCodeSyntaxError } from "../config/loader";
import { typeormInternal } from "../config/typeorm";
import { describeFrame, firstUserFrame, locateEntityMember } from "../config/user-frames";
import { EntityLoadError, firstLineOf } from "../errors";

export { EntityLoadError };

/**
 * Prepares the files TypeORM is about to load from the `entities`,
 * `subscribers` and `migrations` globs: compiles the TypeScript ones missing
 * from the compile cache in one batch, then warms TypeORM's package.json
 * lookups.
 */
export async function prepareEntityFiles(options: DataSourceOptions): Promise<void> {
  materializeDeferredEntities(options, entityLoadErrorOf);
  const files = entityFilesOf(options);
  try {
    precompile(files);
  } catch (error) {
    throw entityLoadErrorOf(undefined, error);
  }
  // Loaded here (TypeORM then finds them in require's cache) so that a failure names its file.
  let since = performance.now();
  for (const file of files.filter((f) => /\.[cm]?[jt]s$/.test(f) && !f.endsWith(".d.ts"))) {
    try {
      require(file);
    } catch (error) {
      throw entityLoadErrorOf(file, error);
    }
    // Now and then the event loop takes its turn: a catalog read started beside this one
    // (see startCatalogRead) gets its answers in and sends its next query meanwhile.
    if (performance.now() - since > YIELD_AFTER_MS) {
      await new Promise((resolve) => setImmediate(resolve));
      since = performance.now();
    }
  }
  await warmEntityFileLookups(options);
}

/**
 * Compiles the entity files with `files` in one batch, ahead of both, while
 * the caller goes on (see precompileInBackground). Best effort: what fails
 * here fails again, and is reported, where each is loaded.
 */
export function precompileWith(options: DataSourceOptions, files: readonly string[]): Promise<void> {
  let entityFiles: string[] = [];
  try {
    entityFiles = entityFilesOf(options);
  } catch {
    // Reported by the load that follows.
  }
  return precompileInBackground([...files, ...entityFiles]);
}

/** How long loading entity files keeps the event loop (a thousand files take about half a second). */
const YIELD_AFTER_MS = 10;

function entityLoadErrorOf(file: string | undefined, error: unknown): EntityLoadError {
  if (error instanceof UserCodeSyntaxError) return new EntityLoadError(`Could not compile ${error.message}`);
  const message = firstLineOf(error);
  if (!file) return new EntityLoadError(`Could not compile the entity files: ${message}`);
  // The line that threw, when it is in the user's files (the entity itself or a file it imports).
  const frame = firstUserFrame(error);
  const where = frame ? describeFrame(frame) : relative(process.cwd(), file) || file;
  return new EntityLoadError(`Could not load entity file ${where}: ${message}`);
}

/**
 * TypeORM's own errors while building entity metadata (an unsupported
 * `design:type`, a missing primary column) say which entity but not where it
 * is: this names the file that exports the class.
 */
export function entityMetadataErrorOf(error: unknown): EntityLoadError {
  const message = firstLineOf(error).replace(/\.$/, "");
  const entity = /"(\w+)\.(\w+)"|\b[Ee]ntity "?(\w+)"?/.exec(message);
  const className = entity && (entity[1] ?? entity[3]);
  const file = className ? fileExporting(className) : undefined;
  const frame = file && className ? locateEntityMember([file], className, entity?.[2]) : undefined;
  const where = frame ? describeFrame(frame) : file && (relative(process.cwd(), file) || file);
  return new EntityLoadError(`Could not build the entity metadata${where ? ` (${where})` : ""}: ${message}.`);
}

function fileExporting(className: string): string | undefined {
  for (const [file, module] of Object.entries(require.cache)) {
    if (!module || /[\\/]node_modules[\\/]/.test(file)) continue;
    const exported = module.exports as Record<string, unknown> | undefined;
    if (exported && typeof exported === "object" && typeof exported[className] === "function") return file;
  }
  return undefined;
}

/** The `entities` globs of the config that match no file (autogenerate and check warn about them). */
export function unmatchedEntityGlobs(options: DataSourceOptions): string[] {
  const list = options.entities;
  const globs = (Array.isArray(list) ? list : list ? Object.values(list) : []).filter((x): x is string => typeof x === "string");
  return globs.filter((glob) => globSync(normalizedGlob(glob)).length === 0);
}

/** The files the globs match, expanded as TypeORM's DirectoryExportedClassesLoader does. */
export function entityFilesOf(options: DataSourceOptions): string[] {
  return globsOf(options).flatMap((glob) => globSync(normalizedGlob(glob)).map((file) => resolve(file)));
}

/** A glob as TypeORM's loader normalizes it (the user's TypeORM's PlatformTools). */
function normalizedGlob(glob: string): string {
  const tools = typeormInternal<{ PlatformTools: typeof PlatformTools }>("platform/PlatformTools")?.PlatformTools;
  return tools ? tools.pathNormalize(glob) : glob;
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

/** The directory part of a glob before its first wildcard (`/app/src/**\/*.ts` -> `/app/src`). */
export function staticDirectoryOf(glob: string): string {
  const segments = glob.replace(/\\/g, "/").split("/");
  const firstMagic = segments.findIndex((segment) => GLOB_MAGIC.test(segment));
  const kept = firstMagic < 0 ? segments.slice(0, -1) : segments.slice(0, firstMagic);
  return kept.join("/") || "/";
}
