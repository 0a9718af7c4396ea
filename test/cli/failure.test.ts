/**
 * A revision that fails halfway: on PostgreSQL and SQLite the database stays
 * exactly at the previous revision (schema and version table); on MySQL the
 * runner says which revision and statement failed and that the earlier
 * statements are committed.
 */
import { createTestDatabase, describeEachDialect, type TestDatabase } from "../support/databases";
import { count, introspect, versionRows, withDb } from "../support/inspect";
import { createProject, revisionSource, type TestProject } from "../support/project";

const GOOD = "aaaa00000001";
const BAD = "bbbb00000002";

function setUp(project: TestProject): void {
  project.write(
    `migrations/${GOOD}_items.ts`,
    revisionSource(
      GOOD,
      null,
      "create items",
      `  await op.createTable("items", { columns: [{ name: "id", type: "integer", nullable: false }, { name: "label", type: "varchar", length: 20, nullable: true }], primaryKey: { columns: ["id"] } });
  await op.bulkInsert("items", [{ id: 1, label: "one" }, { id: 2, label: "two" }]);`,
      `  await op.dropTable("items");`,
    ),
  );
  project.write(
    `migrations/${BAD}_breaks.ts`,
    revisionSource(
      BAD,
      GOOD,
      "breaks halfway",
      `  await op.createTable("half_done", { columns: [{ name: "id", type: "integer", nullable: false }] });
  await op.addColumn("items", { name: "extra", type: "integer", nullable: true });
  await op.execute("INSERT INTO no_such_table VALUES (1)");`,
      `  await op.dropTable("half_done");`,
    ),
  );
}

describeEachDialect(
  "a revision that fails halfway rolls back completely",
  (dialect) => {
    let db: TestDatabase;
    let project: TestProject;
    beforeAll(async () => {
      db = await createTestDatabase(dialect);
      project = createProject(db);
      setUp(project);
    });
    afterAll(async () => {
      project?.remove();
      await db?.drop();
    });

    test("the database is exactly at the previous revision", async () => {
      const before = project.run("upgrade", GOOD);
      expect(before.code).toBe(0);
      const schemaBefore = await introspect(db);

      const r = project.run("upgrade", "head");
      expect(r.code).toBe(2);
      const message = r.stderr.trim();
      expect(message.split("\n")).toHaveLength(1);
      expect(message).toContain(BAD);
      expect(message).toContain("no_such_table");
      expect(message).toContain("rolled back");

      expect(await introspect(db)).toEqual(schemaBefore);
      expect(await versionRows(db)).toEqual([GOOD]);
      expect(await count(db, "items")).toBe(2);
    });
  },
  ["postgres", "sqlite"],
);

describeEachDialect(
  "a revision that fails halfway on MySQL says where it stopped",
  (dialect) => {
    let db: TestDatabase;
    let project: TestProject;
    beforeAll(async () => {
      db = await createTestDatabase(dialect);
      project = createProject(db);
      setUp(project);
    });
    afterAll(async () => {
      project?.remove();
      await db?.drop();
    });

    test("names the revision and statement, and that earlier statements are committed", async () => {
      expect(project.run("upgrade", GOOD).code).toBe(0);
      const r = project.run("upgrade", "head");
      expect(r.code).toBe(2);
      const message = r.stderr.trim();
      expect(message.split("\n")).toHaveLength(1);
      expect(message).toContain(BAD);
      expect(message).toContain("statement 3");
      expect(message).toContain("INSERT INTO no_such_table");
      expect(message).toMatch(/2 earlier statement\(s\) are committed/);
      // The version table is honest: the failed revision is not recorded.
      expect(await versionRows(db)).toEqual([GOOD]);
      const tables = (await introspect(db)).tables.map((t) => t.name);
      expect(tables).toContain("half_done");
      expect(await withDb(db, (q) => q("SELECT extra FROM items"))).toHaveLength(2);
    });
  },
  ["mysql"],
);

describeEachDialect(
  'transactionMode "all": one failing revision rolls back the whole run',
  (dialect) => {
    let db: TestDatabase;
    let project: TestProject;
    beforeAll(async () => {
      db = await createTestDatabase(dialect);
      project = createProject(
        db,
        `import { DataSource } from "typeorm";
export default new DataSource({ type: "better-sqlite3", database: "app.db", entities: [] });
export const retort = { transactionMode: "all" };
`,
      );
      setUp(project);
    });
    afterAll(async () => {
      project?.remove();
      await db?.drop();
    });

    test("neither revision is applied", async () => {
      const r = project.run("upgrade", "head");
      expect(r.code).toBe(2);
      expect(r.stderr).toContain(BAD);
      expect((await introspect(db)).tables.map((t) => t.name)).toEqual(["retort_version", "retort_version_history"]);
      expect(await versionRows(db)).toEqual([]);
    });
  },
  ["postgres", "sqlite"],
);
