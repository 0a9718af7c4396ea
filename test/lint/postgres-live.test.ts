/**
 * The PostgreSQL classification, observed: each op's statements run in a
 * transaction held open, and the server shows the lock the backend holds on
 * the table (pg_locks) and whether the table was rewritten (its relfilenode
 * changes on a rewrite, not otherwise). Rolled back after each case.
 */
import { getDialect } from "../../src/dialects";
import { parseServerVersion } from "../../src/dialects/cost";
import type { Op } from "../../src/ops/types";
import { createTestDatabase, describeEachDialect, type TestDatabase } from "../support/databases";
import { withDb } from "../support/inspect";

/** From weakest to strongest (Explicit Locking, Table 13.2). */
const MODES = ["AccessShareLock", "RowShareLock", "RowExclusiveLock", "ShareUpdateExclusiveLock", "ShareLock", "ShareRowExclusiveLock", "ExclusiveLock", "AccessExclusiveLock"];
const modeName = (level: string) => `${level.toLowerCase().replace(/(^|\s)(\w)/g, (_m, _s, c: string) => c.toUpperCase())}Lock`;

const ops: Op[] = [
  { kind: "addColumn", table: "users", column: { name: "c", type: "integer", nullable: true, default: "7" } },
  { kind: "addColumn", table: "users", column: { name: "c", type: "double precision", nullable: true, default: "random()" } },
  { kind: "alterColumn", table: "users", column: "name", changes: { length: 64 }, existing: { name: "name", type: "character varying", length: 32, nullable: true } },
  { kind: "alterColumn", table: "users", column: "id", changes: { type: "bigint" }, existing: { name: "id", type: "integer", nullable: false } },
  { kind: "alterColumn", table: "users", column: "name", changes: { nullable: false }, existing: { name: "name", type: "character varying", length: 32, nullable: true } },
  { kind: "alterColumn", table: "users", column: "name", changes: { comment: "shown name" }, existing: { name: "name", type: "character varying", length: 32, nullable: true } },
  { kind: "createIndex", table: "users", index: { name: "ix_users_name", columns: ["name"] } },
  { kind: "createForeignKey", table: "users", foreignKey: { name: "fk_users_org", columns: ["org_id"], referencedTable: "orgs", referencedColumns: ["id"] } },
  { kind: "createCheck", table: "users", check: { name: "ck_users_id", expression: "id > 0" } },
];

describeEachDialect(
  "PostgreSQL locks and rewrites, observed",
  () => {
    let db: TestDatabase;
    beforeAll(async () => {
      db = await createTestDatabase("postgres");
      await withDb(db, async (query) => {
        await query("CREATE TABLE orgs (id integer PRIMARY KEY)");
        await query("INSERT INTO orgs VALUES (1)");
        await query("CREATE TABLE users (id integer PRIMARY KEY, name varchar(32), org_id integer)");
        await query("INSERT INTO users SELECT g, 'n' || g, 1 FROM generate_series(1, 200) g");
      });
    });
    afterAll(async () => db?.drop());

    test("pg_locks and relfilenode agree with classify() for each op", async () => {
      const dialect = getDialect("postgres");
      const observed: string[] = [];
      const expected: string[] = [];
      await withDb(db, async (query) => {
        const server = parseServerVersion(String((await query<{ v: string }>("SELECT version() AS v"))[0].v), "postgresql");
        for (const op of ops) {
          const cost = dialect.classify(op, { server, transactional: true });
          await query("BEGIN");
          try {
            const [before] = await query<{ f: string }>("SELECT relfilenode::text AS f FROM pg_class WHERE relname = 'users'");
            for (const sql of await dialect.render(op)) await query(sql);
            const [after] = await query<{ f: string }>("SELECT relfilenode::text AS f FROM pg_class WHERE relname = 'users'");
            const held = await query<{ mode: string }>("SELECT mode FROM pg_locks WHERE pid = pg_backend_pid() AND granted AND relation = 'users'::regclass");
            const strongest = held.map((h) => h.mode).sort((a, b) => MODES.indexOf(b) - MODES.indexOf(a))[0];
            const label = `${op.kind} ${JSON.stringify("changes" in op ? op.changes : "column" in op ? op.column : op.kind)}`;
            observed.push(`${label}: ${strongest}, rewrite ${before.f !== after.f}`);
            expected.push(`${label}: ${modeName(cost.lock!)}, rewrite ${cost.rewrite}`);
            if (op.kind === "createForeignKey") {
              const referenced = await query<{ mode: string }>("SELECT mode FROM pg_locks WHERE pid = pg_backend_pid() AND granted AND relation = 'orgs'::regclass");
              expect(referenced.map((r) => r.mode)).toContain(modeName(cost.lock!));
            }
          } finally {
            await query("ROLLBACK");
          }
        }
      });
      expect(observed).toEqual(expected);
    });

    test("safe mode's unique constraint and primary key: the index built CONCURRENTLY becomes the constraint, no rewrite", async () => {
      const dialect = getDialect("postgres");
      await withDb(db, async (query) => {
        await query("CREATE TABLE keyless (id integer, code varchar(8))");
        await query("INSERT INTO keyless SELECT g, 'c' || g FROM generate_series(1, 50) g");
        const [before] = await query<{ f: string }>("SELECT relfilenode::text AS f FROM pg_class WHERE relname = 'keyless'");
        const safe: Op[] = [
          { kind: "createUnique", table: "keyless", unique: { name: "uq_keyless_code", columns: ["code"] }, online: true },
          { kind: "createPrimaryKey", table: "keyless", primaryKey: { columns: ["id"] }, online: true },
        ];
        // Outside a transaction, as the non-transactional revision runs them (CONCURRENTLY refuses a transaction block).
        for (const op of safe) for (const sql of await dialect.render(op)) await query(sql);
        const [after] = await query<{ f: string }>("SELECT relfilenode::text AS f FROM pg_class WHERE relname = 'keyless'");
        expect(after.f).toBe(before.f);
        const constraints = await query<{ conname: string; contype: string; index: string }>(
          "SELECT conname, contype, conindid::regclass::text AS index FROM pg_constraint WHERE conrelid = 'keyless'::regclass ORDER BY conname",
        );
        expect(constraints).toEqual([
          { conname: "keyless_pkey", contype: "p", index: "keyless_pkey" },
          { conname: "uq_keyless_code", contype: "u", index: "uq_keyless_code" },
        ]);
        // USING INDEX for a primary key sets its columns NOT NULL (the ALTER TABLE manual).
        const [id] = await query<{ attnotnull: boolean }>("SELECT attnotnull FROM pg_attribute WHERE attrelid = 'keyless'::regclass AND attname = 'id'");
        expect(id.attnotnull).toBe(true);
      });
    });
  },
  ["postgres"],
);
