/**
 * Where a newcomer's config is: TypeORM CLI's `data-source.ts` /
 * `src/data-source.ts`, an ES module project ("type": "module", import.meta,
 * `./x.js` imports of `.ts` files), and what `init` writes (a SQLite path
 * beside the config, whatever the working directory).
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { createProject, REPO, type TestProject } from "../support/project";

const ENTITY = `import { Entity, PrimaryGeneratedColumn, Column } from "typeorm";
@Entity()
export class Item {
  @PrimaryGeneratedColumn() id: number;
  @Column() name: string;
}
`;

/** Table names in a SQLite file, read with better-sqlite3 directly. */
function sqliteTables(file: string): string[] {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const Database = require("better-sqlite3") as typeof import("better-sqlite3");
  const db = new Database(file, { readonly: true });
  try {
    return (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name").all() as { name: string }[]).map((r) => r.name);
  } finally {
    db.close();
  }
}

function expectOk(r: { code: number; stderr: string }): void {
  expect(r.stderr).toBe("");
  expect(r.code).toBe(0);
}

describe("config discovery", () => {
  let project: TestProject;
  beforeEach(() => {
    project = createProject(undefined);
    rmSync(join(project.dir, "ormconfig.ts"));
  });
  afterEach(() => project.remove());

  test.each([["data-source.ts"], ["src/data-source.ts"]])("%s with a named AppDataSource export is found", (file) => {
    mkdirSync(join(project.dir, "src", "entities"), { recursive: true });
    const dir = file.startsWith("src/") ? "src" : ".";
    project.write(join(dir, "entities", "Item.ts"), ENTITY);
    project.write(
      file,
      `import { DataSource } from "typeorm";\nexport const AppDataSource = new DataSource({ type: "better-sqlite3", database: __dirname + "/app.db", entities: [__dirname + "/entities/*.ts"] });\n`,
    );
    expectOk(project.run("revision", "--autogenerate", "-m", "init", "--rev-id", "aaaa00000001"));
    // Migrations live beside the config file, as for ormconfig.ts.
    expect(readdirSync(join(project.dir, dir, "migrations"))).toEqual(["aaaa00000001_init.ts"]);
    expectOk(project.run("upgrade", "head"));
    expect(sqliteTables(join(project.dir, dir, "app.db"))).toEqual(["item", "retort_version", "retort_version_history"]);
    expectOk(project.run("check"));
  });

  test("ormconfig.ts wins over data-source.ts", () => {
    project.write("ormconfig.ts", `import { DataSource } from "typeorm";\nexport default new DataSource({ type: "better-sqlite3", database: "chosen.db", entities: [] });\n`);
    project.write("data-source.ts", `throw new Error("data-source.ts must not be loaded");\n`);
    expectOk(project.run("upgrade", "head"));
    expect(existsSync(join(project.dir, "chosen.db"))).toBe(true);
  });

  test("--help names the config files, the ignored driver part and the empty-target rule", () => {
    const help = project.run("--help").stdout.replace(/\s+/g, " ");
    expect(help).toContain("./data-source.ts");
    expect(help).toContain("./src/data-source.ts");
    expect(help).toContain("postgresql+asyncpg:// or mysql+pymysql:// is ignored");
    expect(help).toContain("an empty target is an error, never base");
    expect(project.run("revision", "--help").stdout.replace(/\s+/g, " ")).toContain("at most 32 characters");
  });

  test("no config at all names every file it looked for", () => {
    const r = project.run("heads");
    expect(r.code).toBe(2);
    expect(r.stderr.trim()).toMatch(/^FAILED: No ormconfig\.ts, ormconfig\.js, data-source\.ts or src\/data-source\.ts in .+; pass -c\/--config <file> or run `retort init` in your project\.$/);
  });

  test('an ES module project ("type": "module", import.meta, ./x.js imports) runs autogenerate, upgrade and check', () => {
    project.write("package.json", `{ "type": "module" }\n`);
    mkdirSync(join(project.dir, "src", "entities"), { recursive: true });
    project.write("src/entities/Item.ts", ENTITY);
    project.write("src/entities/Tag.ts", ENTITY.replace(/Item/g, "Tag"));
    project.write(
      "src/data-source.ts",
      `import { DataSource } from "typeorm";
import { fileURLToPath } from "node:url";
import { dirname, join } from "node:path";
import { Item } from "./entities/Item.js";
const here = dirname(fileURLToPath(import.meta.url));
// import.meta inside a string stays as written: "import.meta.url"
export const AppDataSource = new DataSource({ type: "better-sqlite3", database: join(here, "app.db"), entities: [Item, join(import.meta.dirname, "entities/Tag.ts")] });
`,
    );
    expectOk(project.run("revision", "--autogenerate", "-m", "init"));
    expectOk(project.run("upgrade", "head"));
    expect(sqliteTables(join(project.dir, "src", "app.db"))).toEqual(["item", "retort_version", "retort_version_history", "tag"]);
    const check = project.run("check");
    expectOk(check);
    expect(check.stdout).toContain("No changes detected");
  });

  test("an .mts config is one sentence saying what to do", () => {
    project.write("ormconfig.mts", `import { DataSource } from "typeorm";\nexport default new DataSource({ type: "better-sqlite3", database: "x.db" });\n`);
    const r = project.run("heads");
    expect(r.code).toBe(2);
    expect(r.stderr.trim().split("\n")).toHaveLength(1);
    expect(r.stderr).toContain("ormconfig.mts:1:1: ES module TypeScript (.mts) is not supported; rename the file to .ts");
  });
});

describe("init", () => {
  let project: TestProject;
  beforeEach(() => {
    project = createProject(undefined);
    rmSync(join(project.dir, "ormconfig.ts"));
  });
  afterEach(() => project.remove());

  test("writes a SQLite path beside the config file, not the working directory", () => {
    expectOk(project.run("init", "-c", "config/ormconfig.ts"));
    expect(existsSync(join(project.dir, "config", "migrations"))).toBe(true);
    // The config as TypeORM itself (the app) reads it, from another directory.
    const other = join(project.dir, "elsewhere");
    mkdirSync(other);
    const hook = join(REPO, "src", "config", "ts-hook.js");
    const printed = spawnSync(
      process.execPath,
      ["-e", `require(${JSON.stringify(hook)}).registerTypeScript(process.cwd()); console.log(require("../config/ormconfig.ts").default.options.database)`],
      { cwd: other, encoding: "utf8" },
    );
    expect(printed.stderr).toBe("");
    expect(printed.stdout.trim()).toBe(join(project.dir, "config", "app.db"));
    // And retort, started from the project root, uses that file and the migrations folder beside it.
    mkdirSync(join(project.dir, "config", "entities"));
    project.write("config/entities/Item.ts", ENTITY);
    expectOk(project.run("-c", "config/ormconfig.ts", "revision", "--autogenerate", "-m", "init", "--rev-id", "aaaa00000001"));
    expect(readdirSync(join(project.dir, "config", "migrations"))).toEqual(["aaaa00000001_init.ts"]);
    expectOk(project.run("-c", "config/ormconfig.ts", "upgrade", "head"));
    expect(sqliteTables(join(project.dir, "config", "app.db"))).toEqual(["item", "retort_version", "retort_version_history"]);
    expect(existsSync(join(project.dir, "app.db"))).toBe(false);
  });

  test("in an ES module project the config uses import.meta.dirname", () => {
    project.write("package.json", `{ "type": "module" }\n`);
    expectOk(project.run("init"));
    const config = readFileSync(join(project.dir, "ormconfig.ts"), "utf8");
    expect(config).toContain('database: import.meta.dirname + "/app.db"');
    expect(config).not.toContain("__dirname");
    mkdirSync(join(project.dir, "entities"), { recursive: true });
    project.write("entities/Item.ts", ENTITY);
    expectOk(project.run("revision", "--autogenerate", "-m", "init"));
    expectOk(project.run("upgrade", "head"));
    expect(sqliteTables(join(project.dir, "app.db"))).toEqual(["item", "retort_version", "retort_version_history"]);
  });

  test("adds the retort options to an existing src/data-source.ts", () => {
    mkdirSync(join(project.dir, "src"));
    project.write("src/data-source.ts", `import { DataSource } from "typeorm";\nexport const AppDataSource = new DataSource({ type: "better-sqlite3", database: __dirname + "/app.db", entities: [] });\n`);
    expectOk(project.run("init"));
    expect(readFileSync(join(project.dir, "src", "data-source.ts"), "utf8")).toContain("export const retort");
    expect(existsSync(join(project.dir, "ormconfig.ts"))).toBe(false);
    expect(existsSync(join(project.dir, "src", "migrations"))).toBe(true);
  });
});
