/**
 * The cache folder's pruning through the real CLI (src/config/cache-folder.js):
 * once a day, at exit, entries unused for 14 days go and the folder is kept
 * under RETORT_CACHE_MAX_MB; what the command used stays, including the
 * compiled entities a model read from the model cache stands for; a warm
 * start writes nothing to the folder.
 */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { backdate, settle } from "../support/mtimes";
import { createProject, revisionSource, type TestProject } from "../support/project";

const { DAY_MS } = require("../../src/config/cache-folder.js") as { DAY_MS: number };
const REV = "cp0000000001";
/** Enough modules in the entities' compiler run for it to be kept as one pack (ts-hook.js PACK_MIN_FILES). */
const PARTS = Array.from({ length: 32 }, (_, i) => `part${String(i).padStart(2, "0")}`);
const GADGET = `import { Column, Entity, PrimaryGeneratedColumn } from "typeorm";
${PARTS.map((part) => `import "./parts/${part}";`).join("\n")}
@Entity("gadgets")
export class Gadget {
  @PrimaryGeneratedColumn() id!: number;
  @Column() name!: string;
}
`;
const CREATE_GADGETS = `  await op.createTable("gadgets", {
    columns: [
      { name: "id", type: "integer", nullable: false, autoIncrement: true },
      { name: "name", type: "varchar", nullable: false },
    ],
    primaryKey: { columns: ["id"] },
  });`;

const COMPILED_OUTPUT = /^[0-9a-f]{40}\.js$/;
const MODEL = /^model-[0-9a-f]{16}\.json$/;
const PACK = /^pack-[0-9a-f]{40}\.pack$/;

function mtimesOf(dir: string): Map<string, number> {
  return new Map(readdirSync(dir).map((name) => [name, statSync(join(dir, name)).mtimeMs]));
}

describe("pruning the cache folder (SQLite, through the CLI)", () => {
  let project: TestProject;
  let cacheDir: string;

  const check = (...extra: string[]) => {
    const r = project.run("check", "--verbose", ...extra);
    if (r.code !== 0) throw new Error(`check exited ${r.code}: ${r.stdout}${r.stderr}`);
    return /The entity model: read from the model cache/.test(r.stderr) ? "cache" : "built";
  };

  beforeEach(() => {
    project = createProject(undefined);
    cacheDir = join(mkdtempSync(join(tmpdir(), "retort-cache-prune-")), "cache");
    project.env.RETORT_CACHE_DIR = cacheDir;
    delete project.env.RETORT_CACHE_MAX_MB;
    project.write("entities/Gadget.ts", GADGET);
    mkdirSync(join(project.dir, "entities", "parts"));
    for (const part of PARTS) project.write(`entities/parts/${part}.ts`, `export const ${part} = "${part}";\n`);
    project.write(`migrations/${REV}_gadgets.ts`, revisionSource(REV, null, "gadgets", CREATE_GADGETS, `  await op.dropTable("gadgets");`));
    expect(project.run("upgrade", "head").code).toBe(0);
    settle(project.dir);
    expect(check()).toBe("built");
    expect(check()).toBe("cache");
  });

  afterEach(() => {
    project.remove();
    rmSync(join(cacheDir, ".."), { recursive: true, force: true });
  });

  test("a warm check writes nothing to the folder", () => {
    const before = mtimesOf(cacheDir);
    expect(check()).toBe("cache");
    expect(mtimesOf(cacheDir)).toEqual(before);
  });

  test("a day later: what went unused for 14 days goes, what the check stood on stays, and the next check is still warm", () => {
    const compiled = readdirSync(cacheDir).filter((name) => COMPILED_OUTPUT.test(name) || PACK.test(name));
    // Run from a checkout, retort's own sources are packed there too: the entities' pack is the one only the model stands for.
    expect(compiled.filter((name) => PACK.test(name)).length).toBeGreaterThan(0);
    const stale = [`${"a".repeat(40)}.js`, `pack-${"b".repeat(40)}.pack`, `${"c".repeat(40)}-1.2.3-node.1.v8`, `manifest-${"d".repeat(16)}.json`];
    for (const name of stale) writeFileSync(join(cacheDir, name), "left by an earlier edit");
    const foreign = join(cacheDir, "notes.txt");
    writeFileSync(foreign, "not retort's");
    mkdirSync(join(cacheDir, "sub"));
    // Everything last used 20 days ago, and the last prune 2 days ago.
    for (const name of readdirSync(cacheDir)) backdate(join(cacheDir, name), 20 * DAY_MS);
    backdate(join(cacheDir, "pruned-at"), 2 * DAY_MS);

    // The model comes from the model cache: no entity output is read, yet they stay.
    expect(check()).toBe("cache");

    const left = readdirSync(cacheDir);
    for (const name of stale) expect(left).not.toContain(name);
    expect(left).toEqual(expect.arrayContaining([...compiled, "notes.txt", "sub", "pruned-at"]));
    const model = left.find((name) => MODEL.test(name))!;
    expect(model).toBeDefined();
    for (const name of [model, ...compiled]) expect(statSync(join(cacheDir, name)).mtimeMs).toBeGreaterThan(Date.now() - DAY_MS);
    expect(statSync(join(cacheDir, "pruned-at")).mtimeMs).toBeGreaterThan(Date.now() - DAY_MS);

    // The same day, nothing is pruned again.
    const later = join(cacheDir, `pack-${"e".repeat(40)}.pack`);
    writeFileSync(later, "x");
    backdate(later, 20 * DAY_MS);
    expect(check()).toBe("cache");
    expect(existsSync(later)).toBe(true);

    // The outputs kept are used: building the model again reads them (nothing compiled means no new output).
    const outputsBefore = readdirSync(cacheDir).filter((name) => COMPILED_OUTPUT.test(name) || PACK.test(name)).sort();
    project.env.RETORT_NO_MODEL_CACHE = "1";
    expect(check()).toBe("built");
    expect(readdirSync(cacheDir).filter((name) => COMPILED_OUTPUT.test(name) || PACK.test(name)).sort()).toEqual(outputsBefore);
  });

  test("over RETORT_CACHE_MAX_MB, entries go least recently used first, never one the command used", () => {
    const padding = Buffer.alloc(64 * 1024, 97);
    const older = [`${"1".repeat(40)}.js`, `${"2".repeat(40)}.js`, `${"3".repeat(40)}.js`];
    older.forEach((name, i) => {
      writeFileSync(join(cacheDir, name), padding);
      backdate(join(cacheDir, name), (3 - i) * DAY_MS);
    });
    backdate(join(cacheDir, "pruned-at"), 2 * DAY_MS);
    const compiled = readdirSync(cacheDir).filter((name) => (COMPILED_OUTPUT.test(name) || PACK.test(name)) && !older.includes(name));
    const model = readdirSync(cacheDir).find((name) => MODEL.test(name))!;

    project.env.RETORT_CACHE_MAX_MB = "0.01";
    expect(check()).toBe("cache");

    const left = readdirSync(cacheDir);
    for (const name of older) expect(left).not.toContain(name);
    expect(left).toEqual(expect.arrayContaining([...compiled, model]));
    expect(check()).toBe("cache");
  });

  test("a RETORT_CACHE_MAX_MB that is not a positive number: exit 2, one sentence, nothing pruned", () => {
    const stale = join(cacheDir, `pack-${"f".repeat(40)}.pack`);
    writeFileSync(stale, "x");
    backdate(stale, 20 * DAY_MS);
    backdate(join(cacheDir, "pruned-at"), 2 * DAY_MS);
    project.env.RETORT_CACHE_MAX_MB = "lots";
    const r = project.run("current");
    expect(r.code).toBe(2);
    expect(r.stderr.trim()).toBe('FAILED: RETORT_CACHE_MAX_MB must be a number of megabytes above 0 (got "lots").');
    expect(existsSync(stale)).toBe(true);
  });
});
