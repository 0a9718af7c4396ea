"use strict";
/**
 * The `.ts` require hook, in plain JavaScript so that bin/retort.js can use it
 * to run retort's own TypeScript sources from a checkout, and so that the
 * same code loads users' config, entities and revision files.
 *
 * Why not an off-the-shelf register hook: esbuild/tsx emit no decorator
 * metadata; swc's CommonJS output reads imports through live-binding getters,
 * so the `design:type` of a relation in a circular entity pair (A imports B,
 * B imports A) throws "Cannot access 'A' before initialization". TypeScript
 * reads `exports.A` (undefined while the cycle is resolving, which TypeORM
 * tolerates because relations use `() => A`).
 *
 * A file missing from the cache is compiled together with the local files it
 * imports, and `precompile` does the same for whole entity globs and revision
 * folders, in one run of TypeScript 7's native compiler (ts-batch.js);
 * TypeScript 5's `transpileModule` compiles what a batch left out and reports
 * syntax errors. Compiled output is cached on disk by content hash, so a warm
 * start (every CI `retort check` after the first) runs no compiler at all.
 */
const { createHash } = require("node:crypto");
const { existsSync, mkdirSync, readFileSync, rename, statSync, unlink, writeFile } = require("node:fs");
const Module = require("node:module");
const { dirname, extname, join, relative, resolve } = require("node:path");
const { COMPILER_OPTIONS, TYPESCRIPT_EXTENSIONS, compileBatch, localImportsOf } = require("./ts-batch");

const CACHE_VERSION = "cjs-es2021-decorators-v1";

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

let ts;
let tsOptions;
let cacheDir;
let registered = false;
/** fileName -> { key, output } compiled by a batch and not yet required. */
const batched = new Map();
/** Cache keys a batch has already compiled or failed on in this process, so that no later batch tries them again. */
const settled = new Set();
const stats = { cacheHits: 0, batches: 0, batchedFiles: 0, transpiledOneByOne: 0 };

function transpile(source, fileName) {
  // Loaded lazily: only files a batch could not compile pay for TypeScript 5.
  ts = ts || require("typescript");
  tsOptions = tsOptions || ts.convertCompilerOptionsFromJson(COMPILER_OPTIONS, process.cwd()).options;
  stats.transpiledOneByOne++;
  const result = ts.transpileModule(source, { fileName, reportDiagnostics: true, compilerOptions: tsOptions });
  const error = (result.diagnostics || []).find((d) => d.category === ts.DiagnosticCategory.Error);
  if (error) {
    const pos = error.file ? error.file.getLineAndCharacterOfPosition(error.start || 0) : { line: 0, character: 0 };
    const message = ts.flattenDiagnosticMessageText(error.messageText, " ");
    throw new UserCodeSyntaxError(relative(process.cwd(), fileName) || fileName, pos.line + 1, pos.character + 1, message);
  }
  return result.outputText;
}

function cacheKeyOf(source, fileName) {
  return createHash("sha1").update(CACHE_VERSION).update(fileName).update(source).digest("hex");
}

function cachedPathOf(key) {
  return cacheDir ? join(cacheDir, `${key}.js`) : undefined;
}

function takeBatched(fileName, key) {
  const entry = batched.get(fileName);
  if (!entry) return undefined;
  batched.delete(fileName);
  return entry.key === key ? entry.output : undefined;
}

function compileCached(source, fileName) {
  const key = cacheKeyOf(source, fileName);
  const cached = cachedPathOf(key);
  const ready = takeBatched(fileName, key);
  if (ready !== undefined) return ready;
  if (cached && existsSync(cached)) {
    stats.cacheHits++;
    return readFileSync(cached, "utf8");
  }
  if (!settled.has(key)) {
    compileAhead([fileName]);
    const compiled = takeBatched(fileName, key);
    if (compiled !== undefined) return compiled;
  }
  const output = transpile(source, fileName);
  if (cached) storeInCache(cached, output);
  return output;
}

/**
 * Compiles `fileNames` and the local files they import, those not cached or
 * compiled yet, in one batch, so that the requires that follow find them
 * ready. Cached files are not scanned for imports: what they import was
 * compiled with them, unless it changed since, and then its own require
 * compiles it.
 */
function compileAhead(fileNames) {
  const pending = [];
  const seen = new Set();
  const queue = fileNames.filter(isCompiled).map((f) => resolve(f));
  while (queue.length > 0) {
    const fileName = queue.pop();
    if (seen.has(fileName)) continue;
    seen.add(fileName);
    let source;
    let version;
    try {
      version = versionOf(fileName);
      source = readFileSync(fileName, "utf8");
    } catch {
      continue;
    }
    const key = cacheKeyOf(source, fileName);
    if (settled.has(key)) continue;
    const cached = cachedPathOf(key);
    if (cached && existsSync(cached)) continue;
    pending.push({ fileName, key, version });
    queue.push(...localImportsOf(source, fileName));
  }
  if (pending.length === 0) return;
  const outputs = compileBatch(pending.map((p) => p.fileName));
  for (const { key } of pending) settled.add(key);
  if (outputs.size === 0) return;
  stats.batches++;
  stats.batchedFiles += outputs.size;
  for (const { fileName, key, version } of pending) {
    const output = outputs.get(fileName);
    // The compiler read the file itself: if it was saved meanwhile, the output may not be of the source the key hashes.
    if (output === undefined || !sameVersion(fileName, version)) continue;
    batched.set(fileName, { key, output });
    const cached = cachedPathOf(key);
    if (cached) storeInCache(cached, output);
  }
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

function isCompiled(fileName) {
  return TYPESCRIPT_EXTENSIONS.includes(extname(fileName)) && !fileName.endsWith(".d.ts");
}

/** How this process got its compiled code; for tests and the benchmark. */
function compileStats() {
  return { ...stats };
}

let cacheDirMade = false;

/**
 * Written in the background (a cold start compiles every entity; writing 1000
 * files synchronously cost a second of it), and write-then-rename so that
 * concurrent processes never read a half-written file. A cache that cannot be
 * written only costs speed.
 */
function storeInCache(cached, output) {
  try {
    if (!cacheDirMade) mkdirSync(cacheDir, { recursive: true });
    cacheDirMade = true;
  } catch {
    return;
  }
  const temp = `${cached}.${process.pid}.tmp`;
  writeFile(temp, output, (error) => {
    if (error) return;
    rename(temp, cached, (renameError) => {
      if (renameError) unlink(temp, () => undefined);
    });
  });
}

/**
 * RETORT_CACHE_DIR when set (CI keeps it between builds; `npm ci` deletes
 * node_modules), else node_modules/.cache/retort of the nearest project with a
 * node_modules folder.
 */
function defaultCacheDir(fromDir) {
  if (process.env.RETORT_NO_CACHE) return undefined;
  if (process.env.RETORT_CACHE_DIR) return resolve(process.env.RETORT_CACHE_DIR);
  let dir = fromDir;
  for (;;) {
    if (existsSync(join(dir, "node_modules"))) return join(dir, "node_modules", ".cache", "retort");
    const parent = dirname(dir);
    if (parent === dir) return undefined;
    dir = parent;
  }
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

/** Installs the hook once per process; `fromDir` locates the cache. */
function registerTypeScript(fromDir) {
  if (registered) return;
  registered = true;
  cacheDir = defaultCacheDir(fromDir);
  // "commonjs": since Node 20.19 _compile otherwise reads the package scope, and in a "type": "module" project runs the CommonJS output as ESM.
  const compile = (module, fileName) => {
    if (extname(fileName) === ".mts") {
      // TypeScript emits ES module syntax for .mts whatever the options, and this hook runs CommonJS.
      const message = 'ES module TypeScript (.mts) is not supported; rename the file to .ts (a "type": "module" project works with .ts files)';
      throw new UserCodeSyntaxError(relative(process.cwd(), fileName) || fileName, 1, 1, message);
    }
    module._compile(withImportMeta(compileCached(readFileSync(fileName, "utf8"), fileName)), fileName, "commonjs");
  };
  for (const ext of TYPESCRIPT_EXTENSIONS) Module._extensions[ext] = compile;
  aliasSelfPackage(join(__dirname, "..", "index"));
  resolveTypeScriptSiblings();
}

module.exports = { registerTypeScript, registerEsmLoadHook, precompile, compileStats, UserCodeSyntaxError, defaultCacheDir };
