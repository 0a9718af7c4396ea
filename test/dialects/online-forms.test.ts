/**
 * Safe mode's online forms, rendered without a database (pure), and the
 * statement lock retry against a recording connection. The live behaviour
 * (a concurrent writer, a held lock, a server refusing a copy) is tested
 * through the CLI in test/cli/safe-mode.test.ts.
 *
 * MySQL forms: MySQL 8.0 Reference Manual 17.12.1 "Online DDL Operations";
 * MariaDB "InnoDB Online DDL Operations with the INSTANT Alter Algorithm"
 * (DROP COLUMN instant from 10.4, MDEV-15562) and "InnoDB Online DDL
 * Overview" (ALGORITHM names "the least efficient algorithm that the user is
 * willing to accept": NOCOPY lets MariaDB go INSTANT where it can). Seen on
 * MariaDB 10.11.19: DROP INDEX and DROP COLUMN of a column an index holds
 * alone refuse ALGORITHM=INSTANT ("Reason: DROP INDEX. Try ALGORITHM=NOCOPY")
 * and accept NOCOPY; a column in a multi-column index refuses NOCOPY too ("Try
 * ALGORITHM=INPLACE"); RENAME COLUMN is accepted INSTANT (test/lint/mysql-live.test.ts).
 *
 * PostgreSQL unique constraint / primary key: ALTER TABLE, "ADD table_constraint_using_index"
 * (https://www.postgresql.org/docs/15/sql-altertable.html): the index, typically built with
 * CREATE UNIQUE INDEX CONCURRENTLY, becomes the constraint without being rebuilt.
 */
import { mysqlDialect } from "../../src/dialects/mysql";
import { INPLACE, INSTANT, NOCOPY, onlineForm, parseServer } from "../../src/dialects/mysql/online";
import { postgresDialect } from "../../src/dialects/postgres";
import { sqliteDialect } from "../../src/dialects/sqlite";
import type { Queryable } from "../../src/dialects/dialect";
import type { Op } from "../../src/ops/types";
import { lockRetryingRunner } from "../../src/runner/lock-retry";

const fk: Op = {
  kind: "createForeignKey",
  table: "item",
  foreignKey: { name: "FK_item_owner", columns: ["ownerId"], referencedTable: "owner", referencedColumns: ["id"] },
};
const notNull: Op = {
  kind: "alterColumn",
  table: "item",
  column: "note",
  changes: { nullable: false },
  existing: { name: "note", type: "varchar", length: 80, nullable: true },
};
const addColumn: Op = { kind: "addColumn", table: "item", column: { name: "qty", type: "int", nullable: true } };
const index: Op = { kind: "createIndex", table: "item", index: { name: "IDX_item_sku", columns: ["sku"] } };
const unique: Op = { kind: "createUnique", table: "item", unique: { name: "UQ_item_sku", columns: ["sku"] } };
const primaryKey: Op = { kind: "createPrimaryKey", table: "item", primaryKey: { columns: ["id"] } };
const dropColumn: Op = { kind: "dropColumn", table: "item", column: "note" };
const renameColumn: Op = { kind: "renameColumn", table: "item", from: "note", to: "remark" };
const dropIndex: Op = { kind: "dropIndex", table: "item", name: "IDX_item_sku" };

describe("safeForm per dialect", () => {
  it("PostgreSQL: index, unique, primary key, foreign key, check and SET NOT NULL, each outside a transaction; nothing for addColumn or drops", () => {
    for (const op of [index, unique, primaryKey, fk, notNull]) expect(postgresDialect.safeForm(op)).toEqual({ op: { ...op, online: true }, outsideTransaction: true });
    for (const op of [addColumn, dropColumn, renameColumn, dropIndex]) expect(postgresDialect.safeForm(op)).toBeUndefined();
  });
  it("MySQL: addColumn, index, unique, NOT NULL, dropColumn, renameColumn, dropIndex inside the usual rules; no form for a foreign key or a FULLTEXT index", () => {
    for (const op of [addColumn, index, unique, notNull, dropColumn, renameColumn, dropIndex]) expect(mysqlDialect.safeForm(op)).toEqual({ op: { ...op, online: true }, outsideTransaction: false });
    expect(mysqlDialect.safeForm(fk)).toBeUndefined();
    expect(mysqlDialect.safeForm({ kind: "createIndex", table: "item", index: { name: "FT", columns: ["sku"], fulltext: true } })).toBeUndefined();
  });
  it("SQLite: none", () => {
    for (const op of [addColumn, index, fk, notNull]) expect(sqliteDialect.safeForm(op)).toBeUndefined();
  });
});

describe("online rendering", () => {
  it("PostgreSQL: NOT VALID then VALIDATE; NOT NULL through a validated CHECK", async () => {
    expect(await postgresDialect.render({ ...fk, online: true } as Op)).toEqual([
      'ALTER TABLE "item" ADD CONSTRAINT "FK_item_owner" FOREIGN KEY ("ownerId") REFERENCES "owner" ("id") NOT VALID',
      'ALTER TABLE "item" VALIDATE CONSTRAINT "FK_item_owner"',
    ]);
    expect(await postgresDialect.render({ ...notNull, online: true } as Op)).toEqual([
      'ALTER TABLE "item" ADD CONSTRAINT "item_note_not_null" CHECK ("note" IS NOT NULL) NOT VALID',
      'ALTER TABLE "item" VALIDATE CONSTRAINT "item_note_not_null"',
      'ALTER TABLE "item" ALTER COLUMN "note" SET NOT NULL',
      'ALTER TABLE "item" DROP CONSTRAINT "item_note_not_null"',
    ]);
    expect(await postgresDialect.render({ ...index, online: true } as Op)).toEqual(['CREATE INDEX CONCURRENTLY "IDX_item_sku" ON "item" ("sku")']);
    expect(await postgresDialect.render({ ...unique, online: true } as Op)).toEqual([
      'CREATE UNIQUE INDEX CONCURRENTLY "UQ_item_sku" ON "item" ("sku")',
      'ALTER TABLE "item" ADD CONSTRAINT "UQ_item_sku" UNIQUE USING INDEX "UQ_item_sku"',
    ]);
    // An unnamed key gets PostgreSQL's own name, for the index and the constraint alike.
    expect(await postgresDialect.render({ ...primaryKey, online: true } as Op)).toEqual([
      'CREATE UNIQUE INDEX CONCURRENTLY "item_pkey" ON "item" ("id")',
      'ALTER TABLE "item" ADD CONSTRAINT "item_pkey" PRIMARY KEY USING INDEX "item_pkey"',
    ]);
    expect(await postgresDialect.render(unique)).toEqual(['ALTER TABLE "item" ADD CONSTRAINT "UQ_item_sku" UNIQUE ("sku")']);
    expect(await postgresDialect.render(fk)).toHaveLength(1);
  });

  it("MySQL/MariaDB: the algorithm per op and server family", () => {
    const mysql80 = parseServer("8.0.36");
    const mysql57 = parseServer("5.7.44-log");
    const mariadb = parseServer("10.11.6-MariaDB-0+deb12u1");
    expect(mariadb).toEqual({ family: "mariadb", version: [10, 11, 6] });
    expect(onlineForm(addColumn, mysql80)).toBe(INSTANT);
    expect(onlineForm(addColumn, mariadb)).toBe(INSTANT);
    expect(onlineForm(addColumn, mysql57)).toBe(INPLACE);
    expect(onlineForm(addColumn, undefined)).toBe(INPLACE);
    expect(onlineForm({ ...addColumn, column: { name: "n", type: "int", autoIncrement: true } } as Op, mysql80)).toBeUndefined();
    expect(onlineForm(notNull, mysql80)).toBe(INPLACE);
    expect(onlineForm({ ...notNull, changes: { type: "text" } } as Op, mysql80)).toBeUndefined();
    expect(onlineForm({ ...notNull, changes: { length: 20 } } as Op, mysql80)).toBeUndefined();
    expect(onlineForm({ ...notNull, changes: { length: 200 } } as Op, mysql80)).toBe(INPLACE);

    const mysql8028 = parseServer("8.0.28");
    const mariadb103 = parseServer("10.3.39-MariaDB");
    // DROP COLUMN: INSTANT from MySQL 8.0.29; a rebuild in place before, and wherever the table's indexes are unknown.
    expect([mysql80, mysql8028, mariadb, mariadb103, undefined].map((s) => onlineForm(dropColumn, s))).toEqual([INSTANT, INPLACE, INPLACE, INPLACE, INPLACE]);
    // MariaDB 10.4+ by the indexes holding the column: none INSTANT, one holding it alone NOCOPY, a multi-column one or the primary key INPLACE.
    const holding = [[], [{ columns: ["id"], primary: true }, { columns: ["note"] }], [{ columns: ["note", "sku"] }], [{ columns: ["note"], primary: true }]];
    expect(holding.map((keys) => onlineForm(dropColumn, mariadb, keys))).toEqual([INSTANT, NOCOPY, INPLACE, INPLACE]);
    expect(onlineForm(dropColumn, mariadb103, [])).toBe(INPLACE);
    // RENAME COLUMN: INSTANT from MySQL 8.0.28 and on MariaDB.
    expect([mysql80, mysql8028, mysql57, mariadb, undefined].map((s) => onlineForm(renameColumn, s))).toEqual([INSTANT, INSTANT, INPLACE, INSTANT, INPLACE]);
    // DROP INDEX: metadata only; MariaDB refuses INSTANT for it.
    expect([mysql80, mariadb, undefined].map((s) => onlineForm(dropIndex, s))).toEqual([INPLACE, NOCOPY, INPLACE]);
  });

  it("MySQL: the clause is appended to the statement, only when asked", async () => {
    expect(await mysqlDialect.render({ ...addColumn, online: true } as Op)).toEqual(["ALTER TABLE `item` ADD COLUMN `qty` int NULL, ALGORITHM=INPLACE, LOCK=NONE"]);
    expect(await mysqlDialect.render({ ...index, online: true } as Op)).toEqual(["CREATE INDEX `IDX_item_sku` ON `item` (`sku`) ALGORITHM=INPLACE LOCK=NONE"]);
    expect(await mysqlDialect.render(addColumn)).toEqual(["ALTER TABLE `item` ADD COLUMN `qty` int NULL"]);
    expect(await mysqlDialect.render({ ...dropColumn, online: true } as Op)).toEqual(["ALTER TABLE `item` DROP COLUMN `note`, ALGORITHM=INPLACE, LOCK=NONE"]);
    expect(await mysqlDialect.render({ ...renameColumn, online: true } as Op)).toEqual(["ALTER TABLE `item` RENAME COLUMN `note` TO `remark`, ALGORITHM=INPLACE, LOCK=NONE"]);
    // MariaDB's DROP INDEX statement takes no ALGORITHM clause: the online form is an ALTER TABLE.
    expect(await mysqlDialect.render({ ...dropIndex, online: true } as Op)).toEqual(["ALTER TABLE `item` DROP INDEX `IDX_item_sku`, ALGORITHM=INPLACE, LOCK=NONE"]);
    expect(await mysqlDialect.render(dropIndex)).toEqual(["DROP INDEX `IDX_item_sku` ON `item`"]);
    expect(await mysqlDialect.render({ ...unique, online: true } as Op)).toEqual(["CREATE UNIQUE INDEX `UQ_item_sku` ON `item` (`sku`) ALGORITHM=INPLACE LOCK=NONE"]);
  });
});

describe("statement lock retry", () => {
  function recorder(failures: number): { db: Queryable; sent: string[] } {
    const sent: string[] = [];
    let left = failures;
    const db: Queryable = {
      query: async <T>(sql: string) => {
        sent.push(sql);
        if (sql.startsWith("ALTER") && left-- > 0) throw Object.assign(new Error("canceling statement due to lock timeout"), { code: "55P03" });
        return [] as T[];
      },
    };
    return { db, sent };
  }

  it("inside a transaction: each try under a savepoint, rolled back after a timeout, then retried", async () => {
    const { db, sent } = recorder(1);
    const lines: string[] = [];
    const run = lockRetryingRunner(db, postgresDialect, { timeoutMs: 50, retries: 2 }, () => true, (l) => lines.push(l));
    await run('ALTER TABLE "item" ADD COLUMN "x" int');
    expect(sent).toEqual([
      "SAVEPOINT retort_lock_retry",
      "SET lock_timeout = '50ms'",
      'ALTER TABLE "item" ADD COLUMN "x" int',
      "ROLLBACK TO SAVEPOINT retort_lock_retry",
      "SAVEPOINT retort_lock_retry",
      "SET lock_timeout = '50ms'",
      'ALTER TABLE "item" ADD COLUMN "x" int',
      "RESET lock_timeout",
      "RELEASE SAVEPOINT retort_lock_retry",
    ]);
    expect(lines).toEqual([expect.stringMatching(/^lock_timeout \(SQLSTATE 55P03\): no lock within 50 ms for ALTER TABLE "item" ADD COLUMN "x" int; retry 1 of 2 in 500 ms$/)]);
  });

  it("gives up after the retries with a sentence naming the limit", async () => {
    const { db } = recorder(10);
    const run = lockRetryingRunner(db, postgresDialect, { timeoutMs: 50, retries: 0 }, () => false, () => undefined);
    await expect(run("ALTER TABLE t ADD COLUMN x int")).rejects.toThrow(/^lock_timeout \(SQLSTATE 55P03\): no lock within 50 ms after 1 try/);
  });

  it("without a limit, or on SQLite, statements run as they are", async () => {
    const { db, sent } = recorder(0);
    await lockRetryingRunner(db, postgresDialect, undefined, () => true, () => undefined)("ALTER TABLE t ADD COLUMN x int");
    await lockRetryingRunner(db, sqliteDialect, { timeoutMs: 50, retries: 1 }, () => true, () => undefined)("ALTER TABLE t ADD COLUMN y int");
    expect(sent).toEqual(["ALTER TABLE t ADD COLUMN x int", "ALTER TABLE t ADD COLUMN y int"]);
  });
});
