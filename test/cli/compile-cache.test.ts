/**
 * The compile cache of config, entity and revision files: RETORT_CACHE_DIR
 * moves it (CI keeps it between builds, where `npm ci` deletes node_modules),
 * RETORT_NO_CACHE turns it off, and a cached file is what runs.
 */
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createProject, revisionSource, type TestProject } from "../support/project";

const REV = "cac4e0000001";

describe("compile cache", () => {
  let project: TestProject;
  let cacheDir: string;

  beforeEach(() => {
    project = createProject(undefined);
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
    expect(cachedFiles().sort()).toEqual([...files].sort());
  });

  test("RETORT_NO_CACHE compiles without writing a cache", () => {
    project.env.RETORT_CACHE_DIR = cacheDir;
    project.env.RETORT_NO_CACHE = "1";
    expect(project.run("upgrade", "head").code).toBe(0);
    expect(project.run("check").code).toBe(0);
    expect(existsSync(cacheDir)).toBe(false);
  });

  test("--help names the cache variables", () => {
    const help = project.run("--help");
    expect(help.code).toBe(0);
    expect(help.stdout).toContain("RETORT_CACHE_DIR");
    expect(help.stdout).toContain("RETORT_NO_CACHE");
    expect(help.stdout).toContain("RETORT_NO_NATIVE_COMPILER");
  });
});
