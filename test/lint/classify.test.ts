/** classifyOp: severities scaled by the live table's size, exemptions, data-risk rules, suppression comments. */
import { getDialect } from "../../src/dialects";
import { parseServerVersion } from "../../src/dialects/cost";
import { classifyOp, costNote, type OpContext } from "../../src/lint/classify";
import { suppressedRules } from "../../src/lint/lint";
import type { Op } from "../../src/ops/types";

const postgres = getDialect("postgres");
const server = parseServerVersion("PostgreSQL 15.4", "postgresql");
const context = (extra: Partial<OpContext> = {}): OpContext => ({ dialect: postgres, server, newTable: false, transactional: true, ...extra });
const retype: Op = { kind: "alterColumn", table: "users", column: "id", changes: { type: "bigint" }, existing: { name: "id", type: "integer" } };
const rules = (op: Op, extra: Partial<OpContext> = {}) => classifyOp(op, context(extra)).findings.map((f) => `${f.severity} ${f.rule}`);

describe("classifyOp", () => {
  test("a rewrite is info on an empty table, a warning when the size is unknown or small, an error on a large table", () => {
    expect(rules(retype, { rows: { rows: 0, estimated: false } })).toEqual(["info table-rewrite"]);
    expect(rules(retype)).toEqual(["warning table-rewrite"]);
    expect(rules(retype, { rows: { rows: 12, estimated: false } })).toEqual(["warning table-rewrite"]);
    expect(rules(retype, { rows: { rows: 5_000_000, estimated: true } })).toEqual(["error table-rewrite"]);
  });

  test("ops on a table created in the same revision are exempt", () => {
    expect(rules(retype, { newTable: true })).toEqual([]);
    expect(rules({ kind: "dropColumn", table: "users", column: "x" }, { newTable: true })).toEqual([]);
  });

  test("data risks: drops and narrowing are errors, renames warnings, raw SQL info", () => {
    expect(rules({ kind: "dropTable", table: "users" })).toContain("error drop-table");
    expect(rules({ kind: "dropColumn", table: "users", column: "tz" })).toContain("error drop-column");
    const narrow: Op = { kind: "alterColumn", table: "users", column: "n", changes: { length: 10 }, existing: { name: "n", type: "character varying", length: 64 } };
    expect(rules(narrow)).toContain("error narrowing");
    expect(rules({ kind: "renameColumn", table: "users", from: "a", to: "b" })).toEqual(["warning rename"]);
    expect(rules({ kind: "execute", sql: "UPDATE users SET a = 1" })).toEqual(["info raw-sql"]);
    expect(rules({ kind: "alterEnum", name: "mood", values: ["a"], existing: ["a", "b"] })).toContain("error narrowing");
  });

  test("CONCURRENTLY in a transactional revision is an error, in a non-transactional one it is not", () => {
    const op: Op = { kind: "createIndex", table: "users", index: { name: "ix", columns: ["n"] }, concurrently: true };
    expect(rules(op)).toContain("error no-transaction");
    expect(rules(op, { transactional: false })).not.toContain("error no-transaction");
  });

  test("the generated-file note appears only for an existing table with rows", () => {
    expect(costNote(classifyOp(retype, context({ rows: { rows: 12, estimated: false } })))).toBe(
      'lint table-rewrite: ACCESS EXCLUSIVE on "users" (12 rows): SET DATA TYPE rewrites the table and its indexes',
    );
    expect(costNote(classifyOp(retype, context({ rows: { rows: 0, estimated: false } })))).toBeUndefined();
    expect(costNote(classifyOp(retype, context()))).toBeUndefined();
    expect(costNote(classifyOp({ kind: "addColumn", table: "users", column: { name: "c", type: "text", nullable: true } }, context({ rows: { rows: 12, estimated: false } })))).toBeUndefined();
  });
});

describe("suppressedRules", () => {
  const lines = [
    "export async function upgrade({ op }) {",
    "  // retort-lint-ignore drop-column, rename",
    "  // the column moved to profiles",
    "  await op.dropColumn('users', 'tz');",
    "  await op.dropColumn('users', 'x');",
    "  // retort-lint-ignore table-rewrite",
    "",
    "  await op.dropColumn('users', 'y');",
  ];
  test("reads the comment lines right above the call", () => {
    expect([...suppressedRules(lines, 4)].sort()).toEqual(["drop-column", "rename"]);
    expect([...suppressedRules(lines, 5)]).toEqual([]);
    // A blank line ends the comment block above a call.
    expect([...suppressedRules(lines, 8)]).toEqual([]);
  });
});
