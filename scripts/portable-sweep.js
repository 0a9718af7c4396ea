#!/usr/bin/env node
/**
 * The full "portable" corpus: every autogen fixture whose entities are the
 * same on all dialects, generated on each dialect and applied on each other
 * one. CI runs a representative subset (test/autogen/portable.test.ts); this
 * runs them all (several minutes on a quiet machine).
 *
 *   node scripts/portable-sweep.js [--only <regexp>] [jest options]
 *
 * --only keeps the fixtures whose folder name matches (`--only '^(enum|uq)-'`).
 */
const { spawnSync } = require("node:child_process");
const { join } = require("node:path");

const args = process.argv.slice(2);
const at = args.indexOf("--only");
const only = at >= 0 ? args.splice(at, 2)[1] : undefined;
const jest = join(__dirname, "..", "node_modules", ".bin", "jest");
const result = spawnSync(jest, ["--maxWorkers=1", "test/autogen/portable.test.ts", ...args], {
  cwd: join(__dirname, ".."),
  stdio: "inherit",
  env: { ...process.env, RETORT_PORTABLE_SWEEP: "1", ...(only ? { RETORT_PORTABLE_ONLY: only } : {}), CI: "true" },
});
process.exit(result.status ?? 1);
