import { postgresDialect } from "../../src/dialects/postgres";
import { reverseOp } from "../../src/ops/reverse";
import type { Op } from "../../src/ops/types";
import type { Column, Schema, Table } from "../../src/schema/types";
import { connectWith, type Connection } from "../../src/runner/connection";
import { createTestDatabase, describeEachDialect, type TestDatabase } from "../support/databases";

describeEachDialect(
  "postgres dialect against a live database",
  () => {
    let testDb: TestDatabase;
    let conn: Connection;

    beforeAll(async () => {
      testDb = await createTestDatabase("postgres");
      conn = await connectWith(testDb.options);
    });

    afterAll(async () => {
      await conn?.close();
      await testDb?.drop();
    });

    const sql = (text: string) => conn.db.query(text);

    async function apply(op: Op): Promise<void> {
      for (const statement of await postgresDialect.render(op, conn.db)) await conn.db.query(statement);
    }

    async function schema(): Promise<Schema> {
      return postgresDialect.introspect(conn.db);
    }

    async function table(name: string): Promise<Table> {
      const found = (await schema()).tables.find((t) => t.name === name);
      if (!found) throw new Error(`table ${name} not found`);
      return found;
    }

    async function column(tableName: string, name: string): Promise<Column> {
      const found = (await table(tableName)).columns.find((c) => c.name === name);
      if (!found) throw new Error(`column ${tableName}.${name} not found`);
      return found;
    }

    async function rows(tableName: string, order = "id"): Promise<Record<string, unknown>[]> {
      return conn.db.query(`SELECT * FROM "${tableName}" ORDER BY "${order}"`);
    }

    describe("introspection of a schema written in raw SQL", () => {
      beforeAll(async () => {
        await sql(`CREATE TYPE "mood" AS ENUM ('sad', 'ok', 'happy')`);
        await sql(`CREATE TABLE "parent" ("id" serial PRIMARY KEY, "code" varchar(10) NOT NULL, CONSTRAINT "parent_code_key" UNIQUE ("code"))`);
        await sql(`CREATE TABLE "Kitchen Sink" (
          "id" bigint GENERATED ALWAYS AS IDENTITY,
          "small" int2 DEFAULT 0,
          "num" numeric(10,2) NOT NULL DEFAULT 1.50,
          "neg" integer DEFAULT -1,
          "plain_num" numeric,
          "name" varchar(40) NOT NULL DEFAULT 'it''s',
          "fixed" char(3),
          "onechar" char,
          "body" text COLLATE "C",
          "flag" bool NOT NULL DEFAULT true,
          "ratio" float8,
          "r4" real,
          "created" timestamptz NOT NULL DEFAULT now(),
          "updated" timestamp(3) DEFAULT CURRENT_TIMESTAMP,
          "t" time,
          "d" date DEFAULT CURRENT_DATE,
          "u" uuid DEFAULT gen_random_uuid(),
          "doc" jsonb DEFAULT '{}'::jsonb,
          "tags" text[] DEFAULT '{}',
          "codes" varchar(5)[],
          "m" mood NOT NULL DEFAULT 'ok',
          "ms" mood[],
          "parent_id" integer,
          "twice" numeric GENERATED ALWAYS AS (num * 2) STORED,
          "bits" bit(8),
          "iv" interval,
          "bin" bytea,
          CONSTRAINT "sink_pk" PRIMARY KEY ("id"),
          CONSTRAINT "sink_name_small_uq" UNIQUE ("name", "small") DEFERRABLE INITIALLY DEFERRED,
          CONSTRAINT "sink_parent_fk" FOREIGN KEY ("parent_id") REFERENCES "parent" ("id") ON DELETE SET NULL ON UPDATE CASCADE,
          CONSTRAINT "sink_num_positive" CHECK (num > 0)
        )`);
        await sql(`CREATE INDEX "sink_created_idx" ON "Kitchen Sink" ("created" DESC, "name")`);
        await sql(`CREATE UNIQUE INDEX "sink_lower_name" ON "Kitchen Sink" (lower("name")) WHERE "flag"`);
        await sql(`CREATE INDEX "sink_doc_gin" ON "Kitchen Sink" USING gin ("doc")`);
        await sql(`COMMENT ON TABLE "Kitchen Sink" IS 'everything'`);
        await sql(`COMMENT ON COLUMN "Kitchen Sink"."name" IS 'display name'`);
        await sql(`CREATE VIEW "v_parent" AS SELECT id FROM parent`);
        await sql(`CREATE FUNCTION trg_fn() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN RETURN NEW; END $$`);
        await sql(`CREATE TRIGGER "parent_trg" BEFORE INSERT ON "parent" FOR EACH ROW EXECUTE FUNCTION trg_fn()`);
      });

      afterAll(async () => {
        await sql(`DROP VIEW "v_parent"`);
        await sql(`DROP TABLE "Kitchen Sink"`);
        await sql(`DROP TABLE "parent"`);
        await sql(`DROP FUNCTION trg_fn()`);
        await sql(`DROP TYPE "mood"`);
      });

      it("reads every column in canonical form", async () => {
        const sink = await table("Kitchen Sink");
        const mood = { type: "enum", enumName: "mood", enumValues: ["sad", "ok", "happy"] };
        expect(sink.columns).toEqual([
          { name: "id", type: "bigint", nullable: false, identity: "ALWAYS" },
          { name: "small", type: "smallint", nullable: true, default: "0" },
          { name: "num", type: "numeric", precision: 10, scale: 2, nullable: false, default: "1.50" },
          { name: "neg", type: "integer", nullable: true, default: "-1" },
          { name: "plain_num", type: "numeric", nullable: true },
          { name: "name", type: "character varying", length: 40, nullable: false, default: "'it''s'", comment: "display name" },
          { name: "fixed", type: "character", length: 3, nullable: true },
          { name: "onechar", type: "character", length: 1, nullable: true },
          { name: "body", type: "text", nullable: true, collation: "C" },
          { name: "flag", type: "boolean", nullable: false, default: "true" },
          { name: "ratio", type: "double precision", nullable: true },
          { name: "r4", type: "real", nullable: true },
          { name: "created", type: "timestamp with time zone", nullable: false, default: "CURRENT_TIMESTAMP" },
          { name: "updated", type: "timestamp without time zone", precision: 3, nullable: true, default: "CURRENT_TIMESTAMP" },
          { name: "t", type: "time without time zone", nullable: true },
          { name: "d", type: "date", nullable: true, default: "CURRENT_DATE" },
          { name: "u", type: "uuid", nullable: true, default: "gen_random_uuid()" },
          { name: "doc", type: "jsonb", nullable: true, default: "'{}'" },
          { name: "tags", type: "text", array: true, nullable: true, default: "'{}'" },
          { name: "codes", type: "character varying", length: 5, array: true, nullable: true },
          { name: "m", nullable: false, default: "'ok'", ...mood },
          { name: "ms", array: true, nullable: true, ...mood },
          { name: "parent_id", type: "integer", nullable: true },
          { name: "twice", type: "numeric", nullable: true, generated: { expression: "num * 2::NUMERIC", stored: true } },
          { name: "bits", type: "bit", length: 8, nullable: true },
          { name: "iv", type: "interval", nullable: true },
          { name: "bin", type: "bytea", nullable: true },
        ]);
      });

      it("reads keys, constraints, indexes and the table comment", async () => {
        const sink = await table("Kitchen Sink");
        expect(postgresDialect.canonicalTable(sink)).toEqual(sink);
        const { columns: _columns, ...rest } = sink;
        expect(rest).toEqual({
          name: "Kitchen Sink",
          primaryKey: { name: "sink_pk", columns: ["id"] },
          uniques: [{ name: "sink_name_small_uq", columns: ["name", "small"], deferrable: "INITIALLY DEFERRED" }],
          indexes: [
            { name: "sink_created_idx", columns: ["created", "name"], order: ["DESC", ""] },
            { name: "sink_doc_gin", columns: ["doc"], using: "gin" },
            { name: "sink_lower_name", columns: ["lower(name::text)"], unique: true, where: "flag" },
          ],
          foreignKeys: [
            {
              name: "sink_parent_fk",
              columns: ["parent_id"],
              referencedTable: "parent",
              referencedColumns: ["id"],
              onDelete: "SET NULL",
              onUpdate: "CASCADE",
            },
          ],
          checks: [{ name: "sink_num_positive", expression: "num > 0" }],
          comment: "everything",
        });
        expect(await table("parent")).toEqual({
          name: "parent",
          columns: [
            { name: "id", type: "integer", nullable: false, autoIncrement: true },
            { name: "code", type: "character varying", length: 10, nullable: false },
          ],
          primaryKey: { name: "parent_pkey", columns: ["id"] },
          uniques: [{ name: "parent_code_key", columns: ["code"] }],
          indexes: [],
          foreignKeys: [],
          checks: [],
        });
      });

      it("reads enums, views and triggers, and honours includeTable", async () => {
        const s = await postgresDialect.introspect(conn.db, { includeTable: (name) => name !== "parent" });
        expect(s.tables.map((t) => t.name)).toEqual(["Kitchen Sink"]);
        expect(s.enums).toEqual([{ name: "mood", values: ["sad", "ok", "happy"] }]);
        expect(s.unmodelled).toEqual([{ kind: "view", name: "v_parent" }]);
        const all = await schema();
        expect(all.unmodelled).toEqual([
          { kind: "trigger", name: "parent_trg", table: "parent" },
          { kind: "view", name: "v_parent" },
        ]);
      });

      it("each introspected table renders back to itself (createTable round trip)", async () => {
        const before = await table("parent");
        const copy = { ...before, name: "parent_copy", primaryKey: { name: "parent_copy_pkey", columns: ["id"] }, uniques: [{ name: "parent_copy_code_key", columns: ["code"] }] };
        await apply({ kind: "createTable", table: copy });
        expect(await table("parent_copy")).toEqual(copy);
        await apply({ kind: "dropTable", table: "parent_copy" });
      });
      it("the kitchen-sink table renders back to itself through createTable", async () => {
        const sink = await table("Kitchen Sink");
        const rename = <T extends { name: string }>(x: T): T => ({ ...x, name: `c_${x.name}` });
        const copy: Table = {
          ...sink,
          name: "Sink Copy",
          primaryKey: { name: "c_sink_pk", columns: ["id"] },
          uniques: sink.uniques!.map(rename),
          indexes: sink.indexes!.map(rename),
          foreignKeys: sink.foreignKeys!.map(rename),
          checks: sink.checks!.map(rename),
        };
        await apply({ kind: "createTable", table: copy });
        expect(await table("Sink Copy")).toEqual(copy);
        await apply({ kind: "dropTable", table: "Sink Copy" });
      });
    });

    describe("the introspector's query count does not grow with the number of tables", () => {
      it("issues the same number of queries for 1 table and for 50", async () => {
        const count = async () => {
          const queries: string[] = [];
          await postgresDialect.introspect(conn.db, { onQuery: (q) => queries.push(q) });
          return queries.length;
        };
        await sql(`CREATE TABLE "bench_0" ("id" serial PRIMARY KEY, "v" text)`);
        const one = await count();
        for (let i = 1; i < 50; i++) {
          await sql(`CREATE TABLE "bench_${i}" ("id" serial PRIMARY KEY, "v" text UNIQUE, "p" integer REFERENCES "bench_0" ("id"))`);
          await sql(`CREATE INDEX "bench_${i}_v" ON "bench_${i}" ("v")`);
        }
        const fifty = await count();
        expect((await schema()).tables.filter((t) => t.name.startsWith("bench_"))).toHaveLength(50);
        expect(fifty).toBe(one);
        expect(one).toBe(6);
        for (let i = 49; i >= 0; i--) await sql(`DROP TABLE "bench_${i}"`);
      });
    });

    describe("ops applied to tables holding rows", () => {
      let n = 0;
      let t: string;

      /** A fresh table with three rows: id serial, name varchar(10), qty integer, price numeric(10,2), note text. */
      beforeEach(async () => {
        t = `items_${++n}`;
        await apply({
          kind: "createTable",
          table: {
            name: t,
            columns: [
              { name: "id", type: "integer", autoIncrement: true, nullable: false },
              { name: "name", type: "varchar", length: 10, nullable: false },
              { name: "qty", type: "integer", nullable: true },
              { name: "price", type: "numeric", precision: 10, scale: 2, nullable: true },
              { name: "note", type: "text", nullable: true },
            ],
            primaryKey: { name: `${t}_pk`, columns: ["id"] },
          },
        });
        await apply({
          kind: "bulkInsert",
          table: t,
          rows: [
            { name: "a", qty: 1, price: 1.5, note: "x" },
            { name: "b", qty: 2, price: 2.25, note: "it's" },
            { name: "c", qty: 3, note: "12" },
          ],
        });
      });

      const names = async () => (await rows(t)).map((r) => r["name"]);
      const alter = (col: string, changes: object, existing: Column, using?: string) =>
        apply({ kind: "alterColumn", table: t, column: col, changes, existing, ...(using ? { using } : {}) } as Op);

      it("numeric to boolean and back converts through integer, keeping the values", async () => {
        await sql(`UPDATE "${t}" SET price = CASE WHEN id = 1 THEN 1 ELSE 0 END`);
        const price = await column(t, "price");
        await alter("price", { type: "boolean", precision: undefined, scale: undefined }, price);
        expect((await rows(t)).map((r) => r["price"])).toEqual([true, false, false]);
        await alter("price", { type: "numeric", precision: 10, scale: 2 }, await column(t, "price"));
        expect((await rows(t)).map((r) => r["price"])).toEqual(["1.00", "0.00", "0.00"]);
      });

      it("bulkInsert wrote the rows with their values", async () => {
        expect(await rows(t)).toEqual([
          { id: 1, name: "a", qty: 1, price: "1.50", note: "x" },
          { id: 2, name: "b", qty: 2, price: "2.25", note: "it's" },
          { id: 3, name: "c", qty: 3, price: null, note: "12" },
        ]);
      });

      it("widens a varchar in place", async () => {
        await alter("name", { length: 50 }, { name: "name", type: "varchar", length: 10, nullable: false });
        expect(await column(t, "name")).toEqual({ name: "name", type: "character varying", length: 50, nullable: false });
        expect(await names()).toEqual(["a", "b", "c"]);
      });

      it("changes integer to bigint", async () => {
        await alter("qty", { type: "bigint" }, { name: "qty", type: "integer", nullable: true });
        expect(await column(t, "qty")).toEqual({ name: "qty", type: "bigint", nullable: true });
        expect((await rows(t)).map((r) => r["qty"])).toEqual(["1", "2", "3"]);
      });

      it("changes text to varchar and back", async () => {
        await alter("note", { type: "varchar", length: 20 }, { name: "note", type: "text", nullable: true });
        expect(await column(t, "note")).toEqual({ name: "note", type: "character varying", length: 20, nullable: true });
        await alter("note", { type: "text", length: null }, { name: "note", type: "varchar", length: 20, nullable: true });
        expect(await column(t, "note")).toEqual({ name: "note", type: "text", nullable: true });
        expect((await rows(t)).map((r) => r["note"])).toEqual(["x", "it's", "12"]);
      });

      it("changes numeric precision and scale", async () => {
        await alter("price", { precision: 12, scale: 4 }, { name: "price", type: "numeric", precision: 10, scale: 2, nullable: true });
        expect(await column(t, "price")).toEqual({ name: "price", type: "numeric", precision: 12, scale: 4, nullable: true });
        expect((await rows(t)).map((r) => r["price"])).toEqual(["1.5000", "2.2500", null]);
      });

      it("casts text to integer with USING, keeping values", async () => {
        await sql(`UPDATE "${t}" SET note = id::text`);
        await alter("note", { type: "integer" }, { name: "note", type: "text", nullable: true });
        expect(await column(t, "note")).toEqual({ name: "note", type: "integer", nullable: true });
        expect((await rows(t)).map((r) => r["note"])).toEqual([1, 2, 3]);
      });

      it("sets and drops NOT NULL, sets and drops a default, comments", async () => {
        const qty: Column = { name: "qty", type: "integer", nullable: true };
        await alter("qty", { nullable: false, default: "0", comment: "how many" }, qty);
        expect(await column(t, "qty")).toEqual({ name: "qty", type: "integer", nullable: false, default: "0", comment: "how many" });
        await alter("qty", { nullable: true, default: null, comment: null }, { ...qty, nullable: false, default: "0", comment: "how many" });
        expect(await column(t, "qty")).toEqual(qty);
        expect(await names()).toEqual(["a", "b", "c"]);
      });

      it("changes a type under a default by dropping and restoring it", async () => {
        await alter("qty", { default: "7" }, { name: "qty", type: "integer", nullable: true });
        await alter("qty", { type: "bigint" }, { name: "qty", type: "integer", nullable: true, default: "7" });
        expect(await column(t, "qty")).toEqual({ name: "qty", type: "bigint", nullable: true, default: "7" });
      });

      it("changes collation", async () => {
        await alter("note", { collation: "C" }, { name: "note", type: "text", nullable: true });
        expect(await column(t, "note")).toEqual({ name: "note", type: "text", nullable: true, collation: "C" });
        await alter("note", { collation: null }, { name: "note", type: "text", nullable: true, collation: "C" });
        expect(await column(t, "note")).toEqual({ name: "note", type: "text", nullable: true });
      });

      it("turns autoIncrement off and on, continuing after the highest id", async () => {
        const id: Column = { name: "id", type: "integer", nullable: false, autoIncrement: true };
        await alter("id", { autoIncrement: null }, id);
        expect(await column(t, "id")).toEqual({ name: "id", type: "integer", nullable: false });
        await alter("id", { autoIncrement: true }, { name: "id", type: "integer", nullable: false });
        expect(await column(t, "id")).toEqual(id);
        await sql(`INSERT INTO "${t}" (name) VALUES ('d')`);
        expect((await rows(t)).map((r) => r["id"])).toEqual([1, 2, 3, 4]);
      });

      it("adds, changes and drops identity", async () => {
        const qty: Column = { name: "qty", type: "integer", nullable: false };
        await alter("qty", { nullable: false }, { ...qty, nullable: true });
        await alter("qty", { identity: "BY DEFAULT" }, qty);
        expect(await column(t, "qty")).toEqual({ ...qty, identity: "BY DEFAULT" });
        await alter("qty", { identity: "ALWAYS" }, { ...qty, identity: "BY DEFAULT" });
        expect(await column(t, "qty")).toEqual({ ...qty, identity: "ALWAYS" });
        await alter("qty", { identity: null }, { ...qty, identity: "ALWAYS" });
        expect(await column(t, "qty")).toEqual(qty);
      });

      it("drops a generation expression, keeping the values", async () => {
        await apply({ kind: "addColumn", table: t, column: { name: "double", type: "integer", generated: { expression: "qty * 2", stored: true } } });
        expect(await column(t, "double")).toEqual({ name: "double", type: "integer", nullable: true, generated: { expression: "qty * 2", stored: true } });
        await alter("double", { generated: null }, { name: "double", type: "integer", generated: { expression: "qty * 2", stored: true } });
        expect(await column(t, "double")).toEqual({ name: "double", type: "integer", nullable: true });
        expect((await rows(t)).map((r) => r["double"])).toEqual([2, 4, 6]);
      });

      it("renames the table and a column", async () => {
        await apply({ kind: "renameColumn", table: t, from: "name", to: "Display Name" });
        await apply({ kind: "renameTable", from: t, to: `${t} renamed` });
        const renamed = await table(`${t} renamed`);
        expect(renamed.columns.map((c) => c.name)).toEqual(["id", "Display Name", "qty", "price", "note"]);
        expect((await rows(`${t} renamed`)).map((r) => r["Display Name"])).toEqual(["a", "b", "c"]);
        await apply({ kind: "renameTable", from: `${t} renamed`, to: t });
      });

      it("adds and drops columns", async () => {
        await apply({ kind: "addColumn", table: t, column: { name: "select", type: "boolean", nullable: false, default: "false", comment: "kw" } });
        expect(await column(t, "select")).toEqual({ name: "select", type: "boolean", nullable: false, default: "false", comment: "kw" });
        expect((await rows(t)).map((r) => r["select"])).toEqual([false, false, false]);
        await apply({ kind: "dropColumn", table: t, column: "select" });
        expect((await table(t)).columns.map((c) => c.name)).toEqual(["id", "name", "qty", "price", "note"]);
      });

      it("creates, renames and drops indexes (unique, partial, method)", async () => {
        await apply({ kind: "createIndex", table: t, index: { name: `${t}_ix`, columns: ["qty", "name"] } });
        await apply({ kind: "createIndex", table: t, index: { name: `${t}_uq_ix`, columns: ["name"], unique: true, where: "qty > 1" } });
        await apply({ kind: "createIndex", table: t, index: { name: `${t}_hash`, columns: ["note"], using: "hash" } });
        await apply({ kind: "renameIndex", table: t, from: `${t}_ix`, to: `${t}_ix2` });
        expect((await table(t)).indexes).toEqual([
          { name: `${t}_hash`, columns: ["note"], using: "hash" },
          { name: `${t}_ix2`, columns: ["qty", "name"] },
          { name: `${t}_uq_ix`, columns: ["name"], unique: true, where: "qty > 1" },
        ]);
        for (const name of [`${t}_hash`, `${t}_ix2`, `${t}_uq_ix`]) await apply({ kind: "dropIndex", table: t, name });
        expect((await table(t)).indexes).toEqual([]);
        expect(await names()).toEqual(["a", "b", "c"]);
      });

      it("creates and drops unique, check and foreign-key constraints", async () => {
        await apply({ kind: "createUnique", table: t, unique: { name: `${t}_name_uq`, columns: ["name"] } });
        await apply({ kind: "createCheck", table: t, check: { name: `${t}_qty_ck`, expression: "qty >= 0" } });
        await apply({
          kind: "createForeignKey",
          table: t,
          foreignKey: {
            name: `${t}_self_fk`,
            columns: ["qty"],
            referencedTable: t,
            referencedColumns: ["id"],
            onDelete: "CASCADE",
            onUpdate: "RESTRICT",
            deferrable: "INITIALLY IMMEDIATE",
          },
        });
        const after = await table(t);
        expect(after.uniques).toEqual([{ name: `${t}_name_uq`, columns: ["name"] }]);
        expect(after.checks).toEqual([{ name: `${t}_qty_ck`, expression: "qty >= 0" }]);
        expect(after.foreignKeys).toEqual([
          {
            name: `${t}_self_fk`,
            columns: ["qty"],
            referencedTable: t,
            referencedColumns: ["id"],
            onDelete: "CASCADE",
            onUpdate: "RESTRICT",
            deferrable: "INITIALLY IMMEDIATE",
          },
        ]);
        await apply({ kind: "dropForeignKey", table: t, name: `${t}_self_fk` });
        await apply({ kind: "dropCheck", table: t, name: `${t}_qty_ck` });
        await apply({ kind: "dropUnique", table: t, name: `${t}_name_uq` });
        const cleared = await table(t);
        expect([cleared.uniques, cleared.checks, cleared.foreignKeys]).toEqual([[], [], []]);
        expect(await names()).toEqual(["a", "b", "c"]);
      });

      it("dropIndex naming a unique constraint's index drops the constraint (a revision written on MySQL)", async () => {
        await apply({ kind: "createUnique", table: t, unique: { name: `${t}_name_uq`, columns: ["name"] } });
        await apply({ kind: "dropIndex", table: t, name: `${t}_name_uq` });
        expect(await table(t)).toMatchObject({ uniques: [], indexes: [] });
        expect(await names()).toEqual(["a", "b", "c"]);
      });

      it("drops a primary key by name lookup and creates one", async () => {
        await apply({ kind: "dropPrimaryKey", table: t });
        expect((await table(t)).primaryKey).toBeUndefined();
        await apply({ kind: "createPrimaryKey", table: t, primaryKey: { columns: ["id"] } });
        expect((await table(t)).primaryKey).toEqual({ name: `${t}_pkey`, columns: ["id"] });
        await apply({ kind: "dropPrimaryKey", table: t });
        expect((await table(t)).primaryKey).toBeUndefined();
      });

      it("runs execute SQL for postgres", async () => {
        await apply({ kind: "execute", sql: { postgres: `UPDATE "${t}" SET qty = qty * 10`, mysql: "nope" } });
        expect((await rows(t)).map((r) => r["qty"])).toEqual([10, 20, 30]);
      });
    });

    describe("enums", () => {
      afterEach(async () => {
        await sql(`DROP TABLE IF EXISTS "moods"`);
        await sql(`DROP TYPE IF EXISTS "Feeling"`);
        await sql(`DROP TYPE IF EXISTS "Feeling_old"`);
      });

      async function moodTable(): Promise<void> {
        await apply({ kind: "createEnum", name: "Feeling", values: ["sad", "ok", "happy"] });
        await apply({
          kind: "createTable",
          table: {
            name: "moods",
            columns: [
              { name: "id", type: "integer", autoIncrement: true, nullable: false },
              { name: "f", type: "enum", enumName: "Feeling", nullable: false, default: "'ok'" },
              { name: "fs", type: "enum", enumName: "Feeling", array: true, nullable: true },
            ],
            primaryKey: { columns: ["id"] },
          },
        });
        await sql(`INSERT INTO "moods" (f, fs) VALUES ('sad', '{sad,ok}'), ('happy', '{happy}')`);
      }

      const feeling = (values: string[]) => ({ type: "enum", enumName: "Feeling", enumValues: values });

      it("adds values in place, rows untouched", async () => {
        await moodTable();
        await apply({ kind: "alterEnum", name: "Feeling", existing: ["sad", "ok", "happy"], values: ["awful", "sad", "ok", "meh", "happy", "great"] });
        const values = ["awful", "sad", "ok", "meh", "happy", "great"];
        expect((await schema()).enums).toEqual([{ name: "Feeling", values }]);
        expect(await column("moods", "f")).toEqual({ name: "f", nullable: false, default: "'ok'", ...feeling(values) });
        expect((await rows("moods")).map((r) => r["f"])).toEqual(["sad", "happy"]);
      });

      it("rebuilds the type to remove and reorder values, converting columns, arrays and defaults", async () => {
        await moodTable();
        await apply({ kind: "alterEnum", name: "Feeling", existing: ["sad", "ok", "happy"], values: ["happy", "ok", "sad"] });
        await apply({ kind: "alterEnum", name: "Feeling", existing: ["happy", "ok", "sad"], values: ["happy", "ok", "sad", "new"] });
        await sql(`DELETE FROM "moods" WHERE f = 'happy'`);
        await sql(`UPDATE "moods" SET fs = '{sad}'`);
        await apply({ kind: "alterEnum", name: "Feeling", existing: ["happy", "ok", "sad", "new"], values: ["ok", "sad"] });
        const s = await schema();
        expect(s.enums).toEqual([{ name: "Feeling", values: ["ok", "sad"] }]);
        expect(s.tables.find((x) => x.name === "moods")!.columns).toEqual([
          { name: "id", type: "integer", nullable: false, autoIncrement: true },
          { name: "f", nullable: false, default: "'ok'", ...feeling(["ok", "sad"]) },
          { name: "fs", array: true, nullable: true, ...feeling(["ok", "sad"]) },
        ]);
        expect(await rows("moods")).toEqual([{ id: 1, f: "sad", fs: "{sad}" }]);
      });

      it("drops an enum", async () => {
        await apply({ kind: "createEnum", name: "Feeling", values: ["a"] });
        await apply({ kind: "dropEnum", name: "Feeling" });
        expect((await schema()).enums).toEqual([]);
      });
    });

    describe("every op followed by its reverse restores the schema", () => {
      beforeAll(async () => {
        await apply({ kind: "createEnum", name: "level", values: ["low", "high"] });
        await apply({
          kind: "createTable",
          table: {
            name: "rev",
            columns: [
              { name: "id", type: "integer", autoIncrement: true, nullable: false },
              { name: "name", type: "varchar", length: 20, nullable: false, default: "'n'" },
              { name: "qty", type: "integer", nullable: true },
              { name: "lvl", type: "enum", enumName: "level", nullable: true },
            ],
            primaryKey: { name: "rev_pk", columns: ["id"] },
            uniques: [{ name: "rev_name_uq", columns: ["name"] }],
            indexes: [{ name: "rev_qty_ix", columns: ["qty"] }],
          },
        });
        await apply({ kind: "createTable", table: { name: "rev_ref", columns: [{ name: "id", type: "integer", nullable: false }], primaryKey: { columns: ["id"] } } });
        await sql(`INSERT INTO "rev" (name, qty, lvl) VALUES ('a', 1, 'low'), ('b', 2, 'high')`);
        await sql(`INSERT INTO "rev_ref" (id) VALUES (1), (2)`);
      });

      const name: Column = { name: "name", type: "varchar", length: 20, nullable: false, default: "'n'" };
      const qty: Column = { name: "qty", type: "integer", nullable: true };
      const cases: Array<[string, Op]> = [
        ["addColumn", { kind: "addColumn", table: "rev", column: { name: "extra", type: "timestamptz", nullable: true, default: "now()" } }],
        ["dropColumn (last)", { kind: "dropColumn", table: "rev", column: "lvl", existing: { name: "lvl", type: "enum", enumName: "level", nullable: true } }],
        ["renameColumn", { kind: "renameColumn", table: "rev", from: "qty", to: "Quantity" }],
        ["renameTable", { kind: "renameTable", from: "rev", to: "rev2" }],
        ["alterColumn length", { kind: "alterColumn", table: "rev", column: "name", changes: { length: 40 }, existing: name }],
        ["alterColumn type", { kind: "alterColumn", table: "rev", column: "qty", changes: { type: "bigint" }, existing: qty }],
        ["alterColumn type to text", { kind: "alterColumn", table: "rev", column: "qty", changes: { type: "text" }, existing: qty }],
        ["alterColumn nullable+default", { kind: "alterColumn", table: "rev", column: "name", changes: { nullable: true, default: null }, existing: name }],
        ["alterColumn comment", { kind: "alterColumn", table: "rev", column: "qty", changes: { comment: "c" }, existing: qty }],
        ["createIndex", { kind: "createIndex", table: "rev", index: { name: "rev_partial", columns: ["name", "qty"], where: "qty > 0", unique: true } }],
        ["dropIndex", { kind: "dropIndex", table: "rev", name: "rev_qty_ix", existing: { name: "rev_qty_ix", columns: ["qty"] } }],
        ["renameIndex", { kind: "renameIndex", table: "rev", from: "rev_qty_ix", to: "rev_qty_ix_renamed" }],
        ["createUnique", { kind: "createUnique", table: "rev", unique: { name: "rev_q_uq", columns: ["qty", "name"] } }],
        ["dropUnique", { kind: "dropUnique", table: "rev", name: "rev_name_uq", existing: { name: "rev_name_uq", columns: ["name"] } }],
        ["dropPrimaryKey", { kind: "dropPrimaryKey", table: "rev", name: "rev_pk", existing: { name: "rev_pk", columns: ["id"] } }],
        ["createCheck", { kind: "createCheck", table: "rev", check: { name: "rev_ck", expression: "qty > 0" } }],
        [
          "createForeignKey",
          {
            kind: "createForeignKey",
            table: "rev",
            foreignKey: { name: "rev_fk", columns: ["qty"], referencedTable: "rev_ref", referencedColumns: ["id"], onDelete: "SET NULL", onUpdate: "NO ACTION" },
          },
        ],
        ["createEnum", { kind: "createEnum", name: "other", values: ["x"] }],
        ["alterEnum add", { kind: "alterEnum", name: "level", existing: ["low", "high"], values: ["low", "mid", "high"] }],
        ["alterEnum reorder", { kind: "alterEnum", name: "level", existing: ["low", "high"], values: ["high", "low"] }],
        ["createTable", { kind: "createTable", table: { name: "rev_new", columns: [{ name: "id", type: "uuid", nullable: false, default: "gen_random_uuid()" }], primaryKey: { columns: ["id"] } } }],
        ["execute", { kind: "execute", sql: `CREATE VIEW "rev_view" AS SELECT 1 AS one`, reverse: `DROP VIEW "rev_view"` }],
      ];

      it.each(cases)("%s", async (_label, op) => {
        const before = await schema();
        await apply(op);
        const during = await schema();
        expect(during).not.toEqual(before);
        await apply(reverseOp(op)!);
        expect(await schema()).toEqual(before);
        expect((await rows("rev")).map((r) => r["id"])).toEqual([1, 2]);
      });
    });

    describe("locks", () => {
      it("holds an advisory lock another session cannot take until released", async () => {
        const other = await connectWith(testDb.options);
        try {
          const session = { db: conn.db, transactions: conn.runner };
          const otherSession = { db: other.db, transactions: other.runner };
          expect(await postgresDialect.acquireLock(session, "retort-test", 0)).toBe(true);
          expect(await postgresDialect.acquireLock(otherSession, "retort-test", 300)).toBe(false);
          const [pid] = await conn.db.query<{ pid: number }>("SELECT pg_backend_pid() AS pid");
          expect(await postgresDialect.lockHolder(otherSession, "retort-test")).toEqual({
            description: expect.stringMatching(new RegExp(`^PostgreSQL backend pid ${pid!.pid} \\(postgres@`)),
            remedy: `SELECT pg_terminate_backend(${pid!.pid})`,
          });
          const [held] = await other.db.query<{ ok: boolean }>("SELECT pg_try_advisory_lock(hashtext('retort-test')) AS ok");
          expect(held!.ok).toBe(false);
          await postgresDialect.releaseLock(session, "retort-test");
          expect(await postgresDialect.lockHolder(otherSession, "retort-test")).toBeUndefined();
          const [free] = await other.db.query<{ ok: boolean }>("SELECT pg_try_advisory_lock(hashtext('retort-test')) AS ok");
          expect(free!.ok).toBe(true);
          await other.db.query("SELECT pg_advisory_unlock(hashtext('retort-test'))");
        } finally {
          await other.close();
        }
      });
    });
  },
  ["postgres"],
);
