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
