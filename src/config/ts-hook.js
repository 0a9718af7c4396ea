"use strict";
/**
 * The `.ts` require hook, in plain JavaScript so that bin/retort.js can use it
 * to run retort's own TypeScript sources from a checkout, and so that the
 * same code loads users' config, entities and revision files.
 *
 * Why not an off-the-shelf register hook: esbuild/tsx emit no decorator
 * metadata; swc's CommonJS output reads imports through live-binding getters,
 * so the `design:type` of a relation in a circular entity pair (A imports B,
 * B imports A) throws "Cannot access 'A' before initialization"; and all of
 * them compile each file alone, so an imported enum or type alias gets
 * `design:type Object` where the user's `tsc` build says String or Number.
 *
 * A file missing from the cache is compiled with the project's files it
 * imports as one program under the nearest tsconfig.json (ts-batch.js), and
 * `precompile` does the same for whole entity globs and revision folders. The
 * output is cached on disk under a key of the file's content, the contents of
 * every project file it imports transitively (found by a scan, so the cache
 * needs no compiler: a warm start runs none) and its tsconfig chain; an edit
 * to an imported enum changes the key of every file that imports it. A
 * large compiler run is kept as one pack file with an index (see storePack).
 *
 * What the scan found (a file's hash and imports) is kept in one manifest
 * per project in the cache directory, under the file's mtime and size and
 * the mtimes of the directories its imports were looked up in, so a warm
 * start reads one manifest and stats each file instead of reading, hashing
 * and scanning every file (and its cached output is read once).
 */
const { existsSync, mkdirSync, readdirSync, readFileSync, realpathSync, rename, statSync, unlink, unlinkSync, writeFile } = require("node:fs");
const Module = require("node:module");
const { noteUsesThrough, readCacheFileSync, useCacheFolder } = require("./cache-folder");
const { defaultCacheDir, hasNodeFlag, runWithCodeCache, setCodeCacheDir, sha1, writeReplacingSync } = require("./code-cache");
const { basename, dirname, extname, isAbsolute, join, relative, resolve } = require("node:path");
const { exportedNamesOf, plainExportsOf, plainImportCandidates, reachesGlobalScope, reexportsOf, surelyExportsValue, typeOnlyImportEnds } = require("./import-surface");
const {
  TYPESCRIPT_EXTENSIONS,
  aliasReachesOtherFile,
  browserTypeNamesIn,
  compileProgram,
  compileProgramInBackground,
  isPathSpecifier,
  localTargetOf,
  mentionsBrowserTypes,
  moduleReferencesOf,
  namesSurely,
  nativeCompiler,
  otherInputsOf,
} = require("./ts-batch");
const { aliasCandidates, tsconfigOf } = require("./tsconfig");

const CACHE_VERSION = "cjs-program-v6";

class UserCodeSyntaxError extends Error {
  constructor(file, line, column, detail) {
    super(`${file}:${line}:${column}: ${detail}`);
    this.name = "UserCodeSyntaxError";
    this.file = file;
    this.line = line;
    this.column = column;
    this.detail = detail;
  }
}

/** A tsconfig.json that cannot be read or that TypeScript rejects. */
class TsconfigError extends Error {
  constructor(message) {
    super(message);
    this.name = "TsconfigError";
  }
}

let cacheDir;
let registered = false;
/** fileName -> { key, output } compiled and not yet required. */
const batched = new Map();
/** Cache keys compiled (or failed) in this process, so that no later batch tries them again. */
const settled = new Set();
/** Cache key -> the syntax error of that file. */
const failed = new Map();
const stats = { cacheHits: 0, batches: 0, nativeFiles: 0, typescript5Files: 0, standInRuns: 0, withoutBrowserLibs: 0 };

/**
 * fileName -> { hash, imports, plainImports, plainExports, exportNames,
 * exportsValue, reexports, global, importsOtherFiles, entity, version,
 * config, dirs }: each project file read (or found in the manifest) once
 * per process. `plainImports[i]` lists the names a plain import takes from
 * `imports[i]` (null: not one), `plainExports` the plain declarations it
 * exports (name -> declaration), `exportNames` every name it exports (null:
 * not known), `exportsValue` whether it surely exports a value,
 * `reexports` what it re-exports when it is a barrel (see barrelOf),
 * `global` whether it reaches the global scope (see import-surface.js),
 * `importsOtherFiles` whether a relative import or an alias names a file
 * that is not a project `.ts` file, `typeOnlyImports` the imports whose
 * every statement the compiler erases whatever the module holds (see
 * typeOnlyImportEnds): a run may leave them out of its program, and
 * `globalConstEnum` whether it may declare a const enum in the global scope.
 */
let graph = new Map();
/** fileName -> hash of the file and everything it imports, transitively. */
let closures = new Map();
/** fileName -> whether a file it imports, transitively (or itself), reaches the global scope. */
let closureGlobal = new Map();

function configOf(fileName) {
  const config = tsconfigOf(fileName);
  if (config && config.error) throw new TsconfigError(config.error);
  return config;
}

/** An entity class is declared in the file (what deferred-entities.ts defers). */
const ENTITY_DECORATOR = /@(?:Entity|ViewEntity|ChildEntity)\s*\(/;

/**
 * Whether a TypeScript file declares an entity, known from the manifest
 * without reading the file when it has not changed; false for a file that
 * cannot be read.
 */
function declaresEntity(fileName) {
  return nodeOf(fileName).entity === true;
}

function nodeOf(fileName) {
  let node = graph.get(fileName);
  if (node) return node;
  try {
    const version = versionOf(fileName);
    const config = configOf(fileName);
    const configHash = config ? config.hash : "";
    const known = manifest().files[fileName];
    if (
      known &&
      known.version === version &&
      known.config === configHash &&
      known.entity !== undefined &&
      known.browserTypes !== undefined &&
      known.typeOnlyImports !== undefined &&
      known.globalConstEnum !== undefined &&
      known.dirs.every(([dir, mtime]) => dirVersionOf(dir) === mtime)
    ) {
      node = { ...known };
    } else {
      const probed = new Set();
      const source = readFileSync(fileName, "utf8");
      const targets = new Map();
      const targetOf = (specifier) => {
        if (!targets.has(specifier)) targets.set(specifier, localTargetOf(specifier, fileName, config, probed));
        return targets.get(specifier);
      };
      const references = moduleReferencesOf(source, targetOf);
      const imports = [...new Set(references.flatMap((r) => (r.target ? [r.target] : [])))];
      const surely = (specifier, target) => namesSurely(specifier, fileName, target, config);
      const candidates = plainImportCandidates(source, references, surely);
      const others = [...new Set(references.flatMap((r) => otherInputsOf(r.specifier, fileName, config, probed, r.target)))].sort();
      // An import of a project .js, .json, .tsx or .d.ts file (or folder): not beside the copy a stand-in run compiles.
      const importsOtherFiles =
        others.length > 0 || references.some((r) => r.target === undefined && (isPathSpecifier(r.specifier) || aliasReachesOtherFile(r.specifier, config, probed)));
      const plainImports = imports.map((target) => candidates[target] || null);
      const typeOnlyEnds = typeOnlyImportEnds(source);
      const typeOnlyImports = imports.filter((target) => references.every((r) => r.target !== target || typeOnlyEnds.has(r.end)));
      const entity = ENTITY_DECORATOR.test(source);
      // JSON declares nothing global; a script does.
      const global = extname(fileName) !== ".json" && reachesGlobalScope(source);
      const browserTypes = global ? null : browserTypeNames();
      node = {
        hash: sha1(source),
        imports,
        others,
        plainImports,
        plainExports: plainExportsOf(source),
        exportNames: exportedNamesOf(source) ?? null,
        exportsValue: surelyExportsValue(source),
        reexports: barrelOf(source, targetOf, surely),
        global,
        browserTypes: !browserTypes || mentionsBrowserTypes(source, browserTypes),
        importsOtherFiles,
        typeOnlyImports,
        // A const enum declared where it is global is inlined wherever its name is read, imported or not.
        globalConstEnum: global && /\bconst\s+enum\b/.test(source),
        entity,
        version,
        config: configHash,
        dirs: [...probed].sort().map((dir) => [dir, dirVersionOf(dir)]),
      };
      manifestChanged = true;
    }
  } catch (error) {
    if (error instanceof TsconfigError) throw error;
    node = {
      hash: "unreadable",
      imports: [],
      others: [],
      plainImports: [],
      plainExports: {},
      exportNames: null,
      exportsValue: false,
      reexports: null,
      global: false,
      browserTypes: true,
      importsOtherFiles: false,
      typeOnlyImports: [],
      globalConstEnum: false,
      version: undefined,
    };
  }
  graph.set(fileName, node);
  return node;
}

/**
 * A barrel's re-exports with their modules resolved ({ stars: [file], named:
 * { name: [file, name there] } }), or null when `source` is not a barrel or
 * re-exports anything but project `.ts` files it surely names (see
 * import-surface.js): a name a plain import takes from it is then read
 * through to its declaration.
 */
function barrelOf(source, targetOf, surely) {
  const barrel = reexportsOf(source);
  if (!barrel) return null;
  const fileOf = (specifier) => {
    const target = targetOf(specifier);
    return surely(specifier, target) ? target : undefined;
  };
  const stars = barrel.stars.map(fileOf);
  const named = Object.fromEntries(Object.entries(barrel.named).map(([name, { specifier, name: original }]) => [name, [fileOf(specifier), original]]));
  if (stars.includes(undefined) || Object.values(named).some(([file]) => file === undefined)) return null;
  return { stars, named };
}

/** dir -> its mtime (or "missing"), once per process: a file added to or removed from it changes what an import there resolves to. */
const dirVersions = new Map();

function dirVersionOf(dir) {
  let version = dirVersions.get(dir);
  if (version === undefined) {
    try {
      version = String(statSync(dir).mtimeMs);
    } catch {
      version = "missing";
    }
    dirVersions.set(dir, version);
  }
  return version;
}

/**
 * When this process started: what it read of a file or directory whose mtime
 * is less than RACY_MS before that may have changed since within the same
 * mtime (on a file system with coarse timestamps), so it is not put in the
 * manifest (as git does with its index).
 */
const STARTED_AT = performance.timeOrigin;
const RACY_MS = 2000;

/** Files and directories with an mtime before this are settled: the manifest and the model cache trust what they read of them. */
function settledBefore() {
  return STARTED_AT - RACY_MS;
}

let loadedManifest;
let manifestChanged = false;

function manifestPath() {
  return cacheDir ? join(cacheDir, `manifest-${sha1(CACHE_VERSION, process.cwd()).slice(0, 16)}.json`) : undefined;
}

/** The manifest of this project ({ files: { fileName: node } }), read once; empty without a cache or when unreadable. */
function manifest() {
  if (loadedManifest) return loadedManifest;
  loadedManifest = readManifest();
  if (cacheDir) process.once("exit", writeManifest);
  return loadedManifest;
}

function readManifest() {
  const path = manifestPath();
  if (path) {
    try {
      const read = JSON.parse(readCacheFileSync(path, "utf8"));
      if (read && read.version === CACHE_VERSION && read.files && typeof read.files === "object") return read;
    } catch {
      // none yet, or unreadable: every file is read
    }
  }
  return { version: CACHE_VERSION, files: {} };
}

function storable(node) {
  const settled = settledBefore();
  if (node.version === undefined || Number(node.version.split(":")[0]) >= settled) return false;
  return node.dirs.every(([, mtime]) => mtime === "missing" || Number(mtime) < settled);
}

/**
 * At exit, when some file was read rather than found in the manifest: this
 * process's entries over the manifest as it is now on disk (another process
 * may have written it meanwhile), without files that no longer exist;
 * written then renamed, so a reader never sees half of it. Losing a race
 * only costs the next start some reading.
 */
function writeManifest() {
  if (!manifestChanged) return;
  const path = manifestPath();
  const files = { ...readManifest().files };
  for (const [fileName, node] of graph) {
    if (node.version !== undefined && storable(node)) files[fileName] = node;
    else delete files[fileName];
  }
  for (const fileName of Object.keys(files)) if (!graph.has(fileName) && !existsSync(fileName)) delete files[fileName];
  try {
    mkdirSync(cacheDir, { recursive: true });
  } catch {
    return;
  }
  writeReplacingSync(path, JSON.stringify({ version: CACHE_VERSION, files }));
}

/**
 * Hashes of import closures for every file reachable from `root`, by
 * Tarjan's strongly connected components (entities import each other in
 * cycles): a component's hash covers its files' contents and the hashes of
 * the components it imports, so each file is read and hashed once.
 */
function closureHashOf(root) {
  if (closures.has(root)) return closures.get(root);
  let counter = 0;
  const index = new Map();
  const low = new Map();
  const stack = [];
  const onStack = new Set();
  const enter = (file) => {
    index.set(file, counter);
    low.set(file, counter++);
    stack.push(file);
    onStack.add(file);
    work.push({ file, next: 0 });
  };
  const work = [];
  enter(root);
  while (work.length > 0) {
    const frame = work[work.length - 1];
    const edges = edgesOf(frame.file);
    if (frame.next < edges.length) {
      const target = edges[frame.next++];
      if (closures.has(target)) continue;
      if (!index.has(target)) enter(target);
      else if (onStack.has(target)) low.set(frame.file, Math.min(low.get(frame.file), index.get(target)));
      continue;
    }
    work.pop();
    if (low.get(frame.file) === index.get(frame.file)) {
      const members = [];
      let member;
      do {
        member = stack.pop();
        onStack.delete(member);
        members.push(member);
      } while (member !== frame.file);
      const inside = new Set(members);
      const parts = members.sort().flatMap((f) => [f, nodeOf(f).hash]);
      const outside = new Set();
      let global = members.some((f) => nodeOf(f).global);
      for (const f of members) {
        for (const target of edgesOf(f)) {
          if (inside.has(target)) continue;
          outside.add(closures.get(target));
          global = global || closureGlobal.get(target);
        }
      }
      const digest = sha1(...parts, "->", ...[...outside].sort());
      for (const f of members) {
        closures.set(f, digest);
        closureGlobal.set(f, global);
      }
    }
    if (work.length > 0) {
      const parent = work[work.length - 1].file;
      low.set(parent, Math.min(low.get(parent), low.get(frame.file)));
    }
  }
  return closures.get(root);
}

function keyOf(fileName) {
  const config = configOf(fileName);
  return sha1(CACHE_VERSION, config ? config.hash : "no tsconfig", fileName, dependencyKeyOf(fileName));
}

/**
 * What of the files `fileName` imports its output depends on: for a plain
 * import, the declarations of the classes and enums it takes; for any
 * other, the module's whole closure; all of the closure when something in
 * it reaches the global scope (see import-surface.js). Built as one string:
 * it is worked out for every module on every start that checks the model
 * cache.
 */
function dependencyKeyOf(fileName) {
  const closure = closureHashOf(fileName);
  if (closureGlobal.get(fileName)) return `closure\0${closure}`;
  const node = nodeOf(fileName);
  let key = `own\0${node.hash}`;
  node.imports.forEach((target, index) => {
    const declarations = importedDeclarationsOf(node, index) ?? reexportedSurfaceOf(node, target);
    key += declarations === undefined ? `\0closure\0${target}\0${closureHashOf(target)}` : `\0plain\0${target}\0${declarations}`;
  });
  for (const other of node.others) key += `\0other\0${other}\0${closureHashOf(other)}`;
  return key;
}

/** What a file's output may depend on: the project modules it imports and the other files the compiler reads for its imports. */
function edgesOf(fileName) {
  const node = nodeOf(fileName);
  return node.others.length === 0 ? node.imports : [...node.imports, ...node.others];
}

/**
 * What a barrel's output takes from a module it re-exports, when a scan can
 * tell (else undefined): an `export *` of it is emitted when the module
 * exports some value, and a named re-export when the name is a value (a
 * class, an enum) rather than a type; an edit of a starred entity's body
 * then leaves the barrel's output as it is.
 */
function reexportedSurfaceOf(node, target) {
  const barrel = node.reexports;
  if (!barrel) return undefined;
  let surface = "";
  if (barrel.stars.includes(target)) {
    if (nodeOf(target).exportsValue !== true) return undefined;
    surface += "star\0";
  }
  for (const [name, [file, original]] of Object.entries(barrel.named)) {
    if (file !== target) continue;
    const exported = exportedDeclarationOf(target, original);
    if (!exported) return undefined;
    surface += `${name}=${exported.declaration}${exported.via}\0`;
  }
  return surface;
}

/** The declarations a node's import `index` takes when it is a plain import, else undefined. */
function importedDeclarationsOf(node, index) {
  const names = node.plainImports && node.plainImports[index];
  if (!names) return undefined;
  let declarations = "";
  for (const name of names) {
    const exported = exportedDeclarationOf(node.imports[index], name);
    if (!exported) return undefined;
    declarations += `${name}=${exported.declaration}${exported.via}\0`;
  }
  return declarations;
}

/**
 * The plain declaration `name` is to a module that imports it from `file`
 * ({ declaration, via }), or undefined: the file's own plain class, enum,
 * interface or literal type alias, or one a barrel re-exports (then
 * declared under the name it is imported by, and `via` records what else
 * decides the name: the barrel's text and the module it comes from). A name
 * two starred modules export is ambiguous (tsc takes the first and reports
 * it): not plain, so a module exporting one more name changes the key only
 * when it makes one ambiguous.
 */
function exportedDeclarationOf(file, name) {
  const node = nodeOf(file);
  const own = node.plainExports || {};
  if (Object.hasOwn(own, name)) return { declaration: own[name], via: "" };
  const barrel = node.reexports;
  if (!barrel) return undefined;
  let source;
  if (Object.hasOwn(barrel.named, name)) {
    source = barrel.named[name];
  } else {
    // `export *` passes on no default export.
    if (name === "default") return undefined;
    const supplying = [];
    for (const star of barrel.stars) {
      const names = nodeOf(star).exportNames;
      if (!names) return undefined;
      if (names.includes(name)) supplying.push(star);
    }
    if (supplying.length !== 1) return undefined;
    source = [supplying[0], name];
  }
  const [module, original] = source;
  const declared = (nodeOf(module).plainExports || {})[original];
  // A default export stands in as a class only.
  if (declared === undefined || (name === "default" && !/^export (?:default )?(?:declare )?(?:abstract )?class /.test(declared))) return undefined;
  return { declaration: renamedDeclaration(declared, name), via: `\0via\0${node.hash}\0${module}#${original}` };
}

/** A plain enum, interface or alias declaration under the name a barrel re-exports it by (a class's stand-in takes the name anyway). */
function renamedDeclaration(declaration, name) {
  return name === "default" ? declaration : declaration.replace(/^(export (?:enum|interface|type) )[A-Za-z_$][\w$]*/, `$1${name}`);
}

/**
 * For a compiler run over `fileNames`: the modules outside the run that can
 * stand in it as declarations (target -> { names, declarations }), when
 * every file of the run imports whatever is outside it through plain
 * imports or erased `import type` statements, by relative paths or path
 * aliases to project `.ts` files only, and nothing it imports otherwise
 * reaches the global scope (what it only `import type`s may, but for a
 * const enum declared there); else undefined, and the run compiles the
 * whole closure as before.
 */
function standInsFor(fileNames) {
  const inRun = new Set(fileNames);
  const standIns = new Map();
  for (const fileName of fileNames) {
    closureHashOf(fileName);
    const node = nodeOf(fileName);
    if (node.global || node.importsOtherFiles) return undefined;
    for (const [index, target] of node.imports.entries()) {
      const typeOnly = node.typeOnlyImports.includes(target);
      // What a module only `import type`d reaches into the global scope matters only as a const enum someone may read.
      if (typeOnly ? [...reachableFrom([target])].some((f) => nodeOf(f).globalConstEnum) : closureGlobal.get(target)) return undefined;
      if (inRun.has(target)) continue;
      const entry = standIns.get(target) || { names: new Set(), declarations: {} };
      // A module only `import type`d stands in as an empty one: its declarations cannot change the output.
      if (!typeOnly) {
        if (importedDeclarationsOf(node, index) === undefined) return undefined;
        for (const name of node.plainImports[index]) {
          entry.names.add(name);
          entry.declarations[name] = exportedDeclarationOf(target, name).declaration;
        }
      }
      standIns.set(target, entry);
    }
  }
  return standIns.size > 0 ? standIns : undefined;
}

/**
 * What `fileName`'s compiled output is determined by (its cache key: the
 * file, what it imports transitively, its tsconfig chain); the model cache
 * records it for each TypeScript module that ran.
 */
function compileKeyOf(fileName) {
  return keyOf(fileName);
}

/** The cache directory of the project whose TypeScript this process loads (undefined: no cache). */
function cacheDirectory() {
  return cacheDir;
}

/** Whether TypeScript may be loaded through import() in this process (an ES module project): require's cache then does not list every module. */
function esmLoadHookRegistered() {
  return esmHookRegistered;
}

function cachedPathOf(key) {
  return cacheDir ? join(cacheDir, `${key}.js`) : undefined;
}

function readCached(path) {
  if (!path) return undefined;
  try {
    return readCacheFileSync(path, "utf8");
  } catch {
    return undefined;
  }
}

function takeBatched(fileName, key) {
  const entry = batched.get(fileName);
  if (!entry || entry.key !== key) return undefined;
  batched.delete(fileName);
  return entry.output;
}

function throwIfFailed(key) {
  const error = failed.get(key);
  if (error) throw error;
}

/** `source` when the caller has read the file, else the file's mtime and size tell whether it changed. */
function compileCached(source, fileName) {
  return compiledEntry(source, fileName).output;
}

/** compileCached's output, and whether it came from the disk cache (not compiled by this process). */
function compiledEntry(source, fileName) {
  const node = nodeOf(fileName);
  if (source === undefined ? !sameVersion(fileName, node.version) : node.hash !== sha1(source)) {
    // Edited since this process first read it: everything read so far is read again.
    graph = new Map();
    closures = new Map();
    closureGlobal = new Map();
  }
  const key = keyOf(fileName);
  throwIfFailed(key);
  const ready = takeBatched(fileName, key);
  if (ready !== undefined) return { output: ready, fromDisk: false };
  // The pack index is in memory: a packed output costs no failed open of its own file first.
  const cached = readPacked(key) ?? readCached(cachedPathOf(key));
  if (cached !== undefined) {
    stats.cacheHits++;
    return { output: cached, fromDisk: true };
  }
  if (settled.has(key)) settled.delete(key); // compiled earlier in this process but not kept: compile again
  compileAhead([fileName]);
  throwIfFailed(key);
  const compiled = takeBatched(fileName, key);
  if (compiled !== undefined) return { output: compiled, fromDisk: false };
  throw new Error(`TypeScript emitted nothing for ${fileName}`);
}

/** The JavaScript a TypeScript file runs as (from the cache when there), for mapping an error's frame back to its source. */
function compiledOutputOf(fileName) {
  return compileCached(readFileSync(fileName, "utf8"), fileName);
}

/**
 * Compiles `fileNames` and the project files they import, those not cached
 * or compiled yet, as one program per tsconfig, so that the requires that
 * follow find them ready.
 */
function compileAhead(fileNames) {
  for (const [config, pending] of uncompiledGroups(fileNames)) {
    let result;
    try {
      const files = pending.map((p) => p.fileName);
      result = compileProgram(files, config, files, standInsFor(files), { browserTypesFree: browserTypesFree(files) });
    } catch (error) {
      throw tsconfigErrorOf(config, error);
    }
    settleGroup(pending, result);
  }
}

/** compileAhead, with the compiler running while the caller goes on (see precompileInBackground). */
async function compileAheadInBackground(fileNames) {
  for (const [config, pending] of uncompiledGroups(fileNames)) {
    const files = pending.map((p) => p.fileName);
    const compiled = compileProgramInBackground(files, config, files, standInsFor(files), { browserTypesFree: browserTypesFree(files) });
    settleGroup(pending, await compiled.catch((error) => Promise.reject(tsconfigErrorOf(config, error))));
  }
}

/**
 * Whether no file of the program `files` start may name a type of the
 * browser's libraries (see ts-batch.js): neither they nor the project files
 * they import, whose types the program reads (an alias the files import by
 * `import type` is not seen as unresolved in their output).
 */
function browserTypesFree(files) {
  return [...reachableFrom(files)].every((fileName) => nodeOf(fileName).browserTypes === false);
}

let browserTypeSet;

/**
 * browserTypeNamesIn for the native compiler's libraries, as a Set; null
 * without the compiler. Reading them takes tens of milliseconds, so the
 * cache folder keeps the list, under the library's size and mtime.
 */
function browserTypeNames() {
  if (browserTypeSet !== undefined) return browserTypeSet;
  browserTypeSet = null;
  const executable = nativeCompiler();
  if (!executable) return null;
  const libDir = dirname(executable);
  try {
    const path = cacheDir && join(cacheDir, `browser-types-${sha1(libDir, versionOf(join(libDir, "lib.dom.d.ts"))).slice(0, 16)}.json`);
    try {
      const kept = path && JSON.parse(readCacheFileSync(path, "utf8"));
      if (Array.isArray(kept)) return (browserTypeSet = new Set(kept));
    } catch {
      // not kept yet, or unreadable: read from the libraries
    }
    const names = browserTypeNamesIn(libDir);
    if (path && cacheDirReady()) writeReplacingSync(path, JSON.stringify(names));
    browserTypeSet = new Set(names);
  } catch {
    browserTypeSet = null;
  }
  return browserTypeSet;
}

/** What the compiler threw for a group (its options rejected), naming the tsconfig. */
function tsconfigErrorOf(config, error) {
  return new TsconfigError(`${config ? config.path : "TypeScript"}: ${error instanceof Error ? error.message : String(error)}`);
}

/** The files of `fileNames` and what they import that need compiling, grouped by tsconfig. */
function uncompiledGroups(fileNames) {
  const roots = fileNames.filter(isCompiled).map((f) => resolve(f));
  const groups = new Map();
  for (const fileName of reachableFrom(roots)) {
    const key = keyOf(fileName);
    if (isReady(fileName, key)) continue;
    const config = configOf(fileName);
    const group = groups.get(config) || [];
    group.push({ fileName, key, version: nodeOf(fileName).version });
    groups.set(config, group);
  }
  return groups;
}

/** Compiled by this process, or in the compile cache. */
function isReady(fileName, key) {
  if (settled.has(key) || batched.get(fileName)?.key === key) return true;
  const cached = cachedPathOf(key);
  return Boolean(cached && (packIndex().has(key) || existsSync(cached)));
}

/** Keeps a program's outputs for the requires that follow (and in the cache), and its syntax errors for them to throw. */
function settleGroup(pending, result) {
  stats.batches++;
  stats.nativeFiles += result.native;
  stats.typescript5Files += result.typescript5;
  if (result.standIns) stats.standInRuns++;
  if (result.browserLibsLeftOut) stats.withoutBrowserLibs++;
  const compiled = [];
  for (const { fileName, key, version } of pending) {
    settled.add(key);
    const error = result.errors.get(fileName);
    if (error) {
      failed.set(key, new UserCodeSyntaxError(relative(process.cwd(), fileName) || fileName, error.line, error.column, error.message));
      continue;
    }
    const output = result.outputs.get(fileName);
    // The compiler read the file itself: if it was saved meanwhile, the output may not be of the source the key hashes.
    if (output === undefined || !sameVersion(fileName, version)) {
      settled.delete(key);
      continue;
    }
    batched.set(fileName, { key, output });
    compiled.push([key, output]);
  }
  if (!cacheDir) return;
  if (compiled.length >= PACK_MIN_FILES && storePack(compiled)) return;
  for (const [key, output] of compiled) storeInCache(cachedPathOf(key), output);
}

/**
 * Every project file reachable from `roots`, each after the files it imports
 * (a depth-first post-order, without recursion). TypeScript 5's program
 * follows the imports of each root it is given recursively: given the far
 * end of a chain of 3000 entities that each import the previous one first,
 * it overflowed the stack; given the files imported first, it finds them
 * already read.
 */
function reachableFrom(roots) {
  const done = new Set();
  const entered = new Set();
  const stack = [...roots].reverse().map((fileName) => ({ fileName, next: 0 }));
  while (stack.length > 0) {
    const frame = stack[stack.length - 1];
    if (frame.next === 0) {
      if (entered.has(frame.fileName)) {
        stack.pop();
        continue;
      }
      entered.add(frame.fileName);
    }
    const imports = nodeOf(frame.fileName).imports;
    if (frame.next < imports.length) {
      const target = imports[frame.next++];
      if (!entered.has(target)) stack.push({ fileName: target, next: 0 });
      continue;
    }
    stack.pop();
    done.add(frame.fileName);
  }
  return done;
}

function versionOf(fileName) {
  const { mtimeMs, size } = statSync(fileName);
  return `${mtimeMs}:${size}`;
}

function sameVersion(fileName, version) {
  try {
    return versionOf(fileName) === version;
  } catch {
    return false;
  }
}

/**
 * For callers about to require many files (entity globs, a revision folder):
 * compiles the TypeScript ones not cached in one batch, registering the hook
 * first if they are the first TypeScript this process loads.
 */
function precompile(fileNames) {
  const typescript = fileNames.filter(isCompiled);
  if (typescript.length === 0) return;
  registerTypeScript(dirname(typescript[0]));
  compileAhead(typescript);
}

/**
 * precompile, with the compiler running while the caller goes on (loading
 * TypeORM while the config compiles, say): the compiler has started when
 * this returns, and the promise resolves once its output is ready. It never
 * rejects: a failure is met again, and reported, by the require that follows.
 * `companions()`, asked only when the compiler has to start for `fileNames`,
 * names files to compile in the same run (those the caller loads next): each
 * start reads TypeScript's, Node's and TypeORM's declarations again.
 */
function precompileInBackground(fileNames, companions = () => []) {
  const typescript = compilableNow(fileNames);
  if (typescript.length === 0) return Promise.resolve();
  try {
    registerTypeScript(dirname(typescript[0]));
    // A file whose own output is ready needs nothing compiled for its require (what it imports is compiled then).
    if (typescript.every((f) => isReady(f, keyOf(f)))) return Promise.resolve();
    return compileAheadInBackground([...typescript, ...compilableNow(companions())]).catch(() => undefined);
  } catch {
    return Promise.resolve();
  }
}

/** The TypeScript files of `fileNames`, less `.mts`: the hook refuses those before compiling them (see registerTypeScript). */
function compilableNow(fileNames) {
  return fileNames.filter((f) => isCompiled(f) && extname(f) !== ".mts").map((f) => resolve(f));
}

function isCompiled(fileName) {
  return TYPESCRIPT_EXTENSIONS.includes(extname(fileName)) && !fileName.endsWith(".d.ts");
}

/** How this process got its compiled code; for tests and the benchmark. */
function compileStats() {
  return { ...stats };
}

let cacheDirMade = false;

/** Whether the cache folder exists (made on first use). */
function cacheDirReady() {
  try {
    if (!cacheDirMade) mkdirSync(cacheDir, { recursive: true });
    cacheDirMade = true;
    return true;
  } catch {
    return false;
  }
}

/**
 * A batch at least this large is kept as one pack file, with an index of
 * the keys it holds, rather than one file per output: creating a file in the
 * cache folder costs 0.15 to 0.7 ms on a 2-core machine's ext4 disk, so the
 * first check after `npm ci` spent 0.15 to 0.7 s of a 1000-entity run writing
 * its outputs; one 5 MB pack takes about 20 ms.
 */
const PACK_MIN_FILES = 32;
const PACK_INDEX = "packs.json";
/** Cache key -> the pack file (its name in the cache folder) that holds its output. */
let packs;
/** Pack file name -> { offsets, body } read from it, or null when it could not be read. */
const packContents = new Map();

/** Pack file name -> its size when written: a pack that is gone or of another size is dropped from the index. */
let packSizes;

/** The pack index, read once. */
function packIndex() {
  if (packs) return packs;
  packs = new Map();
  packSizes = new Map();
  if (!cacheDir) return packs;
  try {
    const read = JSON.parse(readFileSync(join(cacheDir, PACK_INDEX), "utf8"));
    if (read && read.version === CACHE_VERSION && read.keys && read.sizes) {
      for (const [pack, size] of Object.entries(read.sizes)) {
        if (statSync(join(cacheDir, pack), { throwIfNoEntry: false })?.size === size) packSizes.set(pack, size);
      }
      for (const [key, pack] of Object.entries(read.keys)) if (packSizes.has(pack)) packs.set(key, pack);
    }
  } catch {
    // No index yet, or a damaged one: nothing is packed.
  }
  return packs;
}

/**
 * Notes the cached outputs of `keys` as used without reading them, through
 * `standIn`: a model read from the model cache stands for the outputs it was
 * built from, which no module load reads meanwhile (see cache-folder.js).
 */
function noteOutputsUsed(keys, standIn) {
  if (!cacheDir) return;
  noteUsesThrough(standIn, () => {
    const paths = new Set();
    for (const key of keys) {
      const pack = packIndex().get(key);
      paths.add(pack ? join(cacheDir, pack) : cachedPathOf(key));
    }
    return paths;
  });
}

/** The output `key` has in a pack, or undefined. */
function readPacked(key) {
  const name = packIndex().get(key);
  if (!name) return undefined;
  if (!packContents.has(name)) {
    let pack = null;
    try {
      const buffer = readCacheFileSync(join(cacheDir, name));
      const headerEnd = buffer.indexOf(10);
      pack = { offsets: JSON.parse(buffer.subarray(0, headerEnd).toString("utf8")), body: buffer.subarray(headerEnd + 1) };
    } catch {
      // Unreadable: its outputs are compiled again, and not looked for there again.
      for (const [packed, holder] of packs) if (holder === name) packs.delete(packed);
    }
    packContents.set(name, pack);
  }
  const pack = packContents.get(name);
  const at = pack && pack.offsets[key];
  if (!Array.isArray(at) || at[0] + at[1] > pack.body.length) return undefined;
  return pack.body.subarray(at[0], at[0] + at[1]).toString("utf8");
}

/**
 * Writes `entries` ([key, output]) as one pack (a JSON line of each key's
 * byte offset and length, then the outputs) and adds them to the index,
 * keeping what other processes added to it meanwhile; losing that race costs
 * a compile, not a wrong output: a key names one output, whichever process
 * wrote it. False when the pack could not be written.
 */
function storePack(entries) {
  if (!cacheDirReady()) return false;
  const offsets = {};
  const bodies = [];
  let at = 0;
  for (const [key, output] of entries) {
    const bytes = Buffer.from(output, "utf8");
    offsets[key] = [at, bytes.length];
    bodies.push(bytes);
    at += bytes.length;
  }
  const name = `pack-${sha1(CACHE_VERSION, ...entries.map(([key]) => key))}.pack`;
  const pack = Buffer.concat([Buffer.from(`${JSON.stringify(offsets)}\n`, "utf8"), ...bodies]);
  if (!writeReplacingSync(join(cacheDir, name), pack)) return false;
  packs = undefined;
  const index = packIndex();
  for (const [key] of entries) index.set(key, name);
  packSizes.set(name, pack.length);
  const sizes = Object.fromEntries([...new Set(index.values())].map((used) => [used, packSizes.get(used)]));
  writeReplacingSync(join(cacheDir, PACK_INDEX), JSON.stringify({ version: CACHE_VERSION, sizes, keys: Object.fromEntries(index) }));
  return true;
}

/**
 * Written in the background (a cold start compiles every entity; writing 1000
 * files synchronously cost a second of it), and write-then-rename so that
 * concurrent processes never read a half-written file. A cache that cannot be
 * written only costs speed.
 */
function storeInCache(cached, output) {
  if (!cacheDirReady()) return;
  const temp = `${cached}.${process.pid}.tmp`;
  if (!writesFinishAtExit) process.once("exit", writeUnwritten);
  writesFinishAtExit = true;
  unwritten.set(cached, output);
  writeFile(temp, output, (error) => {
    if (error) return;
    rename(temp, cached, (renameError) => {
      if (renameError) unlink(temp, () => undefined);
      else unwritten.delete(cached);
    });
  });
}

/**
 * Outputs whose write has not finished. A command that ends with
 * `process.exit` (`--help`, yargs' own errors) would otherwise drop them, and
 * every later start would compile the same files again.
 */
const unwritten = new Map();
let writesFinishAtExit = false;

function writeUnwritten() {
  for (const [cached, output] of unwritten) {
    // Not the asynchronous write's name: that one may be half written.
    writeReplacingSync(cached, output, "exit.tmp");
    try {
      unlinkSync(`${cached}.${process.pid}.tmp`);
    } catch {
      // Never opened.
    }
  }
  unwritten.clear();
}

/**
 * Lets user files `import ... from "typeorm-retort"` when retort runs from its
 * own checkout, where the package is not in node_modules.
 */
function aliasSelfPackage(selfEntry) {
  const original = Module._resolveFilename;
  Module._resolveFilename = function (request, ...rest) {
    if (request === "typeorm-retort") {
      try {
        return original.call(this, request, ...rest);
      } catch {
        return original.call(this, selfEntry, ...rest);
      }
    }
    return original.call(this, request, ...rest);
  };
}

// String literals and comments are matched (and kept) so that only real `import.meta` expressions are replaced.
const IMPORT_META = /("(?:[^"\\\n]|\\.)*"|'(?:[^'\\\n]|\\.)*'|`(?:[^`\\]|\\.)*`|\/\/[^\n]*|\/\*[\s\S]*?\*\/)|\bimport\.meta\b/g;
const IMPORT_META_SHIM =
  '({ url: require("node:url").pathToFileURL(__filename).href, filename: __filename, dirname: __dirname, resolve: (s) => require("node:url").pathToFileURL(require.resolve(s)).href })';

/**
 * ESM files (a "type": "module" project, `.mts`) run as CommonJS here, where
 * `import.meta` does not exist: it is given the url, filename, dirname and
 * resolve() Node gives an ES module.
 */
function withImportMeta(code) {
  return code.includes("import.meta") ? code.replace(IMPORT_META, (whole, kept) => kept ?? IMPORT_META_SHIM) : code;
}

const JS_TO_TS = { ".js": ".ts", ".mjs": ".mts", ".cjs": ".cts" };

/**
 * ESM TypeScript imports its siblings as `./item.js` (TypeScript's NodeNext
 * convention) while only `item.ts` exists: such a relative request that does
 * not resolve is retried with the TypeScript extension.
 */
function resolveTypeScriptSiblings() {
  const original = Module._resolveFilename;
  Module._resolveFilename = function (request, ...rest) {
    try {
      return original.call(this, request, ...rest);
    } catch (error) {
      const ext = extname(request);
      if (!request.startsWith(".") || !JS_TO_TS[ext]) throw error;
      try {
        return original.call(this, request.slice(0, -ext.length) + JS_TO_TS[ext], ...rest);
      } catch {
        throw error;
      }
    }
  };
}

/**
 * TypeORM loads entity files with `import()` in a "type": "module" project
 * (and for `.mts`), and Node's ES module loader knows no `.ts`. This load
 * hook hands TypeScript files to the CommonJS loader, where the require hook
 * above compiles them. Without module.register (Node < 20.6) nothing changes.
 */
const ESM_LOAD_HOOK = `
export async function load(url, context, nextLoad) {
  if (url.startsWith("file:") && /\\.(ts|mts|cts)$/.test(url) && !url.endsWith(".d.ts")) {
    return { format: "commonjs", shortCircuit: true };
  }
  return nextLoad(url, context);
}`;

let esmHookRegistered = false;

/** Registers the ES module load hook once per process; only ESM projects pay for its loader thread. */
function registerEsmLoadHook() {
  if (esmHookRegistered || typeof Module.register !== "function") return;
  esmHookRegistered = true;
  try {
    Module.register(`data:text/javascript,${encodeURIComponent(ESM_LOAD_HOOK)}`);
  } catch {
    // An ES module loader we cannot extend: `.ts` entities of ESM projects then fail with Node's own message.
  }
}

/**
 * Resolves a module name the way the importing file's tsconfig `paths` and
 * `baseUrl` say, as its compiler did, for requests from compiled files;
 * anything else resolves as Node resolves it.
 */
function resolvePathAliases() {
  const original = Module._resolveFilename;
  /** `${directory}\0${name}` -> where a bare module name required from a compiled file in that directory resolved. */
  const resolvedBare = new Map();
  Module._resolveFilename = function (request, parent, ...rest) {
    const from = parent && parent.filename;
    if (from && isCompiled(from) && !request.startsWith(".") && !isAbsolute(request) && !request.startsWith("node:")) {
      // Node caches no lookup that a package's "exports" answers, so 1000 entities importing "typeorm" each walked
      // node_modules and parsed its exports; the answer depends only on the directory (lookup paths, package scope, tsconfig).
      const memo = rest.length === 0 || (rest.length === 1 && !rest[0]) ? `${dirname(from)}\0${request}` : undefined;
      const known = memo && resolvedBare.get(memo);
      if (known) return known;
      const resolved = resolveBare.call(this, request, parent, rest);
      if (memo) resolvedBare.set(memo, resolved);
      return resolved;
    }
    return original.call(this, request, parent, ...rest);
  };

  function resolveBare(request, parent, rest) {
    let candidates = [];
    try {
      candidates = aliasCandidates(configOf(parent.filename), request);
    } catch {
      // An unreadable tsconfig was reported when the file compiled.
    }
    for (const candidate of candidates) {
      try {
        return original.call(this, candidate, parent, ...rest);
      } catch {
        // TypeScript tries the next mapping, then node_modules.
      }
    }
    return original.call(this, request, parent, ...rest);
  }
}

/**
 * Resolves a relative request from a compiled file, and an absolute one for
 * a TypeScript file (the entity globs' files), from one listing of the
 * folder instead of Node's stat of each candidate, realpath of the file and
 * package scope lookup (50 ms, about 4%, of a warm `check` at 1000
 * entities). The candidates are Node's, in its order: the path itself, then
 * each registered extension. Only a regular file answers; anything else (a
 * symlink, a folder, no candidate listed) is left to Node, as is a process
 * that keeps symlinks or runs a policy. A listing is read once per process:
 * a file added since is not listed and Node finds it.
 */
function resolveFromListings() {
  if (process.env.NODE_PRESERVE_SYMLINKS === "1" || hasNodeFlag("--preserve-symlinks") || hasNodeFlag("--experimental-policy")) return;
  const original = Module._resolveFilename;
  /** folder -> { real: its realpath, files: Map<name, true when a regular file> } */
  const listings = new Map();
  Module._resolveFilename = function (request, parent, ...rest) {
    // Not the main module, no `paths` option: what `require` and `require.resolve` ask.
    if (!rest[0] && rest[1] === undefined && rest.length <= 2) {
      const from = parent && parent.filename;
      let path;
      if (isAbsolute(request)) path = isCompiled(request) ? resolve(request) : undefined;
      else if (from && isCompiled(from) && (request.startsWith("./") || request.startsWith("../"))) path = resolve(dirname(from), request);
      const found = path !== undefined && !request.endsWith("/") ? listedFile(path) : undefined;
      if (found) return found;
    }
    return original.call(this, request, parent, ...rest);
  };

  function listedFile(path) {
    const folder = dirname(path);
    let listing = listings.get(folder);
    if (listing === undefined) {
      try {
        const files = new Map(readdirSync(folder, { withFileTypes: true }).map((entry) => [entry.name, entry.isFile()]));
        listing = { real: realpathSync(folder), files };
      } catch {
        listing = null; // Node says why
      }
      listings.set(folder, listing);
    }
    if (!listing) return undefined;
    const name = basename(path);
    for (const ext of ["", ...Object.keys(Module._extensions)]) {
      const candidate = name + ext;
      const regular = listing.files.get(candidate);
      if (regular !== undefined) return regular ? join(listing.real, candidate) : undefined; // not a regular file: Node's rules
    }
    return undefined;
  }
}

/** Installs the hook once per process; `fromDir` locates the cache. */
function registerTypeScript(fromDir) {
  if (registered) return;
  registered = true;
  cacheDir = defaultCacheDir(fromDir);
  setCodeCacheDir(cacheDir);
  useCacheFolder(cacheDir);
  // "commonjs": since Node 20.19 _compile otherwise reads the package scope, and in a "type": "module" project runs the CommonJS output as ESM.
  const compile = (module, fileName) => {
    if (extname(fileName) === ".mts") {
      // TypeScript emits ES module syntax for .mts whatever the options, and this hook runs CommonJS.
      const message = 'ES module TypeScript (.mts) is not supported; rename the file to .ts (a "type": "module" project works with .ts files)';
      throw new UserCodeSyntaxError(relative(process.cwd(), fileName) || fileName, 1, 1, message);
    }
    const entry = compiledEntry(undefined, fileName);
    const code = withImportMeta(entry.output);
    // Output compiled by this process has no code cache yet, and none is made for it: a cold start pays nothing
    // for one, not even the lookup (1000 failed opens in the folder the compiled files are being written to took
    // 0.25 s, waiting on those writes).
    if (!entry.fromDisk || !runWithCodeCache(module, fileName, code)) module._compile(code, fileName, "commonjs");
  };
  for (const ext of TYPESCRIPT_EXTENSIONS) Module._extensions[ext] = compile;
  aliasSelfPackage(join(__dirname, "..", "index"));
  resolveTypeScriptSiblings();
  resolvePathAliases();
  resolveFromListings();
}

module.exports = { noteOutputsUsed, readCacheFileSync, sha1, writeReplacingSync, settledBefore, RACY_MS, cacheDirectory, compileKeyOf, esmLoadHookRegistered, declaresEntity, isCompiled, registerTypeScript, registerEsmLoadHook, precompile, precompileInBackground, compiledOutputOf, compileStats, UserCodeSyntaxError, TsconfigError, defaultCacheDir };
