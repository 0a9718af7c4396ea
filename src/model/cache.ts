/**
 * The model cache: the declared model (src/model/declared.ts) a comparison
 * built, kept with a record of everything it was built from, so that the
 * next `check` or `revision --autogenerate` whose inputs are all unchanged
 * compares without running the entity files or TypeORM's metadata build
 * (at 1000 entities, most of a warm `check`).
 *
 * What the model is built from, and how each is recorded (as a build tool
 * records its inputs: a wrong "unchanged" would be a false green in CI):
 * - every module that had run when the model was built (require's cache:
 *   the config, the entities, what they import, TypeORM, the drivers,
 *   retort itself): a TypeScript file by its compile-cache key (its content,
 *   what its output depends on in the files it imports, types included,
 *   and its tsconfig chain: an edited type alias in another file changes
 *   it; see src/config/import-surface.js), a file of an
 *   npm package by its package's version with the file's size, mtime and
 *   inode (npm gives every file of a package the same mtime), any other file
 *   by the hash of its content;
 * - the files the entities globs match, listed again on every use (a new
 *   entity file changes the list);
 * - the environment variables read, and the files read, listed or probed
 *   through `fs`, while the entities ran and the metadata was built;
 * - the DataSource options (the password left out), the managed-table
 *   options, the dialect and the server's version, Node's version and the
 *   working directory: the cache key.
 * A model built while something it cannot record happened (the entity files
 * ran before recording started, an ES module project loading them through
 * import(), a file other than a TypeScript module edited within the last
 * two seconds) is not kept; a
 * build that enumerated the environment records all of it. RETORT_NO_CACHE=1 turns the cache off with the
 * compile cache; RETORT_NO_MODEL_CACHE=1 this cache alone.
 */
import fs from "node:fs";
import { dirname, join, resolve, sep } from "node:path";
import type { DataSourceOptions } from "typeorm";
import { standInOriginOf } from "../config/deferred-entities";
import {
  cacheDirectory,
  compileKeyOf,
  declaresEntity,
  esmLoadHookRegistered,
  isCompiled,
  noteOutputsUsed,
  RACY_MS,
  readCacheFileSync,
  settledBefore,
  sha1,
  writeReplacingSync,
} from "../config/ts-hook";
import type { DialectName } from "../ops/types";
import { entityFilesOf } from "../runner/entity-lookups";
import type { DeclaredModel } from "./declared";

const MODEL_CACHE_VERSION = "model-v1";

/** What besides the recorded inputs the model depends on. */
export interface ModelCacheContext {
  configPath: string;
  options: DataSourceOptions;
  dialect: DialectName;
  serverVersion: string;
  /** The managed-table options (`retort.include`, `exclude`, the version table). */
  managed: unknown;
}

interface RecordedInputs {
  modules: Array<[file: string, signature: string]>;
  entityFiles: string[];
  env: Array<[name: string, valueHash: string | null]>;
  files: Array<[file: string, signature: string]>;
}

interface CacheFile {
  version: string;
  key: string;
  inputs: RecordedInputs;
  model: DeclaredModel;
}

export type ModelCacheOutcome = { model: DeclaredModel; from: "cache" } | { model: DeclaredModel; from: "built"; kept: boolean; reason?: string };

/**
 * The declared model: read from the cache when every input it was built
 * from is unchanged, else built by `build` while its inputs are recorded,
 * and kept. Without a cache directory, or for a context it cannot key,
 * `build` runs as it would without a cache.
 */
export async function cachedModel(context: ModelCacheContext, build: () => Promise<DeclaredModel>): Promise<ModelCacheOutcome> {
  const dir = process.env.RETORT_NO_MODEL_CACHE ? undefined : cacheDirectory();
  const keyed = dir ? contextKey(context) : { reason: "caching is off" };
  if (!dir || !("key" in keyed)) return { model: await build(), from: "built", kept: false, reason: "reason" in keyed ? keyed.reason : undefined };
  const { key } = keyed;
  const path = join(dir, `model-${sha1(context.configPath, context.dialect).slice(0, 16)}.json`);
  const stored = readCacheFile(path);
  if (stored && stored.key === key && unchanged(stored.inputs, context.options)) {
    noteOutputsUsed(compiledKeysOf(stored.inputs), path);
    return { model: stored.model, from: "cache" };
  }
  const { result: model, env, files, uncacheable } = await recording(build);
  const reason = uncacheable ?? (esmLoadHookRegistered() ? "an ES module project loads its entities through import()" : undefined);
  if (reason) return { model, from: "built", kept: false, reason };
  // A dependency from git keeps its version when its commit changes; the lockfile names the commit.
  for (const lockfile of lockfilesAbove(dirname(context.configPath))) files.add(lockfile);
  const inputs = recordInputs(env, files, context.options);
  if (typeof inputs === "string") return { model, from: "built", kept: false, reason: inputs };
  const file: CacheFile = { version: MODEL_CACHE_VERSION, key, inputs, model };
  let kept = false;
  try {
    fs.mkdirSync(dir, { recursive: true });
    kept = writeReplacingSync(path, JSON.stringify(file));
  } catch {
    // A cache that cannot be written costs the next run the build, nothing else.
  }
  return { model, from: "built", kept };
}

function readCacheFile(path: string): CacheFile | undefined {
  try {
    const read = JSON.parse(readCacheFileSync(path, "utf8")) as CacheFile;
    return read && read.version === MODEL_CACHE_VERSION && read.inputs && read.model ? read : undefined;
  } catch {
    return undefined;
  }
}

/** The cache key of everything but the recorded inputs, or why there is none. */
function contextKey(context: ModelCacheContext): { key: string } | { reason: string } {
  const lists = [context.options.entities, context.options.subscribers];
  for (const list of lists) {
    const values = Array.isArray(list) ? list : list ? Object.values(list) : [];
    // A real class: the config imported its file as written (its entities ran before anything was recorded).
    if (values.some((v) => typeof v === "function" && !standInOriginOf(v))) return { reason: "the config's entity classes ran as it loaded" };
  }
  let options: string;
  try {
    options = describe(context.options);
  } catch {
    return { reason: "the DataSource options cannot be read through (a getter threw)" };
  }
  const key = sha1(
    MODEL_CACHE_VERSION,
    process.version,
    process.cwd(),
    context.configPath,
    context.dialect,
    context.serverVersion,
    options,
    describe(context.managed),
  );
  return { key };
}

/** Whether every recorded input is as it was. */
function unchanged(inputs: RecordedInputs, options: DataSourceOptions): boolean {
  try {
    const entityFiles = entityFilesOf(options).sort();
    if (entityFiles.length !== inputs.entityFiles.length || entityFiles.some((f, i) => f !== inputs.entityFiles[i])) return false;
    for (const [name, hash] of inputs.env) if (valueHash(process.env[name]) !== hash) return false;
    const packages = new Map<string, string>();
    for (const [file, signature] of inputs.modules) if (moduleSignature(file, packages) !== signature) return false;
    for (const [file, signature] of inputs.files) if (fileSignature(file) !== signature) return false;
    return true;
  } catch {
    return false;
  }
}

/**
 * The inputs of a model built by this process, or why they cannot be kept:
 * a file not settled (see the compile cache's manifest) whose signature is
 * taken now, after the build, so that an edit during the build, or within
 * the same mtime after it, would go unseen. A TypeScript module's signature
 * is its compile key, hashed from the text that was compiled and ran, and
 * the next start hashes an unsettled file again rather than trusting its
 * mtime: the check just after an entity edit keeps its model.
 */
function recordInputs(env: ReadonlyMap<string, string | undefined>, files: ReadonlySet<string>, options: DataSourceOptions): RecordedInputs | string {
  const packages = new Map<string, string>();
  const modules: Array<[string, string]> = [];
  for (const file of Object.keys(require.cache).sort()) {
    const signature = moduleSignature(file, packages);
    if (!signature.startsWith(COMPILED_SIGNATURE) && isRacy(file)) return `${file} changed in the last ${RACY_MS / 1000} seconds`;
    modules.push([file, signature]);
  }
  const read: Array<[string, string]> = [];
  for (const file of [...files].sort()) {
    if (isRacy(file)) return `${file} changed in the last ${RACY_MS / 1000} seconds`;
    read.push([file, fileSignature(file)]);
  }
  return {
    modules,
    entityFiles: entityFilesOf(options).sort(),
    // As first read: a variable the entities set themselves then reads as it was before they ran.
    env: [...env.keys()].sort().map((name) => [name, valueHash(env.get(name))]),
    files: read,
  };
}

const LOCKFILES = ["package-lock.json", "npm-shrinkwrap.json", "yarn.lock", "pnpm-lock.yaml", "bun.lock", "bun.lockb"];

/** Where the package managers' lockfiles of `dir` and the folders above it are (a workspace keeps one at its root), or would be: one appearing is a change too. */
function lockfilesAbove(dir: string): string[] {
  const paths: string[] = [];
  for (let at = dir; ; at = dirname(at)) {
    for (const name of LOCKFILES) paths.push(join(at, name));
    if (dirname(at) === at) return paths;
  }
}

function isRacy(file: string): boolean {
  try {
    return fs.statSync(file).mtimeMs >= settledBefore();
  } catch {
    return false;
  }
}

const NODE_MODULES = `${sep}node_modules${sep}`;
/** retort's own sources (run from a checkout, they are TypeScript too, and mention entity decorators). */
const RETORT_SOURCES = resolve(__dirname, "..") + sep;

const COMPILED_SIGNATURE = "ts:";

/** The compile keys of the TypeScript modules a model was built from. */
function compiledKeysOf(inputs: RecordedInputs): string[] {
  return inputs.modules.flatMap(([, signature]) => (signature.startsWith(COMPILED_SIGNATURE) ? [signature.slice(COMPILED_SIGNATURE.length)] : []));
}

/** How a module that ran is recorded (see the top of this file). */
function moduleSignature(file: string, packages: Map<string, string>): string {
  if (file.includes(NODE_MODULES)) {
    const stat = fs.statSync(file);
    return `${packageVersionOf(file, packages)}:${stat.size}:${stat.mtimeMs}:${stat.ino}`;
  }
  if (isCompiled(file)) return `${COMPILED_SIGNATURE}${compileKeyOf(file)}`;
  return `sha1:${sha1(fs.readFileSync(file, "utf8"))}`;
}

/** The version of the npm package `file` belongs to (the innermost node_modules/<name> or node_modules/@scope/<name>). */
function packageVersionOf(file: string, packages: Map<string, string>): string {
  const at = file.lastIndexOf(NODE_MODULES) + NODE_MODULES.length;
  const parts = file.slice(at).split(sep);
  const root = file.slice(0, at) + parts.slice(0, parts[0].startsWith("@") ? 2 : 1).join(sep);
  let version = packages.get(root);
  if (version === undefined) {
    try {
      version = String((JSON.parse(fs.readFileSync(join(root, "package.json"), "utf8")) as { version?: unknown }).version);
    } catch {
      version = "none";
    }
    packages.set(root, version);
  }
  return version;
}

/** A file or folder the entities read: its content's hash, a folder's listing, or its absence. */
function fileSignature(path: string): string {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(path);
  } catch {
    return "missing";
  }
  if (stat.isDirectory()) return `dir:${sha1(...fs.readdirSync(path).sort())}`;
  return `sha1:${sha1(fs.readFileSync(path, "utf8"))}`;
}

function valueHash(value: string | undefined): string | null {
  return value === undefined ? null : sha1(value);
}

interface Recorded<T> {
  result: T;
  env: Map<string, string | undefined>;
  files: Set<string>;
  uncacheable?: string;
}

/**
 * Runs `build` with the environment and the file system watched: the
 * variables read and the paths read, listed or probed, by the entity
 * files (as they run) and the metadata build.
 */
async function recording<T>(build: () => Promise<T>): Promise<Recorded<T>> {
  const env = new Map<string, string | undefined>();
  const files = new Set<string>();
  // A file that declares an entity and ran before this: what it read is not recorded.
  const ranBefore = Object.keys(require.cache).find((file) => isCompiled(file) && !file.startsWith(RETORT_SOURCES) && !file.includes(NODE_MODULES) && declaresEntity(file));
  const uncacheable = ranBefore ? `the entity file ${ranBefore} ran as the config loaded` : undefined;
  const realEnv = process.env;
  const note = (key: string | symbol) => {
    if (typeof key === "string" && !env.has(key)) env.set(key, realEnv[key]);
  };
  process.env = new Proxy(realEnv, {
    get: (target, key) => (note(key), Reflect.get(target, key)),
    has: (target, key) => (note(key), Reflect.has(target, key)),
    getOwnPropertyDescriptor: (target, key) => (note(key), Reflect.getOwnPropertyDescriptor(target, key)),
    // Enumerated (a library reading every DEBUG_* variable, a child process inheriting them): all of it counts.
    ownKeys: (target) => {
      for (const key of Reflect.ownKeys(target)) note(key);
      return Reflect.ownKeys(target);
    },
  });
  const watched = ["readFileSync", "readdirSync", "existsSync", "statSync", "lstatSync"] as const;
  const originals = watched.map((name) => fs[name]);
  watched.forEach((name, i) => {
    const original = originals[i] as (...args: unknown[]) => unknown;
    (fs as unknown as Record<string, unknown>)[name] = function (this: unknown, path: unknown, ...rest: unknown[]) {
      if (typeof path === "string") files.add(path);
      else if (path instanceof URL) files.add(path.pathname);
      return original.call(this, path, ...rest);
    };
  });
  try {
    const result = await build();
    // Modules are recorded as modules (src/model/cache.ts's top), TypeScript sources through the compile keys of those that import them.
    const read = [...files].filter((f) => isAbsoluteFile(f) && !f.includes(NODE_MODULES) && !require.cache[f] && !isCompiled(f));
    return { result, env, files: new Set(read), uncacheable };
  } finally {
    process.env = realEnv;
    watched.forEach((name, i) => {
      (fs as unknown as Record<string, unknown>)[name] = originals[i];
    });
  }
}

function isAbsoluteFile(path: string): boolean {
  return path.startsWith(sep) || /^[A-Za-z]:[\\/]/.test(path);
}

/** A stable text of an options value: classes and functions by name (stand-ins by their file), passwords left out. */
function describe(value: unknown, seen = new Set<object>()): string {
  if (value === null || value === undefined) return String(value);
  if (typeof value === "string") return JSON.stringify(value);
  if (typeof value === "number" || typeof value === "boolean" || typeof value === "bigint") return `${typeof value}:${String(value)}`;
  if (typeof value === "symbol") return value.toString();
  if (typeof value === "function") {
    const origin = standInOriginOf(value);
    return origin ? `class:${origin.name}@${origin.file}` : `function:${value.name}:${sha1(Function.prototype.toString.call(value))}`;
  }
  if (value instanceof RegExp || value instanceof Date) return `${value.constructor.name}:${String(value)}`;
  if (Buffer.isBuffer(value)) return `buffer:${sha1(value.toString("base64"))}`;
  const object = value as Record<string, unknown>;
  if (seen.has(object)) return "cycle";
  seen.add(object);
  try {
    if (Array.isArray(object)) return `[${object.map((v) => describe(v, seen)).join(",")}]`;
    const prototype = Object.getPrototypeOf(object) as { constructor?: Function } | null;
    const kind = prototype?.constructor && prototype.constructor !== Object ? describe(prototype.constructor, seen) : "object";
    const fields = Object.keys(object)
      .sort()
      .filter((key) => !/^password$/i.test(key))
      .map((key) => `${JSON.stringify(key)}:${key === "url" && typeof object[key] === "string" ? JSON.stringify(withoutPassword(object[key] as string)) : describe(object[key], seen)}`);
    return `${kind}{${fields.join(",")}}`;
  } finally {
    seen.delete(object);
  }
}

function withoutPassword(url: string): string {
  return url.replace(/^([a-z][a-z0-9+.-]*:\/\/[^:/@]*):[^@/]*@/i, "$1@");
}

