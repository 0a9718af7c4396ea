"use strict";
/**
 * V8 code caches for the CommonJS modules a command runs: the JavaScript
 * ts-hook.js compiled from TypeScript and the plain JavaScript Node loads
 * (TypeORM's ~300 modules, the drivers, yargs, retort's own dist/). Node 20
 * keeps none (22's module.enableCompileCache does), and V8 parsing and
 * compiling that code was about a tenth of a warm `retort check`.
 *
 * A module runs as `Module.prototype._compile` runs it: the same wrapper
 * parameters, `this`, and a require made as Node makes it. Node's own path
 * runs instead when no cache directory is set, `_compile` was replaced by
 * another tool (coverage, transform hooks), source maps or a policy are on
 * (Node reads them in its compile), the code has a dynamic `import()` (a
 * function compiled outside the loader cannot import), the file is the main
 * module (--inspect-brk pauses there), Node says the file is an ES module,
 * or V8 does not parse it as a CommonJS body (Node then detects ES module
 * syntax or reports the error itself).
 *
 * A cache file is `<hash of file name and code>-<V8 version>.v8`: V8 checks
 * only a cache's length against the source it is given, and a function read
 * back from a cache keeps the script name it was cached under (the same
 * file in two folders would name the other in stack traces). A cache V8
 * rejects (other flags, damaged) is replaced. Caches are made at exit, after
 * the command ran, so that they hold the functions V8 compiled lazily while
 * it ran, not only the top level (V8 compiles most functions when first
 * called; Chrome caches after execution for the same reason).
 */
const crypto = require("node:crypto");
const { existsSync, mkdirSync, renameSync, unlinkSync, writeFileSync } = require("node:fs");
const Module = require("node:module");
const { Script } = require("node:vm");
const { dirname, join, resolve } = require("node:path");
const { readCacheFileSync, useCacheFolder } = require("./cache-folder");

const originalCompile = Module.prototype._compile;
const WRAPPER_HEAD = "(function (exports, require, module, __filename, __dirname) {\n";
const WRAPPER_TAIL = "\n})";

let cacheDir;
/** Scripts to make a code cache of at exit: [cache path, Script]. */
const pending = [];

/**
 * Above this many characters the one-shot hash of the joined parts is the
 * slower way: 8 ms per MB (a 1.9 MB revision file, its compiled output, a
 * 160 KB TypeORM query runner) against 0.65 ms with a Hash object fed the
 * parts; at 64 KB the two cost the same.
 */
const ONE_SHOT_HASH_LIMIT = 65536;

/** The hex SHA-1 of `parts`, each ended by a NUL (so that no two lists of parts hash alike); the compile cache's keys too. */
function sha1(...parts) {
  // Node's one-shot hash costs half of a Hash object for the few kilobytes of a module (a start hashes thousands).
  if (typeof crypto.hash === "function" && parts.length > 0 && parts.every((part) => typeof part === "string") && lengthOf(parts) <= ONE_SHOT_HASH_LIMIT) {
    return crypto.hash("sha1", `${parts.join("\0")}\0`);
  }
  const hash = crypto.createHash("sha1");
  for (const part of parts) hash.update(part).update("\0");
  return hash.digest("hex");
}

function lengthOf(strings) {
  let length = 0;
  for (const string of strings) length += string.length;
  return length;
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

/** Where code caches go (undefined: none); the first directory set wins. The folder is pruned when due (cache-folder.js). */
function setCodeCacheDir(dir) {
  if (cacheDir !== undefined || !dir) return;
  cacheDir = dir;
  process.once("exit", writePending);
  useCacheFolder(cacheDir);
}

/**
 * Runs `code` as the body of `module` with a V8 code cache (made at exit when
 * there is none); false when Node's own `_compile` must run it instead.
 */
function runWithCodeCache(module, fileName, code) {
  if (!cacheDir || module._compile !== originalCompile || process.sourceMapsEnabled || require.main === module) return false;
  if (code.includes("import(") || code.startsWith("#!") || hasNodeFlag("--experimental-policy") || hasNodeFlag("--enable-source-maps")) return false;
  const cachePath = join(cacheDir, `${sha1(fileName, code)}-${process.versions.v8}.v8`);
  let cachedData;
  try {
    cachedData = readCacheFileSync(cachePath);
  } catch {
    cachedData = undefined;
  }
  let script;
  try {
    // The wrapper's own line and lineOffset -1 keep the code's lines and columns what Node reports.
    script = new Script(WRAPPER_HEAD + code + WRAPPER_TAIL, { filename: fileName, lineOffset: -1, cachedData });
  } catch (error) {
    if (error instanceof SyntaxError) return false;
    throw error;
  }
  // A rejected cache is replaced at exit (renamed over, so no reader sees it missing).
  if (cachedData === undefined || script.cachedDataRejected) pending.push([cachePath, script]);
  const wrapper = script.runInThisContext({ displayErrors: false });
  const exports = module.exports;
  Reflect.apply(wrapper, exports, [exports, makeRequire(module), module, fileName, dirname(fileName)]);
  return true;
}

/**
 * At exit, written then renamed so that a concurrent reader never takes half
 * of one; a cache that cannot be written only costs speed.
 */
function writePending() {
  if (pending.length === 0) return;
  try {
    mkdirSync(cacheDir, { recursive: true });
  } catch {
    return;
  }
  for (const [cachePath, script] of pending.splice(0)) {
    // A folder that cannot be written (a global install read-only to this user, a full disk) fails the rest alike.
    if (!writeReplacingSync(cachePath, () => script.createCachedData())) return;
  }
}

/**
 * Writes `path` through a temporary file renamed over it, so that a reader
 * (another retort process) never sees half of it; false when it could not be
 * written, leaving no temporary file behind. `data` is made only once the
 * temporary name is taken (a code cache is made on demand). The caches are
 * an optimization: failing only costs the next start some work.
 */
function writeReplacingSync(path, data, tempSuffix = "tmp") {
  const temp = `${path}.${process.pid}.${tempSuffix}`;
  try {
    writeFileSync(temp, typeof data === "function" ? data() : data);
    renameSync(temp, path);
    return true;
  } catch {
    try {
      unlinkSync(temp);
    } catch {
      // nothing was written
    }
    return false;
  }
}

let nodeFlags;
function hasNodeFlag(flag) {
  nodeFlags ??= [...process.execArgv, ...(process.env.NODE_OPTIONS || "").split(/\s+/)];
  return nodeFlags.some((a) => a === flag || a.startsWith(`${flag}=`));
}

/** The `require` Node gives a CommonJS module (its makeRequireFunction). */
function makeRequire(module) {
  const require = function require(id) {
    return module.require(id);
  };
  function resolveRequest(request, options) {
    if (typeof request !== "string") throw new TypeError(`The "request" argument must be of type string. Received ${typeof request}`);
    return Module._resolveFilename(request, module, false, options);
  }
  resolveRequest.paths = function paths(request) {
    if (typeof request !== "string") throw new TypeError(`The "request" argument must be of type string. Received ${typeof request}`);
    return Module._resolveLookupPaths(request, module);
  };
  require.resolve = resolveRequest;
  require.main = process.mainModule;
  require.extensions = Module._extensions;
  require.cache = Module._cache;
  return require;
}

let jsHooked = false;

/**
 * Below this many characters a plain module compiles faster than its cache
 * is found and read: `retort --help` (32 modules, 24 of them smaller) took
 * 5 ms more CPU with every module cached and none more with this limit,
 * while `check` and `current` kept their gain (TypeORM's larger modules).
 * Compiled TypeScript is always cached: an entity's top level is large.
 */
const MIN_PLAIN_LENGTH = 8192;

/**
 * Plain `.js` and `.cjs` files of MIN_PLAIN_LENGTH or more run with a code cache. Node's own handler
 * still reads the file and decides its format (package "type", `.cjs`);
 * only its final `_compile` call is taken, for this one module.
 */
function cachePlainJavaScript(dir) {
  setCodeCacheDir(dir);
  if (jsHooked || !cacheDir) return;
  jsHooked = true;
  for (const ext of [".js", ".cjs"]) {
    const original = Module._extensions[ext];
    if (typeof original !== "function") continue;
    Module._extensions[ext] = function (module, fileName) {
      if (module._compile !== originalCompile) return original.call(this, module, fileName);
      module._compile = function (content, name, format) {
        delete module._compile;
        if (format === "module" || typeof content !== "string" || content.length < MIN_PLAIN_LENGTH || !runWithCodeCache(module, name, content)) {
          return originalCompile.call(this, content, name, format);
        }
      };
      try {
        return original.call(this, module, fileName);
      } finally {
        delete module._compile;
      }
    };
  }
}

module.exports = { cachePlainJavaScript, defaultCacheDir, hasNodeFlag, runWithCodeCache, setCodeCacheDir, sha1, writeReplacingSync };
