"use strict";
/**
 * Compiles `.ts` files as one program with type information across files,
 * under the user's tsconfig, so that what TypeORM reads (`design:type` of an
 * imported enum or type alias, import elision, const enums) is what the
 * user's own `tsc` build emits. retort overrides only what loading in-process
 * needs: CommonJS output, an inline source map, no declarations, emit into a
 * temporary directory, and no type check (type errors are the user's build's
 * business; syntax errors are reported).
 *
 * The compiler is TypeScript 7's native one (the Go port; retort depends on
 * its per-platform executable packages directly, because the `typescript@7`
 * package would link a second `tsc` into the project's node_modules/.bin):
 * ~1 s for a 1000-entity program where TypeScript 5's program API takes
 * several. TypeScript 7 no longer accepts some options TypeScript 5 does;
 * those with a faithful translation are translated (`moduleResolution: node`,
 * `baseUrl`, the defaults that changed), and a config it still rejects is
 * compiled by TypeScript 5's program API instead. TypeScript 7's output is
 * then brought to TypeScript 5's byte for byte where the two differ (the
 * decorated-class self-alias, see foldSelfAliases); a file where that cannot
 * be shown equivalent, or that needs `esModuleInterop: false` helpers, is
 * compiled by TypeScript 5 too.
 */
const { spawn, spawnSync } = require("node:child_process");
const { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rm, rmSync, statfsSync, symlinkSync, writeFileSync } = require("node:fs");
const { tmpdir } = require("node:os");
const { basename, dirname, extname, join, parse, resolve } = require("node:path");
const { standInOf, topLevelNamesOf } = require("./import-surface");
const { aliasCandidates } = require("./tsconfig");

/** What files are compiled with when no tsconfig.json applies to them. */
const COMPILER_OPTIONS = Object.freeze({
  module: "commonjs",
  target: "es2021",
  experimentalDecorators: true,
  emitDecoratorMetadata: true,
  esModuleInterop: true,
  useDefineForClassFields: false,
});

/** Options of the user's config that concern building or checking, not what a file compiles to. */
const DROPPED_OPTIONS = [
  "outDir", "rootDir", "declarationDir", "tsBuildInfoFile", "outFile", "out", "sourceRoot", "mapRoot", "composite",
  "incremental", "declaration", "declarationMap", "emitDeclarationOnly", "noEmit", "noEmitOnError", "sourceMap",
  "inlineSources", "build", "watch", "listFiles", "listEmittedFiles", "explainFiles", "traceResolution", "diagnostics",
  "extendedDiagnostics", "generateCpuProfile", "generateTrace", "plugins", "disableSolutionSearching", "assumeChangesOnlyAffectDirectDependencies",
];

/** Removed from TypeScript 7 and affecting only type checking: dropped for it. */
const CHECK_ONLY_REMOVED = ["keyofStringsOnly", "suppressExcessPropertyErrors", "suppressImplicitAnyIndexErrors", "noStrictGenericChecks", "charset", "noImplicitUseStrict", "ignoreDeprecations", "allowSyntheticDefaultImports"];

const NODE_MODULE_KINDS = ["node16", "node18", "node20", "nodenext"];
const OLD_TARGETS = ["es3", "es5"];

/**
 * The options both compilers run with: the user's (or retort's defaults),
 * minus build-only options, plus what loading in-process needs.
 */
function baseOptionsOf(config) {
  const options = { ...(config ? config.options : COMPILER_OPTIONS) };
  for (const key of DROPPED_OPTIONS) delete options[key];
  if (!NODE_MODULE_KINDS.includes(String(options.module).toLowerCase())) {
    options.module = "commonjs";
    // TypeScript 5 accepts `bundler` only with ES modules; `node10` finds the same local files.
    if (String(options.moduleResolution).toLowerCase() === "bundler") options.moduleResolution = "node10";
  }
  options.inlineSourceMap = true;
  options.noEmit = false;
  options.noCheck = true;
  return options;
}

/**
 * The same options as TypeScript 7 spells them, or { reason } when they mean
 * something TypeScript 7 cannot emit. `checkInterop`: the user's build emits
 * without interop helpers, which TypeScript 7 always writes, so a file whose
 * output uses them is left to TypeScript 5.
 */
function nativeOptionsOf(base, projectDir) {
  const options = { ...base };
  // The compiler runs on a config in a temporary directory: the default type roots are the project's.
  if (options.typeRoots === undefined) options.typeRoots = defaultTypeRoots(projectDir);
  const lower = (key) => (options[key] === undefined ? undefined : String(options[key]).toLowerCase());
  if (options.target === undefined || OLD_TARGETS.includes(lower("target"))) return { reason: "target below es2015" };
  if (options.importsNotUsedAsValues !== undefined || options.preserveValueImports !== undefined) return { reason: "importsNotUsedAsValues" };
  if (["classic"].includes(lower("moduleResolution"))) return { reason: "moduleResolution classic" };
  if (["node", "node10"].includes(lower("moduleResolution"))) options.moduleResolution = "bundler";
  for (const key of CHECK_ONLY_REMOVED) delete options[key];
  delete options.downlevelIteration; // only acts below es2015
  // TypeScript 5's defaults that TypeScript 7 changed.
  if (options.strict === undefined) options.strict = false;
  if (options.types === undefined) options.types = ["*"];
  const checkInterop = options.esModuleInterop !== true && !NODE_MODULE_KINDS.includes(lower("module"));
  options.esModuleInterop = true;
  if (options.baseUrl) {
    // `baseUrl` is gone: its bare-name lookup is a catch-all path pattern, tried after the others as before.
    const paths = { ...(options.paths || {}) };
    if (!paths["*"]) paths["*"] = [join(options.baseUrl, "*")];
    options.paths = paths;
    delete options.baseUrl;
  }
  return { options, checkInterop };
}

/** TypeScript's default: node_modules/@types in the project's directory and every one above it. */
function defaultTypeRoots(dir) {
  const roots = [];
  for (let at = dir; ; at = dirname(at)) {
    const candidate = join(at, "node_modules", "@types");
    if (existsSync(candidate)) roots.push(candidate);
    if (dirname(at) === at) return roots;
  }
}

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
    // Not installed for this platform: TypeScript 5 compiles instead.
  }
  return nativeCompilerPath;
}

const DIAGNOSTIC = /^(?:(.+?)\((\d+),(\d+)\): )?error (TS\d+): (.*)$/gm;

/**
 * Compiles `roots` (absolute paths) and what they import as one program and
 * returns { outputs, errors, compiler } for the files of `wanted` (default:
 * the roots): `errors` maps a file to its first syntax error
 * ({ line, column, message }); a config TypeScript rejects throws.
 */
function compileProgram(roots, config, wanted = roots, standIns = undefined, { browserTypesFree = false } = {}) {
  const plan = planProgram(roots, config, wanted, standIns, browserTypesFree);
  let outcome = plan.native && nativeOutcome(plan.native, runNativeSync(plan.native), wanted);
  if (outcome && outcome.needsBrowserLibs) {
    plan.native = prepareNative(plan.executable, roots, plan.nativeOptions, standIns);
    outcome = plan.native && nativeOutcome(plan.native, runNativeSync(plan.native), wanted);
  }
  return finishProgram(plan, outcome);
}

/**
 * compileProgram with the native compiler running while this process goes on
 * with other work (it is started before this returns); the promise settles
 * once its output is read.
 */
async function compileProgramInBackground(roots, config, wanted = roots, standIns = undefined, { browserTypesFree = false } = {}) {
  const plan = planProgram(roots, config, wanted, standIns, browserTypesFree);
  let outcome = plan.native && nativeOutcome(plan.native, await runNativeInBackground(plan.native), wanted);
  if (outcome && outcome.needsBrowserLibs) {
    plan.native = prepareNative(plan.executable, roots, plan.nativeOptions, standIns);
    outcome = plan.native && nativeOutcome(plan.native, await runNativeInBackground(plan.native), wanted);
  }
  return finishProgram(plan, outcome);
}

/**
 * `standIns` (target -> { names, declarations }, from ts-hook.js): modules
 * outside `roots` that the run may read as declared classes and enums
 * instead of compiling them and all they import (see import-surface.js);
 * the native compiler then runs on copies of the roots beside those
 * declarations.
 */
function planProgram(roots, config, wanted, standIns, browserTypesFree) {
  const base = baseOptionsOf(config);
  const nativeOptions = nativeOptionsOf(base, config ? dirname(config.path) : dirname(roots[0]));
  const executable = nativeOptions.options ? nativeCompiler() : null;
  if (!executable) return { wanted, base, native: null };
  const withoutBrowser = browserTypesFree ? withoutBrowserLibs(nativeOptions.options, dirname(executable)) : undefined;
  const first = withoutBrowser ? { ...nativeOptions, options: withoutBrowser, browserLibsLeftOut: true } : nativeOptions;
  return { wanted, base, executable, nativeOptions, native: prepareNative(executable, roots, first, standIns) };
}

function finishProgram({ wanted, base }, outcome) {
  const result = { outputs: new Map(), errors: new Map(), native: 0, typescript5: 0, standIns: false, browserLibsLeftOut: false };
  let leftOver = wanted;
  if (outcome) {
    result.standIns = outcome.standInsOnly;
    result.browserLibsLeftOut = outcome.browserLibsLeftOut;
    leftOver = outcome.leftOver;
    for (const [file, output] of outcome.outputs) result.outputs.set(file, output);
    for (const [file, error] of outcome.errors) result.errors.set(file, error);
    result.native = outcome.outputs.size + outcome.errors.size;
  }
  if (leftOver.length > 0) {
    const run = compileTypeScript5(leftOver, base, leftOver);
    for (const [file, output] of run.outputs) result.outputs.set(file, output);
    for (const [file, error] of run.errors) result.errors.set(file, error);
    result.typescript5 = leftOver.length;
  }
  return result;
}

/**
 * The browser's declaration libraries (the DOM) and Windows Script Host's:
 * what TypeScript's default `lib` for a target adds to the target's own
 * (lib.<target>.full.d.ts). They are a third of what the compiler reads for
 * a small program (lib.dom.d.ts alone is 2.3 MB), yet a file's JavaScript
 * depends on them only where a decorated member's type is one of theirs
 * (`design:type` of a `Blob`). A program whose files cannot name one (see
 * mentionsBrowserTypes) compiles without them; a run whose output shows a
 * type it could not resolve (the `typeof X === "function" ? X : Object`
 * fallback: an interface of theirs, an alias of one of their classes) runs
 * again with them. Either way the output is what the full program emits.
 */
const BROWSER_LIB = /^(?:lib\.)?(?:dom(?:\.iterable|\.asynciterable)?|webworker\.importscripts|scripthost)(?:\.d\.ts)?$/i;
const UNRESOLVED_TYPE_FALLBACK = /=== "function" \? _\w+ : Object\b/;

/** The compiler options without the browser's libraries, or undefined when there is nothing to leave out. */
function withoutBrowserLibs(options, libDir) {
  if (options.noLib) return undefined;
  if (options.lib === undefined) {
    const target = String(options.target).toLowerCase();
    const own = target === "es6" ? "es2015" : target;
    // ES2015's full library kept its old name.
    const full = own === "es2015" ? "lib.es6.d.ts" : `lib.${own}.full.d.ts`;
    return existsSync(join(libDir, `lib.${own}.d.ts`)) && existsSync(join(libDir, full)) ? { ...options, lib: [own] } : undefined;
  }
  if (!Array.isArray(options.lib)) return undefined;
  const kept = options.lib.filter((name) => !BROWSER_LIB.test(String(name)));
  // Web workers' libraries declare the DOM's types again, under their own rules: such a program is left as it is.
  if (kept.some((name) => /webworker/i.test(String(name)))) return undefined;
  return kept.length > 0 && kept.length < options.lib.length ? { ...options, lib: kept } : undefined;
}

const TYPE_DECLARATION = /^(?:declare\s+)?(?:interface|type|class|enum|namespace|module)\s+([A-Za-z_$][\w$]*)/gm;
const LANGUAGE_LIB = /^lib\.(?:es\d+|es6|esnext|decorators)(?:\.[\w.]*?)?\.d\.ts$/;

/**
 * The names of the types the browser's libraries in `libDir` declare, less
 * those the language's own libraries declare too (they add a member to
 * `Date`): a file that names none of them, directly or through a project
 * file it imports, has the same output without the browser's libraries,
 * but for the unresolved-type fallback, which shows. Their values without
 * a type (`name`, `fetch`) are not types a member can have.
 */
function browserTypeNamesIn(libDir) {
  const browser = new Set();
  const language = new Set();
  for (const file of readdirSync(libDir)) {
    const names = BROWSER_LIB.test(file) ? browser : LANGUAGE_LIB.test(file) ? language : undefined;
    if (!names || !file.startsWith("lib.")) continue;
    for (const [, name] of readFileSync(join(libDir, file), "latin1").matchAll(TYPE_DECLARATION)) names.add(name);
  }
  return [...browser].filter((name) => !language.has(name)).sort();
}

/**
 * Whether `source` may name one of `typeNames` (browserTypeNamesIn): it has,
 * anywhere (comments and strings too: erring towards yes), such a word that
 * is not a name the file binds at its top level (its imports and
 * declarations: an entity named `Comment`).
 */
function mentionsBrowserTypes(source, typeNames) {
  let bound;
  for (const [word] of source.matchAll(/[A-Za-z_$][\w$]*/g)) {
    if (!typeNames.has(word)) continue;
    bound ??= topLevelNamesOf(source);
    if (!bound.has(word)) return true;
  }
  return false;
}

/** The native compiler's run over `roots`, ready to start; null when there is no temporary directory to run it in. */
function prepareNative(executable, roots, { options, checkInterop, browserLibsLeftOut = false }, standIns) {
  let work;
  try {
    work = scratchDirectory();
    const outDir = join(work, "out");
    const project = join(work, "tsconfig.json");
    const mirror = join(work, "src");
    const copies = standIns && !RESOLUTION_BY_LOCATION.some((key) => options[key]) ? copiesBesideStandIns(mirror, roots, standIns) : undefined;
    const files = copies ? roots.map((root) => copies.get(root)) : roots;
    // A path alias names a copy or a stand-in where it named the original (what else it may name, a stand-in run does without).
    const paths = copies && options.paths ? { paths: mapValues(options.paths, (targets) => targets.map((target) => mirrored(mirror, target))) } : {};
    writeFileSync(project, JSON.stringify({ compilerOptions: { ...options, ...paths, rootDir: parse(files[0]).root, outDir }, files }));
    return { executable, args: ["-p", project, "--pretty", "false"], work, outDir, project, checkInterop, copies, browserLibsLeftOut };
  } catch {
    if (work) rmSync(work, { recursive: true, force: true });
    return null;
  }
}

/** Options under which an import may resolve by more than the importing file's folder and the specifier: no stand-in runs. */
const RESOLUTION_BY_LOCATION = ["rootDirs", "moduleSuffixes", "preserveSymlinks"];

/**
 * Copies of `roots` under `mirror` at their own paths, each stand-in module
 * beside them as a declaration file, and the folders' node_modules and
 * package.json linked, so that every import resolves as it does from the
 * original (TypeScript follows the links to the real files). Returns
 * original -> copy; undefined (and nothing left behind) when the copies
 * cannot be made, and the run compiles the originals.
 */
function copiesBesideStandIns(mirror, roots, standIns) {
  const at = (path) => mirrored(mirror, path);
  try {
    const copies = new Map();
    const linked = new Set();
    for (const root of roots) {
      const copy = at(root);
      mkdirSync(dirname(copy), { recursive: true });
      copyFileSync(root, copy);
      copies.set(root, copy);
      for (let dir = dirname(root); !linked.has(dir); dir = dirname(dir)) {
        linked.add(dir);
        for (const name of ["node_modules", "package.json"]) {
          const original = join(dir, name);
          if (existsSync(original)) symlinkSync(original, at(original), process.platform === "win32" && name === "node_modules" ? "junction" : undefined);
        }
        if (dirname(dir) === dir) break;
      }
    }
    for (const [target, { names, declarations }] of standIns) {
      const declaration = at(target).replace(/\.ts$/, ".d.ts");
      mkdirSync(dirname(declaration), { recursive: true });
      writeFileSync(declaration, standInOf([...names].sort(), declarations) || "export {};\n");
    }
    return copies;
  } catch {
    rmSync(mirror, { recursive: true, force: true });
    return undefined;
  }
}

/** Where `path` is under a stand-in run's mirror of the file system. */
function mirrored(mirror, path) {
  return join(mirror, path.slice(parse(path).root.length));
}

function mapValues(object, map) {
  return Object.fromEntries(Object.entries(object).map(([key, value]) => [key, map(value)]));
}

/**
 * The native compiler's environment. Its heap is the program it compiles,
 * nearly all of it alive until the end, so Go's collector (GOGC=100) spends
 * a quarter of the compiler's CPU time finding little to free: at 1000
 * entities GOGC=1000 took 1.7 user CPU-seconds instead of 2.35 and 1.35 s
 * instead of 1.58, for a peak 6% higher (352 MB instead of 308–335; six
 * alternating runs each). A GOGC the user set is kept.
 */
function nativeEnvironment() {
  return process.env.GOGC === undefined ? { ...process.env, GOGC: "1000" } : process.env;
}

function runNativeSync({ executable, args, work }) {
  const run = spawnSync(executable, args, { cwd: work, env: nativeEnvironment(), encoding: "utf8", maxBuffer: 256 * 1024 * 1024, windowsHide: true });
  return { ran: !run.error && run.status !== null, output: `${run.stdout}\n${run.stderr}` };
}

function runNativeInBackground({ executable, args, work }) {
  return new Promise((settle) => {
    const stdout = [];
    const stderr = [];
    let child;
    try {
      child = spawn(executable, args, { cwd: work, env: nativeEnvironment(), windowsHide: true, stdio: ["ignore", "pipe", "pipe"] });
    } catch {
      settle({ ran: false, output: "" });
      return;
    }
    child.stdout.on("data", (chunk) => stdout.push(chunk));
    child.stderr.on("data", (chunk) => stderr.push(chunk));
    child.on("error", () => settle({ ran: false, output: "" }));
    child.on("close", (status) => settle({ ran: status !== null, output: `${Buffer.concat(stdout)}\n${Buffer.concat(stderr)}` }));
  });
}

/**
 * What one run of the native compiler produced: null when it could not run
 * here (no exec permission, killed) or rejected the config, and the files it
 * could not show equal to TypeScript 5's emit in `leftOver`. Its temporary
 * directory is removed.
 */
function nativeOutcome({ work, outDir, project, checkInterop, copies, browserLibsLeftOut }, run, wanted) {
  try {
    if (!run.ran) {
      // Cannot run here: TypeScript 5 compiles for the rest of this process.
      nativeCompilerPath = null;
      return null;
    }
    const errors = new Map();
    const originals = new Map(copies ? [...copies].map(([original, copy]) => [copy, original]) : []);
    for (const match of run.output.matchAll(DIAGNOSTIC)) {
      const reported = match[1] === undefined ? undefined : resolve(work, match[1]);
      const file = originals.get(reported) || reported;
      // An option TypeScript 7 does not take: TypeScript 5 compiles this config.
      if (file === undefined || file === project) return null;
      if (!errors.has(file)) errors.set(file, { line: Number(match[2]), column: Number(match[3]), message: match[5] });
    }
    const outputs = new Map();
    const leftOver = [];
    for (const fileName of wanted) {
      if (errors.has(fileName)) continue;
      let output;
      const compiled = (copies && copies.get(fileName)) || fileName;
      try {
        output = readFileSync(join(outDir, outputPathOf(compiled).slice(parse(compiled).root.length)), "utf8");
      } catch {
        leftOver.push(fileName);
        continue;
      }
      // A type the program could not resolve without the browser's libraries: they may declare it.
      if (browserLibsLeftOut && UNRESOLVED_TYPE_FALLBACK.test(output)) return { needsBrowserLibs: true };
      const folded = foldSelfAliases(output, () => readFileSync(fileName, "utf8"));
      if (folded === undefined || (checkInterop && /\b__import(?:Default|Star)\(/.test(folded))) leftOver.push(fileName);
      else outputs.set(fileName, withSourceMapBesideSource(folded, fileName));
    }
    // A stand-in run compiles the copies alone: an import resolved past its stand-in to the original would have been emitted too.
    const standInsOnly = Boolean(copies) && emittedCount(outDir) === copies.size;
    return { outputs, errors: new Map([...errors].filter(([file]) => wanted.includes(file))), leftOver, standInsOnly, browserLibsLeftOut };
  } catch {
    return null;
  } finally {
    removeInBackground(work);
  }
}

/** Scratch directories being removed: a thousand outputs take 20–30 ms to delete, which the process need not wait for. */
const removing = new Set();
let leftoversRemovedAtExit = false;

/** Removes `dir` while the process goes on; what is left at exit (the process ended first) is removed then. */
function removeInBackground(dir) {
  if (!leftoversRemovedAtExit) process.once("exit", removeLeftovers);
  leftoversRemovedAtExit = true;
  removing.add(dir);
  rm(dir, { recursive: true, force: true }, () => removing.delete(dir));
}

function removeLeftovers() {
  for (const dir of removing) rmSync(dir, { recursive: true, force: true });
  removing.clear();
}

function emittedCount(outDir) {
  try {
    return readdirSync(outDir, { recursive: true }).filter((name) => name.endsWith(".js")).length;
  } catch {
    return 0;
  }
}

/** Room a memory filesystem must have left for the compiler's output (7.9 MB at 1000 entities). */
const MEMORY_SCRATCH_MIN_FREE = 256 * 1024 * 1024;

/**
 * A new directory for one compiler run's output, which is read back and
 * deleted at once: on a memory filesystem where there is one with room
 * (Linux's /dev/shm; a container's is often 64 MB, too small to count on), as
 * writing and deleting a thousand files through a disk's journal cost 0.2 to
 * 0.5 s of a cold 1000-entity `check` on a 2-core machine; else, or when
 * TMPDIR names where temporary files go, in the temporary directory.
 */
function scratchDirectory() {
  if (!process.env.TMPDIR) {
    try {
      const { bavail, bsize } = statfsSync("/dev/shm");
      if (bavail * bsize >= MEMORY_SCRATCH_MIN_FREE) return mkdtempSync(join("/dev/shm", "retort-tsc-"));
    } catch {
      // No such filesystem here, or not writable: the temporary directory serves.
    }
  }
  return mkdtempSync(join(tmpdir(), "retort-tsc-"));
}

let typescript5;

/** TypeScript 5's program API over `roots`, emitting the files of `wanted`. */
function compileTypeScript5(roots, base, wanted) {
  // Loaded lazily: only what TypeScript 7 could not compile pays for loading TypeScript 5.
  const ts = (typescript5 = typescript5 || require("typescript"));
  const { noCheck: _noCheck, ...json } = base;
  const converted = ts.convertCompilerOptionsFromJson(json, dirname(roots[0]));
  if (converted.errors.length > 0) throw new Error(ts.flattenDiagnosticMessageText(converted.errors[0].messageText, " "));
  const outDir = join(parse(roots[0]).root, "__retort_out__");
  const options = { ...converted.options, noCheck: true, outDir, rootDir: parse(roots[0]).root };
  const program = ts.createProgram(roots, options);
  const optionError = program.getOptionsDiagnostics().find((d) => d.category === ts.DiagnosticCategory.Error);
  if (optionError) throw new Error(ts.flattenDiagnosticMessageText(optionError.messageText, " "));
  const outputs = new Map();
  const errors = new Map();
  const byOutput = new Map(wanted.map((f) => [join(outDir, outputPathOf(f).slice(parse(f).root.length)), f]));
  for (const fileName of wanted) {
    const sourceFile = program.getSourceFile(fileName);
    const error = sourceFile && program.getSyntacticDiagnostics(sourceFile).find((d) => d.category === ts.DiagnosticCategory.Error);
    if (error) {
      const pos = sourceFile.getLineAndCharacterOfPosition(error.start || 0);
      errors.set(fileName, { line: pos.line + 1, column: pos.character + 1, message: ts.flattenDiagnosticMessageText(error.messageText, " ") });
    } else if (sourceFile) {
      program.emit(sourceFile, (name, text) => {
        const source = byOutput.get(resolve(name));
        if (source) outputs.set(source, withSourceMapBesideSource(text, source));
      });
    }
  }
  return { outputs, errors };
}

/**
 * TypeScript 7 binds every decorated class that names itself inside its body
 * to an alias (`var Post_1; let Post = Post_1 = class Post ...`) and uses it
 * in the decorators too; TypeScript 5 makes the alias only for a reference
 * from a member's code (a method, an initializer, a `typeof Post`), and its
 * decorators always name the class itself. Both aliases hold the same value
 * at every point where the code reads them, so folding them back changes no
 * behaviour. Returns undefined when the output cannot be shown to be
 * TypeScript 5's: a `typeof` reference (TypeScript 5 aliases it, TypeScript 7
 * does not), or the alias used as a property name (TypeScript 7 renames a
 * property that has the class's name). `readSource` gives the `.ts` text,
 * read only for a file with such an alias.
 */
function foldSelfAliases(output, readSource) {
  let result = output;
  let source;
  const aliased = [...output.matchAll(/^(?:let|var) (\w+) = (\1_\d+) = class\b/gm)].map((m) => ({ name: m[1], alias: m[2] }));
  for (const { name, alias } of aliased) {
    const word = new RegExp(`\\b${alias}\\b`, "g");
    result = result.replace(/__decorate\(\[\n[\s\S]*?\n\]/g, (block) => block.replace(word, name));
    const bindings = [
      new RegExp(`^var .*\\b${alias}\\b.*;$`, "m"),
      `${name} = ${alias} = class`,
      `${name} = ${alias} = __decorate`,
      `static { ${alias} = this; }`,
    ];
    let rest = result;
    for (const binding of bindings) rest = rest.replace(binding, "");
    if (new RegExp(`\\.${alias}\\b|\\b${alias}\\s*:`).test(rest)) return undefined;
    if (word.test(rest)) continue;
    source ??= readSource();
    if (new RegExp(`\\btypeof\\s+${name}\\b`).test(source)) return undefined;
    result = result
      .replace(new RegExp(`^(var )(.*);\\n`, "m"), (line, keyword, names) => {
        const kept = names.split(", ").filter((n) => n !== alias);
        return names.split(", ").includes(alias) ? (kept.length > 0 ? `${keyword}${kept.join(", ")};\n` : REMOVED_LINE) : line;
      })
      .replace(`${name} = ${alias} = class`, `${name} = class`)
      .replace(`${name} = ${alias} = __decorate`, `${name} = __decorate`)
      .replace(new RegExp(`^ *static \\{ ${alias} = this; \\}\\n`, "m"), REMOVED_LINE);
  }
  return withoutRemovedLines(result);
}

const REMOVED_LINE = "\u0000removed\n";

/** Drops the lines the fold removed, and their (empty) groups from the source map, so later lines still map right. */
function withoutRemovedLines(output) {
  if (!output.includes(REMOVED_LINE)) return output;
  const lines = output.split("\n");
  const removed = new Set(lines.flatMap((line, i) => (line === REMOVED_LINE.slice(0, -1) ? [i] : [])));
  const code = lines.filter((_, i) => !removed.has(i)).join("\n");
  return withInlineSourceMapEdited(code, (map) => {
    const groups = map.mappings.split(";");
    // A synthesized line maps nowhere; if it did, the map is left as it was (off by a line below it).
    if ([...removed].some((i) => groups[i])) return false;
    map.mappings = groups.filter((_, i) => !removed.has(i)).join(";");
    return true;
  });
}

function outputPathOf(sourcePath) {
  const { dir, name, ext } = parse(sourcePath);
  return join(dir, name + ({ ".mts": ".mjs", ".cts": ".cjs" }[ext] || ".js"));
}

// Spelled so that no line of this file ends in a source-map comment: source-map-support (jest's stack traces) reads the
// last such comment of a module's own text, and would take a template literal here for this file's map.
const INLINE_SOURCE_MAP_PREFIX = "//# sourceMappingURL=data:application/json;base64,";
const INLINE_SOURCE_MAP = /\n\/\/# sourceMappingURL=data:application\/json;base64,([A-Za-z0-9+/=]+)\s*$/;

/** Rewrites an output's inline source map in place by `edit` (which returns false to keep the output as it is). */
function withInlineSourceMapEdited(output, edit) {
  const match = INLINE_SOURCE_MAP.exec(output);
  if (!match) return output;
  const map = JSON.parse(Buffer.from(match[1], "base64").toString("utf8"));
  if (edit(map) === false) return output;
  const encoded = Buffer.from(JSON.stringify(map), "utf8").toString("base64");
  return `${output.slice(0, match.index)}\n${INLINE_SOURCE_MAP_PREFIX}${encoded}`;
}

/**
 * The compiler wrote its map for a file in a temporary out directory, so its
 * `sources` point back from there; the code runs under the `.ts` file's own
 * name, so the map names the source by its base name.
 */
function withSourceMapBesideSource(output, fileName) {
  return withInlineSourceMapEdited(output, (map) => {
    map.file = basename(outputPathOf(fileName));
    map.sourceRoot = "";
    map.sources = [basename(fileName)];
  });
}

const IMPORT_SPECIFIER = /(?:\bfrom|\bimport|\brequire)\s*\(?\s*(["'])([^"'\r\n]+)\1/g;
/** `import "./x.js"` names x.ts under Node-style resolution. */
const JS_TWINS = { ".js": ".ts", ".mjs": ".mts", ".cjs": ".cts" };
/** The extensions retort compiles (the require hook registers these). */
const TYPESCRIPT_EXTENSIONS = [".ts", ".mts", ".cts"];

/**
 * Every module reference in `source` found by a plain scan (`import`,
 * `export … from`, `require`, `import()`): its specifier, the project `.ts`
 * file `targetOf` (localTargetOf) resolves it to (undefined: a package, or
 * a file retort does not compile), and where the reference ends. The
 * compile cache keys a file by the targets, transitively, so a scan that
 * finds too much only invalidates more than needed.
 */
function moduleReferencesOf(source, targetOf) {
  return [...source.matchAll(IMPORT_SPECIFIER)].map((match) => ({ specifier: match[2], target: targetOf(match[2]), end: match.index + match[0].length }));
}

/**
 * The project `.ts` file `specifier` names from `fileName` under `config`'s
 * aliases, or undefined (a package, a declaration file, nothing there).
 * `probedDirs` receives every directory where a candidate was looked for:
 * the answer holds while none of them gains or loses a file.
 */
function localTargetOf(specifier, fileName, config, probedDirs) {
  const targets = isPathSpecifier(specifier) ? [resolve(dirname(fileName), specifier)] : aliasCandidates(config, specifier);
  for (const target of targets) {
    const ext = extname(target);
    const candidates = namesFolder(specifier)
      ? [join(target, "index.ts")]
      : TYPESCRIPT_EXTENSIONS.includes(ext)
        ? [target]
        : [...TYPESCRIPT_EXTENSIONS.map((e) => target + e), join(target, "index.ts"), ...(JS_TWINS[ext] ? [target.slice(0, -ext.length) + JS_TWINS[ext]] : [])];
    const hit = candidates.find((candidate) => {
      if (candidate.endsWith(".d.ts") || /[\\/]node_modules[\\/]/.test(candidate)) return false;
      if (probedDirs) probedDirs.add(dirname(candidate));
      return existsSync(candidate);
    });
    if (hit) return hit;
  }
  return undefined;
}

/** A relative or absolute path (`./x`, `../x`, `.`, `..`, `/x`), not a package name or an alias. */
function isPathSpecifier(specifier) {
  return /^\.{0,2}(?:\/|$)/.test(specifier);
}

/** `.`, `..` or a path ending in `/`: the compiler and Node look for the folder's index, never a file of that name. */
function namesFolder(specifier) {
  return /(?:^|\/)\.{0,2}$/.test(specifier);
}

/**
 * Whether `specifier`, imported by `fileName`, names project `.ts` file
 * `target` to the compiler whatever else exists, so that a plain import may
 * key by its declarations: a relative path or the first substitution of a
 * path alias (TypeScript tries no other while that resolves), without an
 * extension or with `.js`, naming `target` itself (`x` -> x.ts) or, when there is no
 * `x.tsx`, `x.d.ts` and no package.json in the folder, its index (`x` ->
 * x/index.ts, the way barrels are imported). What this looks at is in the
 * folders localTargetOf probed to find `target`.
 */
function namesSurely(specifier, fileName, target, config) {
  if (!target || !target.endsWith(".ts")) return false;
  const base = isPathSpecifier(specifier) ? resolve(dirname(fileName), specifier) : aliasCandidates(config, specifier)[0];
  if (base === undefined) return false;
  // Node-style `./user.js` names user.ts first.
  if (extname(base) === ".js") return !namesFolder(specifier) && target === `${base.slice(0, -".js".length)}.ts`;
  if (MODULE_EXTENSIONS.includes(extname(base))) return false;
  if (!namesFolder(specifier) && target === `${base}.ts`) return true;
  if (target !== join(base, "index.ts") || existsSync(join(base, "package.json"))) return false;
  return namesFolder(specifier) || ![".tsx", ".d.ts"].some((suffix) => existsSync(base + suffix));
}

/** Extensions a specifier may end with that TypeScript maps or takes as they are, instead of appending `.ts`. */
const MODULE_EXTENSIONS = [".ts", ".tsx", ".mts", ".cts", ".js", ".jsx", ".mjs", ".cjs", ".json"];

/** What a module could be besides a project `.ts` file, were it in an alias's target folder: TypeScript would read it there. */
const OTHER_MODULE_SUFFIXES = ["", ".tsx", ".d.ts", ".mts", ".cts", ".d.mts", ".d.cts", ".js", ".jsx", ".mjs", ".cjs", ".json"];

/**
 * Whether a path alias names something in a project folder that is not a
 * project `.ts` file retort compiles (a `.d.ts`, `.js` or `.json` file, a
 * folder): it would not be found beside a stand-in run's copy. Memoized per
 * config and specifier (a package name is looked up once, not per file);
 * `probedDirs` receives the folders looked in, as localTargetOf's do.
 */
function aliasReachesOtherFile(specifier, config, probedDirs) {
  const memo = `${config ? config.path : ""}\0${specifier}`;
  let known = aliasOtherFiles.get(memo);
  if (!known) {
    const candidates = aliasCandidates(config, specifier);
    known = {
      dirs: [...new Set(candidates.map((candidate) => dirname(candidate)))],
      other: candidates.some((candidate) => OTHER_MODULE_SUFFIXES.some((suffix) => existsSync(candidate + suffix))),
    };
    aliasOtherFiles.set(memo, known);
  }
  if (probedDirs) for (const dir of known.dirs) probedDirs.add(dir);
  return known.other;
}

const aliasOtherFiles = new Map();

/** Files a folder import may read instead of, or before, the folder's `index.ts`. */
const FOLDER_ENTRIES = ["package.json", "index.tsx", "index.d.ts", "index.js", "index.jsx", "index.json"];
/** The fields of a folder's package.json the compiler reads to find what the folder exports, in its order. */
const PACKAGE_ENTRY_FIELDS = ["typings", "types", "main"];
/** What the compiler may append to, or put for `.js` in, a module path: a name less the longest of these is its stem. */
const MODULE_NAME_SUFFIX = /(?:\.d)?\.[mc]?ts$|\.(?:tsx|jsx?|mjs|cjs|json)$/;

/**
 * The project files other than compiled `.ts` modules that the compiler may
 * read for `specifier` imported by `fileName` (outside node_modules): a
 * declaration file, a `.tsx`, JavaScript or JSON module of the same name, a
 * folder's index of those kinds, its package.json and the files its entry
 * fields name. A superset: the compile key covers all of them, so that
 * editing, adding or removing one (a hand-written `types.d.ts`, a
 * package.json whose `types` moves the folder's entry) compiles the importer
 * again. None when the import's `target` (localTargetOf) is the file the
 * compiler tries first. `probedDirs` receives the folders looked in and each
 * package.json read (an edit of it changes what it names).
 */
function otherInputsOf(specifier, fileName, config, probedDirs, target) {
  const bases = isPathSpecifier(specifier) ? [resolve(dirname(fileName), specifier)] : aliasCandidates(config, specifier);
  if (target && bases.length > 0 && firstCandidateIs(bases[0], target)) return [];
  const found = new Set();
  for (const base of bases) {
    if (/[\\/]node_modules[\\/]/.test(base)) continue;
    for (const file of namesakesOf(base, probedDirs, false)) if (file !== fileName) found.add(file);
    const manifest = join(base, "package.json");
    if (!found.has(manifest)) continue;
    if (probedDirs) probedDirs.add(manifest);
    // What it names is read in place of the index, a compiled module included.
    for (const named of packageEntriesOf(manifest)) for (const file of namesakesOf(named, probedDirs, true)) found.add(file);
  }
  return [...found];
}

/** `target` is the file the compiler looks for first for `base` (`x` -> x.ts, `x.js` -> x.ts): nothing else is read for it. */
function firstCandidateIs(base, target) {
  const ext = extname(base);
  if (JS_TWINS[ext]) return target === base.slice(0, -ext.length) + JS_TWINS[ext];
  return target === base || target === `${base}.ts`;
}

/**
 * The files `base` may name: those of its stem in its folder, and when it is
 * a folder, its entries; compiled `.ts` modules only if `compiled` (they are
 * an import's own target otherwise).
 */
function namesakesOf(base, probedDirs, compiled) {
  const dir = dirname(base);
  const listing = listingOf(dir);
  if (probedDirs) probedDirs.add(dir);
  if (!listing) return [];
  const stem = basename(base).replace(MODULE_NAME_SUFFIX, "");
  const kept = (name) => compiled || isOtherInput(name);
  const files = (listing.byStem.get(stem) || []).filter(kept).map((name) => join(dir, name));
  if (listing.dirs.has(basename(base))) {
    const inside = listingOf(base);
    if (probedDirs) probedDirs.add(base);
    if (inside) for (const entry of ["index.ts", ...FOLDER_ENTRIES]) if (inside.files.has(entry) && kept(entry)) files.push(join(base, entry));
  }
  return files;
}

/** A file the compiler reads but retort does not compile as a module of its own. */
function isOtherInput(name) {
  return !TYPESCRIPT_EXTENSIONS.includes(extname(name)) || /\.d\.[mc]?ts$/.test(name);
}

/** The paths a folder's package.json names in its entry fields (none when it does not parse). */
function packageEntriesOf(manifest) {
  try {
    const fields = JSON.parse(readFileSync(manifest, "utf8"));
    return PACKAGE_ENTRY_FIELDS.filter((field) => typeof fields[field] === "string").map((field) => resolve(dirname(manifest), fields[field]));
  } catch {
    return [];
  }
}

/** Directory listings read once per process: a thousand imports find their namesakes without a file system call each. */
const listings = new Map();

function listingOf(dir) {
  let listing = listings.get(dir);
  if (listing === undefined) {
    try {
      listing = { files: new Set(), dirs: new Set(), byStem: new Map() };
      for (const entry of readdirSync(dir, { withFileTypes: true })) {
        if (entry.isDirectory()) {
          listing.dirs.add(entry.name);
          continue;
        }
        listing.files.add(entry.name);
        const stem = entry.name.replace(MODULE_NAME_SUFFIX, "");
        listing.byStem.set(stem, [...(listing.byStem.get(stem) || []), entry.name]);
      }
    } catch {
      listing = null;
    }
    listings.set(dir, listing);
  }
  return listing;
}

module.exports = { COMPILER_OPTIONS, TYPESCRIPT_EXTENSIONS, aliasReachesOtherFile, browserTypeNamesIn, mentionsBrowserTypes, withoutBrowserLibs, compileProgram, compileProgramInBackground, foldSelfAliases, isPathSpecifier, localTargetOf, moduleReferencesOf, namesSurely, nativeCompiler, nativeEnvironment, otherInputsOf };
