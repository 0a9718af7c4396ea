/**
 * Every change `check --json` lists carries at least one reason: each op
 * kind's explanation has one, and the comparer's own wording (changed or
 * renamed items) replaces it with what differs.
 */
import { explainOp } from "../../src/compare/describe";
import { genericComparerDialect } from "../../src/compare/dialect";
import type { Op, OpKind, OpOf } from "../../src/ops/types";
import type { ForeignKey, Table } from "../../src/schema/types";
import { col, diff, fixedResolver, idCol, schema, table } from "./fixtures";

const fk: ForeignKey = { name: "FK_org", columns: ["org_id"], referencedTable: "orgs", referencedColumns: ["id"], onDelete: "NO ACTION", onUpdate: "NO ACTION" };
const users = table("users", [idCol(), col("a", "text"), col("org_id", "integer")], { primaryKey: { columns: ["id"] } });

/** One op of each kind; the mapped type makes a kind added later a compile error here. */
const samples: { [K in OpKind]: OpOf<K> } = {
  createTable: { kind: "createTable", table: users },
  dropTable: { kind: "dropTable", table: "users" },
  renameTable: { kind: "renameTable", from: "a", to: "b" },
  addColumn: { kind: "addColumn", table: "users", column: col("b", "text") },
  dropColumn: { kind: "dropColumn", table: "users", column: "a" },
  renameColumn: { kind: "renameColumn", table: "users", from: "a", to: "b" },
  alterColumn: { kind: "alterColumn", table: "users", column: "a", changes: { nullable: false } },
  fillNulls: { kind: "fillNulls", table: "users", column: "a", value: "''" },
  createIndex: { kind: "createIndex", table: "users", index: { name: "IDX_a", columns: ["a"] } },
  dropIndex: { kind: "dropIndex", table: "users", name: "IDX_a" },
  renameIndex: { kind: "renameIndex", table: "users", from: "IDX_a", to: "IDX_b" },
  createUnique: { kind: "createUnique", table: "users", unique: { name: "UQ_a", columns: ["a"] } },
  dropUnique: { kind: "dropUnique", table: "users", name: "UQ_a" },
  createPrimaryKey: { kind: "createPrimaryKey", table: "users", primaryKey: { columns: ["id"] } },
  dropPrimaryKey: { kind: "dropPrimaryKey", table: "users" },
  createForeignKey: { kind: "createForeignKey", table: "users", foreignKey: fk },
  dropForeignKey: { kind: "dropForeignKey", table: "users", name: "FK_org" },
  createExclusion: { kind: "createExclusion", table: "users", exclusion: { name: "XCL_a", expression: "USING gist (\"span\" WITH &&)" } },
  dropExclusion: { kind: "dropExclusion", table: "users", name: "XCL_a" },
  createCheck: { kind: "createCheck", table: "users", check: { name: "CHK_a", expression: "a <> ''" } },
  dropCheck: { kind: "dropCheck", table: "users", name: "CHK_a" },
  createEnum: { kind: "createEnum", name: "mood", values: ["a"] },
  alterEnum: { kind: "alterEnum", name: "mood", values: ["a", "b"], existing: ["a"] },
  dropEnum: { kind: "dropEnum", name: "mood" },
  createView: { kind: "createView", view: { name: "v", definition: "SELECT 1 AS one" } },
  dropView: { kind: "dropView", name: "v" },
  execute: { kind: "execute", sql: "SELECT 1" },
  bulkInsert: { kind: "bulkInsert", table: "users", rows: [{ id: 1 }] },
};

describe("reasons", () => {
  it.each(Object.values(samples).map((op) => [op.kind, op] as [OpKind, Op]))("%s explains itself with a reason", (_kind, op) => {
    const { reasons } = explainOp(op, genericComparerDialect);
    expect(reasons.length).toBeGreaterThan(0);
    for (const reason of reasons) expect(reason.trim()).not.toBe("");
  });

  const orgs = table("orgs", [idCol()], { primaryKey: { columns: ["id"] } });
  const u = (extra: Partial<Table>, columns = users.columns) => table("users", columns, { primaryKey: { columns: ["id"] }, ...extra });

  // Each case is a change the comparer finds; together they produce every op kind it emits.
  const cases: Array<[string, Table[], Table[]]> = [
    ["added and removed tables", [orgs], [orgs, users]],
    ["removed table", [orgs, users], [orgs]],
    ["changed foreign key", [orgs, u({ foreignKeys: [fk] })], [orgs, u({ foreignKeys: [{ ...fk, onDelete: "CASCADE" }] })]],
    ["renamed foreign key", [orgs, u({ foreignKeys: [fk] })], [orgs, u({ foreignKeys: [{ ...fk, name: "FK_new" }] })]],
    ["changed unique", [u({ uniques: [{ name: "UQ", columns: ["a"] }] })], [u({ uniques: [{ name: "UQ", columns: ["a", "org_id"] }] })]],
    ["renamed unique", [u({ uniques: [{ name: "UQ", columns: ["a"] }] })], [u({ uniques: [{ name: "UQ2", columns: ["a"] }] })]],
    ["changed index", [u({ indexes: [{ name: "IX", columns: ["a"] }] })], [u({ indexes: [{ name: "IX", columns: ["a"], unique: true }] })]],
    ["renamed index", [u({ indexes: [{ name: "IX", columns: ["a"] }] })], [u({ indexes: [{ name: "IX2", columns: ["a"] }] })]],
    ["changed check", [u({ checks: [{ name: "CK", expression: "a <> ''" }] })], [u({ checks: [{ name: "CK", expression: "a <> 'x'" }] })]],
    ["renamed check", [u({ checks: [{ name: "CK", expression: "a <> ''" }] })], [u({ checks: [{ name: "CK2", expression: "a <> ''" }] })]],
    ["changed primary key", [u({})], [u({ primaryKey: { columns: ["id", "org_id"] } })]],
    ["added, dropped and altered columns", [u({})], [u({}, [idCol(), col("a", "varchar", { length: 9, nullable: false, default: "''" }), col("b", "text")])]],
  ];

  it.each(cases)("%s: every step has a reason", async (_name, before, after) => {
    const d = await diff(schema(before), schema(after));
    expect(d.upgrade.length).toBeGreaterThan(0);
    for (const step of d.upgrade) expect(step.reasons).not.toEqual([]);
  });

  it("a changed foreign key names the property that changed", async () => {
    const d = await diff(schema([orgs, u({ foreignKeys: [fk] })]), schema([orgs, u({ foreignKeys: [{ ...fk, onDelete: "CASCADE" }] })]));
    expect(d.upgrade.map((s) => s.reasons)).toEqual([["onDelete: NO ACTION -> CASCADE"], ["onDelete: NO ACTION -> CASCADE"]]);
  });

  it("renames and enums have reasons too", async () => {
    const d = await diff(
      schema([u({})], [{ name: "mood", values: ["a"] }]),
      schema([table("people", users.columns, { primaryKey: { columns: ["id"] } })], [{ name: "mood", values: ["a", "b"] }, { name: "x", values: ["y"] }]),
      { resolveRename: fixedResolver(() => true) },
    );
    expect(d.upgrade.map((s) => s.op.kind).sort()).toEqual(["alterEnum", "createEnum", "renameTable"]);
    for (const step of d.upgrade) expect(step.reasons).not.toEqual([]);
  });
});
