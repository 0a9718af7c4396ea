/**
 * Issue 12 §5: `check --fresh` builds a scratch database from the revisions
 * and compares the entities with it (the configured database is never
 * touched, and may be empty); `retort test --data` puts a generated row in
 * every table before each stairway step and fails a step that loses rows
 * without dropping a table.
 */
import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { createTestDatabase, describeEachDialect, type TestDatabase } from "../support/databases";
import { tableNames } from "../support/inspect";
import { createProject, revisionSource, type TestProject } from "../support/project";

const entities = (extra: boolean) => `import { Column, Entity, ManyToOne, PrimaryGeneratedColumn } from "typeorm";

@Entity()
export class Owner {
  @PrimaryGeneratedColumn()
  id!: number;

  @Column({ length: 40 })
  name!: string;
}

@Entity()
export class Item {
  @PrimaryGeneratedColumn()
  id!: number;

  @Column({ type: "varchar", length: 20 })
  sku!: string;

  @ManyToOne(() => Owner, { nullable: false })
  owner!: Owner;
${extra ? '\n  @Column({ type: "int", nullable: true })\n  qty!: number | null;\n' : ""}}
`;

describeEachDialect("check --fresh and retort test --data", (dialect) => {
  let db: TestDatabase;
  let project: TestProject;

  beforeAll(async () => {
    db = await createTestDatabase(dialect);
    project = createProject(db);
    project.write("entities/item.ts", entities(false));
    // Generated against the empty configured database, never applied to it.
    expect(project.run("revision", "--autogenerate", "-m", "items", "--rev-id", "aaaa00000001").code).toBe(0);
  });
  afterAll(async () => {
    project?.remove();
    await db?.drop();
  });

  it("check --fresh passes on the revisions alone, and exits 1 on an entity change without a migration", async () => {
    const clean = project.run("check", "--fresh");
    expect(clean.stderr).toBe("");
    expect(clean.stdout).toContain("No changes detected");
    expect(clean.code).toBe(0);
    project.write("entities/item.ts", entities(true));
    const drift = project.run("check", "--fresh", "--json");
    expect(drift.code).toBe(1);
    const report = JSON.parse(drift.stdout) as { inSync: boolean; changes: Array<{ detected: string }> };
    expect(report.inSync).toBe(false);
    expect(report.changes.map((c) => c.detected)).toEqual(["Detected added column 'item.qty'"]);
    // The scratch database was the one compared: the configured one is still empty.
    expect((await tableNames(db)).filter((t) => t === "item" || t === "owner")).toEqual([]);
    project.write("entities/item.ts", entities(false));
  });

  it("test --data fills every table before each step and names the step that loses rows", () => {
    writeFileSync(
      join(project.dir, "migrations", "bbbb00000002_qty.ts"),
      revisionSource(
        "bbbb00000002",
        "aaaa00000001",
        "cleanup",
        `  await op.addColumn("item", { name: "note", type: "varchar", length: 10, nullable: true });\n  await query("DELETE FROM item");`,
        `  await op.dropColumn("item", "note");`,
      ).replace("upgrade({ op }", "upgrade({ op, query }"),
    );
    project.write("entities/item.ts", entities(false).replace("owner!: Owner;", 'owner!: Owner;\n\n  @Column({ type: "varchar", length: 10, nullable: true })\n  note!: string | null;'));
    const result = project.run("test", "--data");
    expect(result.stdout).toMatch(/^ok {3}stairway aaaa00000001/m);
    expect(result.stdout).toMatch(/^FAIL stairway bbbb00000002 \(cleanup\)\n {5}its upgrade lost sample rows:\n {5}- table item had 1 row\(s\) before the upgrade and 0 after/m);
    expect(result.stdout).not.toContain("data: no sample row");
    expect(result.code).toBe(1);
  });
});
