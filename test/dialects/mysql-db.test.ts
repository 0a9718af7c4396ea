import { mysqlDialect } from "../../src/dialects/mysql";
import type { Queryable } from "../../src/dialects/dialect";
import { applyColumnChanges, reverseOp } from "../../src/ops/reverse";
import type { ColumnChanges, Op } from "../../src/ops/types";
import type { Column, Table } from "../../src/schema/types";
import { connectWith, type Connection } from "../../src/runner/connection";
import {
  createTestDatabase,
  describeEachDialect,
  type TestDatabase,
} from "../support/databases";

const d = mysqlDialect;

describeEachDialect(
  "mysql dialect on a live database",
  () => {
    let testDb: TestDatabase;
    let conn: Connection;
    let db: Queryable;

    beforeAll(async () => {
      testDb = await createTestDatabase("mysql");
      conn = await connectWith(testDb.options);
      db = conn.db;
    });

    afterAll(async () => {
      await conn?.close();
      await testDb?.drop();
    });

    async function apply(op: Op): Promise<void> {
      for (const sql of await d.render(op, db)) await db.query(sql);
    }

    async function table(name: string): Promise<Table | undefined> {
      const schema = await d.introspect(db, {
        includeTable: (t) => t === name,
      });
      return schema.tables.find((t) => t.name === name);
    }

    async function mustTable(name: string): Promise<Table> {
      const t = await table(name);
      if (!t) throw new Error(`table ${name} is missing`);
      return t;
    }

    async function column(tableName: string, name: string): Promise<Column> {
      const c = (await mustTable(tableName)).columns.find(
        (col) => col.name === name,
      );
      if (!c) throw new Error(`column ${tableName}.${name} is missing`);
      return c;
    }

    const rows = (name: string, order = "id") =>
      db.query(
        `SELECT * FROM ${d.quoteIdentifier(name)} ORDER BY ${d.quoteIdentifier(order)}`,
      );

    /** A table with three rows of data, for the ops that must keep it. */
    async function seeded(name: string): Promise<void> {
      await db.query(
        `CREATE TABLE ${d.quoteIdentifier(name)} (id int NOT NULL AUTO_INCREMENT PRIMARY KEY, title varchar(20) NOT NULL DEFAULT 'none', ` +
          `qty int NOT NULL DEFAULT 0, price decimal(8,2) NULL, body text NULL, mood enum('sad','ok') NOT NULL DEFAULT 'ok', note varchar(30) NULL, ` +
          `parent_id int NULL)`,
      );
      await apply({
        kind: "bulkInsert",
        table: name,
        rows: [
          {
            title: "first",
            qty: 1,
            price: 1.5,
            body: "hello",
            mood: "sad",
            note: "n1",
          },
          {
            title: "second",
            qty: 2000000,
            price: 123456.78,
            body: "x".repeat(15),
            note: null,
          },
          {
            title: "it's",
            qty: -3,
            price: null,
            body: null,
            mood: "ok",
            note: "n3",
          },
        ],
      });
    }

    /** Applies `op`, lets `check` look, reverses it and expects the table back as it was; rows survive throughout. */
    async function applyAndReverse(
      name: string,
      op: Op,
      check: (after: Table | undefined) => Promise<void> | void,
      order = "id",
    ): Promise<void> {
      const before = await mustTable(name);
      const data = await rows(name, order);
      await apply(op);
      await check(await table(name));
      expect((await rows(name, order)).length).toBe(data.length);
      await apply(reverseOp(op)!);
      expect(await mustTable(name)).toEqual(before);
      expect(await rows(name, order)).toEqual(data);
    }

    describe("column changes keep the data", () => {
      const alterCases: Array<
        [string, string, ColumnChanges, (values: unknown[]) => void]
      > = [
        [
          "widen varchar",
          "title",
          { length: 200 },
          (v) => expect(v).toEqual(["first", "second", "it's"]),
        ],
        [
          "int -> bigint",
          "qty",
          { type: "bigint" },
          (v) => expect(v.map(Number)).toEqual([1, 2000000, -3]),
        ],
        [
          "text -> varchar",
          "body",
          { type: "varchar", length: 100 },
          (v) => expect(v).toEqual(["hello", "x".repeat(15), null]),
        ],
        [
          "varchar -> text",
          "title",
          { type: "text", default: null },
          (v) => expect(v).toEqual(["first", "second", "it's"]),
        ],
        [
          "decimal precision",
          "price",
          { precision: 12, scale: 3 },
          (v) => expect(v).toEqual(["1.500", "123456.780", null]),
        ],
        [
          "nullable",
          "qty",
          { nullable: true },
          (v) => expect(v.map(Number)).toEqual([1, 2000000, -3]),
        ],
        [
          "not null",
          "note",
          { nullable: false, default: "''" },
          () => undefined,
        ],
        [
          "default",
          "qty",
          { default: "7" },
          (v) => expect(v.map(Number)).toEqual([1, 2000000, -3]),
        ],
        [
          "expression default",
          "note",
          { type: "datetime", default: "CURRENT_TIMESTAMP" },
          () => undefined,
        ],
        [
          "comment",
          "title",
          { comment: "the title" },
          (v) => expect(v).toEqual(["first", "second", "it's"]),
        ],
        [
          "enum value added",
          "mood",
          { enumValues: ["sad", "ok", "happy"] },
          (v) => expect(v).toEqual(["sad", "ok", "ok"]),
        ],
        [
          "collation",
          "title",
          { collation: "utf8mb4_bin" },
          (v) => expect(v).toEqual(["first", "second", "it's"]),
        ],
      ];

      it.each(alterCases)(
        "alterColumn: %s",
        async (label, columnName, changes, checkValues) => {
          const name = `alter_${label.replace(/\W+/g, "_")}`;
          await seeded(name);
          if (label === "not null")
            await db.query(
              `UPDATE ${d.quoteIdentifier(name)} SET note = 'filled' WHERE note IS NULL`,
            );
          if (label === "expression default")
            await db.query(`UPDATE ${d.quoteIdentifier(name)} SET note = NULL`);
          const existing = await column(name, columnName);
          const op: Op = {
            kind: "alterColumn",
            table: name,
            column: columnName,
            changes,
            existing,
          };
          await applyAndReverse(name, op, async (after) => {
            const changed = after?.columns.find((c) => c.name === columnName);
            expect(changed).toEqual(
              d.canonicalColumn(applyColumnChanges(existing, changes)),
            );
            checkValues((await rows(name)).map((r) => r[columnName]));
          });
        },
      );

      it("alterColumn keeps AUTO_INCREMENT on a primary key widened to bigint", async () => {
        await seeded("alter_pk");
        const existing = await column("alter_pk", "id");
        const op: Op = {
          kind: "alterColumn",
          table: "alter_pk",
          column: "id",
          changes: { type: "bigint", unsigned: true },
          existing,
        };
        await applyAndReverse("alter_pk", op, async (after) => {
          expect(after?.columns[0]).toEqual({
            name: "id",
            type: "bigint",
            unsigned: true,
            nullable: false,
            autoIncrement: true,
          });
          expect(after?.primaryKey).toEqual({ columns: ["id"] });
          await db.query("INSERT INTO alter_pk (title) VALUES ('fourth')");
          expect((await rows("alter_pk")).map((r) => Number(r.id))).toEqual([
            1, 2, 3, 4,
          ]);
          await db.query("DELETE FROM alter_pk WHERE id = 4");
        });
      });

      it("alterColumn on a MariaDB json column keeps it json with a single json_valid check", async () => {
        await db.query(
          "CREATE TABLE alter_json (id int NOT NULL PRIMARY KEY, doc json NOT NULL)",
        );
        await apply({
          kind: "bulkInsert",
          table: "alter_json",
          rows: [{ id: 1, doc: { a: [1, 2] } }],
        });
        const existing = await column("alter_json", "doc");
        expect(existing).toEqual({
          name: "doc",
          type: "json",
          nullable: false,
        });
        await applyAndReverse(
          "alter_json",
          {
            kind: "alterColumn",
            table: "alter_json",
            column: "doc",
            changes: { nullable: true },
            existing,
          },
          (after) => {
            expect(after?.columns[1]).toEqual({
              name: "doc",
              type: "json",
              nullable: true,
            });
            expect(after?.checks).toBeUndefined();
          },
        );
        const doc = (await rows("alter_json"))[0].doc;
        expect(typeof doc === "string" ? JSON.parse(doc) : doc).toEqual({
          a: [1, 2],
        });
      });

      it("alterColumn keeps a MariaDB column-level check that MODIFY COLUMN would drop", async () => {
        await db.query(
          "CREATE TABLE alter_colcheck (id int NOT NULL PRIMARY KEY, n int NOT NULL CHECK (n > 0))",
        );
        await db.query("INSERT INTO alter_colcheck VALUES (1, 5)");
        const existing = await column("alter_colcheck", "n");
        const op: Op = {
          kind: "alterColumn",
          table: "alter_colcheck",
          column: "n",
          changes: { type: "bigint" },
          existing,
        };
        await applyAndReverse("alter_colcheck", op, async (after) => {
          expect(after?.checks).toEqual([{ name: "n", expression: "n > 0" }]);
          await expect(
            db.query("INSERT INTO alter_colcheck VALUES (2, -1)"),
          ).rejects.toThrow(/CONSTRAINT/i);
        });
      });

      it("alterColumn from json to text drops MariaDB's json_valid check with the alias", async () => {
        await db.query(
          "CREATE TABLE alter_unjson (id int NOT NULL PRIMARY KEY, doc json NULL)",
        );
        const existing = await column("alter_unjson", "doc");
        await apply({
          kind: "alterColumn",
          table: "alter_unjson",
          column: "doc",
          changes: { type: "text" },
          existing,
        });
        expect(await mustTable("alter_unjson")).toEqual({
          name: "alter_unjson",
          columns: [
            { name: "id", type: "int", nullable: false },
            { name: "doc", type: "text", nullable: true },
          ],
          primaryKey: { columns: ["id"] },
        });
        await db.query("INSERT INTO alter_unjson VALUES (1, 'not json')");
      });

      it("alterColumn online without `existing` reads the column from the database", async () => {
        await seeded("alter_online");
        const op: Op = {
          kind: "alterColumn",
          table: "alter_online",
          column: "title",
          changes: { length: 40, nullable: true },
        };
        await apply(op);
        expect(await column("alter_online", "title")).toEqual({
          name: "title",
          type: "varchar",
          length: 40,
          nullable: true,
          default: "'none'",
        });
        expect((await rows("alter_online")).map((r) => r.title)).toEqual([
          "first",
          "second",
          "it's",
        ]);
      });

      it("renameColumn", async () => {
        await seeded("rename_col");
        await applyAndReverse(
          "rename_col",
          {
            kind: "renameColumn",
            table: "rename_col",
            from: "title",
            to: "Mixed Case",
          },
          async (after) => {
            expect(after?.columns.map((c) => c.name)).toContain("Mixed Case");
            expect(
              (await rows("rename_col")).map((r) => r["Mixed Case"]),
            ).toEqual(["first", "second", "it's"]);
          },
        );
      });

      it("addColumn and dropColumn", async () => {
        await seeded("add_col");
        const added: Column = {
          name: "select",
          type: "varchar",
          length: 10,
          nullable: false,
          default: "'x'",
          comment: "reserved",
        };
        await applyAndReverse(
          "add_col",
          { kind: "addColumn", table: "add_col", column: added },
          async (after) => {
            expect(after?.columns.at(-1)).toEqual(d.canonicalColumn(added));
            expect((await rows("add_col")).map((r) => r.select)).toEqual([
              "x",
              "x",
              "x",
            ]);
          },
        );
        const existing = await column("add_col", "note");
        await apply({
          kind: "dropColumn",
          table: "add_col",
          column: "note",
          existing,
        });
        expect(
          (await mustTable("add_col")).columns.map((c) => c.name),
        ).not.toContain("note");
        expect((await rows("add_col")).length).toBe(3);
      });
    });

    describe("table, index and constraint ops", () => {
      beforeAll(async () => {
        await db.query(
          "CREATE TABLE parents (id int NOT NULL PRIMARY KEY, code varchar(10) NOT NULL)",
        );
        await db.query("INSERT INTO parents VALUES (1, 'a'), (2, 'b')");
      });

      it("renameTable", async () => {
        await seeded("rename_me");
        const before = await mustTable("rename_me");
        await apply({
          kind: "renameTable",
          from: "rename_me",
          to: "with`tick",
        });
        expect(await table("rename_me")).toBeUndefined();
        expect({
          ...(await mustTable("with`tick")),
          name: "rename_me",
        }).toEqual(before);
        expect((await rows("with`tick")).length).toBe(3);
        await apply({
          kind: "renameTable",
          from: "with`tick",
          to: "rename_me",
        });
        expect(await mustTable("rename_me")).toEqual(before);
      });

      it("createIndex / renameIndex / dropIndex in every flavour", async () => {
        await seeded("idx");
        const indexes = [
          { name: "idx_multi", columns: ["qty", "title"] },
          { name: "uq_title", columns: ["title"], unique: true },
          { name: "ft_body", columns: ["body"], fulltext: true },
        ];
        for (const index of indexes) {
          await applyAndReverse(
            "idx",
            { kind: "createIndex", table: "idx", index },
            (after) => {
              expect(after?.indexes).toEqual([index]);
            },
          );
        }
        await apply({ kind: "createIndex", table: "idx", index: indexes[0] });
        await applyAndReverse(
          "idx",
          {
            kind: "renameIndex",
            table: "idx",
            from: "idx_multi",
            to: "select",
          },
          (after) => {
            expect(after?.indexes).toEqual([
              { name: "select", columns: ["qty", "title"] },
            ]);
          },
        );
        await applyAndReverse(
          "idx",
          {
            kind: "dropIndex",
            table: "idx",
            name: "idx_multi",
            existing: indexes[0],
          },
          (after) => {
            expect(after?.indexes).toBeUndefined();
          },
        );
      });

      it("createUnique becomes a unique index; dropUnique removes it", async () => {
        await seeded("uniq");
        const unique = { name: "uq_title_qty", columns: ["title", "qty"] };
        await applyAndReverse(
          "uniq",
          { kind: "createUnique", table: "uniq", unique },
          (after) => {
            expect(after?.indexes).toEqual([{ ...unique, unique: true }]);
          },
        );
      });

      it("createCheck / dropCheck", async () => {
        await seeded("chk");
        await applyAndReverse(
          "chk",
          {
            kind: "createCheck",
            table: "chk",
            check: { name: "ck_qty", expression: "`qty` > -100" },
          },
          (after) => {
            expect(after?.checks).toEqual([
              { name: "ck_qty", expression: "qty > -100" },
            ]);
          },
        );
        await expect(
          db.query("INSERT INTO chk (title, qty) VALUES ('bad', -1000)"),
        ).resolves.toBeDefined();
        await apply({
          kind: "createCheck",
          table: "chk",
          check: { name: "ck_qty", expression: "qty > -100 OR qty = -1000" },
        });
        const check = (await mustTable("chk")).checks?.[0];
        await applyAndReverse(
          "chk",
          { kind: "dropCheck", table: "chk", name: "ck_qty", existing: check },
          (after) => {
            expect(after?.checks).toBeUndefined();
          },
        );
      });

      it("createForeignKey / dropForeignKey, leaving no implicit index behind", async () => {
        await seeded("child");
        await db.query("UPDATE child SET parent_id = 1 WHERE id = 1");
        const foreignKey = {
          name: "fk_child_parent",
          columns: ["parent_id"],
          referencedTable: "parents",
          referencedColumns: ["id"],
          onDelete: "CASCADE" as const,
          onUpdate: "RESTRICT" as const,
        };
        await applyAndReverse(
          "child",
          { kind: "createForeignKey", table: "child", foreignKey },
          (after) => {
            expect(after?.foreignKeys).toEqual([
              { ...foreignKey, onUpdate: "NO ACTION" },
            ]);
            expect(after?.indexes).toBeUndefined();
          },
        );
        const stats = await db.query(
          "SELECT INDEX_NAME FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'child'",
        );
        expect(stats.map((r) => r.INDEX_NAME)).toEqual(["PRIMARY"]);
      });

      it("createPrimaryKey / dropPrimaryKey", async () => {
        await db.query(
          "CREATE TABLE nopk (a int NOT NULL, b varchar(5) NOT NULL, c int NULL)",
        );
        await db.query("INSERT INTO nopk VALUES (1, 'x', 1), (2, 'y', NULL)");
        await applyAndReverse(
          "nopk",
          {
            kind: "createPrimaryKey",
            table: "nopk",
            primaryKey: { name: "pk", columns: ["b", "a"] },
          },
          (after) => {
            expect(after?.primaryKey).toEqual({ columns: ["b", "a"] });
          },
          "a",
        );
      });

      it("createTable / dropTable round-trip a rich definition", async () => {
        const definition: Table = {
          name: "Rich Table",
          comment: "rich",
          columns: [
            { name: "id", type: "bigint", unsigned: true, autoIncrement: true },
            {
              name: "select",
              type: "varchar",
              length: 80,
              nullable: true,
              default: "'it''s'",
              comment: "reserved",
            },
            { name: "code", type: "varchar" },
            {
              name: "price",
              type: "decimal",
              precision: 12,
              scale: 2,
              default: "1.50",
            },
            { name: "qty", type: "int", zerofill: true },
            {
              name: "status",
              type: "enum",
              enumValues: ["new", "it's done"],
              default: "'new'",
            },
            {
              name: "flags",
              type: "set",
              enumValues: ["a", "b"],
              nullable: true,
              default: "'a,b'",
            },
            { name: "name", type: "varchar", length: 20, charset: "latin1" },
            {
              name: "bin",
              type: "varchar",
              length: 20,
              collation: "utf8mb4_bin",
            },
            { name: "created", type: "timestamp", default: "now()" },
            {
              name: "updated",
              type: "datetime",
              precision: 6,
              default: "CURRENT_TIMESTAMP(6)",
              onUpdate: "CURRENT_TIMESTAMP(6)",
            },
            {
              name: "total",
              type: "decimal",
              precision: 14,
              scale: 2,
              generated: { expression: "`price` * `qty`", stored: true },
            },
            {
              name: "half",
              type: "double",
              generated: { expression: "price / 2", stored: false },
            },
            { name: "token", type: "char", length: 36, default: "uuid()" },
            { name: "doc", type: "json", nullable: true },
            { name: "flag", type: "boolean", default: "true" },
            { name: "ratio", type: "float", nullable: true },
            { name: "bits", type: "bit", length: 3, default: "b'101'" },
            { name: "day", type: "date", default: "'2020-01-01'" },
            { name: "blob", type: "blob", nullable: true },
            { name: "parent_id", type: "int", nullable: true },
          ],
          primaryKey: { columns: ["id"] },
          uniques: [{ name: "uq_code", columns: ["code"] }],
          indexes: [
            { name: "idx_price_qty", columns: ["qty", "price"] },
            { name: "ft_select", columns: ["select"], fulltext: true },
          ],
          foreignKeys: [
            {
              name: "fk_rich_parent",
              columns: ["parent_id"],
              referencedTable: "parents",
              referencedColumns: ["id"],
              onDelete: "SET NULL",
            },
          ],
          checks: [{ name: "ck_price", expression: "`price` >= 0" }],
        };
        const op: Op = { kind: "createTable", table: definition };
        await apply(op);
        expect(await mustTable("Rich Table")).toEqual(
          d.canonicalTable(definition),
        );
        await apply({
          kind: "bulkInsert",
          table: "Rich Table",
          rows: [{ code: "a", qty: 2, name: "n", bin: "b", doc: { k: 1 } }],
        });
        const [row] = await rows("Rich Table");
        expect(Number(row.total)).toBe(3);
        expect(row.flag).toBe(1);
        await apply(reverseOp(op)!);
        expect(await table("Rich Table")).toBeUndefined();
      });

      it("enum type ops and execute", async () => {
        for (const op of [
          { kind: "createEnum", name: "e", values: ["a"] },
          { kind: "alterEnum", name: "e", values: ["a", "b"], existing: ["a"] },
          { kind: "dropEnum", name: "e", existing: ["a"] },
        ] as Op[]) {
          expect(await d.render(op, db)).toEqual([]);
        }
        await apply({
          kind: "execute",
          sql: {
            mysql: "CREATE TABLE via_execute (a int NOT NULL)",
            postgres: "nope",
          },
        });
        expect(await mustTable("via_execute")).toEqual({
          name: "via_execute",
          columns: [{ name: "a", type: "int", nullable: false }],
        });
      });
    });

    describe("introspection", () => {
      it("reads tables created by raw SQL into the canonical form", async () => {
        await db.query(
          "CREATE TABLE raw_parent (id int(11) NOT NULL AUTO_INCREMENT, PRIMARY KEY (id))",
        );
        await db.query(`CREATE TABLE raw_all (
          id int(11) unsigned NOT NULL AUTO_INCREMENT,
          a varchar(20) DEFAULT 'ab''c' COMMENT 'x',
          b int DEFAULT -1,
          c numeric(10,2) DEFAULT '1.50',
          d datetime(3) DEFAULT current_timestamp(3) ON UPDATE current_timestamp(3),
          e timestamp NULL DEFAULT NOW(),
          f enum('x','y''z','a,b') DEFAULT 'x',
          h json,
          i text,
          j int AS (b + 1) VIRTUAL,
          k varchar(5) CHARACTER SET latin1,
          l varchar(5) COLLATE utf8mb4_bin,
          m tinyint(1) NOT NULL DEFAULT 1,
          n double precision,
          o char,
          p int,
          q bigint(20) NOT NULL DEFAULT 0,
          r datetime DEFAULT '2020-01-01 10:00:00',
          s varbinary(16),
          PRIMARY KEY (id),
          UNIQUE KEY uq_a (a),
          KEY idx_qb (q, b),
          CONSTRAINT fk_raw FOREIGN KEY (p) REFERENCES raw_parent (id) ON UPDATE CASCADE,
          CONSTRAINT ck_b CHECK (b > -10)
        ) COMMENT 'raw'`);
        const expected: Table = {
          name: "raw_all",
          comment: "raw",
          columns: [
            {
              name: "id",
              type: "int",
              unsigned: true,
              nullable: false,
              autoIncrement: true,
            },
            {
              name: "a",
              type: "varchar",
              length: 20,
              nullable: true,
              default: "'ab''c'",
              comment: "x",
            },
            { name: "b", type: "int", nullable: true, default: "-1" },
            {
              name: "c",
              type: "decimal",
              precision: 10,
              scale: 2,
              nullable: true,
              default: "1.5",
            },
            {
              name: "d",
              type: "datetime",
              precision: 3,
              nullable: true,
              default: "CURRENT_TIMESTAMP(3)",
              onUpdate: "CURRENT_TIMESTAMP(3)",
            },
            {
              name: "e",
              type: "timestamp",
              nullable: true,
              default: "CURRENT_TIMESTAMP",
            },
            {
              name: "f",
              type: "enum",
              enumValues: ["x", "y'z", "a,b"],
              nullable: true,
              default: "'x'",
            },
            { name: "h", type: "json", nullable: true },
            { name: "i", type: "text", nullable: true },
            {
              name: "j",
              type: "int",
              nullable: true,
              generated: { expression: "b + 1", stored: false },
            },
            {
              name: "k",
              type: "varchar",
              length: 5,
              nullable: true,
              charset: "latin1",
            },
            {
              name: "l",
              type: "varchar",
              length: 5,
              nullable: true,
              collation: "utf8mb4_bin",
            },
            { name: "m", type: "tinyint", nullable: false, default: "1" },
            { name: "n", type: "double", nullable: true },
            { name: "o", type: "char", length: 1, nullable: true },
            { name: "p", type: "int", nullable: true },
            { name: "q", type: "bigint", nullable: false, default: "0" },
            {
              name: "r",
              type: "datetime",
              nullable: true,
              default: "'2020-01-01 10:00:00'",
            },
            { name: "s", type: "varbinary", length: 16, nullable: true },
          ],
          primaryKey: { columns: ["id"] },
          indexes: [
            { name: "idx_qb", columns: ["q", "b"] },
            { name: "uq_a", columns: ["a"], unique: true },
          ],
          foreignKeys: [
            {
              name: "fk_raw",
              columns: ["p"],
              referencedTable: "raw_parent",
              referencedColumns: ["id"],
              onDelete: "NO ACTION",
              onUpdate: "CASCADE",
            },
          ],
          checks: [{ name: "ck_b", expression: "b > -10" }],
        };
        const introspected = await mustTable("raw_all");
        expect(introspected).toEqual(expected);
        // The introspected form is already canonical, and rendering it rebuilds the same table.
        expect(d.canonicalTable(introspected)).toEqual(introspected);
        const copy = {
          ...introspected,
          name: "raw_copy",
          foreignKeys: introspected.foreignKeys?.map((f) => ({
            ...f,
            name: "fk_copy",
          })),
        };
        await apply({ kind: "createTable", table: copy });
        expect(await mustTable("raw_copy")).toEqual(copy);
      });

      it("reports views and triggers as unmodelled and honours includeTable", async () => {
        await db.query("CREATE VIEW raw_view AS SELECT id FROM raw_parent");
        await db.query(
          "CREATE TRIGGER raw_trg BEFORE INSERT ON raw_parent FOR EACH ROW SET NEW.id = NEW.id",
        );
        const schema = await d.introspect(db, {
          includeTable: (t) => t.startsWith("raw_"),
        });
        expect(schema.tables.map((t) => t.name)).toEqual([
          "raw_all",
          "raw_copy",
          "raw_parent",
        ]);
        expect(schema.enums).toEqual([]);
        expect(schema.unmodelled).toEqual(
          expect.arrayContaining([
            { kind: "view", name: "raw_view" },
            { kind: "trigger", name: "raw_trg", table: "raw_parent" },
          ]),
        );
        const none = await d.introspect(db, {
          includeTable: (t) => t === "nothing",
        });
        expect(none).toEqual({ tables: [], enums: [] });
      });

      it("issues the same number of queries for 1 table and for 50", async () => {
        const count = async (): Promise<number> => {
          let n = 0;
          await d.introspect(db, { onQuery: () => n++ });
          return n;
        };
        const small = await createTestDatabase("mysql");
        const c = await connectWith(small.options);
        try {
          const countOn = async (): Promise<number> => {
            let n = 0;
            const schema = await d.introspect(c.db, { onQuery: () => n++ });
            return n + 0 * schema.tables.length;
          };
          await c.db.query(
            "CREATE TABLE t0 (id int PRIMARY KEY, v varchar(5))",
          );
          const one = await countOn();
          for (let i = 1; i < 50; i++)
            await c.db.query(
              `CREATE TABLE t${i} (id int PRIMARY KEY, v varchar(5), KEY k (v))`,
            );
          const fifty = await countOn();
          expect((await d.introspect(c.db)).tables).toHaveLength(50);
          expect(fifty).toBe(one);
          expect(await count()).toBe(one);
        } finally {
          await c.close();
          await small.drop();
        }
      });
    });

    describe("locks", () => {
      it("GET_LOCK excludes a second session until released, names the holder, and carries the database name", async () => {
        const other = await connectWith(testDb.options);
        try {
          const session = { db, transactions: conn.runner };
          const otherSession = { db: other.db, transactions: other.runner };
          expect(await d.acquireLock(session, "retort_test_lock", 0)).toBe(true);
          const [mine] = await db.query<{ id: unknown; name: string }>(
            "SELECT CONNECTION_ID() AS id, DATABASE() AS name",
          );
          const name = `retort_test_lock@${mine.name}`;
          const [used] = await other.db.query<{ id: unknown }>("SELECT IS_USED_LOCK(?) AS id", [name]);
          expect(String(used.id)).toBe(String(mine.id));
          expect(await d.acquireLock(otherSession, "retort_test_lock", 1000)).toBe(false);
          expect(await d.lockHolder(otherSession, "retort_test_lock")).toEqual({
            description: expect.stringMatching(new RegExp(`^MySQL connection id ${mine.id} \\(root@`)),
            remedy: `KILL ${mine.id}`,
          });
          await d.releaseLock(session, "retort_test_lock");
          expect(await d.lockHolder(otherSession, "retort_test_lock")).toBeUndefined();
          expect(await d.acquireLock(otherSession, "retort_test_lock", 0)).toBe(true);
          await d.releaseLock(otherSession, "retort_test_lock");
          const [free] = await db.query<{ free: unknown }>("SELECT IS_FREE_LOCK(?) AS free", [name]);
          expect(Number(free.free)).toBe(1);
        } finally {
          await other.close();
        }
      });

      it("hashes a lock name longer than GET_LOCK's 64 characters", async () => {
        const other = await connectWith(testDb.options);
        try {
          const key = `retort:${"v".repeat(70)}`;
          expect(await d.acquireLock({ db, transactions: conn.runner }, key, 0)).toBe(true);
          expect(await d.acquireLock({ db: other.db, transactions: other.runner }, key, 0)).toBe(false);
          await d.releaseLock({ db, transactions: conn.runner }, key);
          expect(await d.acquireLock({ db: other.db, transactions: other.runner }, key, 0)).toBe(true);
          await d.releaseLock({ db: other.db, transactions: other.runner }, key);
        } finally {
          await other.close();
        }
      });
    });
  },
  ["mysql"],
);
