#!/usr/bin/env node
"use strict";
/**
 * TypeORM 0.3's `type: "sqlite"` driver (the `sqlite3` package, removed in
 * TypeORM 1.0), end to end: retort packed and installed with typeorm@0.3 and
 * sqlite3 into a scratch project, then the acceptance flow of test/lines/
 * (init, autogenerate, upgrade, check, downgrade base, synchronize(), check).
 * Not in the jest suite: sqlite3 builds from source here (about 1.5 min of CPU,
 * 5 min on a busy machine). Prints each step and the times; exit 0 when all
 * passed.
 *
 *   node scripts/typeorm-sqlite3.js          # RETORT_KEEP_LINES=1 keeps the scratch folder
 */
const { rmSync } = require("node:fs");
const { join } = require("node:path");

const repo = join(__dirname, "..");
require(join(repo, "src", "config", "ts-hook.js")).registerTypeScript(repo);
const { installLines, installedVersion, LIBRARY_TABLES, runCommand, runLibraryFlow } = require("./typeorm-lines.ts");

const LIST_TABLES = `new (require("sqlite3").Database)("app.db").all(
  "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name",
  (error, rows) => { if (error) throw error; process.stdout.write(JSON.stringify(rows.map((r) => r.name))); });`;

async function main() {
  const started = Date.now();
  const lines = await installLines({ "0.3": "0.3.x" }, { sqlite3: "^5.0.3 || ^6.0.0" });
  const [project] = lines.projects;
  console.log(
    `installed typeorm ${project.typeormVersion} + sqlite3 ${installedVersion(project.dir, "sqlite3")}: ` +
      `npm pack ${lines.timings.pack} s, npm install ${project.installSeconds} s`,
  );
  const dir = join(project.dir, "sqlite3");
  const tableNames = async () => {
    const result = await runCommand(process.execPath, ["-e", LIST_TABLES], dir);
    return result.code === 0 ? JSON.parse(result.stdout) : [`(listing failed: ${result.stderr.trim()})`];
  };
  const flowStarted = Date.now();
  const { steps, tables } = await runLibraryFlow(project, dir, { type: "sqlite", database: "app.db" }, tableNames);
  let failed = 0;
  for (const step of steps) {
    console.log(`${step.code === 0 ? "ok  " : "FAIL"} ${step.step} (exit ${step.code})`);
    if (step.code !== 0) {
      failed++;
      console.log(step.output.replace(/^/gm, "     "));
    }
  }
  const expected = JSON.stringify([...LIBRARY_TABLES, "retort_version"].sort());
  const expectations = [
    ["tables after upgrade head", JSON.stringify(tables.upgraded), expected],
    ["tables after downgrade base", JSON.stringify(tables.downgraded), JSON.stringify(["retort_version"])],
    ["tables after synchronize()", JSON.stringify(tables.synchronized), expected],
    ["last check", steps[steps.length - 1].output.trim(), "No changes detected: the database matches the entities."],
  ];
  for (const [what, actual, wanted] of expectations) {
    const ok = actual === wanted;
    if (!ok) failed++;
    console.log(`${ok ? "ok  " : "FAIL"} ${what}: ${actual}${ok ? "" : ` (expected ${wanted})`}`);
  }
  console.log(`flow ${Math.round((Date.now() - flowStarted) / 100) / 10} s, total ${Math.round((Date.now() - started) / 100) / 10} s`);
  if (!process.env.RETORT_KEEP_LINES) rmSync(lines.root, { recursive: true, force: true });
  else console.log(`kept ${lines.root}`);
  return failed === 0 ? 0 : 1;
}

main().then(
  (code) => (process.exitCode = code),
  (error) => {
    console.error(error);
    process.exitCode = 2;
  },
);
