/**
 * Issue 12 §3: autogenerate counts the live rows each change would hit, with
 * the runner's precheck queries, and writes the numbers into the REVIEW lines
 * and --json. Seeded: 3 NULLs in item.tz (NOT NULL with a default: filled),
 * 2 codes longer than the narrowed length, 2 rows sharing a sku (new UNIQUE),
 * 1 row pointing at a missing owner (new foreign key). A table over the
 * preview's row limit is reported as skipped, never as clean.
 */
import { readdirSync, readFileSync, unlinkSync } from "node:fs";
import { join } from "node:path";
import { createTestDatabase, describeEachDialect, type TestDatabase } from "../support/databases";
import { withDb } from "../support/inspect";
import { createProject, type TestProject } from "../support/project";

const entities = (v: 1 | 2) => `import { Column, Entity, JoinColumn, ManyToOne, PrimaryGeneratedColumn, Unique } from "typeorm";

@Entity()
export class Owner {
  @PrimaryGeneratedColumn()
  id!: number;
}

@Entity()
${v === 2 ? '@Unique("UQ_item_sku", ["sku"])\n' : ""}export class Item {
  @PrimaryGeneratedColumn()
  id!: number;

  @Column({ type: "varchar", length: 40, ${v === 2 ? 'default: "UTC"' : "nullable: true"} })
  tz!: string${v === 2 ? "" : " | null"};

  @Column({ type: "varchar", length: ${v === 2 ? 10 : 40} })
  code!: string;

  @Column({ type: "varchar", length: 20 })
  sku!: string;

  @Column({ type: "int", nullable: true })
  ownerId!: number | null;
${v === 2 ? '\n  @ManyToOne(() => Owner)\n  @JoinColumn({ name: "ownerId", foreignKeyConstraintName: "FK_item_owner" })\n  owner!: Owner;\n' : ""}}
`;

describeEachDialect("autogenerate's live-data impact preview", (dialect) => {
  let db: TestDatabase;
  let project: TestProject;
  let generatedBefore: string[];

  beforeAll(async () => {
    db = await createTestDatabase(dialect);
    project = createProject(db);
    project.write("entities/item.ts", entities(1));
    expect(project.run("revision", "--autogenerate", "-m", "items").code).toBe(0);
    expect(project.run("upgrade", "head").code).toBe(0);
    const owner = dialect === "mysql" ? "ownerId" : '"ownerId"';
    await withDb(db, async (query) => {
      await query(`INSERT INTO owner (id) VALUES (1)`);
      await query(
        `INSERT INTO item (tz, code, sku, ${owner}) VALUES (NULL, 'a', 's1', 1), (NULL, 'b', 's1', NULL), (NULL, 'abcdefghijklmnop', 's2', 1), ` +
          `('CET', 'abcdefghijklmnop', 's3', 99), ('CET', 'c', 's4', 1)`,
      );
    });
    project.write("entities/item.ts", entities(2));
    generatedBefore = readdirSync(join(project.dir, "migrations"));
  });
  afterAll(async () => {
    project?.remove();
    await db?.drop();
  });

  it("writes the counts into the REVIEW lines and --json", () => {
    const before = readdirSync(join(project.dir, "migrations"));
    const result = project.run("revision", "--autogenerate", "-m", "tighten", "--json");
    expect(result.stderr).toBe("");
    expect(result.code).toBe(0);
    const out = JSON.parse(result.stdout) as { file: string; impact: Array<{ subject: string; problem: string; rows?: number }> };
    const rowsOf = (subject: string, problem: RegExp) => out.impact.filter((c) => c.subject === subject && problem.test(c.problem)).map((c) => c.rows);
    expect(rowsOf("item.tz", /^holding NULL$/)).toEqual([3]);
    expect(rowsOf("item.code", /^longer than 10 characters$/)).toEqual([2]);
    expect(rowsOf("item (sku)", /^sharing a value/)).toEqual([2]);
    expect(rowsOf("item (ownerId)", /^referencing no row of "owner"/)).toEqual([1]);

    const file = readdirSync(join(project.dir, "migrations")).find((f) => f.endsWith(".ts") && !before.includes(f))!;
    expect(out.file).toContain(file);
    const source = readFileSync(join(project.dir, "migrations", file), "utf8");
    expect(source).toContain("// REVIEW data: 3 rows of item.tz holding NULL; the fillNulls above sets them to \"UTC\".");
    expect(source).toContain("// REVIEW data: 2 rows of item.code longer than 10 characters;");
    expect(source).toMatch(/\/\/ REVIEW data: 2 rows of item \(sku\) sharing a value with another row/);
    expect(source).toMatch(/\/\/ REVIEW data: 1 row of item \(ownerId\) referencing no row of "owner"/);
  });

  it('says "skipped: table too large" over the configured row limit', () => {
    for (const f of readdirSync(join(project.dir, "migrations"))) if (!generatedBefore.includes(f)) unlinkSync(join(project.dir, "migrations", f));
    project.write(
      "ormconfig.ts",
      `${readFileSync(join(project.dir, "ormconfig.ts"), "utf8")}\nexport const retort = { impact: { maxRows: 1 } };\n`,
    );
    const result = project.run("revision", "--autogenerate", "-m", "again");
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/REVIEW data: item\.tz holding NULL not counted, skipped: table too large \(item: about \d+ rows, over 1\)/);
  });
});
