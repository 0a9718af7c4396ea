/**
 * The remaining commands and options, through the real executable: revision
 * options, branches, history ranges, show, init, test-connection,
 * non-transactional revisions, and the TypeScript loader.
 */
import { existsSync, readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { createTestDatabase, describeEachDialect, type TestDatabase } from "../support/databases";
import { introspect, versionRows } from "../support/inspect";
import { createProject, revisionSource, type TestProject } from "../support/project";

function fileFor(project: TestProject, rev: string): string {
  const name = readdirSync(join(project.dir, "migrations")).find((f) => f.startsWith(rev));
  if (!name) throw new Error(`no file for ${rev}`);
  return readFileSync(join(project.dir, "migrations", name), "utf8");
}

describe("revision options and the graph commands", () => {
  let project: TestProject;
  beforeAll(() => {
    project = createProject(undefined);
  });
  afterAll(() => project.remove());

  test("revision -m writes a file with the given id, on top of the head", () => {
    expect(project.run("revision", "-m", "first step", "--rev-id", "1111aaaa0001").code).toBe(0);
    const second = project.run("revision", "-m", "Second: step!", "--rev-id", "1111aaaa0002");
    expect(second.code).toBe(0);
    expect(second.stdout).toMatch(/Generating migrations\/1111aaaa0002_second_step\.ts \.\.\. done/);
    const source = fileFor(project, "1111aaaa0002");
    expect(source).toContain('export const revision = "1111aaaa0002";');
    expect(source).toContain('export const downRevision = "1111aaaa0001";');
    expect(source).toContain(" * Second: step!");
  });

  test("a random id is 12 hex characters", () => {
    const r = project.run("revision", "-m", "random id");
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/migrations\/[0-9a-f]{12}_random_id\.ts/);
  });

  test("--rev-id that exists is refused", () => {
    const r = project.run("revision", "-m", "again", "--rev-id", "1111aaaa0001");
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("already exists");
  });

  test("--head on a non-head revision needs --splice, and then branches", () => {
    const refused = project.run("revision", "-m", "side", "--head", "1111aaaa0001", "--rev-id", "2222bbbb0001");
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain("--splice");
    const spliced = project.run("revision", "-m", "side", "--head", "1111aaaa0001", "--splice", "--rev-id", "2222bbbb0001", "--branch-label", "side");
    expect(spliced.code).toBe(0);
    expect(fileFor(project, "2222bbbb0001")).toContain('export const branchLabels = ["side"];');
    const branches = project.run("branches");
    expect(branches.stdout).toContain("1111aaaa0001");
    expect(branches.stdout).toContain("-> 1111aaaa0001 -> 2222bbbb0001 (side) (head), side");
  });

  test("--head label@head extends a branch; --depends-on records the dependency", () => {
    const r = project.run("revision", "-m", "more side", "--head", "side@head", "--rev-id", "2222bbbb0002", "--depends-on", "1111aaaa0002");
    expect(r.code).toBe(0);
    const source = fileFor(project, "2222bbbb0002");
    expect(source).toContain('export const downRevision = "2222bbbb0001";');
    expect(source).toContain('export const dependsOn = ["1111aaaa0002"];');
  });

  test("--head base starts a new root", () => {
    const r = project.run("revision", "-m", "other root", "--head", "base", "--rev-id", "3333cccc0001", "--branch-label", "other");
    expect(r.code).toBe(0);
    expect(fileFor(project, "3333cccc0001")).toContain("export const downRevision = null;");
  });

  test("revision without --head fails with several heads", () => {
    const r = project.run("revision", "-m", "where?");
    expect(r.code).toBe(2);
    expect(r.stderr).toContain("retort merge");
  });

  test("show, history -r and heads --json", () => {
    const show = project.run("show", "2222bbbb0002");
    expect(show.code).toBe(0);
    expect(show.stdout).toContain("Rev: 2222bbbb0002 (side) (head)");
    expect(show.stdout).toContain("Parent: 2222bbbb0001");
    expect(show.stdout).toContain("Also depends on: 1111aaaa0002");

    const range = project.run("history", "-r", "1111aaaa0001:2222bbbb0001");
    expect(range.code).toBe(0);
    expect(range.stdout.trim().split("\n")).toEqual([
      "1111aaaa0001 -> 2222bbbb0001 (side), side",
      "<base> -> 1111aaaa0001 (branchpoint), first step",
    ]);

    const heads = JSON.parse(project.run("heads", "--json").stdout) as Array<{ revision: string }>;
    expect(heads.map((h) => h.revision).sort()).toEqual(expect.arrayContaining(["2222bbbb0002", "3333cccc0001"]));
  });
});

describe("init", () => {
  test("scaffolds the folder and the retort options, and prints the next steps", () => {
    const project = createProject(undefined, `import { DataSource } from "typeorm";\nexport default new DataSource({ type: "better-sqlite3", database: "app.db", entities: [] });\n`);
    try {
      const r = project.run("init", "--dir", "db/revisions");
      expect(r.code).toBe(0);
      expect(existsSync(join(project.dir, "db", "revisions"))).toBe(true);
      const config = readFileSync(join(project.dir, "ormconfig.ts"), "utf8");
      expect(config).toContain('migrationsDir: "db/revisions"');
      expect(r.stdout).toContain("Next steps");
      // The scaffolded options are live: a revision lands in the new folder.
      expect(project.run("revision", "-m", "x", "--rev-id", "4444dddd0001").code).toBe(0);
      expect(readdirSync(join(project.dir, "db", "revisions"))).toEqual(["4444dddd0001_x.ts"]);
      // Running it again changes nothing.
      expect(project.run("init", "--dir", "db/revisions").stdout).toContain("already has");
    } finally {
      project.remove();
    }
  });
});

describeEachDialect("test-connection and non-transactional revisions", (dialect) => {
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

  test("test-connection prints dialect, server version and database", () => {
    const r = project.run("test-connection");
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(new RegExp(`^Connected: ${dialect}, .+, database .+`));
    const data = JSON.parse(project.run("test-connection", "--json").stdout);
    expect(data.dialect).toBe(dialect);
    expect(data.version).toMatch(/\d+\.\d+/);
  });

  test("`export const transactional = false` runs outside a transaction", async () => {
    const statement =
      dialect === "postgres"
        ? `await op.execute({ postgres: 'CREATE INDEX CONCURRENTLY "ix_nt_v" ON "nt" ("v")' });`
        : `await op.createIndex("nt", { name: "ix_nt_v", columns: ["v"] });`;
    project.write(
      "migrations/5555eeee0001_nt.ts",
      revisionSource("5555eeee0001", null, "nt", `  await op.createTable("nt", { columns: [{ name: "v", type: "integer", nullable: true }] });`, `  await op.dropTable("nt");`),
    );
    project.write(
      "migrations/5555eeee0002_nt_index.ts",
      revisionSource("5555eeee0002", "5555eeee0001", "concurrent index", `  ${statement}`, `  await op.dropIndex("nt", "ix_nt_v");`, "export const transactional = false;\n"),
    );
    const r = project.run("upgrade", "head");
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    const table = (await introspect(db)).tables.find((t) => t.name === "nt");
    expect(table?.indexes?.map((i) => i.name)).toEqual(["ix_nt_v"]);
    expect(await versionRows(db)).toEqual(["5555eeee0002"]);
  });
});

describe("the TypeScript loader", () => {
  test("loads a circular entity pair and @Column() with an implicit type", () => {
    const project = createProject(undefined);
    try {
      project.write(
        "entities/Author.ts",
        `import { Column, Entity, OneToMany, PrimaryGeneratedColumn } from "typeorm";
import { Book } from "./Book";
@Entity()
export class Author {
  @PrimaryGeneratedColumn() id: number;
  @Column() name: string;
  @Column() active: boolean;
  @OneToMany(() => Book, (b) => b.author) books: Book[];
}
`,
      );
      project.write(
        "entities/Book.ts",
        `import { Column, Entity, ManyToOne, PrimaryGeneratedColumn } from "typeorm";
import { Author } from "./Author";
@Entity()
export class Book {
  @PrimaryGeneratedColumn() id: number;
  @Column() pages: number;
  @ManyToOne(() => Author, (a) => a.books) author: Author;
}
`,
      );
      const r = project.run("check", "--json");
      expect(r.stderr).toBe("");
      const report = JSON.parse(r.stdout) as { changes: Array<{ op: { kind: string; table: { name: string; columns: Array<{ name: string; type: string }> } } }> };
      const created = report.changes.filter((c) => c.op.kind === "createTable").map((c) => c.op.table);
      const author = created.find((t) => t.name === "author");
      const book = created.find((t) => t.name === "book");
      expect(author?.columns.map((c) => [c.name, c.type])).toEqual([
        ["id", "integer"],
        ["name", "varchar"],
        ["active", "boolean"],
      ]);
      expect(book?.columns.map((c) => c.name)).toEqual(["id", "pages", "authorId"]);
      expect(r.code).toBe(1);
    } finally {
      project.remove();
    }
  });
});
