/**
 * Pruning the cache folder (src/config/cache-folder.js): what goes and what
 * stays, by name, age and the size limit. The folder is real; times are
 * given to the prune as `now` and set on the files.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
const { DAY_MS, MAX_UNUSED_DAYS, pruneCacheFolder, sizeLimit } = require("../../src/config/cache-folder.js");

const HOUR_MS = 60 * 60 * 1000;
const NOW = Date.UTC(2026, 11, 1, 12);
const hex = (seed: string, length: number) => seed.repeat(length).slice(0, length);

describe("pruning the cache folder", () => {
  let dir: string;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), "retort-cache-folder-"));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  /** Writes `name` with `bytes` bytes, last changed `ageMs` before NOW. */
  function entry(name: string, ageMs: number, bytes = 10): string {
    const path = join(dir, name);
    writeFileSync(path, Buffer.alloc(bytes, 97));
    const at = (NOW - ageMs) / 1000;
    utimesSync(path, at, at);
    return name;
  }

  test("entries unused for 14 days go; newer ones, other names and subfolders stay", () => {
    const old = (MAX_UNUSED_DAYS + 1) * DAY_MS;
    const recent = (MAX_UNUSED_DAYS - 1) * DAY_MS;
    const gone = [
      entry(`${hex("a", 40)}.js`, old),
      entry(`pack-${hex("b", 40)}.pack`, old),
      entry(`${hex("c", 40)}-11.3.244.8-node.38.v8`, old),
      entry(`manifest-${hex("d", 16)}.json`, old),
      entry(`model-${hex("e", 16)}.json`, old),
    ];
    const stay = [
      entry(`${hex("f", 40)}.js`, recent),
      entry(`pack-${hex("1", 40)}.pack`, recent),
      // Not names retort writes: RETORT_CACHE_DIR may name a folder holding other files.
      entry("notes.txt", old),
      entry(`${hex("a", 39)}.js`, old),
      entry(`${hex("A", 40)}.js`, old),
      entry("packs.json", old),
      entry("pruned-at", old),
    ];
    mkdirSync(join(dir, "sub"));
    writeFileSync(join(dir, "sub", `${hex("2", 40)}.js`), "x");
    const at = (NOW - old) / 1000;
    utimesSync(join(dir, "sub", `${hex("2", 40)}.js`), at, at);

    const outcome = pruneCacheFolder(dir, { now: NOW, maxBytes: 1e9, startedAt: NOW });

    expect(readdirSync(dir).sort()).toEqual([...stay, "sub"].sort());
    expect(existsSync(join(dir, "sub", `${hex("2", 40)}.js`))).toBe(true);
    expect(outcome).toMatchObject({ removed: gone.length, bytesRemoved: gone.length * 10 });
  });

  test("a temporary file left by a crashed write goes after an hour, one being written stays", () => {
    const key = hex("a", 40);
    const crashed = entry(`${key}.js.4242.tmp`, 2 * HOUR_MS);
    const crashedAtExit = entry(`pack-${key}.pack.77.exit.tmp`, 2 * HOUR_MS);
    const writing = entry(`${key}.js.4343.tmp`, 60_000);
    const foreign = entry("notes.txt.12.tmp", 2 * HOUR_MS);

    pruneCacheFolder(dir, { now: NOW, maxBytes: 1e9, startedAt: NOW });

    expect(existsSync(join(dir, crashed))).toBe(false);
    expect(existsSync(join(dir, crashedAtExit))).toBe(false);
    expect(existsSync(join(dir, writing))).toBe(true);
    expect(existsSync(join(dir, foreign))).toBe(true);
  });

  test("over the size limit, the least recently used go first, down to 80% of it; never one this process used or wrote", () => {
    const oldest = entry(`${hex("1", 40)}.js`, 5 * DAY_MS, 100);
    const usedByThisProcess = entry(`${hex("2", 40)}.js`, 4 * DAY_MS, 100);
    const older = entry(`${hex("3", 40)}.js`, 3 * DAY_MS, 100);
    const middle = entry(`${hex("4", 40)}.js`, 2 * DAY_MS, 100);
    const newer = entry(`${hex("5", 40)}.js`, DAY_MS, 100);
    const writtenByThisProcess = entry(`${hex("6", 40)}.js`, 0, 100);

    // 600 bytes against a limit of 400: down to 320 at most, skipping the two this process has.
    const outcome = pruneCacheFolder(dir, {
      now: NOW,
      maxBytes: 400,
      startedAt: NOW - 1000,
      keep: new Set([join(dir, usedByThisProcess)]),
    });

    const left = readdirSync(dir);
    expect(left).not.toContain(oldest);
    expect(left).not.toContain(older);
    expect(left).not.toContain(middle);
    expect(left).toEqual(expect.arrayContaining([usedByThisProcess, newer, writtenByThisProcess]));
    expect(outcome).toMatchObject({ removed: 3, bytesLeft: 300 });
  });

  test("an entry this process used is kept even when it is past the age limit", () => {
    const used = entry(`${hex("7", 40)}.js`, (MAX_UNUSED_DAYS + 5) * DAY_MS);
    pruneCacheFolder(dir, { now: NOW, maxBytes: 1e9, startedAt: NOW, keep: new Set([join(dir, used)]) });
    expect(existsSync(join(dir, used))).toBe(true);
  });

  test("a folder that does not exist is left alone", () => {
    expect(pruneCacheFolder(join(dir, "missing"), { now: NOW, maxBytes: 1 })).toMatchObject({ removed: 0 });
  });
});

describe("a process's exit", () => {
  let dir: string;

  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), "retort-cache-exit-"));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  test("prunes both folders when retort's code caches and the project's compiled files are kept apart, once a day each", () => {
    // retort installed outside the project: bin/retort.js sets its own folder for code caches first, the project's is the compile cache's.
    const retortFolder = join(dir, "retort-cache");
    const project = join(dir, "project");
    mkdirSync(join(project, "node_modules"), { recursive: true });
    const projectFolder = join(project, "node_modules", ".cache", "retort");
    const old = Date.now() - (MAX_UNUSED_DAYS + 1) * DAY_MS;
    const stale = (folder: string, name: string) => {
      mkdirSync(folder, { recursive: true });
      writeFileSync(join(folder, name), "x");
      utimesSync(join(folder, name), old / 1000, old / 1000);
      return join(folder, name);
    };
    const staleCodeCache = stale(retortFolder, `${hex("a", 40)}-1.2.3.v8`);
    const staleOutput = stale(projectFolder, `${hex("b", 40)}.js`);
    const script = `
      const codeCache = require(${JSON.stringify(join(__dirname, "..", "..", "src", "config", "code-cache.js"))});
      codeCache.cachePlainJavaScript(${JSON.stringify(retortFolder)});
      require(${JSON.stringify(join(__dirname, "..", "..", "src", "config", "ts-hook.js"))}).registerTypeScript(${JSON.stringify(project)});
    `;
    const env = { ...process.env };
    delete env.RETORT_CACHE_DIR;
    delete env.RETORT_NO_CACHE;
    delete env.RETORT_CACHE_MAX_MB;
    const run = () => spawnSync(process.execPath, ["-e", script], { env, encoding: "utf8" });

    expect(run().status).toBe(0);
    expect(existsSync(staleCodeCache)).toBe(false);
    expect(existsSync(staleOutput)).toBe(false);
    expect(statSync(join(retortFolder, "pruned-at")).mtimeMs).toBeGreaterThan(Date.now() - DAY_MS);
    expect(statSync(join(projectFolder, "pruned-at")).mtimeMs).toBeGreaterThan(Date.now() - DAY_MS);

    // Pruned today: the next exit leaves a stale entry alone.
    const next = stale(projectFolder, `${hex("c", 40)}.js`);
    expect(run().status).toBe(0);
    expect(existsSync(next)).toBe(true);
  });
});

describe("RETORT_CACHE_MAX_MB", () => {
  test("unset or empty: 512 MB; a number of megabytes, fractions too", () => {
    expect(sizeLimit(undefined)).toEqual({ bytes: 512 * 1024 * 1024 });
    expect(sizeLimit(" ")).toEqual({ bytes: 512 * 1024 * 1024 });
    expect(sizeLimit("1.5")).toEqual({ bytes: 1.5 * 1024 * 1024 });
    expect(sizeLimit("2048")).toEqual({ bytes: 2048 * 1024 * 1024 });
  });

  test.each(["0", "-3", "abc", "Infinity", "10MB"])("%s is refused in one sentence naming the variable", (value) => {
    const { error, bytes } = sizeLimit(value);
    expect(bytes).toBeUndefined();
    expect(error).toBe(`RETORT_CACHE_MAX_MB must be a number of megabytes above 0 (got ${JSON.stringify(value)}).`);
  });
});
