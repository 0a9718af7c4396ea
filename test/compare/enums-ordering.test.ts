import { applyOps } from "../../src/compare/apply";
import { genericComparerDialect } from "../../src/compare/dialect";
import { reverseOps } from "../../src/ops/reverse";
import type { Schema } from "../../src/schema/types";
import { col, diff, idCol, kinds, normalize, ops, schema, table } from "./fixtures";

const moodCol = (values: string[]) => col("mood", "enum", { enumName: "mood", enumValues: values });

describe("PostgreSQL enums", () => {
  it("createEnum comes before the table that uses it", async () => {
    const d = await diff(schema([]), schema([table("t", [idCol(), moodCol(["a", "b"])])], [{ name: "mood", values: ["a", "b"] }]));
    expect(kinds(d)).toEqual(["createEnum", "createTable"]);
    expect(d.upgrade[0].detected).toBe("Detected added enum 'mood' ('a', 'b')");
  });

  it("an added value is an alterEnum before the columns change, and columns of the type are not altered", async () => {
    const d = await diff(
      schema([table("t", [idCol(), moodCol(["a"])])], [{ name: "mood", values: ["a"] }]),
      schema([table("t", [idCol(), moodCol(["a", "b"]), col("x", "text")])], [{ name: "mood", values: ["a", "b"] }]),
    );
    expect(ops(d)).toEqual([
      { kind: "alterEnum", name: "mood", values: ["a", "b"], existing: ["a"] },
      { kind: "addColumn", table: "t", column: col("x", "text") },
    ]);
    expect(d.upgrade[0].detected).toBe("Detected changed enum 'mood': added value 'b'");
    expect(d.upgrade[0].destructive).toBeUndefined();
  });

  it("a removed value is destructive and runs after the tables change", async () => {
    const d = await diff(
      schema([table("t", [idCol(), moodCol(["a", "b"])])], [{ name: "mood", values: ["a", "b"] }]),
      schema([table("t", [idCol(), moodCol(["a"]), col("x", "text")])], [{ name: "mood", values: ["a"] }]),
    );
    expect(kinds(d)).toEqual(["addColumn", "alterEnum"]);
    expect(d.upgrade[1].destructive).toBe(true);
    expect(d.upgrade[1].review?.[0]).toContain("'b'");
  });

  it("reordered values are an alterEnum after the tables", async () => {
    const d = await diff(schema([], [{ name: "mood", values: ["a", "b"] }]), schema([], [{ name: "mood", values: ["b", "a"] }]));
    expect(ops(d)).toEqual([{ kind: "alterEnum", name: "mood", values: ["b", "a"], existing: ["a", "b"] }]);
    expect(d.upgrade[0].detected).toContain("reordered values");
  });

  it("dropEnum comes after the table that used it", async () => {
    const d = await diff(schema([table("t", [idCol(), moodCol(["a"])])], [{ name: "mood", values: ["a"] }]), schema([]));
    expect(ops(d)[1]).toEqual({ kind: "dropEnum", name: "mood", existing: ["a"] });
    expect(kinds(d)).toEqual(["dropTable", "dropEnum"]);
  });

  it("a dialect without enum types ignores schema enums and compares column values", async () => {
    const mysql = { ...genericComparerDialect, supportsEnumTypes: false };
    const before = schema([table("t", [col("e", "enum", { enumValues: ["a", "b"] })])]);
    const after = schema([table("t", [col("e", "enum", { enumValues: ["a"] })])]);
    const d = await diff(before, after, { dialect: mysql });
    expect(ops(d)).toEqual([{ kind: "alterColumn", table: "t", column: "e", changes: { enumValues: ["a"] }, existing: before.tables[0].columns[0] }]);
    expect(d.upgrade[0].destructive).toBe(true);
    expect(d.upgrade[0].detected).toBe("Detected type change from enum('a', 'b') to enum('a') on 't.e'");
  });
});

describe("ordering", () => {
  const fkTo = (target: string) => ({ name: `FK_${target}`, columns: ["ref"], referencedTable: target, referencedColumns: ["id"], onDelete: "NO ACTION" as const, onUpdate: "NO ACTION" as const });

  it("a foreign key to a new table comes after that table", async () => {
    const before = schema([table("orders", [idCol(), col("ref", "integer")])]);
    const after = schema([table("orders", [idCol(), col("ref", "integer")], { foreignKeys: [fkTo("zones")] }), table("zones", [idCol()])]);
    expect(kinds(await diff(before, after))).toEqual(["createTable", "createForeignKey"]);
  });

  it("a foreign key on a dropped column is dropped before the column", async () => {
    const before = schema([table("orders", [idCol(), col("ref", "integer")], { foreignKeys: [fkTo("zones")] }), table("zones", [idCol()])]);
    const after = schema([table("orders", [idCol()]), table("zones", [idCol()])]);
    expect(kinds(await diff(before, after))).toEqual(["dropForeignKey", "dropColumn"]);
  });

  it("an index on a dropped column is dropped before the column", async () => {
    const before = schema([table("t", [idCol(), col("a", "text")], { indexes: [{ name: "IDX_a", columns: ["a"] }] })]);
    const after = schema([table("t", [idCol()])]);
    expect(kinds(await diff(before, after))).toEqual(["dropIndex", "dropColumn"]);
  });

  it("an index on a new column is created after the column", async () => {
    const before = schema([table("t", [idCol()])]);
    const after = schema([table("t", [idCol(), col("a", "text")], { indexes: [{ name: "IDX_a", columns: ["a"] }] })]);
    expect(kinds(await diff(before, after))).toEqual(["addColumn", "createIndex"]);
  });

  it("follows the phase order across every kind of change", async () => {
    const before: Schema = schema(
      [
        table("a", [idCol(), col("ref", "integer"), col("old", "integer"), col("len", "varchar", { length: 10 })], {
          foreignKeys: [fkTo("gone")],
          indexes: [{ name: "IDX_old", columns: ["old"] }],
        }),
        table("gone", [idCol()]),
      ],
      [{ name: "obsolete", values: ["x"] }],
    );
    const after: Schema = schema(
      [
        table("a", [idCol(), col("ref", "integer"), col("len", "varchar", { length: 20 }), col("fresh", "text")], {
          foreignKeys: [fkTo("newt")],
          indexes: [{ name: "IDX_fresh", columns: ["fresh"] }],
        }),
        table("newt", [idCol()]),
      ],
      [{ name: "mood", values: ["a"] }],
    );
    const d = await diff(before, after);
    expect(kinds(d)).toEqual([
      "createEnum",
      "dropForeignKey",
      "dropIndex",
      "createTable",
      "addColumn",
      "alterColumn",
      "dropColumn",
      "dropTable",
      "createIndex",
      "createForeignKey",
      "dropEnum",
    ]);
    expect(normalize(applyOps(before, ops(d)))).toEqual(normalize(after));
    expect(normalize(applyOps(applyOps(before, ops(d)), d.downgrade.map((s) => s.op)))).toEqual(normalize(before));
  });

  it("sorts steps of one phase by table name", async () => {
    const before = schema([table("b", [idCol()]), table("a", [idCol()]), table("c", [idCol()])]);
    const after = schema(["c", "a", "b"].map((n) => table(n, [idCol(), col("x", "text")])));
    const d = await diff(before, after);
    expect(ops(d).map((o) => (o.kind === "addColumn" ? o.table : ""))).toEqual(["a", "b", "c"]);
  });

  it("is deterministic", async () => {
    const before = schema([table("t", [idCol(), col("a", "text"), col("b", "text")])]);
    const after = schema([table("t", [idCol(), col("c", "text"), col("d", "text")])]);
    expect(await diff(before, after)).toEqual(await diff(before, after));
  });
});

describe("downgrade", () => {
  it("is exactly reverseOps of the upgrade, each step with its own wording", async () => {
    const before = schema([table("t", [idCol(), col("a", "varchar", { length: 5 })], { indexes: [{ name: "IDX_a", columns: ["a"] }] })]);
    const after = schema([table("t", [idCol(), col("a", "varchar", { length: 9 }), col("b", "text")]), table("u", [idCol()])]);
    const d = await diff(before, after);
    expect(d.downgrade.map((s) => s.op)).toEqual(reverseOps(ops(d)));
    expect(d.downgrade.map((s) => s.detected)).toEqual([
      "Detected type change from varchar(9) to varchar(5) on 't.a'",
      "Detected removed column 't.b'",
      "Detected removed table 'u'",
      "Detected added index 'IDX_a' on '(a)'",
    ]);
    expect(d.downgrade.map((s) => Boolean(s.destructive))).toEqual([true, true, true, false]);
  });

  it("an accepted rename downgrades to the reverse rename", async () => {
    const d = await diff(schema([table("a", [idCol()])]), schema([table("b", [idCol()])]), { resolveRename: () => true });
    expect(d.downgrade.map((s) => s.op)).toEqual([{ kind: "renameTable", from: "b", to: "a" }]);
    expect(d.downgrade[0].detected).toBe("Detected renamed table 'b' to 'a'");
  });
});
