import { mysqlDialect } from "../../src/dialects/mysql";
import {
  OfflineUnsupportedError,
  UnsupportedOpError,
  type Queryable,
} from "../../src/dialects/dialect";
import type { Op } from "../../src/ops/types";
import type { Column, Table } from "../../src/schema/types";

const render = (op: Op, db?: Queryable) => mysqlDialect.render(op, db);

describe("mysql quoting", () => {
  it("backtick-quotes identifiers, doubling embedded backticks", () => {
    expect(mysqlDialect.quoteIdentifier("select")).toBe("`select`");
    expect(mysqlDialect.quoteIdentifier("Mixed Case")).toBe("`Mixed Case`");
    expect(mysqlDialect.quoteIdentifier("with`tick")).toBe("`with``tick`");
  });

  it("writes literals for every JS value kind", () => {
    const q = mysqlDialect.quoteLiteral;
    expect(q("it's")).toBe("'it''s'");
    expect(q("back\\slash")).toBe("'back\\\\slash'");
    expect(q(42)).toBe("42");
    expect(q(-1.5)).toBe("-1.5");
    expect(q(12345678901234567890n)).toBe("12345678901234567890");
    expect(q(true)).toBe("1");
    expect(q(false)).toBe("0");
    expect(q(null)).toBe("NULL");
    expect(q(undefined)).toBe("NULL");
    expect(q(new Date(Date.UTC(2024, 0, 2, 3, 4, 5, 6)))).toBe(
      "'2024-01-02 03:04:05.006'",
    );
    expect(q(Buffer.from([0xde, 0xad, 0x01]))).toBe("X'dead01'");
    expect(q({ a: "it's", b: [1, 2] })).toBe(`'{"a":"it''s","b":[1,2]}'`);
  });

  it("refuses numbers SQL cannot hold", () => {
    expect(() => mysqlDialect.quoteLiteral(Number.NaN)).toThrow(TypeError);
    expect(() => mysqlDialect.quoteLiteral(Infinity)).toThrow(TypeError);
  });
});

describe("mysql render: tables", () => {
  it("createTable with every column feature, keys, indexes, foreign keys, checks and a comment", async () => {
    const table: Table = {
      name: "Order Lines",
      comment: "lines' table",
      columns: [
        { name: "id", type: "bigint", unsigned: true, autoIncrement: true },
        {
          name: "select",
          type: "varchar",
          length: 80,
          nullable: true,
          default: "'it''s'",
          comment: "a reserved name",
        },
        { name: "code", type: "varchar" },
        {
          name: "price",
          type: "decimal",
          precision: 12,
          scale: 2,
          default: "0",
        },
        { name: "qty", type: "int", zerofill: true },
        {
          name: "status",
          type: "enum",
          enumValues: ["new", "it's done"],
          default: "'new'",
        },
        { name: "flags", type: "set", enumValues: ["a", "b"], nullable: true },
        {
          name: "name",
          type: "varchar",
          length: 20,
          charset: "latin1",
          collation: "latin1_bin",
        },
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
        { name: "token", type: "char", length: 36, default: "uuid()" },
        { name: "with`tick", type: "text", nullable: true },
      ],
      primaryKey: { columns: ["id"] },
      uniques: [{ name: "uq_code", columns: ["code"] }],
      indexes: [
        { name: "idx_price_qty", columns: ["qty", "price"] },
        { name: "ft_select", columns: ["select"], fulltext: true },
        { name: "uq_name", columns: ["name"], unique: true, using: "btree" },
      ],
      foreignKeys: [
        {
          name: "fk_parent",
          columns: ["qty"],
          referencedTable: "Parents",
          referencedColumns: ["id"],
          onDelete: "CASCADE",
          onUpdate: "NO ACTION",
          deferrable: "INITIALLY DEFERRED",
        },
      ],
      checks: [{ name: "ck_price", expression: "`price` >= 0" }],
    };
    expect(await render({ kind: "createTable", table })).toEqual([
      [
        "CREATE TABLE `Order Lines` (",
        "  `id` bigint UNSIGNED NOT NULL AUTO_INCREMENT,",
        "  `select` varchar(80) NULL DEFAULT 'it''s' COMMENT 'a reserved name',",
        "  `code` varchar(255) NOT NULL,",
        "  `price` decimal(12,2) NOT NULL DEFAULT 0,",
        "  `qty` int UNSIGNED ZEROFILL NOT NULL,",
        "  `status` enum('new','it''s done') NOT NULL DEFAULT 'new',",
        "  `flags` set('a','b') NULL,",
        "  `name` varchar(20) CHARACTER SET latin1 COLLATE latin1_bin NOT NULL,",
        "  `updated` datetime(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6) ON UPDATE CURRENT_TIMESTAMP(6),",
        "  `total` decimal(14,2) GENERATED ALWAYS AS (`price` * `qty`) STORED,",
        "  `token` char(36) NOT NULL DEFAULT (uuid()),",
        "  `with``tick` text NULL,",
        "  PRIMARY KEY (`id`),",
        "  UNIQUE KEY `uq_code` (`code`),",
        "  KEY `idx_price_qty` (`qty`, `price`),",
        "  FULLTEXT KEY `ft_select` (`select`),",
        "  UNIQUE KEY `uq_name` (`name`) USING BTREE,",
        "  CONSTRAINT `fk_parent` FOREIGN KEY (`qty`) REFERENCES `Parents` (`id`) ON DELETE CASCADE ON UPDATE NO ACTION,",
        "  CONSTRAINT `ck_price` CHECK (`price` >= 0)",
        ") COMMENT='lines'' table'",
      ].join("\n"),
    ]);
  });

  it("createTable does not force an ENGINE and writes spatial keys", async () => {
    const [sql] = await render({
      kind: "createTable",
      table: {
        name: "places",
        columns: [{ name: "pos", type: "point" }],
        indexes: [{ name: "sp_pos", columns: ["pos"], spatial: true }],
      },
    });
    expect(sql).toBe(
      "CREATE TABLE `places` (\n  `pos` point NOT NULL,\n  SPATIAL KEY `sp_pos` (`pos`)\n)",
    );
    expect(sql).not.toMatch(/ENGINE/);
  });

  it("createTable refuses a partial index", async () => {
    const op: Op = {
      kind: "createTable",
      table: {
        name: "t",
        columns: [{ name: "a", type: "int" }],
        indexes: [{ name: "i", columns: ["a"], where: "a > 0" }],
      },
    };
    await expect(render(op)).rejects.toBeInstanceOf(UnsupportedOpError);
  });

  it("dropTable and renameTable", async () => {
    expect(await render({ kind: "dropTable", table: "select" })).toEqual([
      "DROP TABLE `select`",
    ]);
    expect(
      await render({
        kind: "renameTable",
        from: "Mixed Case",
        to: "with`tick",
      }),
    ).toEqual(["RENAME TABLE `Mixed Case` TO `with``tick`"]);
  });
});

describe("mysql render: columns", () => {
  it("addColumn writes the full definition", async () => {
    const column: Column = {
      name: "Mixed Case",
      type: "varchar",
      length: 64,
      nullable: true,
      default: "'x'",
    };
    expect(await render({ kind: "addColumn", table: "users", column })).toEqual(
      [
        "ALTER TABLE `users` ADD COLUMN `Mixed Case` varchar(64) NULL DEFAULT 'x'",
      ],
    );
  });

  it("addColumn maps TypeORM-only types and keeps written sizes", async () => {
    expect(
      await render({
        kind: "addColumn",
        table: "t",
        column: { name: "tags", type: "simple-array" },
      }),
    ).toEqual(["ALTER TABLE `t` ADD COLUMN `tags` text NOT NULL"]);
    expect(
      await render({
        kind: "addColumn",
        table: "t",
        column: { name: "n", type: "DECIMAL(8,3)", nullable: true },
      }),
    ).toEqual(["ALTER TABLE `t` ADD COLUMN `n` decimal(8,3) NULL"]);
    expect(
      await render({
        kind: "addColumn",
        table: "t",
        column: { name: "b", type: "varbinary" },
      }),
    ).toEqual(["ALTER TABLE `t` ADD COLUMN `b` varbinary(255) NOT NULL"]);
    expect(
      await render({
        kind: "addColumn",
        table: "t",
        column: { name: "s", type: "decimal", scale: 2 },
      }),
    ).toEqual(["ALTER TABLE `t` ADD COLUMN `s` decimal(10,2) NOT NULL"]);
  });

  it("dropColumn and renameColumn", async () => {
    expect(
      await render({ kind: "dropColumn", table: "t", column: "select" }),
    ).toEqual(["ALTER TABLE `t` DROP COLUMN `select`"]);
    expect(
      await render({
        kind: "renameColumn",
        table: "t",
        from: "a",
        to: "with`tick",
      }),
    ).toEqual(["ALTER TABLE `t` RENAME COLUMN `a` TO `with``tick`"]);
  });

  const existing: Column = {
    name: "title",
    type: "varchar",
    length: 50,
    nullable: false,
    default: "'none'",
    comment: "the title",
  };

  it("alterColumn writes MODIFY COLUMN with the whole new definition", async () => {
    expect(
      await render({
        kind: "alterColumn",
        table: "posts",
        column: "title",
        changes: { length: 200 },
        existing,
      }),
    ).toEqual([
      "ALTER TABLE `posts` MODIFY COLUMN `title` varchar(200) NOT NULL DEFAULT 'none' COMMENT 'the title'",
    ]);
    expect(
      await render({
        kind: "alterColumn",
        table: "posts",
        column: "title",
        changes: { type: "text", nullable: true, default: null },
        existing,
      }),
    ).toEqual([
      "ALTER TABLE `posts` MODIFY COLUMN `title` text NULL COMMENT 'the title'",
    ]);
    expect(
      await render({
        kind: "alterColumn",
        table: "posts",
        column: "title",
        changes: { comment: null },
        existing,
      }),
    ).toEqual([
      "ALTER TABLE `posts` MODIFY COLUMN `title` varchar(50) NOT NULL DEFAULT 'none'",
    ]);
  });

  it("alterColumn applies a length change to an `existing` written as varchar(50)", async () => {
    const written: Column = { name: "c", type: "VARCHAR(50)", nullable: true };
    expect(
      await render({
        kind: "alterColumn",
        table: "t",
        column: "c",
        changes: { length: 100 },
        existing: written,
      }),
    ).toEqual(["ALTER TABLE `t` MODIFY COLUMN `c` varchar(100) NULL"]);
  });

  it("alterColumn changing the charset drops the old collation", async () => {
    const col: Column = {
      name: "c",
      type: "varchar",
      length: 5,
      collation: "utf8mb4_bin",
    };
    expect(
      await render({
        kind: "alterColumn",
        table: "t",
        column: "c",
        changes: { charset: "latin1" },
        existing: col,
      }),
    ).toEqual([
      "ALTER TABLE `t` MODIFY COLUMN `c` varchar(5) CHARACTER SET latin1 NOT NULL",
    ]);
  });

  it("a string default is standard SQL in the op; MySQL gets its backslashes escaped", async () => {
    const column = { name: "p", type: "varchar", length: 40, nullable: false, default: "'C:\\temp\\new it''s'" };
    expect(await render({ kind: "addColumn", table: "t", column })).toEqual([
      "ALTER TABLE `t` ADD COLUMN `p` varchar(40) NOT NULL DEFAULT 'C:\\\\temp\\\\new it''s'",
    ]);
    expect(await render({ kind: "alterColumn", table: "t", column: "p", changes: { default: "'a\\b'" } })).toEqual([
      "ALTER TABLE `t` ALTER COLUMN `p` SET DEFAULT 'a\\\\b'",
    ]);
  });

  it("alterColumn changes a literal default in place, without needing `existing`", async () => {
    expect(
      await render({
        kind: "alterColumn",
        table: "t",
        column: "select",
        changes: { default: "'x'" },
      }),
    ).toEqual(["ALTER TABLE `t` ALTER COLUMN `select` SET DEFAULT 'x'"]);
    expect(
      await render({
        kind: "alterColumn",
        table: "t",
        column: "n",
        changes: { default: "-1.5" },
      }),
    ).toEqual(["ALTER TABLE `t` ALTER COLUMN `n` SET DEFAULT -1.5"]);
    expect(
      await render({
        kind: "alterColumn",
        table: "t",
        column: "n",
        changes: { default: null },
      }),
    ).toEqual(["ALTER TABLE `t` ALTER COLUMN `n` DROP DEFAULT"]);
  });

  it("alterColumn offline without `existing` is an OfflineUnsupportedError naming what is missing", async () => {
    const op: Op = {
      kind: "alterColumn",
      table: "t",
      column: "c",
      changes: { length: 10 },
    };
    await expect(render(op)).rejects.toBeInstanceOf(OfflineUnsupportedError);
    await expect(render(op)).rejects.toThrow(
      /alterColumn on MySQL needs `existing`/,
    );
    const expression: Op = {
      kind: "alterColumn",
      table: "t",
      column: "c",
      changes: { default: "CURRENT_TIMESTAMP" },
    };
    await expect(render(expression)).rejects.toBeInstanceOf(
      OfflineUnsupportedError,
    );
  });

  it("alterColumn with no changes renders nothing", async () => {
    expect(
      await render({
        kind: "alterColumn",
        table: "t",
        column: "c",
        changes: {},
      }),
    ).toEqual([]);
  });
});

describe("mysql render: indexes and constraints", () => {
  it("createIndex in every flavour, keeping column order", async () => {
    expect(
      await render({
        kind: "createIndex",
        table: "t",
        index: { name: "idx", columns: ["b", "a"] },
      }),
    ).toEqual(["CREATE INDEX `idx` ON `t` (`b`, `a`)"]);
    expect(
      await render({
        kind: "createIndex",
        table: "t",
        index: { name: "u", columns: ["select"], unique: true },
      }),
    ).toEqual(["CREATE UNIQUE INDEX `u` ON `t` (`select`)"]);
    expect(
      await render({
        kind: "createIndex",
        table: "t",
        index: { name: "f", columns: ["body"], fulltext: true },
      }),
    ).toEqual(["CREATE FULLTEXT INDEX `f` ON `t` (`body`)"]);
    expect(
      await render({
        kind: "createIndex",
        table: "t",
        index: { name: "s", columns: ["pos"], spatial: true },
      }),
    ).toEqual(["CREATE SPATIAL INDEX `s` ON `t` (`pos`)"]);
    expect(
      await render({
        kind: "createIndex",
        table: "t",
        index: { name: "h", columns: ["a"], using: "hash" },
      }),
    ).toEqual(["CREATE INDEX `h` ON `t` (`a`) USING HASH"]);
    expect(
      await render({
        kind: "createIndex",
        table: "t",
        index: { name: "d", columns: ["a", "b"], order: ["DESC", ""] },
      }),
    ).toEqual(["CREATE INDEX `d` ON `t` (`a` DESC, `b`)"]);
  });

  it("createIndex refuses WHERE, unknown methods and NULLS FIRST/LAST", async () => {
    await expect(
      render({
        kind: "createIndex",
        table: "t",
        index: { name: "i", columns: ["a"], where: "a > 1" },
      }),
    ).rejects.toBeInstanceOf(UnsupportedOpError);
    await expect(
      render({
        kind: "createIndex",
        table: "t",
        index: { name: "i", columns: ["a"], using: "gin" },
      }),
    ).rejects.toBeInstanceOf(UnsupportedOpError);
    await expect(
      render({
        kind: "createIndex",
        table: "t",
        index: { name: "i", columns: ["a"], order: ["DESC NULLS LAST"] },
      }),
    ).rejects.toThrow(/NULLS LAST/);
  });

  it("dropIndex and renameIndex", async () => {
    expect(
      await render({
        kind: "dropIndex",
        table: "Mixed Case",
        name: "with`tick",
      }),
    ).toEqual(["DROP INDEX `with``tick` ON `Mixed Case`"]);
    expect(
      await render({ kind: "renameIndex", table: "t", from: "a", to: "b" }),
    ).toEqual(["ALTER TABLE `t` RENAME INDEX `a` TO `b`"]);
  });

  it("uniques are unique indexes", async () => {
    expect(
      await render({
        kind: "createUnique",
        table: "t",
        unique: { name: "uq", columns: ["a", "b"] },
      }),
    ).toEqual(["CREATE UNIQUE INDEX `uq` ON `t` (`a`, `b`)"]);
    expect(
      await render({ kind: "dropUnique", table: "t", name: "uq" }),
    ).toEqual(["DROP INDEX `uq` ON `t`"]);
  });

  it("primary keys", async () => {
    expect(
      await render({
        kind: "createPrimaryKey",
        table: "t",
        primaryKey: { name: "pk", columns: ["a", "b"] },
      }),
    ).toEqual(["ALTER TABLE `t` ADD PRIMARY KEY (`a`, `b`)"]);
    expect(
      await render({ kind: "dropPrimaryKey", table: "t", name: "pk" }),
    ).toEqual(["ALTER TABLE `t` DROP PRIMARY KEY"]);
  });

  it("foreign keys, ignoring DEFERRABLE as TypeORM does on MySQL", async () => {
    const op: Op = {
      kind: "createForeignKey",
      table: "child",
      foreignKey: {
        name: "fk",
        columns: ["a", "b"],
        referencedTable: "select",
        referencedColumns: ["x", "y"],
        onDelete: "SET NULL",
        onUpdate: "CASCADE",
        deferrable: "INITIALLY DEFERRED",
      },
    };
    expect(await render(op)).toEqual([
      "ALTER TABLE `child` ADD CONSTRAINT `fk` FOREIGN KEY (`a`, `b`) REFERENCES `select` (`x`, `y`) ON DELETE SET NULL ON UPDATE CASCADE",
    ]);
    expect(
      await render({ kind: "dropForeignKey", table: "child", name: "fk" }),
    ).toEqual(["ALTER TABLE `child` DROP FOREIGN KEY `fk`"]);
  });

  it("dropForeignKey online also drops the index MySQL created for the key", async () => {
    const seen: unknown[][] = [];
    const db: Queryable = {
      async query<T>(_sql: string, params?: unknown[]) {
        seen.push(params ?? []);
        return [{ found: 1 }] as T[];
      },
    };
    expect(
      await render({ kind: "dropForeignKey", table: "child", name: "fk" }, db),
    ).toEqual(["ALTER TABLE `child` DROP FOREIGN KEY `fk`, DROP INDEX `fk`"]);
    expect(seen).toEqual([["child", "fk"]]);
  });

  it("checks", async () => {
    expect(
      await render({
        kind: "createCheck",
        table: "t",
        check: { name: "ck", expression: "`a` > 0" },
      }),
    ).toEqual(["ALTER TABLE `t` ADD CONSTRAINT `ck` CHECK (`a` > 0)"]);
    expect(await render({ kind: "dropCheck", table: "t", name: "ck" })).toEqual(
      ["ALTER TABLE `t` DROP CONSTRAINT `ck`"],
    );
  });
});

describe("mysql render: enums, execute, bulkInsert", () => {
  it("enum type ops render no statements (MySQL enums are column types)", async () => {
    expect(
      await render({ kind: "createEnum", name: "mood", values: ["a"] }),
    ).toEqual([]);
    expect(
      await render({
        kind: "alterEnum",
        name: "mood",
        values: ["a", "b"],
        existing: ["a"],
      }),
    ).toEqual([]);
    expect(
      await render({ kind: "dropEnum", name: "mood", existing: ["a"] }),
    ).toEqual([]);
  });

  it("execute takes a string or the mysql entry of a per-dialect map", async () => {
    expect(
      await render({ kind: "execute", sql: "UPDATE t SET a = 1" }),
    ).toEqual(["UPDATE t SET a = 1"]);
    expect(
      await render({
        kind: "execute",
        sql: { postgres: "SELECT 1", mysql: ["SELECT 2", "SELECT 3"] },
      }),
    ).toEqual(["SELECT 2", "SELECT 3"]);
    await expect(
      render({ kind: "execute", sql: { postgres: "SELECT 1" } }),
    ).rejects.toBeInstanceOf(UnsupportedOpError);
  });

  it("bulkInsert writes one multi-row INSERT with literals, DEFAULT for missing keys", async () => {
    const rows = [
      { id: 1, select: "it's", flag: true },
      {
        id: 2,
        at: new Date(Date.UTC(2020, 1, 3, 4, 5, 6, 7)),
        data: { k: [1] },
        flag: null,
      },
    ];
    expect(
      await render({ kind: "bulkInsert", table: "Mixed Case", rows }),
    ).toEqual([
      [
        "INSERT INTO `Mixed Case` (`id`, `select`, `flag`, `at`, `data`) VALUES",
        "  (1, 'it''s', 1, DEFAULT, DEFAULT),",
        `  (2, DEFAULT, NULL, '2020-02-03 04:05:06.007', '{"k":[1]}')`,
      ].join("\n"),
    ]);
    expect(await render({ kind: "bulkInsert", table: "t", rows: [] })).toEqual(
      [],
    );
  });
});

describe("mysql canonical grammar", () => {
  const c = mysqlDialect.canonicalColumn;

  it("folds type aliases and drops integer display widths", () => {
    expect(c({ name: "a", type: "integer" })).toEqual({
      name: "a",
      type: "int",
      nullable: false,
    });
    expect(c({ name: "a", type: "int(11)", nullable: true })).toEqual({
      name: "a",
      type: "int",
      nullable: true,
    });
    expect(c({ name: "a", type: "boolean", default: "true" })).toEqual({
      name: "a",
      type: "tinyint",
      nullable: false,
      default: "1",
    });
    expect(c({ name: "a", type: "tinyint(1)", default: "0" })).toEqual({
      name: "a",
      type: "tinyint",
      nullable: false,
      default: "0",
    });
    expect(c({ name: "a", type: "numeric", precision: 10, scale: 2 })).toEqual({
      name: "a",
      type: "decimal",
      precision: 10,
      scale: 2,
      nullable: false,
    });
    expect(c({ name: "a", type: "dec" })).toEqual({
      name: "a",
      type: "decimal",
      nullable: false,
    });
    expect(c({ name: "a", type: "decimal", precision: 10, scale: 0 })).toEqual({
      name: "a",
      type: "decimal",
      nullable: false,
    });
    expect(c({ name: "a", type: "double precision" })).toEqual({
      name: "a",
      type: "double",
      nullable: false,
    });
    expect(c({ name: "a", type: "int(5) unsigned zerofill" })).toEqual({
      name: "a",
      type: "int",
      unsigned: true,
      zerofill: true,
      nullable: false,
    });
  });

  it("states implicit lengths and drops implicit precisions", () => {
    expect(c({ name: "a", type: "varchar" })).toEqual({
      name: "a",
      type: "varchar",
      length: 255,
      nullable: false,
    });
    expect(c({ name: "a", type: "char" })).toEqual({
      name: "a",
      type: "char",
      length: 1,
      nullable: false,
    });
    expect(c({ name: "a", type: "varchar(20)" })).toEqual({
      name: "a",
      type: "varchar",
      length: 20,
      nullable: false,
    });
    expect(c({ name: "a", type: "datetime", precision: 0 })).toEqual({
      name: "a",
      type: "datetime",
      nullable: false,
    });
    expect(c({ name: "a", type: "datetime(6)" })).toEqual({
      name: "a",
      type: "datetime",
      precision: 6,
      nullable: false,
    });
    expect(c({ name: "a", type: "text", length: 100 })).toEqual({
      name: "a",
      type: "text",
      nullable: false,
    });
  });

  it("folds default spellings", () => {
    const d = (type: string, value: string) =>
      c({ name: "a", type, default: value }).default;
    expect(d("datetime", "current_timestamp()")).toBe("CURRENT_TIMESTAMP");
    expect(d("datetime", "now()")).toBe("CURRENT_TIMESTAMP");
    expect(d("datetime", "CURRENT_TIMESTAMP")).toBe("CURRENT_TIMESTAMP");
    expect(d("datetime", "current_timestamp(6)")).toBe("CURRENT_TIMESTAMP(6)");
    expect(d("decimal", "'1.50'")).toBe("1.5");
    expect(d("decimal", "2.00")).toBe("2");
    expect(d("int", "'-1'")).toBe("-1");
    expect(d("varchar", "1")).toBe("'1'");
    expect(d("varchar", "'a''b'")).toBe("'a''b'");
    // Standard SQL: a backslash is an ordinary character (the introspector decodes MySQL's escapes first).
    expect(d("varchar", "'C:\\temp\\new'")).toBe("'C:\\temp\\new'");
    expect(d("varchar", "NULL")).toBeUndefined();
    expect(
      c({ name: "a", type: "datetime", onUpdate: "current_timestamp()" })
        .onUpdate,
    ).toBe("CURRENT_TIMESTAMP");
  });

  it("folds expression spellings the way MariaDB reports them: lower-case functions and keywords, no spaces at commas", () => {
    const d = (type: string, value: string) =>
      c({ name: "a", type, default: value }).default;
    expect(d("json", "(JSON_OBJECT('theme', 'dark'))")).toBe(
      "json_object('theme','dark')",
    );
    expect(d("json", "json_object('theme','dark')")).toBe(
      "json_object('theme','dark')",
    );
    // Strings and column names keep their case; a quoted reserved name keeps its backticks.
    expect(d("varchar", "CONCAT('A, B', `Name`)")).toBe("concat('A, B',Name)");
    expect(d("datetime", "(CURRENT_TIMESTAMP() + INTERVAL 1 DAY)")).toBe(
      "current_timestamp() + interval 1 day",
    );
    const generated = (expression: string) =>
      c({ name: "a", type: "int", generated: { expression, stored: true } })
        .generated?.expression;
    expect(generated("ABS(e) + COALESCE(e, 0)")).toBe(
      generated("abs(`e`) + coalesce(`e`,0)"),
    );
    expect(generated("`Order` + 1")).toBe("`Order` + 1");
  });

  it("keeps backticks only where the identifier needs them", () => {
    const check = (expression: string) =>
      mysqlDialect.canonicalTable({
        name: "t",
        columns: [],
        checks: [{ name: "c", expression }],
      }).checks?.[0].expression;
    expect(check("(`price`   >  0)")).toBe("price > 0");
    expect(check("`select` > 0 and `Mixed Case` < 'a  b'")).toBe(
      "`select` > 0 and `Mixed Case` < 'a  b'",
    );
    expect(check("_utf8mb4'x' = `code`")).toBe("'x' = code");
  });

  it("canonicalTable folds uniques into unique indexes, actions, PK names and sorts", () => {
    const table = mysqlDialect.canonicalTable({
      name: "t",
      columns: [{ name: "id", type: "int", nullable: true }],
      primaryKey: { name: "PK_x", columns: ["id"] },
      uniques: [{ name: "b_uq", columns: ["id"] }],
      indexes: [{ name: "a_idx", columns: ["id"], using: "BTREE" }],
      foreignKeys: [
        {
          name: "fk",
          columns: ["id"],
          referencedTable: "p",
          referencedColumns: ["id"],
          onDelete: "RESTRICT",
          deferrable: "INITIALLY DEFERRED",
        },
      ],
      comment: "",
    });
    expect(table).toEqual({
      name: "t",
      columns: [{ name: "id", type: "int", nullable: false }],
      primaryKey: { columns: ["id"] },
      indexes: [
        { name: "a_idx", columns: ["id"] },
        { name: "b_uq", columns: ["id"], unique: true },
      ],
      foreignKeys: [
        {
          name: "fk",
          columns: ["id"],
          referencedTable: "p",
          referencedColumns: ["id"],
          onDelete: "NO ACTION",
          onUpdate: "NO ACTION",
        },
      ],
    });
  });

  it("the session hooks only make sql_mode strict for the run and put it back; DDL is not transactional", async () => {
    expect(mysqlDialect.transactionalDdl).toBe(false);
    const query = jest.fn();
    const db: Queryable = { query };
    await mysqlDialect.prepareSession(db);
    await mysqlDialect.verifyBeforeCommit(db);
    await mysqlDialect.restoreSession(db);
    expect(query.mock.calls.map(([sql]) => sql)).toEqual([
      "SET @retort_sql_mode = @@SESSION.sql_mode",
      "SET SESSION sql_mode = CONCAT_WS(',', NULLIF(@@SESSION.sql_mode, ''), 'STRICT_ALL_TABLES')",
      "SET SESSION sql_mode = @retort_sql_mode",
    ]);
  });

  it("keeps a view's record per database and refuses a materialized view", async () => {
    const created = await render({ kind: "createView", view: { name: "big", definition: "SELECT id FROM orders" } });
    expect(created[0]).toBe("CREATE VIEW `big` AS SELECT id FROM orders");
    expect(created[3]).toBe(
      "INSERT INTO `typeorm_metadata` (`type`, `database`, `name`, `value`) VALUES ('VIEW', DATABASE(), 'big', 'SELECT id FROM orders')",
    );
    await expect(render({ kind: "createView", view: { name: "m", definition: "SELECT 1", materialized: true } })).rejects.toBeInstanceOf(UnsupportedOpError);
  });
});

describe("mysql render: enum value renames", () => {
  it("MODIFY to both values, UPDATE the rows, then MODIFY to the final list", async () => {
    const existing: Column = { name: "status", type: "enum", enumValues: ["draft", "live"], nullable: false };
    const sql = await render({
      kind: "alterColumn",
      table: "posts",
      column: "status",
      changes: { enumValues: ["draft", "published"] },
      existing,
      renameValues: { live: "published" },
    });
    expect(sql).toEqual([
      "ALTER TABLE `posts` MODIFY COLUMN `status` enum('draft','live','published') NOT NULL",
      "UPDATE `posts` SET `status` = 'published' WHERE `status` = 'live'",
      "ALTER TABLE `posts` MODIFY COLUMN `status` enum('draft','published') NOT NULL",
    ]);
  });
});
