/**
 * Which ops of a revision can be checked against the data as it is before the
 * revision (pure), and which checks each dialect asks for (pure, from the ops).
 */
import { getDialect } from "../src/dialects";
import type { Op } from "../src/ops/types";
import { checkableOps } from "../src/runner/precheck";

const notNull = (table: string, column: string): Op => ({
  kind: "alterColumn",
  table,
  column,
  changes: { nullable: false },
  existing: { name: column, type: "integer", nullable: true },
});

describe("checkableOps", () => {
  it("checks ops on columns the revision has not changed yet", () => {
    const ops: Op[] = [
      { kind: "createTable", table: { name: "audit", columns: [{ name: "id", type: "integer" }] } },
      notNull("users", "email"),
      { kind: "createUnique", table: "users", unique: { name: "uq", columns: ["email"] } },
    ];
    expect(checkableOps(ops)).toEqual(ops.slice(1));
  });

  it("leaves columns added, filled, converted or renamed earlier in the revision to the database", () => {
    const added: Op = { kind: "addColumn", table: "t", column: { name: "a", type: "integer", nullable: true } };
    const filled: Op = { kind: "fillNulls", table: "t", column: "b", value: "0" };
    const converted: Op = { kind: "alterColumn", table: "t", column: "c", changes: { type: "bigint" } };
    const renamed: Op = { kind: "renameColumn", table: "t", from: "x", to: "d" };
    const later = ["a", "b", "c", "d"].map((c) => notNull("t", c));
    expect(checkableOps([added, filled, converted, renamed, ...later])).toEqual([converted]);
  });

  it("checks nothing after raw SQL, and nothing on a table created or filled by the revision", () => {
    expect(checkableOps([notNull("t", "a"), { kind: "execute", sql: "UPDATE t SET a = 1" }, notNull("t", "b")])).toEqual([notNull("t", "a")]);
    const fk: Op = {
      kind: "createForeignKey",
      table: "orders",
      foreignKey: { name: "fk", columns: ["user_id"], referencedTable: "users", referencedColumns: ["id"] },
    };
    expect(checkableOps([{ kind: "bulkInsert", table: "users", rows: [{ id: 1 }] }, fk])).toEqual([]);
  });
});

describe("dialect preconditions", () => {
  const narrow: Op = {
    kind: "alterColumn",
    table: "posts",
    column: "body",
    changes: { type: "varchar", length: 10, nullable: false },
    existing: { name: "body", type: "text", nullable: true },
  };

  it("MySQL counts NULLs and too-long values; PostgreSQL too-long values only; SQLite nothing", () => {
    expect(getDialect("mysql").preconditions(narrow).map((p) => p.sql)).toEqual([
      "SELECT COUNT(*) AS n FROM `posts` WHERE CHAR_LENGTH(`body`) > 10",
      "SELECT COUNT(*) AS n FROM `posts` WHERE `body` IS NULL",
    ]);
    expect(getDialect("postgres").preconditions(narrow).map((p) => p.sql)).toEqual([
      'SELECT COUNT(*) AS n FROM "posts" WHERE CHAR_LENGTH("body") > 10',
    ]);
    expect(getDialect("sqlite").preconditions(narrow)).toEqual([]);
  });

  it("an enum (PostgreSQL: a type without CHAR_LENGTH) becoming a string counts the values too long for it", () => {
    const toVarchar = (length: number): Op => ({
      kind: "alterColumn",
      table: "posts",
      column: "status",
      changes: { type: "varchar", length, enumName: null },
      existing: { name: "status", type: "posts_status_enum", enumName: "posts_status_enum", enumValues: ["draft", "published"], nullable: false },
    });
    expect(getDialect("postgres").preconditions(toVarchar(5)).map((p) => p.sql)).toEqual([`SELECT COUNT(*) AS n FROM "posts" WHERE "status" IN ('published')`]);
    expect(getDialect("postgres").preconditions(toVarchar(255))).toEqual([]);
  });

  it("integer size, numeric digits and scale, enum values", () => {
    const mysql = getDialect("mysql");
    const alter = (existing: object, changes: object): Op =>
      ({ kind: "alterColumn", table: "t", column: "c", changes, existing: { name: "c", nullable: false, ...existing } }) as Op;
    expect(mysql.preconditions(alter({ type: "int" }, { type: "tinyint" }))[0].sql).toContain("`c` < -128 OR `c` > 127");
    expect(mysql.preconditions(alter({ type: "int" }, { unsigned: true }))[0].sql).toContain("`c` < 0 OR `c` > 4294967295");
    expect(mysql.preconditions(alter({ type: "int" }, { type: "bigint" }))).toEqual([]);
    expect(mysql.preconditions(alter({ type: "decimal", precision: 10, scale: 3 }, { precision: 6, scale: 2 })).map((p) => p.problem)).toEqual([
      "with more than 4 digits before the decimal point",
      "with more than 2 decimal places (they would be rounded)",
    ]);
    expect(mysql.preconditions(alter({ type: "enum", enumValues: ["a", "b", "c"] }, { enumValues: ["a"] }))[0].sql).toContain("`c` IN ('b', 'c')");
  });

  it("MySQL counts duplicates before UNIQUE and orphans before a foreign key; PostgreSQL leaves them to its transaction", () => {
    const unique: Op = { kind: "createUnique", table: "users", unique: { name: "uq", columns: ["email"] } };
    expect(getDialect("mysql").preconditions(unique)[0].sql).toBe(
      "SELECT COALESCE(SUM(d.n), 0) AS n FROM (SELECT COUNT(*) AS n FROM `users` WHERE `email` IS NOT NULL GROUP BY `email` HAVING COUNT(*) > 1) d",
    );
    expect(getDialect("postgres").preconditions(unique)).toEqual([]);
  });
});
