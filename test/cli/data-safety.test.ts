/**
 * Data is never changed silently and a revision never stops half-way on its
 * data, through the real executable:
 * - a narrowing change over rows that do not fit is refused before anything
 *   runs (exit 2, the column and the row count), rows and catalog unchanged;
 * - NOT NULL with a default over existing NULLs fills them first (fillNulls)
 *   and the downgrade keeps the filled values;
 * - on MySQL, NULLs, duplicates, too-long values and orphans are counted
 *   before a revision's first statement.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { getDialect } from "../../src/dialects";
import { connectWith } from "../../src/runner/connection";
import { createTestDatabase, describeEachDialect, type TestDatabase } from "../support/databases";
import { introspect, versionRows, withDb } from "../support/inspect";
import { createProject, revisionSource, type TestProject } from "../support/project";

const entity = (columns: string) => `import { Column, Entity, PrimaryColumn } from "typeorm";
@Entity({ name: "posts" })
export class Post {
  @PrimaryColumn({ type: "integer" }) id: number;
${columns}
}
`;

function revisionFiles(project: TestProject): string[] {
  return readdirSync(join(project.dir, "migrations")).sort();
}

/** Autogenerates a revision and returns its source. */
function autogenerate(project: TestProject, message: string): string {
  const before = revisionFiles(project);
  const r = project.run("revision", "--autogenerate", "-m", message);
  expect(r.stderr).toBe("");
  expect(r.code).toBe(0);
  const added = revisionFiles(project).filter((f) => !before.includes(f));
  expect(added).toHaveLength(1);
  return readFileSync(join(project.dir, "migrations", added[0]), "utf8");
}

async function column(db: TestDatabase, table: string, name: string) {
  const schema = await introspect(db, (t) => t === table);
  return schema.tables.find((t) => t.name === table)?.columns.find((c) => c.name === name);
}

describeEachDialect("a narrowing change never truncates or rounds existing values", (dialect) => {
  let db: TestDatabase;
  let project: TestProject;
  const long = "x".repeat(50);
  beforeAll(async () => {
    db = await createTestDatabase(dialect);
    project = createProject(db);
    project.write("entities/Post.ts", entity(`  @Column({ type: "text" }) body: string;\n  @Column({ type: "decimal", precision: 10, scale: 3 }) price: string;`));
    autogenerate(project, "create posts");
    expect(project.run("upgrade", "head").code).toBe(0);
    await withDb(db, (query) => query(`INSERT INTO posts (id, body, price) VALUES (1, '${long}', 1.234), (2, 'short', 2.5), (3, 'short too', 3.25)`));
  });
  afterAll(async () => {
    project?.remove();
    await db?.drop();
  });

  const rows = () =>
    withDb(db, (query) => query<{ id: number; body: string; price: string | number }>("SELECT id, body, price FROM posts ORDER BY id"));

  test("text -> varchar(10) with a 50-character row", async () => {
    const [base] = await versionRows(db);
    project.write("entities/Post.ts", entity(`  @Column({ type: "varchar", length: 10 }) body: string;\n  @Column({ type: "decimal", precision: 10, scale: 3 }) price: string;`));
    const source = autogenerate(project, "narrow body");
    expect(source).toContain("REVIEW may lose data or fail");
    const r = project.run("upgrade", "head");
    if (dialect === "sqlite") {
      // SQLite enforces no declared length: the rebuild copies every value as it is.
      expect(r.code).toBe(0);
      expect((await rows())[0].body).toBe(long);
      return;
    }
    expect(r.code).toBe(2);
    const message = r.stderr.trim();
    expect(message.split("\n")).toHaveLength(1);
    expect(message).toMatch(/^FAILED: The upgrade of revision \w+ .* was not started, nothing was changed: "posts\.body" has 1 row longer than 10 characters;/);
    expect((await rows()).map((row) => row.body)).toEqual([long, "short", "short too"]);
    expect((await column(db, "posts", "body"))?.type).toBe("text");
    expect(await versionRows(db)).toEqual([base]);
    // The same file keeps being refused until the data fits, then runs.
    await withDb(db, (query) => query(`UPDATE posts SET body = 'cut by hand' WHERE id = 1`));
    expect(project.run("upgrade", "head").code).toBe(2);
    await withDb(db, (query) => query(`UPDATE posts SET body = 'by hand' WHERE id = 1`));
    expect(project.run("upgrade", "head").code).toBe(0);
    expect((await column(db, "posts", "body"))?.length).toBe(10);
  });

  test("decimal(10,3) -> decimal(10,2) with a value that would be rounded", async () => {
    const before = await rows();
    const [base] = await versionRows(db);
    project.write("entities/Post.ts", entity(`  @Column({ type: "varchar", length: 10 }) body: string;\n  @Column({ type: "decimal", precision: 10, scale: 2 }) price: string;`));
    autogenerate(project, "narrow price");
    const r = project.run("upgrade", "head");
    if (dialect === "sqlite") {
      expect(r.code).toBe(0);
      expect(Number((await rows())[0].price)).toBe(1.234);
      return;
    }
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('"posts.price" has 1 row with more than 2 decimal places (they would be rounded)');
    expect(await rows()).toEqual(before);
    expect((await column(db, "posts", "price"))?.scale).toBe(3);
    expect(await versionRows(db)).toEqual([base]);
  });
});

describeEachDialect("NOT NULL with a default over existing NULLs fills them first", (dialect) => {
  let db: TestDatabase;
  let project: TestProject;
  beforeAll(async () => {
    db = await createTestDatabase(dialect);
    project = createProject(db);
    project.write("entities/Post.ts", entity(`  @Column({ type: "varchar", length: 20, nullable: true }) status: string | null;`));
    autogenerate(project, "create posts");
    expect(project.run("upgrade", "head").code).toBe(0);
    await withDb(db, (query) => query(`INSERT INTO posts (id, status) VALUES (1, NULL), (2, 'draft'), (3, NULL)`));
  });
  afterAll(async () => {
    project?.remove();
    await db?.drop();
  });

  const statuses = () => withDb(db, (query) => query<{ status: string | null }>("SELECT status FROM posts ORDER BY id")).then((r) => r.map((row) => row.status));

  test("autogenerate emits fillNulls before the alterColumn; upgrade fills, downgrade keeps the values", async () => {
    project.write("entities/Post.ts", entity(`  @Column({ type: "varchar", length: 20, default: "active" }) status: string;`));
    const source = autogenerate(project, "status required");
    const upgrade = source.slice(source.indexOf("export async function upgrade"), source.indexOf("export async function downgrade"));
    const downgrade = source.slice(source.indexOf("export async function downgrade"));
    // The value is portable: the file runs on every dialect, each writing it its own way.
    expect(upgrade).toMatch(/await op\.fillNulls\("posts", "status", "active", \{\s*type: "String",/);
    expect(upgrade.indexOf("op.fillNulls")).toBeLessThan(upgrade.indexOf("op.alterColumn"));
    expect(upgrade).toContain("REVIEW backfill");
    expect(upgrade).toContain("The downgrade drops the NOT NULL but keeps these values");
    expect(upgrade).not.toContain("NOT NULL may fail on existing NULLs");
    expect(downgrade).not.toContain("fillNulls");

    const up = project.run("upgrade", "head");
    expect(up.stderr).toBe("");
    expect(up.code).toBe(0);
    expect(await statuses()).toEqual(["active", "draft", "active"]);
    const after = await column(db, "posts", "status");
    expect(after?.nullable).toBe(false);
    expect(after?.default).toBeDefined();
    expect(project.run("check").code).toBe(0);

    const down = project.run("downgrade", "-1");
    expect(down.stderr).toBe("");
    expect(down.code).toBe(0);
    expect((await column(db, "posts", "status"))?.nullable).toBe(true);
    expect(await statuses()).toEqual(["active", "draft", "active"]);
  });
});

const BASE = "aaaa00000001";
const CHECKED = "bbbb00000002";

describeEachDialect("a MySQL revision whose data would stop it half-way fails before its first statement", (dialect) => {
  let db: TestDatabase;
  let project: TestProject;
  beforeAll(async () => {
    db = await createTestDatabase(dialect);
    project = createProject(db);
    project.write(
      `migrations/${BASE}_tables.ts`,
      revisionSource(
        BASE,
        null,
        "tables",
        `  await op.createTable("users", { columns: [{ name: "id", type: "integer", nullable: false }, { name: "email", type: "varchar", length: 100, nullable: true }], primaryKey: { columns: ["id"] } });
  await op.createTable("orders", { columns: [{ name: "id", type: "integer", nullable: false }, { name: "user_id", type: "integer", nullable: true }, { name: "note", type: "varchar", length: 100, nullable: true }], primaryKey: { columns: ["id"] } });
  await op.bulkInsert("users", [{ id: 1, email: "a@x" }, { id: 2, email: "a@x" }, { id: 3, email: null }]);
  await op.bulkInsert("orders", [{ id: 1, user_id: 1, note: "fine" }, { id: 2, user_id: 7, note: "${"n".repeat(40)}" }, { id: 3, user_id: 8, note: null }]);`,
        `  await op.dropTable("orders");\n  await op.dropTable("users");`,
      ),
    );
    project.write(
      `migrations/${CHECKED}_constraints.ts`,
      revisionSource(
        CHECKED,
        BASE,
        "constraints",
        `  await op.createTable("audit", { columns: [{ name: "id", type: "integer", nullable: false }] });
  await op.addColumn("orders", { name: "flag", type: "integer", nullable: true, default: "0" });
  await op.alterColumn("orders", "flag", { nullable: false });
  await op.alterColumn("users", "email", { nullable: false }, { existing: { name: "email", type: "varchar", length: 100, nullable: true } });
  await op.createUnique("users", { name: "uq_users_email", columns: ["email"] });
  await op.alterColumn("orders", "note", { length: 20 });
  await op.createForeignKey("orders", { name: "fk_orders_user", columns: ["user_id"], referencedTable: "users", referencedColumns: ["id"] });`,
        `  await op.dropTable("audit");`,
      ),
    );
    expect(project.run("upgrade", BASE).code).toBe(0);
  });
  afterAll(async () => {
    project?.remove();
    await db?.drop();
  });

  test("every offending count is named; nothing ran", async () => {
    const before = await introspect(db);
    const r = project.run("upgrade", "head");
    expect(r.code).toBe(2);
    const message = r.stderr.trim();
    expect(message.split("\n")).toHaveLength(1);
    expect(message).toContain(`The upgrade of revision ${CHECKED}`);
    expect(message).toContain("was not started, nothing was changed");
    expect(message).toContain('"users.email" has 1 row holding NULL');
    expect(message).toContain('"users (email)" has 2 rows sharing a value with another row');
    expect(message).toContain('"orders.note" has 1 row longer than 20 characters');
    expect(message).toContain('"orders (user_id)" has 2 rows referencing no row of "users"');
    // A column added by the same revision is the database's to judge: no count for "orders.flag".
    expect(message).not.toContain("orders.flag");
    expect(await introspect(db)).toEqual(before);
    expect(await versionRows(db)).toEqual([BASE]);
  });

  test("once the data is fixed the same revision runs", async () => {
    await withDb(db, async (query) => {
      await query("UPDATE users SET email = CONCAT('u', id, '@x')");
      await query("UPDATE orders SET note = 'shorter' WHERE id = 2");
      await query("UPDATE orders SET user_id = NULL WHERE id > 1");
    });
    const r = project.run("upgrade", "head");
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(await versionRows(db)).toEqual([CHECKED]);
    const users = (await introspect(db)).tables.find((t) => t.name === "users");
    expect(users?.columns.find((c) => c.name === "email")?.nullable).toBe(false);
  });
}, ["mysql"]);

describeEachDialect("MySQL migrations run in strict mode whatever the session's sql_mode", (dialect) => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase(dialect);
  });
  afterAll(async () => {
    await db?.drop();
  });

  test("a conversion that would zero a value fails instead; the session's mode is put back", async () => {
    const conn = await connectWith(db.options);
    try {
      const mysql = getDialect("mysql");
      await conn.db.query("SET SESSION sql_mode = ''");
      await conn.db.query("CREATE TABLE s (v VARCHAR(20))");
      await conn.db.query("INSERT INTO s VALUES ('abc')");
      await mysql.prepareSession(conn.db);
      await expect(conn.db.query("ALTER TABLE s MODIFY v INT")).rejects.toThrow(/Incorrect integer value|Truncated/);
      expect(await conn.db.query("SELECT v FROM s")).toEqual([{ v: "abc" }]);
      await mysql.restoreSession(conn.db);
      expect(await conn.db.query("SELECT @@SESSION.sql_mode AS m")).toEqual([{ m: "" }]);
    } finally {
      await conn.close();
    }
  });
}, ["mysql"]);

describeEachDialect("PostgreSQL's ALTER ... TYPE varchar(n) raises on a too-long value even without the check", (dialect) => {
  let db: TestDatabase;
  beforeAll(async () => {
    db = await createTestDatabase(dialect);
  });
  afterAll(async () => {
    await db?.drop();
  });

  test("the rendered statement (as `--sql` prints it) fails rather than cutting the value", async () => {
    const conn = await connectWith(db.options);
    try {
      const long = "y".repeat(50);
      await conn.db.query("CREATE TABLE t (body text)");
      await conn.db.query(`INSERT INTO t VALUES ('${long}')`);
      const statements = await getDialect("postgres").render({
        kind: "alterColumn",
        table: "t",
        column: "body",
        changes: { type: "varchar", length: 10 },
        existing: { name: "body", type: "text", nullable: true },
      });
      expect(statements).toHaveLength(1);
      await expect(conn.db.query(statements[0])).rejects.toThrow(/value too long for type character varying\(10\)/);
      expect(await conn.db.query("SELECT body FROM t")).toEqual([{ body: long }]);
    } finally {
      await conn.close();
    }
  });
}, ["postgres"]);
