import { ApplyError, applyOp, applyOps } from "../../src/compare/apply";
import type { ForeignKey } from "../../src/schema/types";
import { col, idCol, schema, table } from "./fixtures";

const fk: ForeignKey = { name: "FK_c_p", columns: ["pid"], referencedTable: "parent", referencedColumns: ["id"], onDelete: "NO ACTION", onUpdate: "NO ACTION" };
const parent = table("parent", [idCol()], { primaryKey: { columns: ["id"] } });
const child = table("child", [idCol(), col("pid", "integer")], { foreignKeys: [fk], indexes: [{ name: "IDX_pid", columns: ["pid"] }] });

describe("applyOp", () => {
  it("does not modify the schema it is given", () => {
    const s = schema([parent]);
    const copy = JSON.parse(JSON.stringify(s));
    applyOp(s, { kind: "addColumn", table: "parent", column: col("x", "text") });
    expect(s).toEqual(copy);
  });

  it("renameTable follows foreign keys that reference the table", () => {
    const s = applyOp(schema([child, parent]), { kind: "renameTable", from: "parent", to: "folks" });
    expect(s.tables.map((t) => t.name)).toEqual(["child", "folks"]);
    expect(s.tables[0].foreignKeys?.[0].referencedTable).toBe("folks");
  });

  it("renameColumn follows indexes, foreign keys and references from other tables", () => {
    let s = applyOp(schema([child, parent]), { kind: "renameColumn", table: "child", from: "pid", to: "parent_id" });
    expect(s.tables[0].indexes?.[0].columns).toEqual(["parent_id"]);
    expect(s.tables[0].foreignKeys?.[0].columns).toEqual(["parent_id"]);
    s = applyOp(s, { kind: "renameColumn", table: "parent", from: "id", to: "key" });
    expect(s.tables[0].foreignKeys?.[0].referencedColumns).toEqual(["key"]);
    expect(s.tables[1].primaryKey?.columns).toEqual(["key"]);
  });

  it("alterEnum keeps the columns of the type in step", () => {
    const s = applyOp(
      schema([table("t", [col("m", "enum", { enumName: "mood", enumValues: ["a"] })])], [{ name: "mood", values: ["a"] }]),
      { kind: "alterEnum", name: "mood", values: ["a", "b"], existing: ["a"] },
    );
    expect(s.enums).toEqual([{ name: "mood", values: ["a", "b"] }]);
    expect(s.tables[0].columns[0].enumValues).toEqual(["a", "b"]);
  });

  it("alterColumn applies changes and removes properties set to null", () => {
    const s = applyOp(schema([table("t", [col("n", "integer", { default: "0" })])]), {
      kind: "alterColumn",
      table: "t",
      column: "n",
      changes: { type: "bigint", default: null },
    });
    expect(s.tables[0].columns[0]).toEqual({ name: "n", type: "bigint", nullable: true });
  });

  it("renameIndex keeps the definition", () => {
    const s = applyOp(schema([child, parent]), { kind: "renameIndex", table: "child", from: "IDX_pid", to: "IDX_new" });
    expect(s.tables[0].indexes).toEqual([{ name: "IDX_new", columns: ["pid"] }]);
  });

  it.each([
    ["adding a column to a missing table", { kind: "addColumn" as const, table: "nope", column: col("x", "text") }],
    ["adding an existing column", { kind: "addColumn" as const, table: "child", column: col("pid", "integer") }],
    ["dropping a column an index uses", { kind: "dropColumn" as const, table: "child", column: "pid" }],
    ["dropping a referenced column", { kind: "dropColumn" as const, table: "parent", column: "id" }],
    ["dropping a referenced table", { kind: "dropTable" as const, table: "parent" }],
    ["a foreign key to a missing table", { kind: "createForeignKey" as const, table: "parent", foreignKey: { ...fk, columns: ["id"], referencedTable: "ghost" } }],
    ["an index on a missing column", { kind: "createIndex" as const, table: "parent", index: { name: "IDX_g", columns: ["ghost"] } }],
    ["a second primary key", { kind: "createPrimaryKey" as const, table: "parent", primaryKey: { columns: ["id"] } }],
    ["dropping a missing index", { kind: "dropIndex" as const, table: "parent", name: "IDX_none" }],
    ["a duplicate constraint name", { kind: "createUnique" as const, table: "child", unique: { name: "IDX_pid", columns: ["pid"] } }],
    ["creating an existing table", { kind: "createTable" as const, table: parent }],
    ["dropping an enum in use", { kind: "dropEnum" as const, name: "mood" }],
  ])("refuses %s with an ApplyError carrying the op", (_label, op) => {
    const s = schema([child, parent, table("e", [col("m", "enum", { enumName: "mood", enumValues: ["a"] })])], [{ name: "mood", values: ["a"] }]);
    expect(() => applyOp(s, op)).toThrow(ApplyError);
    try {
      applyOp(s, op);
    } catch (error) {
      expect((error as ApplyError).op).toBe(op);
    }
  });

  it("applyOps runs ops in order", () => {
    const s = applyOps(schema([]), [
      { kind: "createTable", table: parent },
      { kind: "createTable", table: table("child", [idCol(), col("pid", "integer")]) },
      { kind: "createForeignKey", table: "child", foreignKey: fk },
      { kind: "dropForeignKey", table: "child", name: "FK_c_p" },
      { kind: "dropTable", table: "parent" },
    ]);
    expect(s).toEqual(schema([table("child", [idCol(), col("pid", "integer")])]));
  });
});
