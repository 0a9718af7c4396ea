/**
 * Issue #10 (4): TypeORM's own bookkeeping tables — its migrations table, its
 * metadata table, the query-result cache, under the default names and the
 * names the config sets — are never proposed for dropping, on each dialect.
 * A stray application table beside them is, so the check can see tables.
 */
import { createTestDatabase, describeEachDialect, type TestDatabase } from "../support/databases";
import { tableNames, withDb } from "../support/inspect";
import { createProject, type TestProject } from "../support/project";

const CONFIG = `import { DataSource } from "typeorm";
export default new DataSource({
  type: "better-sqlite3",
  database: "app.db",
  entities: [__dirname + "/entities/*.ts"],
  migrationsTableName: "app_migrations",
  metadataTableName: "app_typeorm_metadata",
  cache: { type: "database", tableName: "app_query_cache" },
});
`;

const NOTE = `import { Column, Entity, PrimaryGeneratedColumn } from "typeorm";

@Entity()
export class Note {
  @PrimaryGeneratedColumn()
  id!: number;

  @Column({ length: 100 })
  body!: string;
}
`;

const BOOKKEEPING = ["migrations", "typeorm_metadata", "query-result-cache", "app_migrations", "app_typeorm_metadata", "app_query_cache"];

describeEachDialect("TypeORM's bookkeeping tables are not the application's", (dialect) => {
  let db: TestDatabase;
  let project: TestProject;

  beforeAll(async () => {
    db = await createTestDatabase(dialect);
    project = createProject(db, CONFIG);
    project.write("entities/note.ts", NOTE);
  });
  afterAll(async () => {
    project?.remove();
    await db?.drop();
  });

  it("check lists a stray table as dropped and none of TypeORM's tables", async () => {
    expect(project.run("revision", "--autogenerate", "-m", "notes").code).toBe(0);
    expect(project.run("upgrade", "head").code).toBe(0);
    const quote = (name: string) => (dialect === "mysql" ? `\`${name}\`` : `"${name}"`);
    await withDb(db, async (query) => {
      for (const name of [...BOOKKEEPING, "stray"]) await query(`CREATE TABLE ${quote(name)} (id integer PRIMARY KEY)`);
    });
    expect(await tableNames(db)).toEqual(expect.arrayContaining([...BOOKKEEPING, "stray", "note"]));

    const check = project.run("check", "--json");
    expect(check.code).toBe(1);
    const changes = (JSON.parse(check.stdout) as { changes: Array<{ op: { kind: string; table?: string } }> }).changes;
    expect(changes.map((c) => [c.op.kind, c.op.table])).toEqual([["dropTable", "stray"]]);

    await withDb(db, (query) => query(`DROP TABLE ${quote("stray")}`));
    const clean = project.run("check");
    expect(clean.stdout).toContain("No changes detected");
    expect(clean.code).toBe(0);
  });
});

describeEachDialect("an application table that happens to bear a TypeORM bookkeeping name", (dialect) => {
  let db: TestDatabase;
  let project: TestProject;

  beforeAll(async () => {
    db = await createTestDatabase(dialect);
    project = createProject(db);
    project.write(
      "entities/migration-log.ts",
      `import { Column, Entity, PrimaryGeneratedColumn } from "typeorm";

@Entity("migrations")
export class MigrationLog {
  @PrimaryGeneratedColumn()
  id!: number;

  @Column({ length: 100 })
  name!: string;
}
`,
    );
  });
  afterAll(async () => {
    project?.remove();
    await db?.drop();
  });

  it("is created and kept in sync when an entity declares it", async () => {
    expect(project.run("revision", "--autogenerate", "-m", "log").code).toBe(0);
    expect(project.run("upgrade", "head").code).toBe(0);
    expect(await tableNames(db)).toContain("migrations");
    const check = project.run("check");
    expect(check.stdout).toContain("No changes detected");
    expect(check.code).toBe(0);
  });
});
