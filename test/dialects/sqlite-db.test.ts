/**
 * The SQLite dialect against a real database file: every op is rendered with
 * the live connection and run as the runner runs a revision (prepareSession,
 * BEGIN, statements, verifyBeforeCommit, COMMIT, restoreSession), then the
 * schema is read back and the rows are checked.
 */
import type { Queryable } from "../../src/dialects/dialect";
import { ForeignKeysEnabledError, ForeignKeyViolationError, SqliteRebuildError, sqliteDialect as dialect } from "../../src/dialects/sqlite";
import { reverseOp } from "../../src/ops/reverse";
import type { Op } from "../../src/ops/types";
import { connectWith, type Connection } from "../../src/runner/connection";
import type { Schema, Table } from "../../src/schema/types";
import { createTestDatabase, type TestDatabase } from "../support/databases";

let database: TestDatabase;
let connection: Connection;
let db: Queryable;

beforeEach(async () => {
  database = await createTestDatabase("sqlite");
  connection = await connectWith(database.options);
  db = connection.db;
  await seed();
});

afterEach(async () => {
  await connection.close();
  await database.drop();
});

/** Runs ops the way the runner runs one revision. */
async function apply(...ops: Op[]): Promise<void> {
  await dialect.prepareSession(db);
  await db.query("BEGIN");
  try {
    for (const op of ops) {
      for (const sql of await dialect.render(op, db)) await db.query(sql);
    }
    await dialect.verifyBeforeCommit(db);
    await db.query("COMMIT");
  } catch (error) {
    await db.query("ROLLBACK");
    throw error;
  } finally {
    await dialect.restoreSession(db);
  }
}

const schema = (): Promise<Schema> => dialect.introspect(db);
async function table(name: string): Promise<Table> {
  const found = (await schema()).tables.find((t) => t.name === name);
  if (!found) throw new Error(`no table ${name}`);
  return found;
}
const rows = (sql: string) => db.query<Record<string, unknown>>(sql);
const masterSql = async () => rows(`SELECT type, name, sql FROM sqlite_master ORDER BY type, name`);

const USERS = [
  { id: 1, name: "ada", email: "ada@x", age: 36 },
  { id: 2, name: "bob", email: "bob@x", age: null },
  { id: 3, name: "cy", email: "cy@x", age: 20 },
];

/** A parent table with an AUTOINCREMENT key, a child that cascades, an index, a view and a trigger. */
async function seed(): Promise<void> {
  const statements = [
    `CREATE TABLE "user" ("id" integer PRIMARY KEY AUTOINCREMENT NOT NULL, "name" varchar(50) NOT NULL, "email" varchar NOT NULL, "age" integer, ` +
      `CONSTRAINT "UQ_user_email" UNIQUE ("email"))`,
    `CREATE INDEX "IX_user_name" ON "user" ("name")`,
    `CREATE TABLE "post" ("id" integer PRIMARY KEY AUTOINCREMENT NOT NULL, "title" varchar(200) NOT NULL, "userId" integer, ` +
      `CONSTRAINT "FK_post_user" FOREIGN KEY ("userId") REFERENCES "user" ("id") ON DELETE CASCADE ON UPDATE NO ACTION)`,
    `CREATE INDEX "IX_post_title" ON "post" ("title") WHERE "title" <> ''`,
    `CREATE TABLE "audit" ("msg" text NOT NULL)`,
    `CREATE VIEW "user_posts" AS SELECT u."name", p."title" FROM "user" u JOIN "post" p ON p."userId" = u."id"`,
    `CREATE TRIGGER "user_audit" AFTER UPDATE ON "user" BEGIN INSERT INTO "audit" ("msg") VALUES ('updated ' || NEW."name"); END`,
    ...USERS.map((u) => `INSERT INTO "user" ("id", "name", "email", "age") VALUES (${u.id}, '${u.name}', '${u.email}', ${u.age ?? "NULL"})`),
    `INSERT INTO "post" ("title", "userId") VALUES ('one', 1), ('two', 1), ('three', 2), ('orphanless', NULL)`,
  ];
  for (const sql of statements) await db.query(sql);
}

async function expectSeedDataIntact(): Promise<void> {
  expect(await rows(`SELECT "id", "name", "email" FROM "user" ORDER BY "id"`)).toEqual(USERS.map(({ id, name, email }) => ({ id, name, email })));
  expect(await rows(`SELECT "title", "userId" FROM "post" ORDER BY "id"`)).toEqual([
    { title: "one", userId: 1 },
    { title: "two", userId: 1 },
    { title: "three", userId: 2 },
    { title: "orphanless", userId: null },
  ]);
}

/** Applies `op`, checks `after`, applies its reverse and checks the schema is back to what it was. */
async function roundTrip(op: Op, after: (s: Schema) => Promise<void> | void): Promise<void> {
  const before = await schema();
  await apply(op);
  await after(await schema());
  await apply(reverseOp(op)!);
  expect(await schema()).toEqual(before);
}

describe("sqlite introspection", () => {
  it("reads the seeded schema with names, actions, partial indexes and unmodelled objects", async () => {
    const s = await schema();
    expect(s.tables.map((t) => t.name)).toEqual(["audit", "post", "user"]);
    expect(await table("user")).toEqual({
      name: "user",
      columns: [
        { name: "id", type: "integer", nullable: false, autoIncrement: true },
        { name: "name", type: "varchar", length: 50, nullable: false },
        { name: "email", type: "varchar", nullable: false },
        { name: "age", type: "integer", nullable: true },
      ],
      primaryKey: { columns: ["id"] },
      uniques: [{ name: "UQ_user_email", columns: ["email"] }],
      indexes: [{ name: "IX_user_name", columns: ["name"] }],
      foreignKeys: [],
      checks: [],
    });
    expect((await table("post")).foreignKeys).toEqual([
      { name: "FK_post_user", columns: ["userId"], referencedTable: "user", referencedColumns: ["id"], onDelete: "CASCADE", onUpdate: "NO ACTION" },
    ]);
    expect((await table("post")).indexes).toEqual([{ name: "IX_post_title", columns: ["title"], where: `"title" <> ''` }]);
    expect(s.unmodelled).toEqual([
      { kind: "trigger", name: "user_audit", table: "user" },
      { kind: "view", name: "user_posts" },
    ]);
  });

  it("honours includeTable and never lists sqlite_ tables", async () => {
    const s = await dialect.introspect(db, { includeTable: (t) => t !== "audit" });
    expect(s.tables.map((t) => t.name)).toEqual(["post", "user"]);
    expect(s.unmodelled?.some((o) => o.name.startsWith("sqlite_"))).toBe(false);
  });

  it("uses the same number of catalog queries for 1 and 50 tables", async () => {
    const count = async () => {
      let n = 0;
      await dialect.introspect(db, { onQuery: () => (n += 1) });
      return n;
    };
    const small = await count();
    for (let i = 0; i < 50; i++) {
      await db.query(`CREATE TABLE "t${i}" ("id" integer PRIMARY KEY, "v" text CONSTRAINT "UQ_${i}" UNIQUE, "p" integer REFERENCES "user" ("id"))`);
      await db.query(`CREATE INDEX "IX_t${i}" ON "t${i}" ("v", "p")`);
    }
    const s = await schema();
    expect(s.tables).toHaveLength(53);
    expect(s.tables.find((t) => t.name === "t7")?.indexes).toEqual([{ name: "IX_t7", columns: ["v", "p"] }]);
    expect(await count()).toBe(small);
    expect(small).toBe(4);
  });

  it("reads a table TypeORM-style: enum CHECK, generated column, deferrable FK, named check, composite PK", async () => {
    await db.query(
      `CREATE TABLE "thing" ("a" integer NOT NULL, "b" integer NOT NULL, "kind" varchar CHECK( "kind" IN ('x','y') ) NOT NULL DEFAULT ('x'), ` +
        `"created" datetime NOT NULL DEFAULT (datetime('now')), "flag" boolean NOT NULL DEFAULT (1), "price" decimal(10,2), ` +
        `"total" integer AS ("a" + "b") STORED, "ownerId" integer, ` +
        `CONSTRAINT "CHK_a" CHECK ("a" > 0), ` +
        `CONSTRAINT "FK_owner" FOREIGN KEY ("ownerId") REFERENCES "user" ("id") ON DELETE SET NULL ON UPDATE CASCADE DEFERRABLE INITIALLY DEFERRED, ` +
        `PRIMARY KEY ("a", "b"))`,
    );
    expect(await table("thing")).toEqual({
      name: "thing",
      columns: [
        { name: "a", type: "integer", nullable: false },
        { name: "b", type: "integer", nullable: false },
        { name: "kind", type: "varchar", nullable: false, default: "'x'", enumValues: ["x", "y"] },
        { name: "created", type: "datetime", nullable: false, default: "datetime('now')" },
        { name: "flag", type: "boolean", nullable: false, default: "1" },
        { name: "price", type: "decimal", precision: 10, scale: 2, nullable: true },
        { name: "total", type: "integer", nullable: true, generated: { expression: '"a" + "b"', stored: true } },
        { name: "ownerId", type: "integer", nullable: true },
      ],
      primaryKey: { columns: ["a", "b"] },
      uniques: [],
      indexes: [],
      foreignKeys: [
        {
          name: "FK_owner",
          columns: ["ownerId"],
          referencedTable: "user",
          referencedColumns: ["id"],
          onDelete: "SET NULL",
          onUpdate: "CASCADE",
          deferrable: "INITIALLY DEFERRED",
        },
      ],
      checks: [{ name: "CHK_a", expression: '"a" > 0' }],
    });
  });
});

describe("sqlite ops rendered directly", () => {
  const created: Table = {
    name: "Order Line",
    columns: [
      { name: "id", type: "integer", autoIncrement: true },
      { name: "select", type: "varchar", length: 20, nullable: false, default: "'x'" },
      { name: "status", type: "varchar", enumValues: ["open", "closed"], nullable: false, default: "'open'" },
      { name: "qty", type: "integer", nullable: true },
      { name: "userId", type: "integer", nullable: true },
    ],
    primaryKey: { columns: ["id"] },
    uniques: [{ name: "UQ_select_qty", columns: ["select", "qty"] }],
    checks: [{ name: "CHK_qty", expression: '"qty" > 0' }],
    foreignKeys: [
      { name: "FK_line_user", columns: ["userId"], referencedTable: "user", referencedColumns: ["id"], onDelete: "SET NULL", onUpdate: "NO ACTION" },
    ],
    indexes: [{ name: "IX_line_qty", columns: ["qty"], where: '"qty" IS NOT NULL' }],
  };

  it("createTable reads back as its canonical form; reverse drops it", async () => {
    await roundTrip({ kind: "createTable", table: created }, async (s) => {
      expect(s.tables.find((t) => t.name === "Order Line")).toEqual(dialect.canonicalTable(created));
    });
    await apply({ kind: "createTable", table: created });
    await expect(db.query(`INSERT INTO "Order Line" ("select", "status") VALUES ('a', 'nope')`)).rejects.toThrow(/CHECK/);
  });

  it("dropTable loses the table; its reverse (with existing) recreates it", async () => {
    const existing = await table("audit");
    const op: Op = { kind: "dropTable", table: "audit", existing };
    await roundTrip(op, (s) => expect(s.tables.some((t) => t.name === "audit")).toBe(false));
  });

  it("renameTable keeps rows, and child foreign keys follow the new name", async () => {
    await roundTrip({ kind: "renameTable", from: "user", to: "member" }, async (s) => {
      expect(s.tables.some((t) => t.name === "user")).toBe(false);
      expect(s.tables.find((t) => t.name === "post")?.foreignKeys?.[0].referencedTable).toBe("member");
      expect(await rows(`SELECT count(*) AS n FROM "member"`)).toEqual([{ n: 3 }]);
    });
    await expectSeedDataIntact();
  });

  it("addColumn (ALTER TABLE) with a default fills existing rows", async () => {
    const op: Op = { kind: "addColumn", table: "user", column: { name: "role", type: "varchar", length: 10, nullable: false, default: "'member'" } };
    expect(await dialect.render(op, db)).toEqual([`ALTER TABLE "user" ADD COLUMN "role" varchar(10) NOT NULL DEFAULT 'member'`]);
    await roundTrip(op, async (s) => {
      expect(s.tables.find((t) => t.name === "user")?.columns[4]).toEqual({ name: "role", type: "varchar", length: 10, nullable: false, default: "'member'" });
      expect(await rows(`SELECT DISTINCT "role" FROM "user"`)).toEqual([{ role: "member" }]);
    });
    await expectSeedDataIntact();
  });

  it("dropColumn of a plain column uses ALTER TABLE DROP COLUMN", async () => {
    const existing = (await table("user")).columns.find((c) => c.name === "age");
    const op: Op = { kind: "dropColumn", table: "user", column: "age", existing };
    expect(await dialect.render(op, db)).toEqual([`ALTER TABLE "user" DROP COLUMN "age"`]);
    await roundTrip(op, (s) => expect(s.tables.find((t) => t.name === "user")?.columns.map((c) => c.name)).toEqual(["id", "name", "email"]));
    await expectSeedDataIntact();
  });

  it("renameColumn carries indexes, foreign keys and the view along", async () => {
    await roundTrip({ kind: "renameColumn", table: "post", from: "title", to: "heading" }, async (s) => {
      const post = s.tables.find((t) => t.name === "post");
      expect(post?.indexes).toEqual([{ name: "IX_post_title", columns: ["heading"], where: `"heading" <> ''` }]);
      expect(await rows(`SELECT * FROM "user_posts"`)).toHaveLength(3);
    });
    await roundTrip({ kind: "renameColumn", table: "user", from: "id", to: "userKey" }, (s) => {
      expect(s.tables.find((t) => t.name === "post")?.foreignKeys?.[0].referencedColumns).toEqual(["userKey"]);
    });
    await expectSeedDataIntact();
  });

  it("createIndex / dropIndex (unique, partial) and renameIndex", async () => {
    const index = { name: "UX_user_age", columns: ["age", "name"], unique: true, where: '"age" IS NOT NULL' };
    await roundTrip({ kind: "createIndex", table: "user", index }, (s) => {
      expect(s.tables.find((t) => t.name === "user")?.indexes).toContainEqual(index);
    });
    await roundTrip({ kind: "renameIndex", table: "post", from: "IX_post_title", to: "IX post heading" }, (s) => {
      expect(s.tables.find((t) => t.name === "post")?.indexes).toEqual([{ name: "IX post heading", columns: ["title"], where: `"title" <> ''` }]);
    });
    const existing = (await table("user")).indexes?.[0];
    await roundTrip({ kind: "dropIndex", table: "user", name: "IX_user_name", existing }, (s) => {
      expect(s.tables.find((t) => t.name === "user")?.indexes).toEqual([]);
    });
  });

  it("bulkInsert inserts every row", async () => {
    await apply({ kind: "bulkInsert", table: "audit", rows: Array.from({ length: 1201 }, (_, i) => ({ msg: `m'${i}` })) });
    expect(await rows(`SELECT count(*) AS n, max("msg") AS top FROM "audit"`)).toEqual([{ n: 1201, top: "m'999" }]);
  });

  it("enum ops are no-ops; enum columns carry their CHECK", async () => {
    await apply({ kind: "createEnum", name: "mood", values: ["a"] });
    await apply({ kind: "addColumn", table: "user", column: { name: "mood", type: "simple-enum", enumValues: ["happy", "sad"], nullable: true } });
    const mood = (await table("user")).columns.find((c) => c.name === "mood");
    expect(mood).toEqual({ name: "mood", type: "varchar", nullable: true, enumValues: ["happy", "sad"] });
    await expect(db.query(`UPDATE "user" SET "mood" = 'angry'`)).rejects.toThrow(/CHECK/);
    await roundTrip(
      { kind: "alterColumn", table: "user", column: "mood", changes: { enumValues: ["happy", "sad", "angry"] }, existing: mood },
      async () => {
        await db.query(`UPDATE "user" SET "mood" = 'angry' WHERE "id" = 1`);
        await db.query(`UPDATE "user" SET "mood" = NULL WHERE "id" = 1`);
      },
    );
  });
});

describe("sqlite table rebuilds", () => {
  async function childrenIntact(): Promise<void> {
    expect(await rows(`SELECT count(*) AS n FROM "post" WHERE "userId" IS NOT NULL`)).toEqual([{ n: 3 }]);
  }

  it("alterColumn type/length keeps rows, indexes, child rows, view and trigger; reverse restores the schema", async () => {
    const existing = (await table("user")).columns.find((c) => c.name === "name");
    const op: Op = { kind: "alterColumn", table: "user", column: "name", changes: { type: "text", length: null }, existing };
    await dialect.prepareSession(db);
    const sql = await dialect.render(op, db);
    await dialect.restoreSession(db);
    expect(sql).toContain(`DROP TABLE "user"`);
    expect(sql).toContain(`ALTER TABLE "_retort_tmp_user" RENAME TO "user"`);
    const before = await masterSql();
    await roundTrip(op, async (s) => {
      const user = s.tables.find((t) => t.name === "user");
      expect(user?.columns[1]).toEqual({ name: "name", type: "text", nullable: false });
      expect(user?.indexes).toEqual([{ name: "IX_user_name", columns: ["name"] }]);
      expect(user?.uniques).toEqual([{ name: "UQ_user_email", columns: ["email"] }]);
      await expectSeedDataIntact();
      expect(s.unmodelled).toEqual([
        { kind: "trigger", name: "user_audit", table: "user" },
        { kind: "view", name: "user_posts" },
      ]);
    });
    await expectSeedDataIntact();
    expect((await masterSql()).map((r) => r.name)).toEqual(before.map((r) => r.name));
    // the trigger still fires and the view still reads the rebuilt table
    await db.query(`UPDATE "user" SET "age" = 1 WHERE "id" = 3`);
    expect(await rows(`SELECT "msg" FROM "audit"`)).toEqual([{ msg: "updated cy" }]);
    expect(await rows(`SELECT count(*) AS n FROM "user_posts"`)).toEqual([{ n: 3 }]);
  });

  it("rebuilding a parent does not fire ON DELETE CASCADE, and foreign keys are enforced again afterwards", async () => {
    await apply({ kind: "alterColumn", table: "user", column: "age", changes: { default: "18" }, existing: { name: "age", type: "integer", nullable: true } });
    await childrenIntact();
    expect(await rows(`PRAGMA foreign_keys`)).toEqual([{ foreign_keys: 1 }]);
    await db.query(`DELETE FROM "user" WHERE "id" = 2`);
    expect(await rows(`SELECT count(*) AS n FROM "post" WHERE "userId" = 2`)).toEqual([{ n: 0 }]);
  });

  it("AUTOINCREMENT and its sequence survive a rebuild", async () => {
    await db.query(`DELETE FROM "post" WHERE "id" = 4`);
    await apply({ kind: "alterColumn", table: "post", column: "title", changes: { length: 300 }, existing: { name: "title", type: "varchar", length: 200 } });
    expect((await table("post")).columns[0]).toEqual({ name: "id", type: "integer", nullable: false, autoIncrement: true });
    await db.query(`INSERT INTO "post" ("title") VALUES ('next')`);
    expect(await rows(`SELECT "id" FROM "post" WHERE "title" = 'next'`)).toEqual([{ id: 5 }]);
  });

  it("alterColumn nullability and default, both ways", async () => {
    const age = (await table("user")).columns.find((c) => c.name === "age");
    await roundTrip({ kind: "alterColumn", table: "user", column: "age", changes: { default: "0" }, existing: age }, async (s) => {
      expect(s.tables.find((t) => t.name === "user")?.columns[3]).toEqual({ name: "age", type: "integer", nullable: true, default: "0" });
      await db.query(`INSERT INTO "user" ("name", "email") VALUES ('dee', 'dee@x')`);
      expect(await rows(`SELECT "age" FROM "user" WHERE "name" = 'dee'`)).toEqual([{ age: 0 }]);
      await db.query(`DELETE FROM "user" WHERE "name" = 'dee'`);
    });
    const email = (await table("user")).columns.find((c) => c.name === "email");
    await roundTrip({ kind: "alterColumn", table: "user", column: "email", changes: { nullable: true }, existing: email }, (s) => {
      expect(s.tables.find((t) => t.name === "user")?.columns[2].nullable).toBe(true);
    });
    await expectSeedDataIntact();
  });

  it("alterColumn to NOT NULL over NULL rows fails and leaves the table as it was", async () => {
    const before = await schema();
    const age = (await table("user")).columns.find((c) => c.name === "age");
    await expect(apply({ kind: "alterColumn", table: "user", column: "age", changes: { nullable: false }, existing: age })).rejects.toThrow(/NOT NULL/);
    expect(await schema()).toEqual(before);
    await expectSeedDataIntact();
    expect(await rows(`SELECT name FROM sqlite_master WHERE name LIKE '_retort_tmp_%'`)).toEqual([]);
  });

  it("addColumn that ALTER TABLE refuses (expression default) rebuilds and keeps rows", async () => {
    const op: Op = { kind: "addColumn", table: "user", column: { name: "joined", type: "datetime", nullable: false, default: "CURRENT_TIMESTAMP" } };
    await roundTrip(op, async (s) => {
      expect(s.tables.find((t) => t.name === "user")?.columns[4]).toEqual({ name: "joined", type: "datetime", nullable: false, default: "datetime('now')" });
      expect(await rows(`SELECT count(*) AS n FROM "user" WHERE "joined" IS NOT NULL`)).toEqual([{ n: 3 }]);
    });
    await expectSeedDataIntact();
  });

  it("addColumn NOT NULL without a default is a clear error", async () => {
    const op: Op = { kind: "addColumn", table: "user", column: { name: "must", type: "integer", nullable: false } };
    await dialect.prepareSession(db);
    await expect(dialect.render(op, db)).rejects.toBeInstanceOf(SqliteRebuildError);
    await expect(dialect.render(op, db)).rejects.toThrow(/"must" is NOT NULL without a default/);
    await dialect.restoreSession(db);
  });

  it("addColumn NOT NULL without a default rebuilds an empty table (the downgrade of a dropped column, as other databases allow)", async () => {
    await db.query(`CREATE TABLE "empty" ("id" integer PRIMARY KEY NOT NULL)`);
    await apply({ kind: "addColumn", table: "empty", column: { name: "must", type: "integer", nullable: false } });
    expect((await table("empty")).columns).toEqual([
      { name: "id", type: "integer", nullable: false },
      { name: "must", type: "integer", nullable: false },
    ]);
    await expect(db.query(`INSERT INTO "empty" ("id") VALUES (1)`)).rejects.toThrow(/NOT NULL/);
  });

  it("refuses to rebuild a referenced table while foreign keys are enforced, since DROP TABLE would cascade", async () => {
    const op: Op = { kind: "createCheck", table: "user", check: { name: "CHK", expression: "1" } };
    await expect(dialect.render(op, db)).rejects.toBeInstanceOf(ForeignKeysEnabledError);
    const unreferenced: Op = { kind: "createCheck", table: "post", check: { name: "CHK", expression: "1" } };
    expect(await dialect.render(unreferenced, db)).toContain(`DROP TABLE "post"`);
  });

  it("finds the table case-insensitively and keeps STRICT", async () => {
    await db.query(`CREATE TABLE "Strict One" ("id" integer PRIMARY KEY NOT NULL, "v" text) STRICT`);
    await db.query(`INSERT INTO "Strict One" VALUES (1, 'a')`);
    await apply({ kind: "createCheck", table: "strict one", check: { name: "CHK_v", expression: "length(v) < 5" } });
    const [{ sql }] = await rows(`SELECT sql FROM sqlite_master WHERE name = 'Strict One'`);
    expect(sql).toMatch(/\) STRICT$/);
    expect((await table("Strict One")).checks).toEqual([{ name: "CHK_v", expression: "length(v) < 5" }]);
    expect(await rows(`SELECT * FROM "Strict One"`)).toEqual([{ id: 1, v: "a" }]);
  });

  it("dropColumn of an indexed column rebuilds, dropping the index with it", async () => {
    const existing = (await table("user")).columns.find((c) => c.name === "name");
    const op: Op = { kind: "dropColumn", table: "user", column: "name", existing };
    await dialect.prepareSession(db);
    expect(await dialect.render(op, db)).toContain(`DROP TABLE "user"`);
    await dialect.restoreSession(db);
    // the view reads "name": drop it first, as one must before dropping a column a view uses
    await db.query(`DROP VIEW "user_posts"`);
    await db.query(`DROP TRIGGER "user_audit"`);
    await apply(op);
    const user = await table("user");
    expect(user.columns.map((c) => c.name)).toEqual(["id", "email", "age"]);
    expect(user.indexes).toEqual([]);
    expect(user.uniques).toEqual([{ name: "UQ_user_email", columns: ["email"] }]);
    expect(await rows(`SELECT "id", "email" FROM "user" ORDER BY "id"`)).toHaveLength(3);
    await childrenIntact();
  });

  it("dropColumn of a foreign-key column rebuilds without the foreign key; views on views over the table survive", async () => {
    await db.query(`CREATE VIEW "titles" AS SELECT "title" FROM "post"`);
    await db.query(`CREATE VIEW "short_titles" AS SELECT "title" FROM "titles" WHERE length("title") < 4`);
    const existing = (await table("post")).columns.find((c) => c.name === "userId");
    await apply({ kind: "dropColumn", table: "post", column: "userId", existing });
    const post = await table("post");
    expect(post.columns.map((c) => c.name)).toEqual(["id", "title"]);
    expect(post.foreignKeys).toEqual([]);
    expect(post.indexes).toEqual([{ name: "IX_post_title", columns: ["title"], where: `"title" <> ''` }]);
    expect(await rows(`SELECT "title" FROM "short_titles" ORDER BY "title"`)).toEqual([{ title: "one" }, { title: "two" }]);
  });

  it("createUnique / dropUnique keep rows; a unique over duplicates fails and rolls back", async () => {
    await roundTrip({ kind: "createUnique", table: "post", unique: { name: "UQ_post_title_user", columns: ["title", "userId"] } }, (s) => {
      expect(s.tables.find((t) => t.name === "post")?.uniques).toEqual([{ name: "UQ_post_title_user", columns: ["title", "userId"] }]);
    });
    await roundTrip({ kind: "dropUnique", table: "user", name: "UQ_user_email", existing: { name: "UQ_user_email", columns: ["email"] } }, (s) => {
      expect(s.tables.find((t) => t.name === "user")?.uniques).toEqual([]);
    });
    await db.query(`UPDATE "post" SET "title" = 'same' WHERE "userId" = 1`);
    const before = await schema();
    await expect(apply({ kind: "createUnique", table: "post", unique: { name: "UQ_t", columns: ["title"] } })).rejects.toThrow(/UNIQUE/);
    expect(await schema()).toEqual(before);
    await childrenIntact();
  });

  it("dropIndex naming a unique constraint (a revision written on MySQL) rebuilds the table without it, rows kept", async () => {
    const before = await rows(`SELECT * FROM "user" ORDER BY "id"`);
    await apply({ kind: "dropIndex", table: "user", name: "UQ_user_email" });
    expect(await table("user")).toMatchObject({ uniques: [] });
    expect(await rows(`SELECT * FROM "user" ORDER BY "id"`)).toEqual(before);
    await childrenIntact();
  });

  it("createCheck / dropCheck; a check the rows violate fails and rolls back", async () => {
    await roundTrip({ kind: "createCheck", table: "user", check: { name: "CHK_age", expression: '"age" IS NULL OR "age" >= 0' } }, async (s) => {
      expect(s.tables.find((t) => t.name === "user")?.checks).toEqual([{ name: "CHK_age", expression: '"age" IS NULL OR "age" >= 0' }]);
      await expect(db.query(`UPDATE "user" SET "age" = -1`)).rejects.toThrow(/CHECK/);
    });
    const before = await schema();
    await expect(apply({ kind: "createCheck", table: "user", check: { name: "CHK_old", expression: '"age" > 30' } })).rejects.toThrow(/CHECK/);
    expect(await schema()).toEqual(before);
    await expectSeedDataIntact();
  });

  it("dropForeignKey / createForeignKey keep the child rows", async () => {
    const existing = (await table("post")).foreignKeys?.[0];
    await roundTrip({ kind: "dropForeignKey", table: "post", name: "FK_post_user", existing }, async (s) => {
      expect(s.tables.find((t) => t.name === "post")?.foreignKeys).toEqual([]);
      expect(s.tables.find((t) => t.name === "post")?.indexes).toEqual([{ name: "IX_post_title", columns: ["title"], where: `"title" <> ''` }]);
      await childrenIntact();
    });
    await db.query(`DELETE FROM "user" WHERE "id" = 1`);
    expect(await rows(`SELECT count(*) AS n FROM "post" WHERE "userId" = 1`)).toEqual([{ n: 0 }]);
  });

  it("a rebuild that breaks a foreign key fails in verifyBeforeCommit and rolls back", async () => {
    await db.query(`CREATE TABLE "note" ("id" integer PRIMARY KEY NOT NULL, "userId" integer)`);
    await db.query(`INSERT INTO "note" VALUES (1, 1), (2, 99)`);
    const before = await schema();
    const op: Op = {
      kind: "createForeignKey",
      table: "note",
      foreignKey: { name: "FK_note_user", columns: ["userId"], referencedTable: "user", referencedColumns: ["id"], onDelete: "CASCADE", onUpdate: "NO ACTION" },
    };
    const error = await apply(op).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ForeignKeyViolationError);
    expect((error as ForeignKeyViolationError).violations).toEqual([{ table: "note", rowid: 2, parent: "user", fkid: 0 }]);
    expect(await schema()).toEqual(before);
    expect(await rows(`SELECT * FROM "note" ORDER BY "id"`)).toEqual([
      { id: 1, userId: 1 },
      { id: 2, userId: 99 },
    ]);
    expect(await rows(`PRAGMA foreign_keys`)).toEqual([{ foreign_keys: 1 }]);
  });

  it("an execute that orphans child rows is caught before commit", async () => {
    await expect(apply({ kind: "execute", sql: `DELETE FROM "user" WHERE "id" = 1` })).rejects.toBeInstanceOf(ForeignKeyViolationError);
    await expectSeedDataIntact();
  });

  it("createPrimaryKey / dropPrimaryKey on a table without one", async () => {
    await db.query(`INSERT INTO "audit" VALUES ('a'), ('b')`);
    await roundTrip({ kind: "createPrimaryKey", table: "audit", primaryKey: { columns: ["msg"] } }, (s) => {
      expect(s.tables.find((t) => t.name === "audit")?.primaryKey).toEqual({ columns: ["msg"] });
    });
    expect(await rows(`SELECT "msg" FROM "audit" ORDER BY "msg"`)).toEqual([{ msg: "a" }, { msg: "b" }]);
  });

  it("a self-referencing table keeps its rows and its foreign key", async () => {
    await db.query(`CREATE TABLE "node" ("id" integer PRIMARY KEY NOT NULL, "parentId" integer, "label" varchar(5), ` +
      `CONSTRAINT "FK_node_parent" FOREIGN KEY ("parentId") REFERENCES "node" ("id") ON DELETE CASCADE)`);
    await db.query(`INSERT INTO "node" VALUES (1, NULL, 'root'), (2, 1, 'kid'), (3, 2, 'leaf')`);
    await apply({ kind: "alterColumn", table: "node", column: "label", changes: { length: 50 }, existing: { name: "label", type: "varchar", length: 5, nullable: true } });
    expect(await rows(`SELECT count(*) AS n FROM "node"`)).toEqual([{ n: 3 }]);
    expect((await table("node")).foreignKeys?.[0]).toMatchObject({ name: "FK_node_parent", referencedTable: "node", onDelete: "CASCADE" });
  });
});

describe("sqlite session and lock", () => {
  it("prepareSession turns foreign keys off, restoreSession puts them back", async () => {
    await dialect.prepareSession(db);
    expect(await rows(`PRAGMA foreign_keys`)).toEqual([{ foreign_keys: 0 }]);
    expect(await rows(`PRAGMA legacy_alter_table`)).toEqual([{ legacy_alter_table: 0 }]);
    await dialect.restoreSession(db);
    expect(await rows(`PRAGMA foreign_keys`)).toEqual([{ foreign_keys: 1 }]);
  });

  it("acquireLock holds the write lock in a transaction: a second connection cannot write until releaseLock commits", async () => {
    const session = { db, transactions: connection.runner };
    const other = await connectWith(database.options);
    try {
      const otherSession = { db: other.db, transactions: other.runner };
      expect(await dialect.acquireLock(session, "retort", 0)).toBe(true);
      expect(connection.runner.isTransactionActive).toBe(true);
      await db.query(`CREATE TABLE "locked_write" (x)`);
      expect(await dialect.acquireLock(otherSession, "retort", 0)).toBe(false);
      expect(other.runner.isTransactionActive).toBe(false);
      expect((await dialect.lockHolder(otherSession, "retort"))?.description).toMatch(/SQLite database file .*is locked/);
      await dialect.releaseLock(session, "retort");
      expect(connection.runner.isTransactionActive).toBe(false);
      expect(await rows(`PRAGMA busy_timeout`)).toEqual([{ timeout: 5000 }]);
      expect(await dialect.acquireLock(otherSession, "retort", 0)).toBe(true);
      expect(await other.db.query(`SELECT name FROM sqlite_master WHERE name IN ('locked_write', 'retort migration lock')`)).toEqual([{ name: "locked_write" }]);
      await dialect.releaseLock(otherSession, "retort");
    } finally {
      await other.close();
    }
  });
});
