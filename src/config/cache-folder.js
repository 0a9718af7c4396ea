"use strict";
/**
 * Keeps the cache folder from growing without bound. Every entry is written
 * once under a name of what it holds, so an edit leaves the old entries
 * behind: at 1000 entities, each edit of a file every entity imports wrote a
 * new pack of about 5 MB, and nothing was ever deleted (a CI cache restored and
 * saved on every build grows the same way).
 *
 * As ccache or Gradle's caches do, an entry's mtime tells when it was last
 * used: a file this process reads whose mtime is more than a day old gets
 * the current time at exit (at most one touch per file per day, so a warm
 * start writes nothing). Once a day (a stamp file's mtime says when), the
 * exit also deletes the entries unused for MAX_UNUSED_DAYS, then the least
 * recently used ones while the folder holds more than RETORT_CACHE_MAX_MB
 * (down to 80% of it, so that it does not run again at the next exit),
 * never one this process read or wrote.
 *
 * Only names retort writes are deleted (RETORT_CACHE_DIR may name a folder
 * that holds other files), and none of its subfolders. A reader never
 * depends on an entry being there: a missing output is compiled again, a
 * missing code cache or model rebuilt, a missing pack dropped from the index.
 */
const { closeSync, fstatSync, lstatSync, openSync, readdirSync, readFileSync, unlinkSync, utimesSync, writeFileSync } = require("node:fs");
const { join } = require("node:path");

const DAY_MS = 24 * 60 * 60 * 1000;
const MAX_UNUSED_DAYS = 14;
const DEFAULT_MAX_MB = 512;
/** A write that crashed left its temporary file behind; no write takes this long. */
const TEMP_MAX_AGE_MS = 60 * 60 * 1000;
const PRUNE_STAMP = "pruned-at";
const PRUNE_DOWN_TO = 0.8;

/**
 * The names retort writes in the folder: compiled outputs (`<key>.js`), packs,
 * V8 code caches (`<hash>-<V8 version>.v8`), manifests, models, and their
 * temporary files (`<name>.<pid>.tmp`, `.exit.tmp`).
 */
const ENTRY_NAME = /^(?:[0-9a-f]{40}\.js|pack-[0-9a-f]{40}\.pack|[0-9a-f]{40}-[\w.-]+\.v8|(?:manifest|model)-[0-9a-f]{16}\.json)$/;
const TEMP_NAME = /^(.+)\.\d+\.(?:exit\.)?tmp$/;

const STARTED_AT = Date.now();
/**
 * The folders this process keeps caches in: usually one, but the code caches
 * of retort's own modules go to retort's install (bin/retort.js sets that
 * first) and a project's compiled files to the project's, which differ when
 * retort is not installed in the project.
 */
const folders = new Set();
/** Entries this process read: never deleted by its own prune. */
const usedNow = new Set();
/** Entries to give the current time at exit. */
const toTouch = new Set();
/**
 * Entries used through another that stands for them (a model read from the
 * model cache stands for the compiled outputs it was built from, which no
 * module load reads meanwhile): [stand-in, () => their paths], asked at exit
 * only when the stand-in is due its touch or the folder its prune.
 */
const standIns = [];

/** `path`'s content (as readFileSync would read it), noting its use. Throws as readFileSync does. */
function readCacheFileSync(path, encoding) {
  const fd = openSync(path, "r");
  try {
    const { mtimeMs } = fstatSync(fd);
    const content = readFileSync(fd, encoding);
    noteUse(path, mtimeMs);
    return content;
  } finally {
    closeSync(fd);
  }
}

/** Notes that `path` was used; with its mtime when known, it is touched at exit only if that is over a day old. */
function noteUse(path, mtimeMs) {
  usedNow.add(path);
  if (mtimeMs === undefined || mtimeMs < STARTED_AT - DAY_MS) toTouch.add(path);
}

/** Notes that the entries `pathsOf()` returns were used, through `standIn` (a cache file this process read). */
function noteUsesThrough(standIn, pathsOf) {
  standIns.push([standIn, pathsOf]);
}

/** RETORT_CACHE_MAX_MB in bytes, or an error sentence when it is not a positive number. */
function sizeLimit(env = process.env.RETORT_CACHE_MAX_MB) {
  if (env === undefined || env.trim() === "") return { bytes: DEFAULT_MAX_MB * 1024 * 1024 };
  const megabytes = Number(env);
  if (!Number.isFinite(megabytes) || megabytes <= 0) return { error: `RETORT_CACHE_MAX_MB must be a number of megabytes above 0 (got ${JSON.stringify(env)}).` };
  return { bytes: Math.floor(megabytes * 1024 * 1024) };
}

/**
 * Has this process's exit touch what it used and prune `dir` when due. Call
 * after registering any exit handler that writes to the folder (the code
 * caches), so that the prune sees what it wrote.
 */
function useCacheFolder(dir) {
  if (!dir || folders.has(dir)) return;
  if (folders.size === 0) process.once("exit", finishCacheUse);
  folders.add(dir);
}

/** At exit: touches what was used, then prunes each folder a day after it last was. */
function finishCacheUse() {
  const now = Date.now();
  const limit = sizeLimit();
  const pruning = limit.error ? [] : [...folders].filter((dir) => pruneDue(dir, now));
  for (const [standIn, pathsOf] of standIns.splice(0)) {
    const due = toTouch.has(standIn);
    if (!due && pruning.length === 0) continue;
    for (const path of pathsOf()) {
      usedNow.add(path);
      if (due) toTouch.add(path);
    }
  }
  for (const path of toTouch) {
    try {
      utimesSync(path, now / 1000, now / 1000);
    } catch {
      // Deleted meanwhile, or a folder this user cannot write: nothing to keep.
    }
  }
  toTouch.clear();
  for (const dir of pruning) pruneCacheFolder(dir, { now, maxBytes: limit.bytes, keep: usedNow });
}

function pruneDue(dir, now) {
  const stamp = join(dir, PRUNE_STAMP);
  let stat;
  try {
    stat = lstatSync(stamp);
  } catch {
    stat = undefined;
  }
  if (stat && stat.mtimeMs > now - DAY_MS) return false;
  try {
    // Claimed first: a second process exiting now finds it fresh.
    writeFileSync(stamp, "");
    return true;
  } catch {
    // No folder, or one this user cannot write: nothing of ours to prune there.
    return false;
  }
}

/**
 * Deletes, in `dir`, the entries unused for `maxUnusedDays` and temporary
 * files over an hour old; then, while the entries left hold more than
 * `maxBytes`, the least recently used (down to 80% of it), except those in
 * `keep` and those changed since `startedAt`. Returns { removed, bytesRemoved, bytesLeft }.
 */
function pruneCacheFolder(dir, { now = Date.now(), maxBytes, maxUnusedDays = MAX_UNUSED_DAYS, keep = new Set(), startedAt = STARTED_AT }) {
  const outcome = { removed: 0, bytesRemoved: 0, bytesLeft: 0 };
  let names;
  try {
    names = readdirSync(dir);
  } catch {
    return outcome;
  }
  const remove = (path, size) => {
    try {
      unlinkSync(path);
      outcome.removed++;
      outcome.bytesRemoved += size;
      return true;
    } catch {
      // Another process deleted it first, or it cannot be deleted: the same to this one.
      return false;
    }
  };
  const kept = [];
  for (const name of names) {
    const temp = TEMP_NAME.exec(name);
    if (!ENTRY_NAME.test(temp ? temp[1] : name)) continue;
    const path = join(dir, name);
    let stat;
    try {
      stat = lstatSync(path);
    } catch {
      continue;
    }
    if (!stat.isFile()) continue;
    const oldest = now - (temp ? TEMP_MAX_AGE_MS : maxUnusedDays * DAY_MS);
    if (stat.mtimeMs < oldest && !keep.has(path) && remove(path, stat.size)) continue;
    if (!temp) kept.push({ path, size: stat.size, mtimeMs: stat.mtimeMs });
  }
  let total = kept.reduce((sum, entry) => sum + entry.size, 0);
  if (total > maxBytes) {
    kept.sort((a, b) => a.mtimeMs - b.mtimeMs);
    for (const entry of kept) {
      if (total <= maxBytes * PRUNE_DOWN_TO) break;
      if (keep.has(entry.path) || entry.mtimeMs >= startedAt) continue;
      if (remove(entry.path, entry.size)) total -= entry.size;
    }
  }
  outcome.bytesLeft = total;
  return outcome;
}

module.exports = { DAY_MS, MAX_UNUSED_DAYS, noteUsesThrough, pruneCacheFolder, readCacheFileSync, sizeLimit, useCacheFolder };
