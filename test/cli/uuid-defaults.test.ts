/**
 * A uuid key with a generated default, built by revisions alone: on
 * PostgreSQL uuid_generate_v4() needs the uuid-ossp extension, which TypeORM
 * only creates when it connects with the entities loaded. `upgrade head` on a
 * fresh database loads no entities, so the revision must bring it.
 */
import { createTestDatabase, describeEachDialect, type TestDatabase } from "../support/databases";
import { tableNames, withDb } from "../support/inspect";
import { createProject, revisionSource, type TestProject } from "../support/project";

const UPGRADE = `  await op.createTable("doc", {
    columns: [
      { name: "id", type: "Uuid", nullable: false, default: { fn: "uuid" } },
      { name: "title", type: "String", length: 20, nullable: false },
    ],
    primaryKey: { columns: ["id"] },
  });`;

describeEachDialect("a generated uuid key on a database built by revisions alone", (dialect) => {
  let db: TestDatabase;
  let project: TestProject;
  beforeAll(async () => {
    db = await createTestDatabase(dialect);
    project = createProject(db);
    project.write("migrations/aaaa00000001_docs.ts", revisionSource("aaaa00000001", null, "docs", UPGRADE, `  await op.dropTable("doc");`));
  });
  afterAll(async () => {
    project?.remove();
    await db?.drop();
  });

  test("upgrade head creates the table and new rows get distinct ids from the default", async () => {
    const up = project.run("upgrade", "head");
    expect(up.stderr).toBe("");
    expect(up.code).toBe(0);
    expect(await tableNames(db)).toContain("doc");
    // MySQL and SQLite have no database-side default here: TypeORM generates the value in the application.
    if (dialect !== "postgres") return;
    const rows = await withDb(db, async (q) => {
      await q(`INSERT INTO doc (title) VALUES ('a')`);
      await q(`INSERT INTO doc (title) VALUES ('b')`);
      return q<{ id: string }>(`SELECT id FROM doc`);
    });
    expect(rows).toHaveLength(2);
    for (const { id } of rows) expect(String(id)).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i);
    expect(rows[0].id).not.toBe(rows[1].id);
  });
});
