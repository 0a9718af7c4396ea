/**
 * The require hook answers a compiled file's relative requests (and the entity
 * globs' absolute ones) from a listing of the folder instead of Node's stats:
 * each answer must be the one Node gives, whichever file kind, extension
 * order, symlink or late file is involved.
 */
import { spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, realpathSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { REPO } from "../support/project";

const HOOK = join(REPO, "src", "config", "ts-hook.js");

let dir: string;
let real: string;

beforeAll(() => {
  mkdirSync(join(REPO, ".tmp-projects"), { recursive: true });
  dir = mkdtempSync(join(REPO, ".tmp-projects", "listings-"));
  real = realpathSync(dir);
  const ts = (path: string) => writeFileSync(join(dir, path), "export const file = __filename;\n");
  const js = (path: string) => writeFileSync(join(dir, path), "module.exports = { file: __filename };\n");
  ts("only-ts.ts");
  js("both.js"); // Node tries .js before .ts
  ts("both.ts");
  mkdirSync(join(dir, "dir-and-file"));
  ts("dir-and-file/index.ts");
  ts("dir-and-file.ts"); // a folder named as requested: Node still takes the file with an extension first
  mkdirSync(join(dir, "folder-only"));
  ts("folder-only/index.ts");
  mkdirSync(join(dir, "elsewhere"));
  ts("elsewhere/target.ts");
  symlinkSync(join(dir, "elsewhere", "target.ts"), join(dir, "linked.ts"));
  symlinkSync(join(dir, "elsewhere"), join(dir, "via-link"), "dir");
  js("elsewhere/first.js");
  symlinkSync(join(dir, "elsewhere", "first.js"), join(dir, "shadowed.js")); // a symlinked .js still comes before a regular .ts
  ts("shadowed.ts");
  mkdirSync(join(dir, "sub"));
  writeFileSync(
    join(dir, "sub", "main.ts"),
    `import { writeFileSync } from "fs";
const results: Record<string, string> = {};
results.onlyTs = require("../only-ts").file;
results.onlyTsWithExtension = require("../only-ts.ts").file;
results.sameModule = String(require("../only-ts") === require("../only-ts.ts"));
results.both = require("../both").file;
results.dirAndFile = require("../dir-and-file").file;
results.folderOnly = require("../folder-only").file;
results.linked = require("../linked").file;
results.viaLink = require("../via-link/target").file;
results.shadowed = require("../shadowed").file;
results.resolved = require.resolve("../only-ts");
writeFileSync(${JSON.stringify(join(dir, "late.ts"))}, "export const file = __filename;\\n");
results.late = require("../late").file;
results.absolute = require(${JSON.stringify(join(dir, "sub", "..", "elsewhere", "target.ts"))}).file;
let missing = "";
try {
  require("../missing");
} catch (error) {
  missing = (error as { code?: string }).code ?? "";
}
results.missing = missing;
console.log(JSON.stringify(results));
`,
  );
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

function requireResults(env: NodeJS.ProcessEnv = {}): Record<string, string> {
  const script = `require(${JSON.stringify(HOOK)}).registerTypeScript(${JSON.stringify(dir)}); require(${JSON.stringify(join(dir, "sub", "main.ts"))});`;
  const run = spawnSync(process.execPath, ["-e", script], { cwd: dir, encoding: "utf8", env: { ...process.env, RETORT_CACHE_DIR: join(dir, ".cache"), ...env } });
  expect(run.stderr).toBe("");
  expect(run.status).toBe(0);
  return JSON.parse(run.stdout);
}

describe("resolving from folder listings", () => {
  test("every request resolves where Node resolves it", () => {
    const results = requireResults();
    expect(results).toEqual({
      onlyTs: join(real, "only-ts.ts"),
      onlyTsWithExtension: join(real, "only-ts.ts"),
      sameModule: "true",
      both: join(real, "both.js"),
      dirAndFile: join(real, "dir-and-file.ts"),
      folderOnly: join(real, "folder-only", "index.ts"),
      linked: join(real, "elsewhere", "target.ts"),
      viaLink: join(real, "elsewhere", "target.ts"),
      shadowed: join(real, "elsewhere", "first.js"),
      resolved: join(real, "only-ts.ts"),
      late: join(real, "late.ts"),
      absolute: join(real, "elsewhere", "target.ts"),
      missing: "MODULE_NOT_FOUND",
    });
    rmSync(join(dir, "late.ts"));
  });

  test("with --preserve-symlinks Node's answers stand (the symlinks' own paths)", () => {
    const results = requireResults({ NODE_OPTIONS: "--preserve-symlinks" });
    expect(results.linked).toBe(join(dir, "linked.ts"));
    expect(results.viaLink).toBe(join(dir, "via-link", "target.ts"));
    expect(results.onlyTs).toBe(join(dir, "only-ts.ts"));
    rmSync(join(dir, "late.ts"));
  });
});
