/**
 * Portable revision files through the real CLI: a hand-written revision in the
 * portable vocabulary converges with the same entities on every dialect, and
 * the unique it created is dropped as a unique constraint once the entities
 * no longer declare it (MySQL too, from what the revision stated); an op
 * written for one dialect alone stops the run on another before anything runs;
 * offline SQL for any dialect without a connection.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import type { DataSourceOptions } from "typeorm";
import { getDialect } from "../../src/dialects";
import type { DialectName } from "../../src/ops/types";
import { connectWith } from "../../src/runner/connection";
import { createTestDatabase, describeEachDialect, type TestDatabase } from "../support/databases";
import { createProject, revisionSource, type TestProject } from "../support/project";

const entity = (unique: boolean) => `import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, Unique, UpdateDateColumn } from "typeorm";
@Entity("posts")
${unique ? `@Unique("UQ_posts_title", ["title"])\n` : ""}export class Post {
  @PrimaryGeneratedColumn() id!: number;
  @Column({ length: 80 }) title!: string;
  @Column({ default: true }) visible!: boolean;
  @Column({ type: "decimal", precision: 8, scale: 2, default: 1.5 }) price!: string;
  @Column({ type: "simple-enum", enum: ["draft", "live"], default: "draft" }) state!: string;
  @Column({ type: "simple-json", nullable: true }) meta!: object | null;
  @Column({ type: "uuid", nullable: true }) ref!: string | null;
  @Column({ nullable: true }) seenAt!: Date;
  @CreateDateColumn() createdAt!: Date;
  @UpdateDateColumn() updatedAt!: Date;
}
`;

const PORTABLE_UP = `  await op.createEnum("posts_state_enum", ["draft", "live"]);
  await op.createTable("posts", {
    columns: [
      { name: "id", type: "Integer", nullable: false, autoIncrement: true },
      { name: "title", type: "String", length: 80, nullable: false },
      { name: "visible", type: "Boolean", nullable: false, default: true },
      { name: "price", type: "Decimal", precision: 8, scale: 2, nullable: false, default: 1.5 },
      { name: "state", type: "Enum", enumValues: ["draft", "live"], enumName: "posts_state_enum", nullable: false, default: "draft" },
      { name: "meta", type: "SimpleJson", nullable: true },
      { name: "ref", type: "Uuid", nullable: true },
      { name: "seenAt", type: "DateTime", nullable: true },
      { name: "createdAt", type: "CreateDate", nullable: false },
      { name: "updatedAt", type: "UpdateDate", nullable: false },
    ],
    primaryKey: { columns: ["id"] },
    uniques: [{ name: "UQ_posts_title", columns: ["title"] }],
  });`;
const PORTABLE_DOWN = `  await op.dropTable("posts");
  await op.dropEnum("posts_state_enum");`;

/** Fills with portable values: each dialect writes the value as it writes that column type's default. */
const PORTABLE_FILLS = `  await op.fillNulls("posts", "visible", true, { type: "Boolean" });
  await op.fillNulls("posts", "price", 1.5, { type: "Decimal", precision: 8, scale: 2 });
  await op.fillNulls("posts", "title", "it's", { type: "String", length: 80 });`;

function projectFor(db: TestDatabase): TestProject {
  const project = createProject(db);
  project.write("entities/post.ts", entity(true));
  return project;
}

async function tablesIn(db: TestDatabase, dialect: DialectName): Promise<string[]> {
  const conn = await connectWith(db.options as DataSourceOptions);
  try {
    const schema = await getDialect(dialect).introspect(conn.db, { includeTable: (n) => n !== "retort_version" });
    return schema.tables.map((t) => t.name);
  } finally {
    await conn.close();
  }
}

describeEachDialect("portable revision files", (dialect) => {
  let db: TestDatabase;
  let project: TestProject;
  beforeEach(async () => {
    db = await createTestDatabase(dialect);
    project = projectFor(db);
  });
  afterEach(async () => {
    project.remove();
    await db.drop();
  });

  test("a hand-written portable revision converges with the entities (check exits 0), a unique it created is dropped as one, and it downgrades to nothing", () => {
    project.write("migrations/a1_posts.ts", revisionSource("a1", null, "posts", PORTABLE_UP, PORTABLE_DOWN));
    const up = project.run("upgrade", "head");
    expect(up.stderr).toBe("");
    expect(up.code).toBe(0);
    const check = project.run("check");
    expect(check.stdout).toContain("No changes detected");
    expect(check.code).toBe(0);

    // The unique the entities no longer declare is dropped as the constraint the revision created, and the
    // downgrade re-creates it so, on MySQL too (which stores it as a unique index).
    project.write("entities/post.ts", entity(false));
    expect(project.run("revision", "--autogenerate", "-m", "title not unique").code).toBe(0);
    const name = readdirSync(join(project.dir, "migrations")).find((f) => f.endsWith("_title_not_unique.ts"))!;
    const file = readFileSync(join(project.dir, "migrations", name), "utf8");
    expect(file).toMatch(/export async function upgrade[\s\S]*op\.dropUnique\("posts", "UQ_posts_title"[\s\S]*export async function downgrade[\s\S]*op\.createUnique\("posts"/);
    expect(file).not.toMatch(/op\.(dropIndex|createIndex)\(/);
    expect(project.run("upgrade", "head").code).toBe(0);
    expect(project.run("check").code).toBe(0);
    expect(project.run("downgrade", "base").code).toBe(0);
  });

  test("an op written for another dialect alone exits 2 naming it, and nothing was created", async () => {
    const other: DialectName = dialect === "postgres" ? "mysql" : "postgres";
    const up = `  await op.createTable("notes", { columns: [{ name: "id", type: "Integer", nullable: false }], primaryKey: { columns: ["id"] } });
  await op.only(${JSON.stringify(other)}).addColumn("notes", { name: "extra", type: "text", nullable: true });`;
    project.write("migrations/b1_notes.ts", revisionSource("b1", null, "notes", up, `  await op.dropTable("notes");`));
    const result = project.run("upgrade", "head");
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(new RegExp(`^FAILED: Revision b1 .* cannot run on ${dialect}: op\\.addColumn\\("notes", "extra"\\) is written for ${other} only`));
    expect(result.stderr).not.toMatch(/\n\s+at /);
    expect(await tablesIn(db, dialect)).toEqual([]);
    expect(project.run("upgrade", "head", "--sql").code).toBe(2);
  });

  test("an op the file writes wrong (a fill whose value type is not portable) exits 2 naming it, before anything runs", async () => {
    // MySQL commits each DDL statement at once: refused at the op itself, the table would stay behind.
    const up = `  await op.createTable("notes", { columns: [{ name: "id", type: "Integer", nullable: false }, { name: "done", type: "Boolean", nullable: true }], primaryKey: { columns: ["id"] } });
  await op.fillNulls("notes", "done", true, { type: "boolean" });`;
    project.write("migrations/c1_notes.ts", revisionSource("c1", null, "notes", up, `  await op.dropTable("notes");`));
    const result = project.run("upgrade", "head");
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(
      /^FAILED: Revision c1 .* cannot run: op\.fillNulls\("notes", "done"\): the type of the value written into column "done" is one of the portable types \(.*Boolean.*\), not "boolean", so nothing was run\.$/m,
    );
    expect(result.stderr).not.toMatch(/\n\s+at /);
    expect(await tablesIn(db, dialect)).not.toContain("notes");
    expect(project.run("upgrade", "head", "--sql").code).toBe(2);
  });
});

test("offline SQL for each dialect from one portable revision, without a connection", async () => {
  const db = await createTestDatabase("sqlite");
  const project = projectFor(db);
  try {
    project.write("migrations/a1_posts.ts", revisionSource("a1", null, "posts", PORTABLE_UP, PORTABLE_DOWN));
    project.write("migrations/a2_fills.ts", revisionSource("a2", "a1", "fills", PORTABLE_FILLS, ""));
    // A port nothing listens on: the SQL must come without connecting.
    project.env.DATABASE_URL = "postgresql://nobody@127.0.0.1:1/none";
    const pg = project.run("upgrade", "base:head", "--sql", "--dialect", "postgres");
    expect(pg.code).toBe(0);
    expect(pg.stdout).toContain(`CREATE TYPE "posts_state_enum" AS ENUM ('draft', 'live')`);
    expect(pg.stdout).toMatch(/"visible" boolean DEFAULT true NOT NULL/);
    expect(pg.stdout).toMatch(/"createdAt" timestamp without time zone DEFAULT CURRENT_TIMESTAMP NOT NULL/);
    expect(pg.stdout).toContain(`UPDATE "posts" SET "visible" = true WHERE "visible" IS NULL`);
    expect(pg.stdout).toContain(`UPDATE "posts" SET "price" = 1.5 WHERE "price" IS NULL`);
    expect(pg.stdout).toContain(`UPDATE "posts" SET "title" = 'it''s' WHERE "title" IS NULL`);
    const mysql = project.run("upgrade", "base:head", "--sql", "--dialect", "mysql");
    expect(mysql.code).toBe(0);
    expect(mysql.stdout).toMatch(/`state` enum\('draft','live'\)/);
    expect(mysql.stdout).toMatch(/`updatedAt` datetime\(6\) NOT NULL DEFAULT CURRENT_TIMESTAMP\(6\) ON UPDATE CURRENT_TIMESTAMP\(6\)/);
    expect(mysql.stdout).toContain("UPDATE `posts` SET `visible` = 1 WHERE `visible` IS NULL");
    expect(mysql.stdout).toContain("UPDATE `posts` SET `price` = 1.5 WHERE `price` IS NULL");
    const sqlite = project.run("upgrade", "base:head", "--sql", "--dialect", "sqlite");
    expect(sqlite.code).toBe(0);
    expect(sqlite.stdout).toMatch(/"state" varchar CHECK\( "state" IN \('draft','live'\) \)/);
    expect(sqlite.stdout).toContain(`UPDATE "posts" SET "visible" = (1) WHERE "visible" IS NULL`);
    expect(project.run("upgrade", "head", "--dialect", "mysql").code).toBe(2);
  } finally {
    project.remove();
    await db.drop();
  }
});
