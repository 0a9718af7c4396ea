/**
 * The MySQL/MariaDB classification, observed: the server refuses an ALTER
 * asked for a cheaper ALGORITHM (or LOCK=NONE) than it can give, so each op's
 * statement is run with the algorithm classify() names (it must succeed) and,
 * on a fresh copy of the table first, with the next cheaper one (it must fail).
 */
import { getDialect } from "../../src/dialects";
import { parseServerVersion } from "../../src/dialects/cost";
import type { Op } from "../../src/ops/types";
import { connectWith } from "../../src/runner/connection";
import type { Table } from "../../src/schema/types";
import { createTestDatabase, describeEachDialect, type TestDatabase } from "../support/databases";
import { withDb } from "../support/inspect";

const CHEAPER = { INSTANT: undefined, INPLACE: "INSTANT", COPY: "INPLACE" } as const;

const cases: Array<(t: string) => Op> = [
  (t) => ({ kind: "addColumn", table: t, column: { name: "c", type: "int", nullable: true } }),
  (t) => ({ kind: "dropColumn", table: t, column: "n" }),
  (t) => ({ kind: "renameColumn", table: t, from: "n", to: "m" }),
  (t) => ({ kind: "alterColumn", table: t, column: "name", changes: { default: "'x'" }, existing: { name: "name", type: "varchar", length: 10, nullable: true } }),
  (t) => ({ kind: "alterColumn", table: t, column: "name", changes: { length: 20 }, existing: { name: "name", type: "varchar", length: 10, nullable: true } }),
  (t) => ({ kind: "alterColumn", table: t, column: "n", changes: { type: "bigint" }, existing: { name: "n", type: "int", nullable: true } }),
  (t) => ({ kind: "alterColumn", table: t, column: "name", changes: { nullable: false }, existing: { name: "name", type: "varchar", length: 10, nullable: true } }),
  (t) => ({ kind: "createIndex", table: t, index: { name: `ix_${t}`, columns: ["name"] } }),
  (t) => ({ kind: "createForeignKey", table: t, foreignKey: { name: `fk_${t}`, columns: ["n"], referencedTable: "orgs", referencedColumns: ["id"] } }),
  (t) => ({ kind: "dropPrimaryKey", table: t }),
  (t) => ({ kind: "createCheck", table: t, check: { name: `ck_${t}`, expression: "n > 0" } }),
  (t) => ({ kind: "alterColumn", table: t, column: "n", changes: { comment: "count" }, existing: { name: "n", type: "int", nullable: true } }),
  (t) => ({ kind: "dropIndex", table: t, name: "ix_k" }),
  // An indexed column: MariaDB drops it NOCOPY, not INSTANT.
  (t) => ({ kind: "dropColumn", table: t, column: "k" }),
];

/** Each probe table as the live database has it (classify reads which indexes hold a dropped column). */
const liveTable = (name: string): Table => ({
  name,
  columns: [
    { name: "id", type: "int" },
    { name: "name", type: "varchar", length: 10, nullable: true },
    { name: "n", type: "int", nullable: true },
    { name: "k", type: "int", nullable: true },
  ],
  primaryKey: { columns: ["id"] },
  indexes: [{ name: "ix_k", columns: ["k"] }],
});

/** The statement with ALGORITHM / LOCK clauses: after a comma for ALTER TABLE, after the definition for CREATE INDEX. */
function withClauses(sql: string, algorithm: string, lockNone: boolean): string {
  const clauses = [`ALGORITHM=${algorithm}`, ...(lockNone ? ["LOCK=NONE"] : [])];
  // MariaDB's DROP INDEX statement takes no ALGORITHM clause: its ALTER TABLE form does.
  const dropIndex = /^DROP INDEX (\S+) ON (\S+)$/.exec(sql);
  if (dropIndex) return `ALTER TABLE ${dropIndex[2]} DROP INDEX ${dropIndex[1]}, ${clauses.join(", ")}`;
  return sql.startsWith("CREATE INDEX") ? `${sql} ${clauses.join(" ")}` : `${sql}, ${clauses.join(", ")}`;
}

describeEachDialect(
  "MySQL/MariaDB online DDL, observed",
  () => {
    let db: TestDatabase;
    beforeAll(async () => {
      db = await createTestDatabase("mysql");
      await withDb(db, async (query) => {
        await query("CREATE TABLE orgs (id int PRIMARY KEY) ENGINE=InnoDB");
        await query("INSERT INTO orgs VALUES (1)");
      });
    });
    afterAll(async () => db?.drop());

    test("the server accepts the algorithm classify() names and refuses the next cheaper one", async () => {
      const dialect = getDialect("mysql");
      const observed: string[] = [];
      const expected: string[] = [];
      await withDb(db, async (query) => {
        const server = parseServerVersion(String((await query<{ v: string }>("SELECT VERSION() AS v"))[0].v), "mysql");
        const fresh = async (name: string) => {
          await query(`CREATE TABLE ${name} (id int PRIMARY KEY, name varchar(10), n int, k int, KEY ix_k (k)) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4`);
          await query(`INSERT INTO ${name} VALUES (1, 'a', 1, 1), (2, 'b', 1, 2), (3, 'c', 1, 3)`);
        };
        const accepts = async (sql: string) => query(sql).then(() => true, () => false);
        for (const [i, make] of cases.entries()) {
          const table = `t${i}`;
          const op = make(table);
          const cost = dialect.classify(op, { server, transactional: false, table: liveTable(table) });
          const [sql] = await dialect.render(op);
          const cheaper = CHEAPER[cost.algorithm!];
          const lockNone = !cost.blocksWrites;
          await fresh(`${table}_probe`);
          await fresh(table);
          const label = `${op.kind} ${JSON.stringify("changes" in op ? op.changes : "")}`;
          // A refused cheaper algorithm, or LOCK=NONE refused where writes must wait; then the named one accepted.
          const cheaperAccepted = cheaper ? await accepts(withClauses(sql.replace(`\`${table}\``, `\`${table}_probe\``), cheaper, false)) : false;
          const lockNoneAccepted = lockNone ? true : await accepts(withClauses(sql.replace(`\`${table}\``, `\`${table}_probe\``), cost.algorithm!, true));
          const namedAccepted = await accepts(withClauses(sql, cost.algorithm!, lockNone));
          observed.push(`${label}: ${cost.algorithm} accepted ${namedAccepted}, cheaper accepted ${cheaperAccepted}, LOCK=NONE accepted ${lockNoneAccepted}`);
          expected.push(`${label}: ${cost.algorithm} accepted true, cheaper accepted false, LOCK=NONE accepted ${lockNone}`);
        }
      });
      expect(observed).toEqual(expected);
    });

    test("safe mode's forms, rendered for the live server, are accepted by it and keep the rows", async () => {
      const dialect = getDialect("mysql");
      const conn = await connectWith(db.options);
      try {
        const query = (sql: string) => conn.db.query<Record<string, unknown>>(sql);
        await query("CREATE TABLE safe_t (id int PRIMARY KEY, name varchar(10), n int, k int, j int, z int, KEY ix_k (k), KEY ix_nk (n, k), KEY ix_j (j)) ENGINE=InnoDB");
        await query("INSERT INTO safe_t VALUES (1, 'a', 1, 1, 1, 1), (2, 'b', 2, 2, 2, 2)");
        const ops: Op[] = [
          { kind: "renameColumn", table: "safe_t", from: "name", to: "label", online: true },
          { kind: "dropIndex", table: "safe_t", name: "ix_k", online: true },
          // k is still in the two-column ix_nk: MariaDB refuses INSTANT and NOCOPY for it.
          { kind: "dropColumn", table: "safe_t", column: "k", online: true },
          // j alone in ix_j: NOCOPY; z in no index: INSTANT.
          { kind: "dropColumn", table: "safe_t", column: "j", online: true },
          { kind: "dropColumn", table: "safe_t", column: "z", online: true },
        ];
        const sent: string[] = [];
        for (const op of ops) for (const sql of await dialect.render(op, conn.db)) sent.push(sql), await query(sql);
        const mariadb = /mariadb/i.test(String((await query("SELECT VERSION() AS v"))[0].v));
        expect(sent).toEqual(
          mariadb
            ? [
                "ALTER TABLE `safe_t` RENAME COLUMN `name` TO `label`, ALGORITHM=INSTANT",
                "ALTER TABLE `safe_t` DROP INDEX `ix_k`, ALGORITHM=NOCOPY, LOCK=NONE",
                "ALTER TABLE `safe_t` DROP COLUMN `k`, ALGORITHM=INPLACE, LOCK=NONE",
                "ALTER TABLE `safe_t` DROP COLUMN `j`, ALGORITHM=NOCOPY, LOCK=NONE",
                "ALTER TABLE `safe_t` DROP COLUMN `z`, ALGORITHM=INSTANT",
              ]
            : ops.map(() => expect.stringMatching(/, ALGORITHM=(INSTANT|INPLACE, LOCK=NONE)$/)),
        );
        expect(await query("SELECT id, label, n FROM safe_t ORDER BY id")).toEqual([
          { id: 1, label: "a", n: 1 },
          { id: 2, label: "b", n: 2 },
        ]);
        const indexes = await query("SELECT DISTINCT INDEX_NAME AS i FROM information_schema.STATISTICS WHERE TABLE_SCHEMA = DATABASE() AND TABLE_NAME = 'safe_t' ORDER BY 1");
        expect(indexes.map((r) => r.i)).toEqual(["ix_nk", "PRIMARY"]);
      } finally {
        await conn.close();
      }
    });
  },
  ["mysql"],
);
