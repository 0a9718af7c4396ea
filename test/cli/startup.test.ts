/**
 * Issue #14: the commands that do not compare never load the entity files
 * (an entity file that throws when evaluated does not stop `current` or
 * `upgrade`), `check` still reports it, and a revision body that uses
 * TypeORM's repositories (`dataSource.getRepository(Note)`,
 * `queryRunner.manager`) gets the entity metadata built for it.
 */
import { spawnSync } from "node:child_process";
import { readdirSync, readFileSync, rmSync } from "node:fs";
import { join } from "node:path";
import { createTestDatabase, describeEachDialect, representativeDialects, type TestDatabase } from "../support/databases";
import { count, tableNames, versionRows, withDb } from "../support/inspect";
import { BIN, createProject, revisionSource, type TestProject } from "../support/project";

const A = "a1a1a1a1a1a1";
const B = "b2b2b2b2b2b2";
const C = "c3c3c3c3c3c3";

const NOTE_ENTITY = `import { Column, Entity, PrimaryGeneratedColumn } from "typeorm";

@Entity("notes")
export class Note {
  @PrimaryGeneratedColumn()
  id: number;

  @Column({ type: "varchar", length: 100 })
  body: string;
}
`;

const BROKEN_ENTITY = `throw new Error("entity file evaluated");
`;

/** The first revision: the notes table. */
const NOTES_REVISION = revisionSource(
  A,
  null,
  "create notes",
  `  await op.createTable("notes", {
    columns: [
      { name: "id", type: "integer", nullable: false, autoIncrement: true },
      { name: "body", type: "varchar", length: 100, nullable: false },
    ],
    primaryKey: { name: "pk_notes", columns: ["id"] },
  });`,
  `  await op.dropTable("notes");`,
);

/** A data migration through TypeORM's repositories: the pool's for the upgrade, the migration connection's for the downgrade. */
const REPOSITORY_REVISION = `/**
 * seed a note through the repository
 */
import type { MigrationContext } from "typeorm-retort";
import { Note } from "../entities/Note";

export const revision = "${B}";
export const downRevision = "${A}";

export async function upgrade({ dataSource, offline }: MigrationContext): Promise<void> {
  if (offline) return;
  await dataSource!.getRepository(Note).save({ body: "from repository" });
}

export async function downgrade({ queryRunner, offline }: MigrationContext): Promise<void> {
  if (offline) return;
  await queryRunner!.manager.getRepository(Note).delete({ body: "from repository" });
}
`;

describeEachDialect("commands that do not compare never load the entities", (dialect) => {
  let db: TestDatabase;
  let project: TestProject;

  beforeAll(async () => {
    db = await createTestDatabase(dialect);
    project = createProject(db);
    project.write("entities/Note.ts", NOTE_ENTITY);
    project.write("entities/Broken.ts", BROKEN_ENTITY);
    project.write(`migrations/${A}_notes.ts`, NOTES_REVISION);
  });

  afterAll(async () => {
    project?.remove();
    await db?.drop();
  });

  it("upgrade, current, history and heads succeed although an entity file throws when evaluated", () => {
    const upgrade = project.run("upgrade", "head");
    expect(upgrade.stderr).toBe("");
    expect(upgrade.code).toBe(0);
    for (const args of [["current"], ["history", "-i"], ["heads"], ["upgrade", "head"], ["stamp", "head"]]) {
      const result = project.run(...args);
      expect({ args, code: result.code, stderr: result.stderr }).toEqual({ args, code: 0, stderr: "" });
    }
    expect(project.run("current").stdout).toContain(A);
    expect(project.run("upgrade", "head").stdout).toContain("Nothing to upgrade");
  });

  it("puts the database at the revision, with the table created", async () => {
    expect(await versionRows(db)).toEqual([A]);
    expect(await tableNames(db)).toContain("notes");
  });

  it("check still loads the entities and reports the broken file", () => {
    const check = project.run("check");
    expect(check.code).toBe(2);
    expect(check.stderr).toMatch(/^FAILED: Could not load entity file .*Broken\.ts.*entity file evaluated/m);
    expect(check.stderr).not.toMatch(/\n\s+at /);
  });

  it("an upgrade with a body that uses only op does not load the entities either", async () => {
    project.write(
      `migrations/${C}_notes_title.ts`,
      revisionSource(C, A, "add a title", `  await op.addColumn("notes", { name: "title", type: "varchar", length: 50, nullable: true });`, `  await op.dropColumn("notes", "title");`),
    );
    const upgrade = project.run("upgrade", "head");
    expect(upgrade.stderr).toBe("");
    expect(upgrade.code).toBe(0);
    expect(await versionRows(db)).toEqual([C]);
    const downgrade = project.run("downgrade", A);
    expect(downgrade.code).toBe(0);
    expect(await versionRows(db)).toEqual([A]);
    rmSync(join(project.dir, "migrations", `${C}_notes_title.ts`));
  });

  it("a revision body using dataSource.getRepository gets the entity metadata (and reports a broken entity file)", async () => {
    project.write(`migrations/${B}_seed.ts`, REPOSITORY_REVISION);
    const refused = project.run("upgrade", "head");
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/^FAILED: Could not load entity file .*Broken\.ts.*entity file evaluated/m);
    expect(await versionRows(db)).toEqual([A]);

    rmSync(join(project.dir, "entities", "Broken.ts"));
    const upgrade = project.run("upgrade", "head");
    expect(upgrade.stderr).toBe("");
    expect(upgrade.code).toBe(0);
    expect(await versionRows(db)).toEqual([B]);
    expect(await withDb(db, (q) => q<{ body: string }>("SELECT body FROM notes"))).toEqual([{ body: "from repository" }]);

    const downgrade = project.run("downgrade", A);
    expect(downgrade.stderr).toBe("");
    expect(downgrade.code).toBe(0);
    expect(await count(db, "notes")).toBe(0);
    expect(await versionRows(db)).toEqual([A]);
  });
}, representativeDialects("sqlite", "postgres"));

/** Note and an enum, with a line appended to evaluated.log each time a process runs the module. */
const LOGGED_NOTE_ENTITY = `${NOTE_ENTITY}
import { appendFileSync } from "node:fs";
import { join } from "node:path";

appendFileSync(join(__dirname, "..", "evaluated.log"), \`\${process.pid}\\n\`);

export enum NoteKind {
  Memo = "memo",
}
`;

const IMPORTING_CONFIG = `import { DataSource } from "typeorm";
import { Note } from "./entities/Note";

export default new DataSource({ type: "better-sqlite3", database: "app.db", entities: [Note] });
`;

/** Reads an entity export as more than a class to list: it throws on a stand-in, so the config is loaded as written. */
const ENUM_READING_CONFIG = `import { DataSource } from "typeorm";
import { Note, NoteKind } from "./entities/Note";

const kinds = [NoteKind.Memo.toUpperCase()];
export default new DataSource({ type: "better-sqlite3", database: "app.db", entities: [Note], applicationName: kinds.join() } as any);
`;

const NAMESPACE_CONFIG = `import { DataSource } from "typeorm";
import * as notes from "./entities/Note";

export default new DataSource({ type: "better-sqlite3", database: "app.db", entities: { Note: notes.Note } });
`;

describeEachDialect("a config that imports its entity classes", (dialect) => {
  let db: TestDatabase;
  let project: TestProject;
  const evaluations = () => {
    try {
      return readFileSync(join(project.dir, "evaluated.log"), "utf8").split("\n").filter(Boolean);
    } catch {
      return [];
    }
  };
  const clearEvaluations = () => rmSync(join(project.dir, "evaluated.log"), { force: true });

  beforeAll(async () => {
    db = await createTestDatabase(dialect);
    project = createProject(db, IMPORTING_CONFIG);
    project.write("entities/Note.ts", LOGGED_NOTE_ENTITY);
    project.write(`migrations/${A}_notes.ts`, NOTES_REVISION);
  });

  afterAll(async () => {
    project?.remove();
    await db?.drop();
  });

  it("upgrade, current, history and heads do not run the entity modules it imports", async () => {
    for (const args of [["upgrade", "head"], ["current"], ["history"], ["heads"], ["upgrade", "head"]]) {
      const result = project.run(...args);
      expect({ args, code: result.code, stderr: result.stderr }).toEqual({ args, code: 0, stderr: "" });
    }
    expect(project.run("current").stdout).toContain(A);
    expect(await versionRows(db)).toEqual([A]);
    expect(evaluations()).toEqual([]);
  });

  it("check runs them, once, and finds the database in sync with the imported classes", () => {
    const check = project.run("check");
    expect({ code: check.code, stderr: check.stderr }).toEqual({ code: 0, stderr: "" });
    expect(check.stdout).toContain("No changes detected");
    expect(evaluations()).toHaveLength(1);
    clearEvaluations();
  });

  it("a revision using dataSource.getRepository gets the real class the config listed", async () => {
    project.write(`migrations/${B}_seed.ts`, REPOSITORY_REVISION);
    const upgrade = project.run("upgrade", "head");
    expect({ code: upgrade.code, stderr: upgrade.stderr }).toEqual({ code: 0, stderr: "" });
    expect(await versionRows(db)).toEqual([B]);
    expect(await withDb(db, (q) => q<{ body: string }>("SELECT body FROM notes"))).toEqual([{ body: "from repository" }]);
    // One process, the module run once: the config's class and the revision's import are the same.
    expect(evaluations()).toHaveLength(1);
    clearEvaluations();
    const downgrade = project.run("downgrade", A);
    expect({ code: downgrade.code, stderr: downgrade.stderr }).toEqual({ code: 0, stderr: "" });
    expect(await count(db, "notes")).toBe(0);
    rmSync(join(project.dir, "migrations", `${B}_seed.ts`));
    clearEvaluations();
  });

  it("a namespace import listed in an entities object is deferred and materialized too", async () => {
    project.write("ormconfig.ts", NAMESPACE_CONFIG);
    expect(project.run("current").code).toBe(0);
    expect(evaluations()).toEqual([]);
    project.write(`migrations/${B}_seed.ts`, REPOSITORY_REVISION);
    const upgrade = project.run("upgrade", "head");
    expect({ code: upgrade.code, stderr: upgrade.stderr }).toEqual({ code: 0, stderr: "" });
    expect(await withDb(db, (q) => q<{ body: string }>("SELECT body FROM notes"))).toEqual([{ body: "from repository" }]);
    expect(project.run("downgrade", A).code).toBe(0);
    rmSync(join(project.dir, "migrations", `${B}_seed.ts`));
    clearEvaluations();
  });

  it("a config that uses an entity export for more than listing it is loaded as written", () => {
    project.write("ormconfig.ts", ENUM_READING_CONFIG);
    const current = project.run("current");
    expect({ code: current.code, stderr: current.stderr }).toEqual({ code: 0, stderr: "" });
    expect(current.stdout).toContain(A);
    expect(evaluations()).toHaveLength(1);
    project.write("ormconfig.ts", IMPORTING_CONFIG);
    clearEvaluations();
  });
}, representativeDialects("sqlite", "mysql"));

/** The files a command's process required, written by a `-r` probe when it exits. */
function loadedModules(project: TestProject, ...args: string[]): string[] {
  const probe = project.write(
    "probe.js",
    `process.on("exit", () => require("node:fs").writeFileSync(${JSON.stringify(join(project.dir, "loaded.json"))}, JSON.stringify(Object.keys(require.cache))));\n`,
  );
  const result = spawnSync(process.execPath, ["-r", probe, BIN, ...args], { cwd: project.dir, env: project.env, encoding: "utf8" });
  expect({ args, code: result.status, stderr: result.stderr }).toEqual({ args, code: 0, stderr: "" });
  return JSON.parse(readFileSync(join(project.dir, "loaded.json"), "utf8")) as string[];
}

describe("what the CLI loads at start", () => {
  let project: TestProject;

  beforeAll(() => {
    project = createProject(undefined);
    project.write("entities/Note.ts", NOTE_ENTITY);
    project.write(
      `migrations/${A}_notes.ts`,
      revisionSource(A, null, "create notes", `  await op.createTable("notes", { columns: [{ name: "id", type: "integer", nullable: false }] });`, `  await op.dropTable("notes");`),
    );
  });

  afterAll(() => project?.remove());

  it("--help loads neither TypeORM nor the dialects, the runner, ts-morph, prettier or TypeScript", () => {
    const loaded = loadedModules(project, "--help");
    const heavy = loaded.filter((file) => /node_modules\/(typeorm|ts-morph|prettier|typescript)\/|src\/(runner|emit|compare|model|dialects\/(postgres|mysql|sqlite))\//.test(file));
    expect(heavy).toEqual([]);
  });

  it("upgrade and current load one dialect, one TypeORM driver and no entity file, emitter or formatter", () => {
    for (const args of [["upgrade", "head"], ["current"]]) {
      const loaded = loadedModules(project, ...args);
      const unexpected = loaded.filter((file) => /node_modules\/(ts-morph|prettier)\/|src\/dialects\/(postgres|mysql)\/|src\/emit\/|\/entities\//.test(file));
      expect({ args, unexpected }).toEqual({ args, unexpected: [] });
      expect(loaded.some((file) => /src\/dialects\/sqlite\//.test(file))).toBe(true);
      // TypeORM's driver for this database alone (and the SQLite drivers' base), not the other databases'.
      const drivers = loaded.flatMap((file) => /node_modules\/typeorm\/driver\/([^/]+)\/\w+Driver\.js$/.exec(file)?.[1] ?? []);
      expect({ args, drivers: drivers.sort() }).toEqual({ args, drivers: ["better-sqlite3", "sqlite-abstract"] });
    }
  });

  it("revision writes its file without loading a TypeScript compiler into the process", () => {
    const loaded = loadedModules(project, "revision", "-m", "empty");
    expect(loaded.filter((file) => /\/typescript(\.js|\/)/.test(file))).toEqual([]);
    expect(loaded.some((file) => /src\/emit\/write\.ts$/.test(file))).toBe(true);
    const written = readdirSync(join(project.dir, "migrations")).filter((name) => name.endsWith("_empty.ts"));
    expect(written).toHaveLength(1);
    expect(readFileSync(join(project.dir, "migrations", written[0]), "utf8")).toMatch(/export async function upgrade\(\{ op \}: MigrationContext\): Promise<void> \{\n  \/\/ write your upgrade here\n\}/);
  });
});
