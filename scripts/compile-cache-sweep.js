#!/usr/bin/env node
/**
 * The compile cache against a compile from nothing, over many random walks of
 * edits (test/config/compile-cache-sweep.test.ts; CI walks one seed ten
 * steps). About a second a step on a quiet 2-core machine.
 *
 *   node scripts/compile-cache-sweep.js [--seeds 1,2,3 | --walks N] [--steps N]
 *
 * A failure prints its seed and the edits up to it: `--seeds <seed>` replays it.
 */
const { spawnSync } = require("node:child_process");
const { join } = require("node:path");

const args = process.argv.slice(2);
const value = (flag, fallback) => {
  const at = args.indexOf(flag);
  return at >= 0 && args[at + 1] ? args[at + 1] : fallback;
};
const walks = Number(value("--walks", "8"));
const seeds = value("--seeds", Array.from({ length: walks }, (_, i) => 1000 + i).join(","));
const steps = value("--steps", "40");
const jest = join(__dirname, "..", "node_modules", ".bin", "jest");
const result = spawnSync(jest, ["--maxWorkers=2", "test/config/compile-cache-sweep.test.ts"], {
  cwd: join(__dirname, ".."),
  stdio: "inherit",
  env: { ...process.env, RETORT_SWEEP_SEEDS: seeds, RETORT_SWEEP_STEPS: steps },
});
process.exit(result.status ?? 1);
