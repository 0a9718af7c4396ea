/**
 * String defaults holding backslashes and quotes keep their value on every
 * database: MySQL reads `\t` inside a string literal as a tab, so a default
 * written the way PostgreSQL and SQLite take it would be stored corrupted,
 * and `check` must notice a database where that already happened.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { createTestDatabase, describeEachDialect, type TestDatabase } from "../support/databases";
import { introspect, withDb } from "../support/inspect";
import { createProject, type TestProject } from "../support/project";

const PATH = "C:\\temp\\new";
const QUOTED = "it's \\'' \\\\ end";

const entity = `import { Column, Entity, PrimaryGeneratedColumn } from "typeorm";
@Entity({ name: "files" })
export class File {
  @PrimaryGeneratedColumn() id: number;
  @Column({ type: "varchar", length: 40 }) label: string;
  @Column({ type: "varchar", length: 40, default: ${JSON.stringify(PATH)} }) path: string;
  @Column({ type: "varchar", length: 40, default: ${JSON.stringify(QUOTED)} }) note: string;
}
`;

describeEachDialect("string defaults with backslashes and quotes", (dialect) => {
  let db: TestDatabase;
  let project: TestProject;
  beforeAll(async () => {
    db = await createTestDatabase(dialect);
    project = createProject(db);
    project.write("entities/File.ts", entity);
  });
  afterAll(async () => {
    project?.remove();
    await db?.drop();
  });

  test("autogenerate + upgrade store the entity's value; a row inserted with the default keeps its backslashes; check is clean", async () => {
    const gen = project.run("revision", "--autogenerate", "-m", "files");
    expect(gen.stderr).toBe("");
    expect(gen.code).toBe(0);
    const file = readdirSync(join(project.dir, "migrations")).find((f) => f.endsWith("_files.ts"))!;
    const source = readFileSync(join(project.dir, "migrations", file), "utf8");
    // The portable spelling: the value itself, as a JavaScript string; each dialect quotes and escapes what it must.
    expect(source).toContain(`default: ${JSON.stringify(PATH)}`);
    expect(project.run("upgrade", "head").code).toBe(0);

    const columns = (await introspect(db)).tables.find((t) => t.name === "files")!.columns;
    expect(columns.find((c) => c.name === "path")!.default).toBe(`'${PATH}'`);
    expect(columns.find((c) => c.name === "note")!.default).toBe(`'${QUOTED.replace(/'/g, "''")}'`);
    const rows = await withDb(db, async (q) => {
      await q(`INSERT INTO files (label) VALUES ('x')`);
      return q<{ path: string; note: string }>(`SELECT path, note FROM files`);
    });
    expect(rows).toEqual([{ path: PATH, note: QUOTED }]);

    const check = project.run("check");
    expect(check.stdout + check.stderr).toContain("No changes detected");
    expect(check.code).toBe(0);
  });

  test("check notices a default stored with its backslashes read as escapes", async () => {
    // What MySQL makes of the literal TypeORM's own synchronize writes: a tab and a newline.
    const corrupted = "C:\temp\new";
    await withDb(db, async (q) => {
      if (dialect === "sqlite") {
        await q(`DROP TABLE files`);
        await q(`CREATE TABLE files (id integer PRIMARY KEY AUTOINCREMENT NOT NULL, label varchar(40) NOT NULL, path varchar(40) NOT NULL DEFAULT ('${corrupted}'), note varchar(40) NOT NULL DEFAULT ('${QUOTED.replace(/'/g, "''")}'))`);
      } else {
        await q(`ALTER TABLE files ALTER COLUMN path SET DEFAULT '${dialect === "mysql" ? "C:\\temp\\new" : corrupted}'`);
      }
    });
    const check = project.run("check", "--verbose");
    expect(check.code).toBe(1);
    expect(check.stdout).toContain("'files.path'");
  });
});
