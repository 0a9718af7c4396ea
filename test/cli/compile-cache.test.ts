/**
 * The compile cache of config, entity and revision files: RETORT_CACHE_DIR
 * moves it (CI keeps it between builds, where `npm ci` deletes node_modules),
 * RETORT_NO_CACHE turns it off, and a cached file is what runs.
 */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createProject, revisionSource, type TestProject } from "../support/project";

const REV = "cac4e0000001";

describe("compile cache", () => {
  let project: TestProject;
  let cacheDir: string;

  beforeEach(() => {
    project = createProject(undefined);
    // These tests watch the entity modules run on every start; the model cache would spare them that.
    project.env.RETORT_NO_MODEL_CACHE = "1";
    cacheDir = join(mkdtempSync(join(tmpdir(), "retort-cache-")), "cache");
    project.write(
      "entities/Widget.ts",
      `import { Column, Entity, PrimaryGeneratedColumn } from "typeorm";
@Entity("widgets")
export class Widget {
  @PrimaryGeneratedColumn() id!: number;
  @Column() name!: string;
}
`,
    );
    project.write(
      `migrations/${REV}_widgets.ts`,
      revisionSource(
        REV,
        null,
        "widgets",
        `  await op.createTable("widgets", { columns: [{ name: "id", type: "integer", nullable: false, autoIncrement: true }, { name: "name", type: "varchar", nullable: false }], primaryKey: { columns: ["id"] } });`,
        `  await op.dropTable("widgets");`,
      ),
    );
  });

  afterEach(() => {
    project.remove();
    rmSync(join(cacheDir, ".."), { recursive: true, force: true });
  });

  const cachedFiles = () => (existsSync(cacheDir) ? readdirSync(cacheDir) : []);
  const cachedFileHolding = (text: string) => cachedFiles().find((f) => readFileSync(join(cacheDir, f), "utf8").includes(text));

  test("RETORT_CACHE_DIR receives the compiled config, entities and revisions, and what is cached there is what runs", () => {
    project.env.RETORT_CACHE_DIR = cacheDir;
    const upgrade = project.run("upgrade", "head");
    expect(upgrade.code).toBe(0);
    expect(project.run("check").code).toBe(0);

    const files = cachedFiles();
    expect(files.filter((f) => f.endsWith(".tmp"))).toEqual([]);
    const entity = cachedFileHolding('(0, typeorm_1.Entity)("widgets")');
    expect(entity).toBeDefined();
    // Decorator metadata is what lets `@Column() name: string` become a varchar.
    expect(readFileSync(join(cacheDir, entity!), "utf8")).toContain('__metadata("design:type", String)');
    const revision = cachedFileHolding(`exports.revision = "${REV}"`);
    expect(revision).toBeDefined();

    writeFileSync(join(cacheDir, revision!), `${readFileSync(join(cacheDir, revision!), "utf8")}\nconsole.log("served from the cache");\n`);
    const history = project.run("history");
    expect(history.code).toBe(0);
    expect(history.stdout).toContain("served from the cache");
    // No output was compiled again (V8 code caches, `.v8`, follow the code that ran).
    const outputs = (list: string[]) => list.filter((f) => f.endsWith(".js")).sort();
    expect(outputs(cachedFiles())).toEqual(outputs(files));
  });

  test("a cached output gets a V8 code cache at its second start, and a module run from it sees what Node gives a module", () => {
    project.env.RETORT_CACHE_DIR = cacheDir;
    project.write(
      "entities/Probe.ts",
      `import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { Column, Entity, PrimaryGeneratedColumn } from "typeorm";
const seen = {
  filename: __filename,
  dirname: __dirname,
  typeorm: require.resolve("typeorm"),
  lookupPaths: Array.isArray(require.resolve.paths("typeorm")),
  sameCache: require.cache === (module as any).constructor._cache,
  ownEntry: require.cache[__filename] === module,
  exportsBound: module.exports === exports,
};
writeFileSync(join(__dirname, "..", \`seen-\${process.pid}.json\`), JSON.stringify(seen));
@Entity("probes")
export class Probe {
  @PrimaryGeneratedColumn() id!: number;
  @Column() label!: string;
}
`,
    );
    expect(project.run("upgrade", "head").code).toBe(0);
    const runs = [1, 2, 3].map(() => project.run("check"));
    // The probe table is not in the revision: each run reports it, whichever way the module was compiled.
    for (const run of runs) {
      expect(run.code).toBe(1);
      expect(run.stdout).toContain("probes");
    }
    const codeCaches = () => cachedFiles().filter((f) => f.endsWith(".v8"));
    expect(codeCaches().length).toBeGreaterThan(0);
    const seen = () =>
      readdirSync(project.dir)
        .filter((f) => /^seen-\d+\.json$/.test(f))
        .map((f) => readFileSync(join(project.dir, f), "utf8"));
    expect(seen()).toHaveLength(3);
    const first = JSON.parse(seen()[0]);
    expect(first).toEqual({
      filename: join(project.dir, "entities", "Probe.ts"),
      dirname: join(project.dir, "entities"),
      typeorm: require.resolve("typeorm", { paths: [project.dir] }),
      lookupPaths: true,
      sameCache: true,
      ownEntry: true,
      exportsBound: true,
    });
    for (const text of seen()) expect(JSON.parse(text)).toEqual(first);

    // A code cache V8 rejects (written by other flags, or damaged) costs a compile, not a wrong run.
    for (const f of codeCaches()) writeFileSync(join(cacheDir, f), "not a code cache");
    const damaged = project.run("check");
    expect(damaged.code).toBe(1);
    expect(damaged.stdout).toContain("probes");
    expect(seen()).toHaveLength(4);
    for (const text of seen()) expect(JSON.parse(text)).toEqual(first);
  });

  test("the same file in two projects sharing a cache: each stack trace names its own file", () => {
    const other = createProject(undefined);
    other.env.RETORT_NO_MODEL_CACHE = "1";
    try {
      const probe = `import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { Column, Entity, PrimaryGeneratedColumn } from "typeorm";
writeFileSync(join(__dirname, "..", \`stack-\${process.pid}.txt\`), String(new Error("where").stack).split("\\n")[1]);
@Entity("probes")
export class Probe {
  @PrimaryGeneratedColumn() id!: number;
}
`;
      const stacks = (p: TestProject) => readdirSync(p.dir).filter((f) => /^stack-\d+\.txt$/.test(f)).map((f) => readFileSync(join(p.dir, f), "utf8"));
      other.write(`migrations/${REV}_widgets.ts`, readFileSync(join(project.dir, "migrations", `${REV}_widgets.ts`), "utf8"));
      for (const p of [project, other]) {
        p.env.RETORT_CACHE_DIR = cacheDir;
        expect(p.run("upgrade", "head").code).toBe(0);
        p.write("entities/Probe.ts", probe);
      }
      // Three starts give the first project's file a V8 code cache; the second project's identical file must not run as the first's.
      for (let i = 0; i < 3; i++) project.run("check");
      expect(cachedFiles().some((f) => f.endsWith(".v8"))).toBe(true);
      for (let i = 0; i < 3; i++) other.run("check");
      expect(stacks(project)).toHaveLength(3);
      expect(stacks(other)).toHaveLength(3);
      for (const line of stacks(project)) expect(line).toContain(join(project.dir, "entities", "Probe.ts:"));
      for (const line of stacks(other)) expect(line).toContain(join(other.dir, "entities", "Probe.ts:"));
    } finally {
      other.remove();
    }
  });

  test("the plain JavaScript a command loads (TypeORM, yargs) gets V8 code caches at its first start, and runs the same from them", () => {
    project.env.RETORT_CACHE_DIR = cacheDir;
    const first = project.run("upgrade", "head");
    expect(first.code).toBe(0);
    // No compiled output came from the disk cache yet, so every code cache is of a plain .js module.
    const plain = cachedFiles().filter((f) => f.endsWith(".v8"));
    expect(plain.length).toBeGreaterThan(50);
    const again = project.run("current");
    expect(again.code).toBe(0);
    expect(again.stdout).toContain(REV);
    for (const f of plain) expect(cachedFiles()).toContain(f);
  });

  test("RETORT_NO_CACHE compiles without writing a cache", () => {
    project.env.RETORT_CACHE_DIR = cacheDir;
    project.env.RETORT_NO_CACHE = "1";
    expect(project.run("upgrade", "head").code).toBe(0);
    expect(project.run("check").code).toBe(0);
    expect(existsSync(cacheDir)).toBe(false);
  });

  test("an entity edited inside an import cycle compiles alone; an enum edited recompiles its importers; check sees both", () => {
    project.env.RETORT_CACHE_DIR = cacheDir;
    project.write(
      "entities/Author.ts",
      `import { Column, Entity, OneToMany, PrimaryGeneratedColumn } from "typeorm";
import { Post } from "./Post";
@Entity("authors")
export class Author {
  @PrimaryGeneratedColumn() id!: number;
  @Column() name!: string;
  @OneToMany(() => Post, (p) => p.author) posts!: Post[];
}
`,
    );
    const post = (extra: string) => `import { Column, Entity, ManyToOne, PrimaryGeneratedColumn } from "typeorm";
import { Author } from "./Author";
import { Status } from "./Status";
@Entity("posts")
export class Post {
  @PrimaryGeneratedColumn() id!: number;
  @ManyToOne(() => Author, (a) => a.posts) author!: Author;
  @Column({ type: "simple-enum", enum: Status, default: Status.Draft }) status!: Status;
${extra}}
`;
    project.write("entities/Status.ts", `export enum Status { Draft = "draft", Live = "live" }\n`);
    project.write("entities/Post.ts", post(""));
    expect(project.run("upgrade", "head").code).toBe(0);
    expect(project.run("revision", "--autogenerate", "-m", "blog").code).toBe(0);
    expect(project.run("upgrade", "head").code).toBe(0);
    expect(project.run("check").code).toBe(0);
    const outputs = () => cachedFiles().filter((f) => /^[0-9a-f]{40}\.js$/.test(f));
    const before = outputs();

    // Author imports Post only for its class: Author's output is the same, so only Post.ts compiles.
    project.write("entities/Post.ts", post("  @Column({ nullable: true }) subtitle!: string;\n"));
    const added = project.run("check");
    expect(added.code).toBe(1);
    expect(added.stdout).toMatch(/subtitle/);
    const afterPost = outputs();
    expect(afterPost.filter((f) => !before.includes(f))).toHaveLength(1);
    expect(readFileSync(join(cacheDir, afterPost.find((f) => !before.includes(f))!), "utf8")).toContain('"subtitle"');

    // Post's key covers the Status enum's members: an edited enum compiles Status and Post, and the check sees the new value.
    project.write("entities/Status.ts", `export enum Status { Draft = "draft", Live = "live", Gone = "gone" }\n`);
    const changed = project.run("check");
    expect(changed.code).toBe(1);
    expect(changed.stdout).toMatch(/gone/);
    const afterStatus = outputs();
    expect(afterStatus.filter((f) => !afterPost.includes(f))).toHaveLength(2);
  });

  test("a hand-written declaration file an entity imports is in its key: its edit reaches the check, through both caches", () => {
    project.env.RETORT_CACHE_DIR = cacheDir;
    // The model cache on too: it goes by the entity's compile key.
    delete project.env.RETORT_NO_MODEL_CACHE;
    mkdirSync(join(project.dir, "types"));
    project.write("types/level.d.ts", `export type Level = "low" | "high";\n`);
    project.write(
      "entities/Gauge.ts",
      `import { Column, Entity, PrimaryGeneratedColumn } from "typeorm";
import { Level } from "../types/level";
@Entity("gauges")
export class Gauge {
  @PrimaryGeneratedColumn() id!: number;
  @Column() level!: Level;
}
`,
    );
    expect(project.run("upgrade", "head").code).toBe(0);
    expect(project.run("revision", "--autogenerate", "-m", "gauges").code).toBe(0);
    expect(project.run("upgrade", "head").code).toBe(0);
    expect(project.run("check").code).toBe(0);

    // The alias now names numbers: the column's design type is Number, an integer column, where the table has text.
    project.write("types/level.d.ts", `export type Level = 1 | 2;\n`);
    const changed = project.run("check");
    expect(changed.code).toBe(1);
    expect(changed.stdout).toMatch(/gauges\.level/);
    // And back: in sync again, from the outputs and the model kept before.
    project.write("types/level.d.ts", `export type Level = "low" | "high";\n`);
    expect(project.run("check").code).toBe(0);
  });

  test("--help names the cache variables", () => {
    const help = project.run("--help");
    expect(help.code).toBe(0);
    expect(help.stdout).toContain("RETORT_CACHE_DIR");
    expect(help.stdout).toContain("RETORT_NO_CACHE");
    expect(help.stdout).toContain("RETORT_NO_NATIVE_COMPILER");
  });
});
