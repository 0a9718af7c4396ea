/**
 * The MySQL/MariaDB classification, observed: the server refuses an ALTER
 * asked for a cheaper ALGORITHM (or LOCK=NONE) than it can give, so each op's
 * statement is run with the algorithm classify() names (it must succeed) and,
 * on a fresh copy of the table first, with the next cheaper one (it must fail).
 */
import { getDialect } from "../../src/dialects";
import { parseServerVersion } from "../../src/dialects/cost";
import type { Op } from "../../src/ops/types";
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
];

/** The statement with ALGORITHM / LOCK clauses: after a comma for ALTER TABLE, after the definition for CREATE INDEX. */
function withClauses(sql: string, algorithm: string, lockNone: boolean): string {
  const clauses = [`ALGORITHM=${algorithm}`, ...(lockNone ? ["LOCK=NONE"] : [])];
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
          await query(`CREATE TABLE ${name} (id int PRIMARY KEY, name varchar(10), n int) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4`);
          await query(`INSERT INTO ${name} VALUES (1, 'a', 1), (2, 'b', 1), (3, 'c', 1)`);
        };
        const accepts = async (sql: string) => query(sql).then(() => true, () => false);
        for (const [i, make] of cases.entries()) {
          const table = `t${i}`;
          const op = make(table);
          const cost = dialect.classify(op, { server, transactional: false });
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
  },
  ["mysql"],
);
