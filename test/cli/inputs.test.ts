/**
 * Inputs that must be refused before anything happens, checked in the
 * database: an empty target (an unset shell variable) never means base, and
 * a revision id the version table cannot hold is refused before its DDL runs.
 */
import { rmSync } from "node:fs";
import { join } from "node:path";
import { MAX_REVISION_ID_LENGTH } from "../../src/revisions/ids";
import { createTestDatabase, describeEachDialect, representativeDialects, type TestDatabase } from "../support/databases";
import { count, introspect, tableNames, versionRows, withDb } from "../support/inspect";
import { createProject, revisionSource, scratchProject, type TestProject } from "../support/project";

const FIRST = "aaaa00000001";
const SECOND = "bbbb00000002";

function expectRefused(r: { code: number; stderr: string }, ...fragments: string[]): void {
  expect(r.code).toBe(2);
  const lines = r.stderr.trim().split("\n");
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(/^FAILED: .+\.$/);
  for (const f of fragments) expect(lines[0]).toContain(f);
}

describeEachDialect("an empty target is refused and changes nothing", (dialect) => {
  let db: TestDatabase;
  let project: TestProject;
  beforeAll(async () => {
    db = await createTestDatabase(dialect);
    project = createProject(db);
    project.write(
      `migrations/${FIRST}_items.ts`,
      revisionSource(
        FIRST,
        null,
        "items",
        `  await op.createTable("items", { columns: [{ name: "id", type: "integer", nullable: false }], primaryKey: { columns: ["id"] } });
  await op.bulkInsert("items", [{ id: 1 }, { id: 2 }]);`,
        `  await op.dropTable("items");`,
      ),
    );
    project.write(
      `migrations/${SECOND}_more.ts`,
      revisionSource(SECOND, FIRST, "more", `  await op.createTable("more", { columns: [{ name: "id", type: "integer", nullable: false }] });`, `  await op.dropTable("more");`),
    );
    expect(project.run("upgrade", FIRST).code).toBe(0);
  });
  afterAll(async () => {
    project?.remove();
    await db?.drop();
  });

  test.each([[""], ["   "], ["\t"]])("downgrade %j keeps every revision, table and row", async (target) => {
    expectRefused(project.run("downgrade", target), "downgrade target is empty", "base");
    expect(await versionRows(db)).toEqual([FIRST]);
    expect(await count(db, "items")).toBe(2);
  });

  test("upgrade \"\" is an error, not 'nothing to do', and applies nothing", async () => {
    const r = project.run("upgrade", "");
    expectRefused(r, "upgrade target is empty");
    expect(r.stdout).not.toContain("Nothing to upgrade");
    expect(await versionRows(db)).toEqual([FIRST]);
    expect(await tableNames(db)).not.toContain("more");
  });

  test("stamp \"\" leaves the version table as it was", async () => {
    expectRefused(project.run("stamp", ""), "stamp target is empty");
    expectRefused(project.run("stamp", "", "--purge"), "stamp target is empty");
    expect(await versionRows(db)).toEqual([FIRST]);
  });

  test("the --sql forms refuse it too", () => {
    const up = project.run("upgrade", "", "--sql");
    expectRefused(up, "upgrade target is empty");
    expect(up.stdout).toBe("");
    expectRefused(project.run("downgrade", " ", "--sql"), "downgrade target is empty");
  });
}, representativeDialects("sqlite", "postgres"));

describeEachDialect("revision ids: one rule when written and when loaded, sized for the version table", (dialect) => {
  let db: TestDatabase;
  let project: TestProject;
  beforeEach(async () => {
    db = await createTestDatabase(dialect);
    project = createProject(db);
  });
  afterEach(async () => {
    project?.remove();
    await db?.drop();
  });

  test("the longest allowed id is written, loaded, applied and stored in full", async () => {
    const id = "a1".repeat(MAX_REVISION_ID_LENGTH / 2);
    expect(project.run("revision", "-m", "longest", "--rev-id", id).code).toBe(0);
    const up = project.run("upgrade", "head");
    expect(up.stderr).toBe("");
    expect(up.code).toBe(0);
    expect(await versionRows(db)).toEqual([id]);
    expect(project.run("downgrade", "base").code).toBe(0);
    expect(await versionRows(db)).toEqual([]);
  });

  test("a hand-written file with a 40-character id is refused before its DDL runs", async () => {
    const id = "f".repeat(40);
    project.write(
      `migrations/${id}_t.ts`,
      revisionSource(id, null, "t", `  await op.createTable("never", { columns: [{ name: "id", type: "integer", nullable: false }] });`, `  await op.dropTable("never");`),
    );
    expectRefused(project.run("upgrade", "head"), id, "40 characters long", `${id}_t.ts`);
    expect(await tableNames(db)).not.toContain("never");
  });
}, representativeDialects("sqlite", "mysql"));

describeEachDialect("DATABASE_URL in the forms Alembic users paste (dialect+driver://)", (dialect) => {
  let db: TestDatabase;
  let project: TestProject;
  beforeAll(async () => {
    db = await createTestDatabase(dialect);
    project = createProject(db);
  });
  afterAll(async () => {
    project?.remove();
    await db?.drop();
  });

  test("the driver part is ignored and the revision lands in that database", async () => {
    const driver = { postgres: "asyncpg", mysql: "pymysql", sqlite: "aiosqlite" }[dialect];
    project.env.DATABASE_URL = db.url.replace(/^([a-z]+):/, `$1+${driver}:`);
    expect(project.env.DATABASE_URL).toContain(`+${driver}://`);
    project.write(
      `migrations/${FIRST}_items.ts`,
      revisionSource(FIRST, null, "items", `  await op.createTable("items", { columns: [{ name: "id", type: "integer", nullable: false }] });`, `  await op.dropTable("items");`),
    );
    const r = project.run("upgrade", "head");
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(await versionRows(db)).toEqual([FIRST]);
    expect(await tableNames(db)).toContain("items");
  });
});

describeEachDialect("an entity that fails to load is not reported as a connection failure", (dialect) => {
  let db: TestDatabase;
  let project: TestProject;
  beforeAll(async () => {
    db = await createTestDatabase(dialect);
    project = createProject(db);
  });
  afterAll(async () => {
    project?.remove();
    await db?.drop();
  });

  test("the file and line of the throw are named, and nothing is written to the database", async () => {
    project.write("entities/kind.ts", `export const kinds = ["a"];\n\nthrow new Error("kinds table missing");\n`);
    project.write(
      "entities/Post.ts",
      `import { Entity, PrimaryGeneratedColumn, Column } from "typeorm";\nimport { kinds } from "./kind";\n@Entity()\nexport class Post {\n  @PrimaryGeneratedColumn() id: number;\n  @Column({ default: kinds[0] }) kind: string;\n}\n`,
    );
    // `check` loads the entities; `upgrade` and `current` never do (test/cli/startup.test.ts).
    const r = project.run("check");
    expect(r.code).toBe(2);
    expect(r.stderr.trim()).toBe("FAILED: Could not load entity file entities/kind.ts:3: kinds table missing.");
    expect(await tableNames(db)).not.toContain("retort_version");
  });
}, representativeDialects("sqlite", "postgres"));

describeEachDialect("a dialect-typed column's default in a hand-written revision", (dialect) => {
  const scratch = scratchProject(dialect);

  test("a JS boolean is refused naming the column, and nothing is applied", async () => {
    const { db, project } = scratch;
    project.write(
      `migrations/${FIRST}_flags.ts`,
      revisionSource(
        FIRST,
        null,
        "flags",
        `  await op.createTable("flags", { columns: [{ name: "id", type: "integer", nullable: false }, { name: "on_by_default", type: "integer", default: true as any }] });`,
        `  await op.dropTable("flags");`,
      ),
    );
    for (const sql of [false, true]) {
      const r = project.run("upgrade", "head", ...(sql ? ["--sql"] : []));
      expectRefused(r, `op.createTable("flags")`, `column "on_by_default"`, "not true", `Revision ${FIRST} (`, "so nothing was run");
    }
    expect(await tableNames(db)).not.toContain("flags");
    rmSync(join(project.dir, `migrations/${FIRST}_flags.ts`));
  });

  test("a number is taken as its SQL literal, as TypeORM's @Column({ default: 3 }) is", async () => {
    const { db, project } = scratch;
    project.write(
      `migrations/${SECOND}_counts.ts`,
      revisionSource(
        SECOND,
        null,
        "counts",
        `  await op.createTable("counts", { columns: [{ name: "id", type: "integer", nullable: false }, { name: "n", type: "integer", default: 3 as any }], primaryKey: { columns: ["id"] } });
  await op.bulkInsert("counts", [{ id: 1 }]);`,
        `  await op.dropTable("counts");`,
      ),
    );
    const r = project.run("upgrade", "head");
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    const table = (await introspect(db)).tables.find((t) => t.name === "counts")!;
    expect(table.columns.find((c) => c.name === "n")!.default).toMatch(/^\(?'?3'?\)?$/);
    const [row] = await withDb(db, (query) => query<{ n: number | string }>("SELECT n FROM counts WHERE id = 1"));
    expect(Number(row.n)).toBe(3);
  });
});
