/**
 * The model cache (src/model/cache.ts): a `check` whose inputs are all
 * unchanged compares without running the entity files, and a change to any
 * input (an entity, a type it imports from another file, an environment
 * variable or a file an entity reads, a new file in the entities glob, an
 * npm package's version, the config's options) is seen.
 */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, utimesSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describeEachDialect, representativeDialects } from "../support/databases";
import { withDb } from "../support/inspect";
import { settle } from "../support/mtimes";
import { createProject, revisionSource, scratchProject, type TestProject } from "../support/project";

const REV = "mc0000000001";

const TYPES = `export type Label = string;\n`;
const WIDGET = `import { readFileSync } from "node:fs";
import { join } from "node:path";
import { Column, Entity, PrimaryGeneratedColumn } from "typeorm";
import type { Label } from "../types";
const defaults = JSON.parse(readFileSync(join(__dirname, "..", "defaults.json"), "utf8"));
// Run on every build of the model: the cache's hits leave no trace here.
require("node:fs").appendFileSync(join(__dirname, "..", "runs.log"), "ran\\n");
@Entity("widgets")
export class Widget {
  @PrimaryGeneratedColumn() id!: number;
  @Column({ length: Number(process.env.WIDGET_NAME_LENGTH ?? 40) }) name!: string;
  @Column() label!: Label;
  @Column({ default: defaults.size }) size!: number;
}
`;
const CREATE_WIDGETS = `  await op.createTable("widgets", {
    columns: [
      { name: "id", type: "integer", nullable: false, autoIncrement: true },
      { name: "name", type: "varchar", length: 40, nullable: false },
      { name: "label", type: "varchar", nullable: false },
      { name: "size", type: "integer", nullable: false, default: "3" },
    ],
    primaryKey: { columns: ["id"] },
  });`;

interface Check {
  code: number;
  stdout: string;
  from: "cache" | "built";
  /** A built model was kept in the cache. */
  kept: boolean;
  ranEntities: boolean;
}

function checker(project: TestProject): () => Check {
  const log = join(project.dir, "runs.log");
  return () => {
    const before = existsSync(log) ? readFileSync(log, "utf8").length : 0;
    const r = project.run("check", "--verbose");
    const after = existsSync(log) ? readFileSync(log, "utf8").length : 0;
    if (r.code === 2) throw new Error(`check failed: ${r.stdout}${r.stderr}`);
    const from = /The entity model: read from the model cache/.test(r.stderr) ? "cache" : "built";
    return { code: r.code, stdout: r.stdout, from, kept: /and kept in the model cache/.test(r.stderr), ranEntities: after > before };
  };
}

function writeWidgetProject(project: TestProject): void {
  project.write("types.ts", TYPES);
  project.write("defaults.json", `{ "size": 3 }\n`);
  project.write("entities/Widget.ts", WIDGET);
  project.write(`migrations/${REV}_widgets.ts`, revisionSource(REV, null, "widgets", CREATE_WIDGETS, `  await op.dropTable("widgets");`));
}

describe("model cache (SQLite)", () => {
  let project: TestProject;
  let cacheDir: string;
  let check: () => Check;

  beforeEach(() => {
    project = createProject(undefined);
    cacheDir = join(mkdtempSync(join(tmpdir(), "retort-model-cache-")), "cache");
    project.env.RETORT_CACHE_DIR = cacheDir;
    delete project.env.WIDGET_NAME_LENGTH;
    delete project.env.APP_PREFIX;
    writeWidgetProject(project);
    expect(project.run("upgrade", "head").code).toBe(0);
    settle(project.dir);
    check = checker(project);
  });

  afterEach(() => {
    project.remove();
    rmSync(join(cacheDir, ".."), { recursive: true, force: true });
  });

  /** A clean check that keeps the model, then one that reads it back without running the entities. */
  const expectCachedAgain = () => {
    const built = check();
    expect(built).toMatchObject({ code: 0 });
    const cached = check();
    expect(cached).toMatchObject({ code: 0, from: "cache", ranEntities: false });
  };

  test("unchanged inputs: read back without running the entities; a touched file whose content is the same still hits", () => {
    const first = check();
    expect(first).toMatchObject({ code: 0, from: "built", ranEntities: true });
    expect(readdirSync(cacheDir).filter((f) => /^model-.*\.json$/.test(f))).toHaveLength(1);
    const second = check();
    expect(second).toMatchObject({ code: 0, from: "cache", ranEntities: false });
    expect(second.stdout).toContain("No changes detected");

    const entity = join(project.dir, "entities", "Widget.ts");
    const later = new Date(statSync(entity).mtimeMs - 30_000);
    utimesSync(entity, later, later);
    expect(check()).toMatchObject({ code: 0, from: "cache" });
  });

  test("an edited type alias in another file (a type-only import) is a new model", () => {
    expectCachedAgain();
    project.write("types.ts", `export type Label = number;\n`);
    const edited = check();
    expect(edited).toMatchObject({ code: 1, from: "built", ranEntities: true });
    expect(edited.stdout).toContain("label");
  });

  test("an environment variable the entities read, and a file they read, are inputs", () => {
    expectCachedAgain();
    project.env.WIDGET_NAME_LENGTH = "80";
    const widened = check();
    expect(widened).toMatchObject({ code: 1, from: "built" });
    expect(widened.stdout).toContain("name");
    delete project.env.WIDGET_NAME_LENGTH;
    expect(check()).toMatchObject({ code: 0, ranEntities: true });

    project.write("defaults.json", `{ "size": 7 }\n`);
    const redefaulted = check();
    expect(redefaulted).toMatchObject({ code: 1, from: "built" });
    expect(redefaulted.stdout).toContain("size");
  });

  test("a new file in the entities glob, and a changed config option, are new models", () => {
    expectCachedAgain();
    project.write("entities/Gadget.ts", `import { Entity, PrimaryGeneratedColumn } from "typeorm";\n@Entity("gadgets")\nexport class Gadget {\n  @PrimaryGeneratedColumn() id!: number;\n}\n`);
    const added = check();
    expect(added).toMatchObject({ code: 1, from: "built" });
    expect(added.stdout).toContain("gadgets");
    rmSync(join(project.dir, "entities", "Gadget.ts"));
    settle(project.dir);
    expectCachedAgain();

    // An option the config reads from the environment as it loads (before anything is recorded): the options are the key.
    project.write("ormconfig.ts", readFileSync(join(project.dir, "ormconfig.ts"), "utf8").replace("entities: [", 'entityPrefix: process.env.APP_PREFIX ?? "", entities: ['));
    settle(project.dir);
    expectCachedAgain();
    project.env.APP_PREFIX = "app_";
    const prefixed = check();
    expect(prefixed).toMatchObject({ code: 1, from: "built" });
    expect(prefixed.stdout).toContain("app_widgets");
  });

  test("an npm package the entities import: a new version with the same size and mtime is a new model", () => {
    const pkg = join(project.dir, "node_modules", "table-names");
    mkdirSync(pkg, { recursive: true });
    writeFileSync(join(pkg, "package.json"), `{ "name": "table-names", "version": "1.0.0", "main": "index.js" }\n`);
    writeFileSync(join(pkg, "index.js"), `exports.gadgets = "gadgets_a";\n`);
    project.write("entities/Gadget.ts", `import { Entity, PrimaryGeneratedColumn } from "typeorm";\nimport { gadgets } from "table-names";\n@Entity(gadgets)\nexport class Gadget {\n  @PrimaryGeneratedColumn() id!: number;\n}\n`);
    settle(project.dir);
    const first = check();
    expect(first).toMatchObject({ code: 1 });
    expect(first.stdout).toContain("gadgets_a");
    expect(check()).toMatchObject({ code: 1, from: "cache" });

    // npm gives every file of a package one fixed mtime: only the version tells the release apart.
    const index = join(pkg, "index.js");
    const { atime, mtime } = statSync(index);
    writeFileSync(index, `exports.gadgets = "gadgets_b";\n`);
    utimesSync(index, atime, mtime);
    writeFileSync(join(pkg, "package.json"), `{ "name": "table-names", "version": "1.0.1", "main": "index.js" }\n`);
    settle(project.dir);
    utimesSync(index, atime, mtime);
    const upgraded = check();
    expect(upgraded).toMatchObject({ code: 1, from: "built" });
    expect(upgraded.stdout).toContain("gadgets_b");

    // A dependency from git keeps its version from commit to commit; the lockfile that appears or changes says so.
    expect(check()).toMatchObject({ code: 1, from: "cache" });
    project.write("package-lock.json", `{ "lockfileVersion": 3, "packages": { "node_modules/table-names": { "resolved": "git+ssh://example/table-names.git#c0ffee" } } }\n`);
    settle(project.dir);
    utimesSync(index, atime, mtime);
    expect(check()).toMatchObject({ code: 1, from: "built" });
  });

  test("a config that imports its entity classes is cached too; RETORT_NO_MODEL_CACHE and RETORT_NO_CACHE turn the cache off", () => {
    project.write(
      "ormconfig.ts",
      `import { DataSource } from "typeorm";\nimport { Widget } from "./entities/Widget";\nexport default new DataSource({ type: "better-sqlite3", database: "app.db", entities: [Widget] });\n`,
    );
    settle(project.dir);
    expectCachedAgain();

    project.env.RETORT_NO_MODEL_CACHE = "1";
    const off = check();
    expect(off).toMatchObject({ code: 0, from: "built", ranEntities: true });
    delete project.env.RETORT_NO_MODEL_CACHE;

    rmSync(cacheDir, { recursive: true, force: true });
    project.env.RETORT_NO_CACHE = "1";
    expect(check()).toMatchObject({ code: 0, from: "built", ranEntities: true });
    expect(check()).toMatchObject({ code: 0, from: "built", ranEntities: true });
    expect(existsSync(cacheDir)).toBe(false);
  });

  test("check --fresh builds its scratch database's model without replacing the project database's entry", () => {
    expectCachedAgain();
    const fresh = project.run("check", "--fresh", "--verbose");
    expect(fresh.code).toBe(0);
    expect(fresh.stderr).toContain("not cached: a scratch database's model is not kept");
    expect(check()).toMatchObject({ code: 0, from: "cache", ranEntities: false });
  });

  test("an entity edited within the last two seconds: the model is kept, and an edit after it within the same mtime and size is seen", () => {
    expectCachedAgain();
    const entity = join(project.dir, "entities", "Widget.ts");
    project.write("entities/Widget.ts", WIDGET.replace("@Column() label!: Label;", "@Column() label!: Label; // a"));
    // A whole second (exact in the file system's nanoseconds), as a file system with coarse timestamps records it, and
    // ahead of the clock (as a skewed one may be), so that however slowly the next check starts, the edit is that recent.
    const stamp = new Date(Math.ceil(Date.now() / 1000) * 1000 + 10_000);
    utimesSync(entity, stamp, stamp);
    const edited = check();
    expect(edited).toMatchObject({ code: 0, from: "built", ranEntities: true, kept: true });

    // Saved again within the same mtime, to the same size: the file is hashed again, not trusted by its mtime.
    const { size } = statSync(entity);
    writeFileSync(entity, WIDGET.replace("@Column() label!: Label;", "@Column() label!: Label; // a").replace("?? 40)", "?? 41)"));
    utimesSync(entity, stamp, stamp);
    expect(statSync(entity)).toMatchObject({ size, mtimeMs: stamp.getTime() });
    const resaved = check();
    expect(resaved).toMatchObject({ code: 1, from: "built", ranEntities: true });
    expect(resaved.stdout).toContain("name");
  });

  test("a file edited within the last two seconds (it may change again unseen within its mtime): the model is built but not kept", () => {
    project.write("defaults.json", `{ "size": 3 }\n`);
    const fresh = project.run("check", "--verbose");
    expect(fresh.code).toBe(0);
    expect(fresh.stderr).toMatch(/not cached: .*defaults\.json changed in the last 2 seconds/);
    expect(check()).toMatchObject({ from: "built", ranEntities: true });
  });
});

describeEachDialect(
  "model cache: the database is read on every check",
  (dialect) => {
    const scratch = scratchProject(dialect, (project) => {
      writeWidgetProject(project);
    });

    test("a column dropped on the server is drift, with the model from the cache; an entity edit after it is seen", async () => {
      const { project, db } = scratch;
      const cacheDir = mkdtempSync(join(tmpdir(), "retort-model-cache-"));
      project.env.RETORT_CACHE_DIR = cacheDir;
      try {
        expect(project.run("upgrade", "head").code).toBe(0);
        settle(project.dir);
        const check = checker(project);
        expect(check()).toMatchObject({ code: 0, from: "built" });
        expect(check()).toMatchObject({ code: 0, from: "cache" });

        await withDb(db, (query) => query("ALTER TABLE widgets DROP COLUMN size"));
        {
          const drifted = check();
          expect(drifted).toMatchObject({ code: 1, from: "cache", ranEntities: false });
          expect(drifted.stdout).toContain("size");

          project.write("entities/Widget.ts", WIDGET.replace("  @Column({ default: defaults.size }) size!: number;\n", ""));
          expect(check()).toMatchObject({ code: 0, from: "built", ranEntities: true });
        }
      } finally {
        rmSync(cacheDir, { recursive: true, force: true });
      }
    });
  },
  representativeDialects("postgres", "mysql"),
);
