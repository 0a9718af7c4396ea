/**
 * retort as a project installs it: the package's `bin` and its compiled
 * `dist/` (built here with the package's own build script), without the
 * TypeScript sources, so that bin/retort.js runs dist/ as it does from
 * node_modules. From a checkout it compiles its own sources through its
 * loader instead, which a cold start (no compile cache) would count.
 */
import { spawnSync } from "node:child_process";
import { cpSync, mkdirSync, rmSync, symlinkSync } from "node:fs";
import { join } from "node:path";

const REPO = join(__dirname, "..", "..");
let installed: string | undefined;

/** The path of the installed copy's bin/retort.js; built once per bench run. */
export function installedRetort(): string {
  if (installed) return installed;
  const build = spawnSync("npm", ["run", "build"], { cwd: REPO, encoding: "utf8" });
  if (build.status !== 0) throw new Error(`npm run build failed:\n${build.stdout}${build.stderr}`);
  const dir = join(REPO, ".tmp-projects", "retort-installed");
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  for (const part of ["bin", "dist", "package.json"]) cpSync(join(REPO, part), join(dir, part), { recursive: true });
  // Its dependencies, as npm would have put them beside it.
  symlinkSync(join(REPO, "node_modules"), join(dir, "node_modules"));
  installed = join(dir, "bin", "retort.js");
  return installed;
}
