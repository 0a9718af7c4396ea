"use strict";
/**
 * The user's tsconfig.json, read without TypeScript (a warm start loads no
 * compiler): the nearest one above a file, its `extends` chain merged, and the
 * `paths`/`baseUrl` aliases resolved to absolute paths, which the batch
 * compiler and the require hook both use.
 */
const { createHash } = require("node:crypto");
const { existsSync, readFileSync } = require("node:fs");
const { dirname, isAbsolute, join, resolve } = require("node:path");

/** Options whose values are paths relative to the tsconfig that sets them. */
const PATH_OPTIONS = ["baseUrl", "rootDir", "outDir", "declarationDir", "tsBuildInfoFile"];
const PATH_LIST_OPTIONS = ["typeRoots", "rootDirs"];

/** JSON with comments and trailing commas, as tsconfig files are written. */
function parseJsonc(text) {
  let out = "";
  for (let i = 0; i < text.length; i++) {
    const c = text[i];
    if (c === '"') {
      let j = i + 1;
      while (j < text.length && text[j] !== '"') j += text[j] === "\\" ? 2 : 1;
      out += text.slice(i, j + 1);
      i = j;
    } else if (c === "/" && text[i + 1] === "/") {
      while (i < text.length && text[i] !== "\n") i++;
      out += "\n";
    } else if (c === "/" && text[i + 1] === "*") {
      const end = text.indexOf("*/", i + 2);
      i = end < 0 ? text.length : end + 1;
    } else {
      out += c;
    }
  }
  return JSON.parse(out.replace(/,(\s*[}\]])/g, "$1").replace(/^\uFEFF/, "") || "{}");
}

const nearestByDir = new Map();

/** The nearest tsconfig.json in `dir` or above, or undefined (memoized per directory). */
function findTsconfig(dir) {
  if (nearestByDir.has(dir)) return nearestByDir.get(dir);
  const here = join(dir, "tsconfig.json");
  let found;
  if (existsSync(here)) found = here;
  else if (dirname(dir) !== dir) found = findTsconfig(dirname(dir));
  nearestByDir.set(dir, found);
  return found;
}

function resolveExtends(fromDir, spec) {
  if (spec.startsWith(".") || isAbsolute(spec)) {
    const path = resolve(fromDir, spec);
    return existsSync(path) || path.endsWith(".json") ? path : `${path}.json`;
  }
  // A package (`@tsconfig/node20/tsconfig.json`, or a package whose main config is tsconfig.json).
  for (const candidate of [spec, `${spec}.json`, `${spec}/tsconfig.json`]) {
    try {
      return require.resolve(candidate, { paths: [fromDir] });
    } catch {
      // try the next spelling
    }
  }
  throw new Error(`cannot find "${spec}", extended by ${join(fromDir, "tsconfig.json")}`);
}

/**
 * Reads one config and what it extends into { options, texts, pathsBase }:
 * path options made absolute, `paths` remembered with the directory they are
 * relative to when no baseUrl applies.
 */
function readChain(path, seen) {
  if (seen.has(path)) throw new Error(`${path} extends itself`);
  seen.add(path);
  const text = readFileSync(path, "utf8");
  const json = parseJsonc(text);
  const dir = dirname(path);
  let merged = { options: {}, texts: [], pathsBase: undefined };
  const bases = json.extends === undefined ? [] : Array.isArray(json.extends) ? json.extends : [json.extends];
  for (const base of bases) {
    const inherited = readChain(resolveExtends(dir, base), seen);
    merged = {
      options: { ...merged.options, ...inherited.options },
      texts: [...merged.texts, ...inherited.texts],
      pathsBase: inherited.pathsBase ?? merged.pathsBase,
    };
  }
  const own = { ...(json.compilerOptions || {}) };
  for (const key of PATH_OPTIONS) if (typeof own[key] === "string") own[key] = resolve(dir, own[key]);
  for (const key of PATH_LIST_OPTIONS) if (Array.isArray(own[key])) own[key] = own[key].map((p) => resolve(dir, p));
  return {
    options: { ...merged.options, ...own },
    texts: [...merged.texts, path, text],
    pathsBase: own.paths ? dir : merged.pathsBase,
  };
}

const configs = new Map();

/**
 * The merged config at `path`: { path, hash (of every file in the chain),
 * options (compilerOptions, `paths` targets absolute), aliases }.
 */
function readTsconfig(path) {
  if (configs.has(path)) return configs.get(path);
  let config;
  try {
    const chain = readChain(path, new Set());
    const options = { ...chain.options };
    if (options.paths) {
      const base = options.baseUrl || chain.pathsBase;
      options.paths = Object.fromEntries(Object.entries(options.paths).map(([pattern, targets]) => [pattern, targets.map((t) => resolve(base, t))]));
    }
    const hash = createHash("sha1");
    for (const part of chain.texts) hash.update(part).update("\0");
    config = { path, hash: hash.digest("hex"), options, aliases: aliasPatternsOf(options) };
  } catch (error) {
    config = { path, error: `${path}: ${error instanceof Error ? error.message : String(error)}` };
  }
  configs.set(path, config);
  return config;
}

/** The config that applies to `fileName` (nearest tsconfig.json above it), or undefined. */
function tsconfigOf(fileName) {
  const path = findTsconfig(dirname(fileName));
  return path ? readTsconfig(path) : undefined;
}

function aliasPatternsOf(options) {
  const patterns = Object.entries(options.paths || {}).map(([pattern, targets]) => {
    const star = pattern.indexOf("*");
    return { prefix: star < 0 ? pattern : pattern.slice(0, star), suffix: star < 0 ? "" : pattern.slice(star + 1), exact: star < 0, targets };
  });
  // TypeScript picks the matching pattern with the longest prefix.
  patterns.sort((a, b) => b.prefix.length - a.prefix.length);
  return { patterns, baseUrl: options.baseUrl };
}

/**
 * The absolute paths a non-relative module name may mean under the config's
 * `paths` and `baseUrl`, in TypeScript's order (the first pattern that
 * matches, then baseUrl); empty when none applies. Extensions are probed by
 * the caller.
 */
function aliasCandidates(config, request) {
  if (!config || !config.aliases || request.startsWith(".") || isAbsolute(request)) return [];
  const { patterns, baseUrl } = config.aliases;
  const candidates = [];
  const match = patterns.find((p) =>
    p.exact ? request === p.prefix : request.length >= p.prefix.length + p.suffix.length && request.startsWith(p.prefix) && request.endsWith(p.suffix),
  );
  if (match) {
    const star = match.exact ? "" : request.slice(match.prefix.length, request.length - match.suffix.length);
    for (const target of match.targets) candidates.push(target.replace("*", star));
  }
  if (baseUrl) candidates.push(resolve(baseUrl, request));
  return candidates;
}

module.exports = { aliasCandidates, findTsconfig, parseJsonc, readTsconfig, tsconfigOf };
