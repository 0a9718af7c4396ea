"use strict";
/**
 * Compiles many `.ts` files in one run of TypeScript 7's native compiler
 * (the Go port; retort depends on its per-platform executable packages
 * directly, because the `typescript@7` package would link a second `tsc` into
 * the project's node_modules/.bin beside the user's own): about
 * 0.6 s for 1000 entity files where TypeScript 5's `transpileModule` takes
 * 4-9 s, which is what an empty compile cache used to cost `retort check`.
 *
 * The output must mean what `transpileModule` would have produced, because
 * both land under the same cache key and the require hook falls back to
 * `transpileModule` whenever a file is not in a batch. transpileModule sees
 * one file alone, so decorator metadata of an imported or global type is a
 * runtime `typeof` guard. A program over many files would resolve imports
 * between them and type `design:type` differently (an imported string enum
 * becomes String instead of Object), and a file's output would then depend on
 * other files, which a cache keyed by one file's content cannot allow. So the
 * batch is made blind to everything outside each file: `noLib`, no `types`,
 * `noResolve`, and a module suffix no file has, so that even imports between
 * files of the same batch stay unresolved. The one remaining difference is
 * cosmetic: a decorated class that names itself inside its decorators gets an
 * alias (`Post_1`) bound to the same value at the same points.
 */
const { spawnSync } = require("node:child_process");
const { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } = require("node:fs");
const { tmpdir } = require("node:os");
const { basename, dirname, extname, isAbsolute, join, parse, relative, resolve, sep } = require("node:path");

/** What every `.ts` file retort loads is compiled with, by either compiler. */
const COMPILER_OPTIONS = Object.freeze({
  module: "commonjs",
  target: "es2021",
  experimentalDecorators: true,
  emitDecoratorMetadata: true,
  esModuleInterop: true,
  inlineSourceMap: true,
  useDefineForClassFields: false,
});

const ISOLATING_OPTIONS = Object.freeze({
  isolatedModules: true,
  strict: false,
  noCheck: true,
  noResolve: true,
  noLib: true,
  types: [],
  moduleSuffixes: [".__retort_unresolvable__"],
  newLine: "lf",
});

let nativeCompilerPath;

/** The native compiler's executable, or null when this platform has none installed (or RETORT_NO_NATIVE_COMPILER is set). */
function nativeCompiler() {
  if (process.env.RETORT_NO_NATIVE_COMPILER) return null;
  if (nativeCompilerPath !== undefined) return nativeCompilerPath;
  nativeCompilerPath = null;
  try {
    // One optional package per platform; npm installs the one matching this machine.
    const platformPackage = require.resolve(`@typescript/typescript-${process.platform}-${process.arch}/package.json`);
    const executable = join(dirname(platformPackage), "lib", process.platform === "win32" ? "tsc.exe" : "tsc");
    if (existsSync(executable)) nativeCompilerPath = executable;
  } catch {
    // Not installed for this platform: the require hook compiles file by file instead.
  }
  return nativeCompilerPath;
}

const DIAGNOSTIC = /^(.+?)\((\d+),(\d+)\): error TS\d+:/gm;

/**
 * Compiles `fileNames` (absolute paths) in one native run and returns the
 * output of each file that compiled without an error of its own; files with
 * errors, and every file when the compiler is unavailable or fails, are left
 * out for the caller to compile (and report) one by one.
 */
function compileBatch(fileNames) {
  const executable = nativeCompiler();
  const root = fileNames.length > 0 ? commonDirectory(fileNames) : undefined;
  if (!executable || !root) return new Map();
  let work;
  try {
    work = mkdtempSync(join(tmpdir(), "retort-tsc-"));
    return compileIn(work, executable, root, fileNames);
  } catch {
    // A batch only saves time (no temporary directory, a full disk): the require hook compiles these one by one.
    return new Map();
  } finally {
    if (work) rmSync(work, { recursive: true, force: true });
  }
}

function compileIn(work, executable, root, fileNames) {
  const outputs = new Map();
  const outDir = join(work, "out");
  const project = join(work, "tsconfig.json");
  const compilerOptions = { ...COMPILER_OPTIONS, ...ISOLATING_OPTIONS, rootDir: root, outDir };
  writeFileSync(project, JSON.stringify({ compilerOptions, files: fileNames }));
  const run = spawnSync(executable, ["-p", project, "--pretty", "false"], { cwd: root, encoding: "utf8", maxBuffer: 256 * 1024 * 1024, windowsHide: true });
  if (run.error || run.status === null) {
    // Cannot run here (no exec permission, killed): the rest of this process compiles file by file.
    nativeCompilerPath = null;
    return outputs;
  }
  const failed = new Set();
  for (const match of `${run.stdout}\n${run.stderr}`.matchAll(DIAGNOSTIC)) failed.add(resolve(root, match[1]));
  for (const fileName of fileNames) {
    if (failed.has(fileName)) continue;
    let output;
    try {
      output = readFileSync(join(outDir, outputPathOf(relative(root, fileName))), "utf8");
    } catch {
      continue;
    }
    outputs.set(fileName, withSourceMapBesideSource(output, fileName));
  }
  return outputs;
}

function outputPathOf(sourcePath) {
  const { dir, name, ext } = parse(sourcePath);
  return join(dir, name + ({ ".mts": ".mjs", ".cts": ".cjs" }[ext] || ".js"));
}

/** The deepest directory holding every file; undefined when they share none (two Windows drives). */
function commonDirectory(fileNames) {
  let common = dirname(fileNames[0]);
  for (const fileName of fileNames) {
    while (!isInside(common, fileName)) {
      const parent = dirname(common);
      if (parent === common) return undefined;
      common = parent;
    }
  }
  return common;
}

function isInside(directory, fileName) {
  const path = relative(directory, fileName);
  return path !== "" && path !== ".." && !path.startsWith(`..${sep}`) && !isAbsolute(path);
}

const INLINE_SOURCE_MAP = /\n\/\/# sourceMappingURL=data:application\/json;base64,([A-Za-z0-9+/=]+)\s*$/;

/**
 * The batch wrote its map for a file in a temporary out directory, so its
 * `sources` point back from there. The code runs under the `.ts` file's own
 * name, where transpileModule's map names the source by its base name; the
 * map is rewritten to say the same.
 */
function withSourceMapBesideSource(output, fileName) {
  const match = INLINE_SOURCE_MAP.exec(output);
  if (!match) return output;
  const map = JSON.parse(Buffer.from(match[1], "base64").toString("utf8"));
  map.file = basename(outputPathOf(fileName));
  map.sourceRoot = "";
  map.sources = [basename(fileName)];
  const encoded = Buffer.from(JSON.stringify(map), "utf8").toString("base64");
  return `${output.slice(0, match.index)}\n//# sourceMappingURL=data:application/json;base64,${encoded}`;
}

const LOCAL_SPECIFIER = /(?:\bfrom|\bimport|\brequire)\s*\(?\s*(["'])(\.{0,2}\/[^"'\r\n]*)\1/g;
/** The extensions retort compiles (the require hook registers these). */
const TYPESCRIPT_EXTENSIONS = [".ts", ".mts", ".cts"];

/**
 * The `.ts` files `source` names by a relative or absolute path, found by a
 * plain scan: it only decides what to compile ahead, so an import it misses is
 * compiled when required, and one it invents is compiled needlessly.
 */
function localImportsOf(source, fileName) {
  const found = new Set();
  for (const match of source.matchAll(LOCAL_SPECIFIER)) {
    const target = resolve(dirname(fileName), match[2]);
    const candidates = TYPESCRIPT_EXTENSIONS.includes(extname(target))
      ? [target]
      : [...TYPESCRIPT_EXTENSIONS.map((ext) => target + ext), join(target, "index.ts")];
    const hit = candidates.find((candidate) => !candidate.endsWith(".d.ts") && existsSync(candidate));
    if (hit) found.add(hit);
  }
  return [...found];
}

module.exports = { COMPILER_OPTIONS, TYPESCRIPT_EXTENSIONS, compileBatch, localImportsOf, nativeCompiler };
