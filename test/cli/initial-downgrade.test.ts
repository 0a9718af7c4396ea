/**
 * Issue #10 (5): an initial revision's downgrade drops every table it
 * created. That is said once, at the top of `downgrade`, rather than as one
 * REVIEW line per table burying the ones that matter; the downgrade still
 * drops them all.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { createTestDatabase, describeEachDialect, type TestDatabase } from "../support/databases";
import { tableNames } from "../support/inspect";
import { createProject, type TestProject } from "../support/project";

const ENTITIES = `import { Column, Entity, ManyToOne, PrimaryGeneratedColumn } from "typeorm";

@Entity()
export class Shelf {
  @PrimaryGeneratedColumn()
  id!: number;

  @Column({ length: 40 })
  label!: string;
}

@Entity()
export class Book {
  @PrimaryGeneratedColumn()
  id!: number;

  @Column({ length: 80 })
  title!: string;

  @ManyToOne(() => Shelf)
  shelf!: Shelf;
}

@Entity()
export class Reader {
  @PrimaryGeneratedColumn()
  id!: number;

  @Column({ length: 80 })
  name!: string;
}
`;

function body(source: string, name: "upgrade" | "downgrade"): string {
  const start = source.indexOf(`export async function ${name}(`);
  const end = source.indexOf("\n}\n", start);
  return source.slice(start, end);
}

describeEachDialect("an initial revision's downgrade", (dialect) => {
  let db: TestDatabase;
  let project: TestProject;

  beforeAll(async () => {
    db = await createTestDatabase(dialect);
    project = createProject(db);
    project.write("entities/library.ts", ENTITIES);
  });
  afterAll(async () => {
    project?.remove();
    await db?.drop();
  });

  it("says once that it drops every table, and drops them", async () => {
    expect(project.run("revision", "--autogenerate", "-m", "initial").code).toBe(0);
    const [file] = readdirSync(join(project.dir, "migrations")).filter((f) => f.endsWith(".ts"));
    const downgrade = body(readFileSync(join(project.dir, "migrations", file), "utf8"), "downgrade");
    const lines = downgrade.split("\n").map((l) => l.trim());
    expect(lines.filter((l) => l.startsWith("// REVIEW"))).toEqual([
      "// REVIEW destructive: this downgrade drops every table this revision created (3 tables), with all their rows.",
    ]);
    // The note leads the body, before the first call.
    expect(lines[1]).toMatch(/^\/\/ REVIEW destructive: this downgrade drops every table/);
    expect(lines.filter((l) => l.startsWith("await op.dropTable(")).length).toBe(3);

    expect(project.run("upgrade", "head").code).toBe(0);
    expect(await tableNames(db)).toEqual(["book", "reader", "retort_version", "retort_version_history", "shelf"]);
    expect(project.run("downgrade", "base").code).toBe(0);
    expect(await tableNames(db)).toEqual(["retort_version", "retort_version_history"]);
  });
});
