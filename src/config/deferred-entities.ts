import Module from "node:module";
import { extname } from "node:path";
import { compiledOutputOf, declaresEntity } from "./ts-hook";

/**
 * A config that imports its entity classes (`entities: [User, Post]`) runs
 * every entity module whenever it is loaded: at 1000 entities that is most of
 * `retort current` or `upgrade head`, which never look at them. While such a
 * command loads the config, the config's own imports of entity files get
 * stand-ins (one named function per export), and the real modules run only if
 * the entity metadata is built after all (a revision reaching for the
 * DataSource): `materializeDeferredEntities` then requires them in the order
 * the config imported them and puts the real classes in the options.
 */

const DEFERRABLE_EXTENSIONS = new Set([".ts", ".cts", ".tsx"]);

interface DeferredFile {
  file: string;
  standIns: Map<string, Function>;
  exportNames?: string[];
}

/** In the order the config imported them. */
const deferredFiles = new Map<string, DeferredFile>();
const standInOrigin = new WeakMap<Function, { file: string; name: string }>();

type LoadFunction = (request: string, parent: NodeModule | undefined, isMain: boolean) => unknown;
interface ModuleInternals {
  _load: LoadFunction;
  _resolveFilename(request: string, parent: NodeModule | undefined, isMain: boolean): string;
  _cache: Record<string, NodeModule | undefined>;
}
const internals = Module as unknown as ModuleInternals;

/**
 * Requires the config at `path`, its imports of entity files answered by
 * stand-ins. A config that fails this way (it did more with an entity
 * export than list it) throws; the caller loads it again as written.
 */
export function requireDeferringEntities(path: string): Record<string, unknown> {
  const load = internals._load;
  internals._load = function (this: unknown, request: string, parent: NodeModule | undefined, isMain: boolean) {
    if (parent?.filename === path) {
      const file = deferrableFile(request, parent);
      if (file) return standInModule(file);
    }
    return load.call(this, request, parent, isMain);
  };
  try {
    return require(path) as Record<string, unknown>;
  } finally {
    internals._load = load;
  }
}

/** Forgets the stand-ins and the config module, so that it can be required again as written. */
export function forgetDeferredConfig(path: string): void {
  delete internals._cache[path];
  deferredFiles.clear();
}

function deferrableFile(request: string, parent: NodeModule): string | undefined {
  if (!request.startsWith(".") && !request.startsWith("/")) return undefined;
  let file: string;
  try {
    file = internals._resolveFilename(request, parent, false);
  } catch {
    return undefined;
  }
  // Loaded already (by an earlier import of the config): the real module costs nothing more.
  if (internals._cache[file] || !DEFERRABLE_EXTENSIONS.has(extname(file)) || /[\\/]node_modules[\\/]/.test(file)) return undefined;
  if (deferredFiles.has(file)) return file;
  // TypeScript with an entity decorator, known from the compile cache's manifest while the file is unchanged.
  return declaresEntity(file) ? file : undefined;
}

/**
 * The module object the config gets: any export it reads is a stand-in class
 * of that name; `import * as` and `Object.values` see the file's real export
 * names (read from its compiled output, only when asked).
 */
function standInModule(file: string): object {
  let deferred = deferredFiles.get(file);
  if (!deferred) deferredFiles.set(file, (deferred = { file, standIns: new Map() }));
  const entry = deferred;
  const standInOf = (name: string) => {
    let standIn = entry.standIns.get(name);
    if (!standIn) {
      // Named, so that a config that logs or maps entity names sees the real ones. A function rather than a class:
      // defining 1000 classes took 7 ms of a 280 ms `current`, ten times what 1000 functions take.
      standIn = function () {};
      Object.defineProperty(standIn, "name", { value: name });
      standInOrigin.set(standIn, { file, name });
      entry.standIns.set(name, standIn);
    }
    return standIn;
  };
  const namesOf = () => (entry.exportNames ??= exportNamesOf(file));
  return new Proxy(Object.create(null) as object, {
    get(_target, key) {
      if (key === "__esModule") return true;
      // Not a thenable, not a Symbol.toStringTag-carrying namespace.
      if (typeof key !== "string" || key === "then") return undefined;
      return standInOf(key);
    },
    has(_target, key) {
      return key === "__esModule" || (typeof key === "string" && namesOf().includes(key));
    },
    ownKeys() {
      return namesOf();
    },
    getOwnPropertyDescriptor(_target, key) {
      if (typeof key !== "string" || !namesOf().includes(key)) return undefined;
      return { value: standInOf(key), enumerable: true, configurable: true, writable: false };
    },
  });
}

/** `exports.Name = ...` and re-exports (`Object.defineProperty(exports, "Name", ...)`) of the CommonJS TypeScript emits. */
function exportNamesOf(file: string): string[] {
  const output = compiledOutputOf(file);
  const names = new Set<string>();
  for (const match of output.matchAll(/\bexports\.([A-Za-z_$][\w$]*)\s*=/g)) names.add(match[1]);
  for (const match of output.matchAll(/Object\.defineProperty\(exports,\s*"([^"]+)"/g)) names.add(match[1]);
  names.delete("__esModule");
  return [...names];
}

/** Where a stand-in class comes from (undefined: not a stand-in). */
export function standInOriginOf(value: unknown): { file: string; name: string } | undefined {
  return typeof value === "function" ? standInOrigin.get(value) : undefined;
}

/**
 * Puts the real classes in place of the stand-ins in `entities` and
 * `subscribers` (arrays and objects, in place, so that every holder of them
 * sees the real ones), requiring the entity files the config deferred in the
 * order it imported them (the order TypeORM would have seen them in).
 * `onLoadError` turns a module that throws into the caller's error.
 */
export function materializeDeferredEntities(options: object, onLoadError: (file: string, error: unknown) => Error): void {
  if (deferredFiles.size === 0) return;
  const holders = ["entities", "subscribers"]
    .map((key) => (options as Record<string, unknown>)[key])
    .filter((list): list is Record<string, unknown> => typeof list === "object" && list !== null);
  const wanted = new Set<string>();
  for (const holder of holders) for (const value of Object.values(holder)) if (typeof value === "function" && standInOrigin.has(value)) wanted.add(standInOrigin.get(value)!.file);
  if (wanted.size === 0) return;
  const real = new Map<string, Record<string, unknown>>();
  for (const file of deferredFiles.keys()) {
    if (!wanted.has(file)) continue;
    try {
      real.set(file, require(file) as Record<string, unknown>);
    } catch (error) {
      throw onLoadError(file, error);
    }
  }
  for (const holder of holders) {
    for (const [key, value] of Object.entries(holder)) {
      const origin = typeof value === "function" ? standInOrigin.get(value) : undefined;
      if (origin) holder[key] = real.get(origin.file)?.[origin.name];
    }
  }
}
