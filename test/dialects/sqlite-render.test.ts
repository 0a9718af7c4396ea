import { OfflineUnsupportedError, UnsupportedOpError } from "../../src/dialects/dialect";
import { sqliteDialect } from "../../src/dialects/sqlite";
import { canonicalColumn, normalizeDefault, parseTypeSpec } from "../../src/dialects/sqlite/grammar";
import { parseCreateTable, renameIndexSql } from "../../src/dialects/sqlite/parse";
import type { Op } from "../../src/ops/types";
import type { Table } from "../../src/schema/types";

const render = (op: Op) => sqliteDialect.render(op);

describe("sqlite quoting", () => {
  it.each([
    ["users", '"users"'],
    ["order", '"order"'],
    ["MixedCase", '"MixedCase"'],
    ["with space", '"with space"'],
    ['say "hi"', '"say ""hi"""'],
  ])("quoteIdentifier(%j)", (name, expected) => {
    expect(sqliteDialect.quoteIdentifier(name)).toBe(expected);
  });

  it("quotes literals of every kind", () => {
    const q = sqliteDialect.quoteLiteral;
    expect(q("it's")).toBe("'it''s'");
    expect(q("")).toBe("''");
    expect(q(42)).toBe("42");
    expect(q(-1.5)).toBe("-1.5");
    expect(q(12345678901234567890n)).toBe("12345678901234567890");
    expect(q(true)).toBe("1");
    expect(q(false)).toBe("0");
    expect(q(null)).toBe("NULL");
    expect(q(undefined)).toBe("NULL");
    expect(q(new Date(Date.UTC(2024, 0, 2, 3, 4, 5, 6)))).toBe("'2024-01-02 03:04:05.006'");
    expect(q(Buffer.from([0, 171, 255]))).toBe("X'00ABFF'");
    expect(q({ a: "b'c", n: [1, 2] })).toBe(`'{"a":"b''c","n":[1,2]}'`);
    expect(() => q(Number.NaN)).toThrow(/Cannot write NaN/);
  });
});

describe("sqlite render: ops ALTER TABLE can do", () => {
  const table: Table = {
    name: "order items",
    columns: [
      { name: "id", type: "integer", autoIncrement: true },
      { name: "Label", type: "varchar", length: 40, nullable: false, default: "'new'" },
      { name: "kind", type: "simple-enum", enumValues: ["a", "it's"], nullable: false, default: "'a'" },
      { name: "price", type: "decimal", precision: 10, scale: 2, nullable: true },
      { name: "created", type: "datetime", default: "(datetime('now'))" },
      { name: "total", type: "int", nullable: true, generated: { expression: "price * 2", stored: true } },
      { name: "owner", type: "int", nullable: true },
    ],
    primaryKey: { columns: ["id"] },
    uniques: [{ name: "UQ label", columns: ["Label", "kind"] }],
    checks: [{ name: "CHK_price", expression: '"price" >= 0' }],
    foreignKeys: [
      {
        name: "FK_owner",
        columns: ["owner"],
        referencedTable: "user",
        referencedColumns: ["id"],
        onDelete: "CASCADE",
        onUpdate: "NO ACTION",
        deferrable: "INITIALLY DEFERRED",
      },
    ],
    indexes: [{ name: "IX_partial", columns: ["Label"], unique: true, where: '"price" > 0' }],
  };

  it("createTable writes the table as TypeORM does, then its indexes", async () => {
    expect(await render({ kind: "createTable", table })).toEqual([
      'CREATE TABLE "order items" (' +
        '"id" integer PRIMARY KEY AUTOINCREMENT NOT NULL, ' +
        `"Label" varchar(40) NOT NULL DEFAULT ('new'), ` +
        `"kind" varchar CHECK( "kind" IN ('a','it''s') ) NOT NULL DEFAULT ('a'), ` +
        '"price" decimal(10,2), ' +
        `"created" datetime NOT NULL DEFAULT (datetime('now')), ` +
        '"total" integer AS (price * 2) STORED, ' +
        '"owner" integer, ' +
        'CONSTRAINT "UQ label" UNIQUE ("Label", "kind"), ' +
        'CONSTRAINT "CHK_price" CHECK ("price" >= 0), ' +
        'CONSTRAINT "FK_owner" FOREIGN KEY ("owner") REFERENCES "user" ("id") ON DELETE CASCADE ON UPDATE NO ACTION DEFERRABLE INITIALLY DEFERRED)',
      'CREATE UNIQUE INDEX "IX_partial" ON "order items" ("Label") WHERE "price" > 0',
    ]);
  });

  it("createTable with a composite primary key and WITHOUT ROWID", async () => {
    const sql = await render({
      kind: "createTable",
      table: {
        name: "pair",
        columns: [
          { name: "a", type: "text" },
          { name: "b", type: "text" },
        ],
        primaryKey: { columns: ["a", "b"] },
        withoutRowid: true,
      },
    });
    expect(sql).toEqual(['CREATE TABLE "pair" ("a" text NOT NULL, "b" text NOT NULL, PRIMARY KEY ("a", "b")) WITHOUT ROWID']);
  });

  it("refuses AUTOINCREMENT outside a single integer primary key", async () => {
    const op: Op = {
      kind: "createTable",
      table: { name: "t", columns: [{ name: "id", type: "text", autoIncrement: true }], primaryKey: { columns: ["id"] } },
    };
    await expect(render(op)).rejects.toBeInstanceOf(UnsupportedOpError);
  });

  it("dropTable, renameTable, renameColumn, dropIndex", async () => {
    expect(await render({ kind: "dropTable", table: "select" })).toEqual(['DROP TABLE "select"']);
    expect(await render({ kind: "renameTable", from: "a b", to: 'c"d' })).toEqual(['ALTER TABLE "a b" RENAME TO "c""d"']);
    expect(await render({ kind: "renameColumn", table: "t", from: "Old", to: "new name" })).toEqual([
      'ALTER TABLE "t" RENAME COLUMN "Old" TO "new name"',
    ]);
    expect(await render({ kind: "dropIndex", table: "t", name: "IX x" })).toEqual(['DROP INDEX "IX x"']);
  });

  it("createIndex: plain, unique, partial, descending", async () => {
    expect(await render({ kind: "createIndex", table: "t", index: { name: "IX_a_b", columns: ["a", "B"] } })).toEqual([
      'CREATE INDEX "IX_a_b" ON "t" ("a", "B")',
    ]);
    expect(
      await render({ kind: "createIndex", table: "group", index: { name: "UX", columns: ["x"], unique: true, where: "x IS NOT NULL" } }),
    ).toEqual(['CREATE UNIQUE INDEX "UX" ON "group" ("x") WHERE x IS NOT NULL']);
    expect(await render({ kind: "createIndex", table: "t", index: { name: "IX_d", columns: ["a", "b"], order: ["", "DESC"] } })).toEqual([
      'CREATE INDEX "IX_d" ON "t" ("a", "b" DESC)',
    ]);
  });

  it("createIndex refuses FULLTEXT and NULLS FIRST/LAST", async () => {
    const op: Op = { kind: "createIndex", table: "t", index: { name: "FT", columns: ["body"], fulltext: true } };
    await expect(render(op)).rejects.toBeInstanceOf(UnsupportedOpError);
    const nulls: Op = { kind: "createIndex", table: "t", index: { name: "N", columns: ["a"], order: ["NULLS FIRST"] } };
    await expect(render(nulls)).rejects.toThrow(/NULLS FIRST/);
  });

  it("addColumn uses ALTER TABLE with a bare literal default when SQLite allows it", async () => {
    expect(await render({ kind: "addColumn", table: "t", column: { name: "note", type: "text", nullable: true } })).toEqual([
      'ALTER TABLE "t" ADD COLUMN "note" text',
    ]);
    expect(
      await render({ kind: "addColumn", table: "t", column: { name: "n", type: "int", nullable: false, default: "-1" } }),
    ).toEqual(['ALTER TABLE "t" ADD COLUMN "n" integer NOT NULL DEFAULT -1']);
    expect(
      await render({ kind: "addColumn", table: "t", column: { name: "flag", type: "boolean", nullable: false, default: "true" } }),
    ).toEqual(['ALTER TABLE "t" ADD COLUMN "flag" boolean NOT NULL DEFAULT 1']);
    expect(
      await render({ kind: "addColumn", table: "t", column: { name: "s", type: "varchar", length: 10, nullable: true, default: "'a''b'" } }),
    ).toEqual([`ALTER TABLE "t" ADD COLUMN "s" varchar(10) DEFAULT 'a''b'`]);
  });

  it("dropColumn offline is a plain ALTER TABLE DROP COLUMN", async () => {
    expect(await render({ kind: "dropColumn", table: "t", column: "x y" })).toEqual(['ALTER TABLE "t" DROP COLUMN "x y"']);
  });

  it("enum ops render nothing: SQLite enums are CHECKs on the column", async () => {
    expect(await render({ kind: "createEnum", name: "mood", values: ["a"] })).toEqual([]);
    expect(await render({ kind: "alterEnum", name: "mood", values: ["a", "b"], existing: ["a"] })).toEqual([]);
    expect(await render({ kind: "dropEnum", name: "mood" })).toEqual([]);
  });

  it("alterColumn changing only what SQLite cannot store renders nothing", async () => {
    expect(await render({ kind: "alterColumn", table: "t", column: "c", changes: { comment: "hi" } })).toEqual([]);
  });

  it("execute picks the sqlite SQL and refuses without one", async () => {
    expect(await render({ kind: "execute", sql: "UPDATE t SET a = 1" })).toEqual(["UPDATE t SET a = 1"]);
    expect(await render({ kind: "execute", sql: { sqlite: ["A", "B"], postgres: "C" } })).toEqual(["A", "B"]);
    await expect(render({ kind: "execute", sql: { postgres: "C" } })).rejects.toBeInstanceOf(UnsupportedOpError);
  });

  it("bulkInsert groups rows by their keys", async () => {
    const sql = await render({
      kind: "bulkInsert",
      table: "user",
      rows: [
        { id: 1, name: "O'Hara", active: true },
        { id: 2, name: null, active: false },
        { id: 3 },
      ],
    });
    expect(sql).toEqual([
      `INSERT INTO "user" ("id", "name", "active") VALUES (1, 'O''Hara', 1), (2, NULL, 0)`,
      'INSERT INTO "user" ("id") VALUES (3)',
    ]);
  });
});

describe("sqlite render: ops that need a table rebuild", () => {
  const rebuildOps: Op[] = [
    { kind: "alterColumn", table: "t", column: "c", changes: { nullable: true } },
    { kind: "createUnique", table: "t", unique: { name: "UQ", columns: ["a"] } },
    { kind: "dropUnique", table: "t", name: "UQ" },
    { kind: "createPrimaryKey", table: "t", primaryKey: { columns: ["a"] } },
    { kind: "dropPrimaryKey", table: "t" },
    { kind: "createForeignKey", table: "t", foreignKey: { name: "FK", columns: ["a"], referencedTable: "p", referencedColumns: ["id"] } },
    { kind: "dropForeignKey", table: "t", name: "FK" },
    { kind: "createCheck", table: "t", check: { name: "CHK", expression: "a > 0" } },
    { kind: "dropCheck", table: "t", name: "CHK" },
    { kind: "addColumn", table: "t", column: { name: "c", type: "datetime", default: "CURRENT_TIMESTAMP" } },
    { kind: "addColumn", table: "t", column: { name: "c", type: "text", nullable: false } },
    { kind: "addColumn", table: "t", column: { name: "c", type: "int", nullable: true, generated: { expression: "a", stored: true } } },
  ];

  it.each(rebuildOps.map((op) => [op.kind, op] as const))("%s offline throws OfflineUnsupportedError", async (_kind, op) => {
    const error = await render(op).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OfflineUnsupportedError);
    expect((error as Error).message).toMatch(/table rebuild.*`--sql` cannot produce it offline/);
  });

  it("renameIndex offline throws OfflineUnsupportedError", async () => {
    await expect(render({ kind: "renameIndex", table: "t", from: "a", to: "b" })).rejects.toBeInstanceOf(OfflineUnsupportedError);
  });
});

describe("sqlite grammar", () => {
  it("splits declared types like TypeORM's loadTables", () => {
    expect(parseTypeSpec("VARCHAR(20)")).toEqual({ type: "varchar", length: 20 });
    expect(parseTypeSpec("decimal(10, 2)")).toEqual({ type: "decimal", precision: 10, scale: 2 });
    expect(parseTypeSpec("datetime(3)")).toEqual({ type: "datetime", precision: 3 });
    expect(parseTypeSpec("INT")).toEqual({ type: "integer" });
    expect(parseTypeSpec("unsigned big int")).toEqual({ type: "unsigned big int" });
  });

  it("reads decimal(p,0) as decimal(p), as MySQL reports it", () => {
    const zero = canonicalColumn({ name: "n", type: "decimal(8,0)", nullable: false });
    expect(zero).toEqual(canonicalColumn({ name: "n", type: "decimal", precision: 8, nullable: false }));
    expect(canonicalColumn({ name: "n", type: "decimal(8,2)", nullable: false }).scale).toBe(2);
  });

  it("folds default spellings", () => {
    expect(normalizeDefault("(datetime('now'))")).toBe("datetime('now')");
    expect(normalizeDefault("CURRENT_TIMESTAMP")).toBe("datetime('now')");
    expect(normalizeDefault("((1))")).toBe("1");
    expect(normalizeDefault("TRUE")).toBe("1");
    expect(normalizeDefault("false")).toBe("0");
    expect(normalizeDefault("NULL")).toBeUndefined();
    expect(normalizeDefault("'(x)'")).toBe("'(x)'");
    expect(normalizeDefault("(1) + (2)")).toBe("(1) + (2)");
  });

  it("canonicalColumn: enum columns are bare varchar, unsupported properties dropped, nullable explicit", () => {
    expect(
      sqliteDialect.canonicalColumn({ name: "k", type: "simple-enum", length: 20, enumValues: ["a"], comment: "x", unsigned: true }),
    ).toEqual({ name: "k", type: "varchar", nullable: false, enumValues: ["a"] });
  });

  it("canonicalTable drops the primary-key name and sorts constraints", () => {
    const t = sqliteDialect.canonicalTable({
      name: "t",
      columns: [{ name: "id", type: "INTEGER", nullable: true }],
      primaryKey: { name: "PK_x", columns: ["id"] },
      checks: [
        { name: "b", expression: "(x  >  1)" },
        { name: "a", expression: "y = 'a  b'" },
      ],
      foreignKeys: [{ name: "f", columns: ["id"], referencedTable: "p", referencedColumns: ["id"], deferrable: "INITIALLY IMMEDIATE" }],
    });
    expect(t).toEqual({
      name: "t",
      columns: [{ name: "id", type: "integer", nullable: false }],
      primaryKey: { columns: ["id"] },
      uniques: [],
      indexes: [],
      foreignKeys: [{ name: "f", columns: ["id"], referencedTable: "p", referencedColumns: ["id"], onDelete: "NO ACTION", onUpdate: "NO ACTION" }],
      checks: [
        { name: "a", expression: "y = 'a  b'" },
        { name: "b", expression: "x > 1" },
      ],
    });
  });

  it("parses what the pragmas lose from CREATE TABLE text", () => {
    const parsed = parseCreateTable(
      `CREATE TABLE "t" ("id" integer PRIMARY KEY AUTOINCREMENT NOT NULL, "k" varchar CHECK( "k" IN ('a','b,c') ) NOT NULL, ` +
        `"g" int GENERATED ALWAYS AS (id + 1) VIRTUAL, p int CONSTRAINT "FK_inline" REFERENCES parent(id) ON DELETE SET NULL, ` +
        `CONSTRAINT "UQ, odd" UNIQUE ("k", "g"), CONSTRAINT "CHK" CHECK (("id" > 0) AND k <> ')'), ` +
        `CONSTRAINT "FK_t" FOREIGN KEY ("p") REFERENCES "parent" ("id") ON UPDATE CASCADE DEFERRABLE INITIALLY DEFERRED)`,
    );
    expect(parsed.columns.map((c) => c.name)).toEqual(["id", "k", "g", "p"]);
    expect(parsed.columns[0].autoIncrement).toBe(true);
    expect(parsed.columns[1].enumValues).toEqual(["a", "b,c"]);
    expect(parsed.columns[2].generated).toEqual({ expression: "id + 1", stored: false });
    expect(parsed.columns[3].foreignKey).toMatchObject({ name: "FK_inline", referencedTable: "parent", onDelete: "SET NULL" });
    expect(parsed.uniques).toEqual([{ name: "UQ, odd", columns: ["k", "g"] }]);
    expect(parsed.checks).toEqual([{ name: "CHK", expression: `("id" > 0) AND k <> ')'` }]);
    expect(parsed.foreignKeys).toEqual([
      {
        name: "FK_t",
        columns: ["p"],
        referencedTable: "parent",
        referencedColumns: ["id"],
        onUpdate: "CASCADE",
        deferrable: "INITIALLY DEFERRED",
      },
    ]);
  });

  it("renames a stored CREATE INDEX", () => {
    expect(renameIndexSql(`CREATE UNIQUE INDEX "old" ON "t" ("a") WHERE a > 1`, '"new"')).toBe(
      `CREATE UNIQUE INDEX "new" ON "t" ("a") WHERE a > 1`,
    );
  });
});
