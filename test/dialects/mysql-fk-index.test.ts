import { mysqlDialect as d } from "../../src/dialects/mysql";
import type { Queryable } from "../../src/dialects/dialect";
import type { Op } from "../../src/ops/types";
import { connectWith, type Connection } from "../../src/runner/connection";
import { createTestDatabase, describeEachDialect, type TestDatabase } from "../support/databases";

describeEachDialect(
  "mysql indexes that back a foreign key",
  () => {
    let testDb: TestDatabase;
    let conn: Connection;
    let db: Queryable;

    beforeAll(async () => {
      testDb = await createTestDatabase("mysql");
      conn = await connectWith(testDb.options);
      db = conn.db;
      await db.query("CREATE TABLE users (id INT PRIMARY KEY)");
      await db.query(
        "CREATE TABLE posts (id INT PRIMARY KEY, author_id INT NOT NULL, INDEX IDX_author (author_id), CONSTRAINT FK_author FOREIGN KEY (author_id) REFERENCES users (id))",
      );
      await db.query("INSERT INTO users VALUES (1)");
      await db.query("INSERT INTO posts VALUES (1, 1)");
    });

    afterAll(async () => {
      await conn?.close();
      await testDb?.drop();
    });

    const apply = async (op: Op) => {
      const statements = await d.render(op, db);
      for (const sql of statements) await db.query(sql);
      return statements;
    };
    const indexNames = async () =>
      (
        await db.query<{ name: string }>(
          "SELECT DISTINCT INDEX_NAME AS name FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'posts' ORDER BY 1",
        )
      ).map((r) => r.name);

    it("dropping the only index a foreign key can use gives the key an index named after it", async () => {
      expect(await apply({ kind: "dropIndex", table: "posts", name: "IDX_author" })).toEqual([
        "ALTER TABLE `posts` DROP INDEX `IDX_author`, ADD INDEX `FK_author` (`author_id`)",
      ]);
      expect(await indexNames()).toEqual(["FK_author", "PRIMARY"]);
      // The introspector hides the key's own index: the model sees no index at all.
      const schema = await d.introspect(db, { includeTable: (t) => t === "posts" });
      expect(schema.tables[0]!.indexes ?? []).toEqual([]);
    });

    it("re-creating a user index that backs the key drops the key's own index", async () => {
      expect(await apply({ kind: "createIndex", table: "posts", index: { name: "IDX_author", columns: ["author_id"] } })).toEqual([
        "ALTER TABLE `posts` ADD INDEX `IDX_author` (`author_id`), DROP INDEX `FK_author`",
      ]);
      expect(await indexNames()).toEqual(["IDX_author", "PRIMARY"]);
    });

    it("an index another index can stand in for is dropped plainly", async () => {
      await db.query("CREATE INDEX IDX_author_id ON posts (author_id, id)");
      expect(await apply({ kind: "dropIndex", table: "posts", name: "IDX_author" })).toEqual(["ALTER TABLE `posts` DROP INDEX `IDX_author`"]);
      expect(await indexNames()).toEqual(["IDX_author_id", "PRIMARY"]);
      expect(await db.query("SELECT author_id FROM posts")).toEqual([{ author_id: 1 }]);
    });

    it("offline, the index is dropped with plain DROP INDEX", async () => {
      expect(await d.render({ kind: "dropIndex", table: "posts", name: "IDX_x" })).toEqual(["DROP INDEX `IDX_x` ON `posts`"]);
    });
  },
  ["mysql"],
);
