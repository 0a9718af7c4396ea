#!/usr/bin/env node
/**
 * The full "portable" corpus: every autogen fixture whose entities are the
 * same on all dialects, generated on each dialect and applied on each other
 * one. CI runs a representative subset (test/autogen/portable.test.ts); this
 * runs them all (a few minutes).
 */
const { spawnSync } = require("node:child_process");
const { join } = require("node:path");

const jest = join(__dirname, "..", "node_modules", ".bin", "jest");
const result = spawnSync(jest, ["--maxWorkers=1", "test/autogen/portable.test.ts"], {
  cwd: join(__dirname, ".."),
  stdio: "inherit",
  env: { ...process.env, RETORT_PORTABLE_SWEEP: "1", CI: "true" },
});
process.exit(result.status ?? 1);
