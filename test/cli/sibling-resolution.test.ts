/**
 * `./Other` required from a compiled file is answered from a listing of its
 * folder (ts-hook.js siblingOf); the answer must be Node's: its extension
 * order, folders, links, and files added while the process runs.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createProject, type TestProject } from "../support/project";

describe("requires of sibling files from compiled files", () => {
  let project: TestProject;
  let cacheDir: string;

  beforeEach(() => {
    project = createProject(undefined);
    cacheDir = mkdtempSync(join(tmpdir(), "retort-cache-"));
    project.env.RETORT_CACHE_DIR = cacheDir;
  });

  afterEach(() => {
    project.remove();
    rmSync(cacheDir, { recursive: true, force: true });
  });

  test("resolve as Node resolves them: .js before .ts, folders, links, a file written meanwhile", () => {
    // Outside the entity glob, required by a compiled helper the entity imports.
    mkdirSync(join(project.dir, "helpers", "folder"), { recursive: true });
    mkdirSync(join(project.dir, "shared"), { recursive: true });
    project.write("helpers/both.js", `exports.from = "both.js";\nexports.file = __filename;\n`);
    project.write("helpers/both.ts", `export const from = "both.ts";\nexport const file = __filename;\n`);
    project.write("helpers/only.ts", `export const from = "only.ts";\nexport const file = __filename;\n`);
    project.write("helpers/folder/index.ts", `export const from = "folder/index.ts";\nexport const file = __filename;\n`);
    project.write("shared/target.ts", `export const from = "shared/target.ts";\nexport const file = __filename;\n`);
    symlinkSync(join(project.dir, "shared", "target.ts"), join(project.dir, "helpers", "linked.ts"));
    project.write(
      "entities/Probe.ts",
      `import { Entity, PrimaryGeneratedColumn } from "typeorm";
import "../helpers/probe";
@Entity("probes")
export class Probe {
  @PrimaryGeneratedColumn() id!: number;
}
`,
    );
    project.write(
      "helpers/probe.ts",
      `import { writeFileSync } from "node:fs";
import { join } from "node:path";
const seen: Record<string, string> = {};
for (const name of ["both", "only", "folder", "linked"]) {
  seen[name] = require("./" + name).from;
  seen[name + " file"] = require("./" + name).file;
  seen[name + " resolved"] = require.resolve("./" + name);
}
writeFileSync(join(__dirname, "later.ts"), "exports.from = 'later.ts';\\n");
seen.later = require.resolve("./later");
try {
  require.resolve("./missing");
} catch (error) {
  seen.missing = (error as NodeJS.ErrnoException).code ?? "";
}
writeFileSync(join(__dirname, "..", "seen.json"), JSON.stringify(seen));
`,
    );
    for (let i = 0; i < 2; i++) {
      const run = project.run("check");
      expect(run.stderr).not.toContain("Error");
      const seen = JSON.parse(readFileSync(join(project.dir, "seen.json"), "utf8"));
      expect(seen).toEqual({
        both: "both.js",
        "both file": join(project.dir, "helpers", "both.js"),
        "both resolved": join(project.dir, "helpers", "both.js"),
        only: "only.ts",
        "only file": join(project.dir, "helpers", "only.ts"),
        "only resolved": join(project.dir, "helpers", "only.ts"),
        folder: "folder/index.ts",
        "folder file": join(project.dir, "helpers", "folder", "index.ts"),
        "folder resolved": join(project.dir, "helpers", "folder", "index.ts"),
        linked: "shared/target.ts",
        "linked file": join(project.dir, "shared", "target.ts"),
        "linked resolved": join(project.dir, "shared", "target.ts"),
        later: join(project.dir, "helpers", "later.ts"),
        missing: "MODULE_NOT_FOUND",
      });
      rmSync(join(project.dir, "helpers", "later.ts"));
    }
  });
});
