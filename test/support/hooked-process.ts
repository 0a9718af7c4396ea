import { spawnSync } from "node:child_process";
import { join } from "node:path";
import { REPO } from "./project";

/** retort's require hook for `.ts` files (plain JavaScript, shared with bin/retort.js). */
export const HOOK = join(REPO, "src", "config", "ts-hook.js");

/**
 * Runs `script` in a fresh Node process with the require hook registered
 * (jest's own module system would bypass it); `hook` is the hook's module.
 */
export function inHookedProcess(cwd: string, env: NodeJS.ProcessEnv, script: string): { status: number | null; stdout: string; stderr: string } {
  const prelude = `const hook = require(${JSON.stringify(HOOK)}); hook.registerTypeScript(process.cwd());\n`;
  return spawnSync(process.execPath, ["-e", prelude + script], { cwd, env: { ...process.env, ...env }, encoding: "utf8" });
}

export interface HookedCompile {
  /** Compiled output per file that compiled. */
  outputs: Record<string, string>;
  /** The error message per file that did not. */
  errors: Record<string, string>;
  stats: { nativeFiles: number; typescript5Files: number; standInRuns: number; withoutBrowserLibs: number };
}

/**
 * `files` precompiled and read back through the hook in a fresh process, as
 * a command would get them (from the cache in `env`'s RETORT_CACHE_DIR, or
 * compiled), with the hook's counts of how. `stderr` and `status` are the
 * process's, for the caller to check; `compiled` is unset when it printed nothing.
 */
export function compileInHookedProcess(cwd: string, env: NodeJS.ProcessEnv, files: readonly string[]): { status: number | null; stderr: string; compiled?: HookedCompile } {
  const script = `const files = ${JSON.stringify(files)};
hook.precompile(files);
const outputs = {};
const errors = {};
for (const f of files) { try { outputs[f] = hook.compiledOutputOf(f); } catch (e) { errors[f] = e.message; } }
console.log(JSON.stringify({ outputs, errors, stats: hook.compileStats() }));`;
  const run = inHookedProcess(cwd, env, script);
  return { status: run.status, stderr: run.stderr, ...(run.stdout.trim() ? { compiled: JSON.parse(run.stdout) as HookedCompile } : {}) };
}
