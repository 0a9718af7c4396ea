/**
 * Issue #10 (3): `@Index({ concurrent: true })` added to an existing table is
 * built with CREATE INDEX CONCURRENTLY on PostgreSQL, in a revision written
 * `transactional = false` that says why (CONCURRENTLY fails inside a
 * transaction, so a successful upgrade proves it ran outside one). MySQL and
 * SQLite have no such statement: the index is built as usual, in a
 * transactional revision.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { createTestDatabase, describeEachDialect, type TestDatabase } from "../support/databases";
import { introspect, withDb } from "../support/inspect";
import { createProject, type TestProject } from "../support/project";

const item = (indexed: boolean) => `import { Column, Entity, Index, PrimaryGeneratedColumn } from "typeorm";

@Entity()
export class Item {
  @PrimaryGeneratedColumn()
  id!: number;

  ${indexed ? '@Index("IDX_item_sku", { concurrent: true })\n  ' : ""}@Column({ length: 40 })
  sku!: string;
${indexed ? "\n  @Column({ type: \"varchar\", length: 80, nullable: true })\n  note!: string | null;\n" : ""}}
`;

function newest(project: TestProject, before: string[]): string {
  const file = readdirSync(join(project.dir, "migrations")).find((f) => f.endsWith(".ts") && !before.includes(f))!;
  return readFileSync(join(project.dir, "migrations", file), "utf8");
}

describeEachDialect("@Index({ concurrent: true }) added to an existing table", (dialect) => {
  let db: TestDatabase;
  let project: TestProject;

  beforeAll(async () => {
    db = await createTestDatabase(dialect);
    project = createProject(db);
    project.write("entities/item.ts", item(false));
    expect(project.run("revision", "--autogenerate", "-m", "items").code).toBe(0);
    expect(project.run("upgrade", "head").code).toBe(0);
    await withDb(db, (query) => query(`INSERT INTO item (sku) VALUES ('a-1')`));
    project.write("entities/item.ts", item(true));
  });
  afterAll(async () => {
    project?.remove();
    await db?.drop();
  });

  it(dialect === "postgres" ? "is built CONCURRENTLY by a non-transactional revision that says so" : "is built as a plain index", async () => {
    const before = readdirSync(join(project.dir, "migrations"));
    const generated = project.run("revision", "--autogenerate", "-m", "sku index");
    expect(generated.code).toBe(0);
    const source = newest(project, before);
    const sql = project.run("upgrade", `${source.match(/export const downRevision = "(\w+)"/)![1]}:head`, "--sql");
    if (dialect === "postgres") {
      expect(generated.stdout).toContain("REVIEW 1 index is built CONCURRENTLY (@Index({ concurrent: true })), which cannot run inside a transaction, so this revision runs without one (transactional = false)");
      expect(source).toMatch(/export const transactional = false;/);
      expect(source).toMatch(/await op\.createIndex\(\s*"item",\s*\{[^}]*"IDX_item_sku"[^}]*\},\s*\{ concurrently: true \},?\s*\)/);
      expect(source).toContain("// REVIEW 1 index is built CONCURRENTLY");
      expect(sql.stdout).toContain('CREATE INDEX CONCURRENTLY "IDX_item_sku" ON "item" ("sku");');
      expect(sql.stdout).not.toMatch(/^BEGIN;/m);
    } else {
      expect(generated.stdout).not.toContain("CONCURRENTLY");
      expect(source).not.toContain("transactional");
      expect(source).not.toContain("concurrently");
      expect(sql.stdout).not.toContain("CONCURRENTLY");
    }

    const upgraded = project.run("upgrade", "head");
    expect(upgraded.stderr).toBe("");
    expect(upgraded.code).toBe(0);
    const table = (await introspect(db)).tables.find((t) => t.name === "item")!;
    expect(table.indexes?.map((i) => [i.name, i.columns])).toEqual([["IDX_item_sku", ["sku"]]]);
    expect(table.columns.map((c) => c.name)).toEqual(["id", "sku", "note"]);
    if (dialect === "postgres") {
      const [valid] = await withDb(db, (query) => query<{ indisvalid: boolean }>(`SELECT indisvalid FROM pg_index WHERE indexrelid = '"IDX_item_sku"'::regclass`));
      expect(valid.indisvalid).toBe(true);
    }
    const check = project.run("check");
    expect(check.stdout).toContain("No changes detected");
    expect(check.code).toBe(0);

    expect(project.run("downgrade", "-1").code).toBe(0);
    expect((await introspect(db)).tables.find((t) => t.name === "item")!.indexes ?? []).toEqual([]);
  });
});
