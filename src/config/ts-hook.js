"use strict";
/**
 * The `.ts` require hook, in plain JavaScript so that bin/retort.js can use it
 * to run retort's own TypeScript sources from a checkout, and so that the
 * same code loads users' config, entities and revision files.
 *
 * Why not an off-the-shelf register hook: esbuild/tsx emit no decorator
 * metadata; swc's CommonJS output reads imports through live-binding getters,
 * so the `design:type` of a relation in a circular entity pair (A imports B,
 * B imports A) throws "Cannot access 'A' before initialization". TypeScript's
 * own `transpileModule` reads `exports.A` (undefined while the cycle is
 * resolving, which TypeORM tolerates because relations use `() => A`).
 *
 * Compiled output is cached on disk by content hash, so a warm start (every
 * CI `retort check` after the first) never loads the TypeScript compiler.
 */
const { createHash } = require("node:crypto");
const { existsSync, mkdirSync, readFileSync, rename, unlink, writeFile } = require("node:fs");
const Module = require("node:module");
const { dirname, join, relative, resolve } = require("node:path");

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
let cacheDir;
let registered = false;

function transpile(source, fileName) {
  // Loaded lazily: only cache misses pay for the TypeScript compiler.
  ts = ts || require("typescript");
  const result = ts.transpileModule(source, {
    fileName,
    reportDiagnostics: true,
    compilerOptions: {
      module: ts.ModuleKind.CommonJS,
      target: ts.ScriptTarget.ES2021,
      experimentalDecorators: true,
      emitDecoratorMetadata: true,
      esModuleInterop: true,
      inlineSourceMap: true,
      useDefineForClassFields: false,
    },
  });
  const error = (result.diagnostics || []).find((d) => d.category === ts.DiagnosticCategory.Error);
  if (error) {
    const pos = error.file ? error.file.getLineAndCharacterOfPosition(error.start || 0) : { line: 0, character: 0 };
    const message = ts.flattenDiagnosticMessageText(error.messageText, " ");
    throw new UserCodeSyntaxError(relative(process.cwd(), fileName) || fileName, pos.line + 1, pos.character + 1, message);
  }
  return result.outputText;
}

function compileCached(source, fileName) {
  if (!cacheDir) return transpile(source, fileName);
  const key = createHash("sha1").update(CACHE_VERSION).update(fileName).update(source).digest("hex");
  const cached = join(cacheDir, `${key}.js`);
  if (existsSync(cached)) return readFileSync(cached, "utf8");
  const output = transpile(source, fileName);
  storeInCache(cached, output);
  return output;
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

/** Installs the hook once per process; `fromDir` locates the cache. */
function registerTypeScript(fromDir) {
  if (registered) return;
  registered = true;
  cacheDir = defaultCacheDir(fromDir);
  const compile = (module, fileName) => module._compile(compileCached(readFileSync(fileName, "utf8"), fileName), fileName);
  for (const ext of [".ts", ".mts", ".cts"]) Module._extensions[ext] = compile;
  aliasSelfPackage(join(__dirname, "..", "index"));
}

module.exports = { registerTypeScript, UserCodeSyntaxError, defaultCacheDir };
