/**
 * A uuid key with a generated default, built by revisions alone: on
 * PostgreSQL uuid_generate_v4() needs the uuid-ossp extension, which TypeORM
 * only creates when it connects with the entities loaded. `upgrade head` on a
 * fresh database loads no entities, so the revision must bring it.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
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

const PGCRYPTO_CONFIG = `import { DataSource } from "typeorm";
export default new DataSource({ type: "postgres", uuidExtension: "pgcrypto", entities: [__dirname + "/entities/*.ts"] });
`;

const DOC_ENTITY = `import { Column, Entity, PrimaryGeneratedColumn } from "typeorm";
@Entity({ name: "doc" })
export class Doc {
  @PrimaryGeneratedColumn("uuid")
  id: string;

  @Column({ type: "varchar", length: 20 })
  title: string;
}
`;

describeEachDialect(
  'uuidExtension: "pgcrypto": the portable uuid default is gen_random_uuid()',
  (dialect) => {
    let db: TestDatabase;
    let project: TestProject;
    beforeAll(async () => {
      db = await createTestDatabase(dialect);
      project = createProject(db, PGCRYPTO_CONFIG);
      project.write("entities/Doc.ts", DOC_ENTITY);
    });
    afterAll(async () => {
      project?.remove();
      await db?.drop();
    });

    test("autogenerate writes { fn: \"uuid\" }, upgrade creates no uuid-ossp, check converges", async () => {
      const rev = project.run("revision", "--autogenerate", "-m", "docs");
      expect(rev.code).toBe(0);
      const file = readdirSync(join(project.dir, "migrations"))[0]!;
      expect(readFileSync(join(project.dir, "migrations", file), "utf8")).toContain('default: { fn: "uuid" }');
      const up = project.run("upgrade", "head");
      expect(up.stderr).toBe("");
      expect(up.code).toBe(0);
      const found = await withDb(db, async (q) => ({
        extensions: (await q<{ extname: string }>(`SELECT extname FROM pg_extension WHERE extname IN ('uuid-ossp', 'pgcrypto')`)).map((r) => r.extname),
        default: (await q<{ d: string }>(`SELECT column_default AS d FROM information_schema.columns WHERE table_name = 'doc' AND column_name = 'id'`))[0]?.d,
      }));
      // PostgreSQL 13+ has gen_random_uuid() built in (TypeORM itself may create pgcrypto when autogenerate connects).
      expect(found.default).toBe("gen_random_uuid()");
      expect(found.extensions).not.toContain("uuid-ossp");
      const sql = project.run("upgrade", "base:head", "--sql");
      expect(sql.code).toBe(0);
      expect(sql.stdout).toContain("gen_random_uuid()");
      expect(sql.stdout).not.toMatch(/uuid_generate_v4|EXTENSION/);
      const check = project.run("check");
      expect(check.stdout + check.stderr).not.toMatch(/uuid/);
      expect(check.code).toBe(0);
    }, 240_000);
  },
  ["postgres"],
);
