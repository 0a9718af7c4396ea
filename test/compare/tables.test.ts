import { applyOps } from "../../src/compare/apply";
import { genericComparerDialect } from "../../src/compare/dialect";
import type { ForeignKey } from "../../src/schema/types";
import { col, diff, idCol, kinds, normalize, ops, schema, table } from "./fixtures";

const forwardDialect = { ...genericComparerDialect, createTableAcceptsForwardReferences: true };

function fk(name: string, from: string, to: string): ForeignKey {
  return { name, columns: [from], referencedTable: to, referencedColumns: ["id"], onDelete: "NO ACTION", onUpdate: "NO ACTION" };
}

describe("tables", () => {
  it("an added table is one createTable with its primary key, uniques, indexes and checks", async () => {
    const users = table("users", [idCol(), col("email", "text")], {
      primaryKey: { name: "PK_users", columns: ["id"] },
      uniques: [{ name: "UQ_email", columns: ["email"] }],
      indexes: [{ name: "IDX_email", columns: ["email"] }],
      checks: [{ name: "CHK_email", expression: "email <> ''" }],
    });
    const d = await diff(schema([]), schema([users]));
    expect(ops(d)).toEqual([{ kind: "createTable", table: users }]);
    expect(d.upgrade[0].detected).toBe("Detected added table 'users'");
    expect(d.upgrade[0].destructive).toBeUndefined();
  });

  it("foreign keys of new tables become createForeignKey steps after every createTable, so cycles work", async () => {
    const a = table("a", [idCol(), col("b_id", "integer")], { foreignKeys: [fk("FK_a_b", "b_id", "b")] });
    const b = table("b", [idCol(), col("a_id", "integer")], { foreignKeys: [fk("FK_b_a", "a_id", "a")] });
    const d = await diff(schema([]), schema([a, b]));
    expect(kinds(d)).toEqual(["createTable", "createTable", "createForeignKey", "createForeignKey"]);
    expect(ops(d)[0]).toEqual({ kind: "createTable", table: table("a", a.columns) });
    expect(ops(d)[2]).toEqual({ kind: "createForeignKey", table: "a", foreignKey: a.foreignKeys![0] });
    expect(normalize(applyOps(schema([]), ops(d)))).toEqual(normalize(schema([a, b])));
  });

  it("a self-referencing foreign key stays inside createTable", async () => {
    const tree = table("tree", [idCol(), col("parent_id", "integer")], { foreignKeys: [fk("FK_parent", "parent_id", "tree")] });
    const d = await diff(schema([]), schema([tree]));
    expect(ops(d)).toEqual([{ kind: "createTable", table: tree }]);
  });

  it("keeps foreign keys inline when the dialect accepts forward references, referenced tables first", async () => {
    const a = table("a", [idCol(), col("b_id", "integer")], { foreignKeys: [fk("FK_a_b", "b_id", "b")] });
    const b = table("b", [idCol()]);
    const d = await diff(schema([]), schema([a, b]), { dialect: forwardDialect });
    expect(ops(d)).toEqual([
      { kind: "createTable", table: b },
      { kind: "createTable", table: a },
    ]);
    expect(d.downgrade.map((s) => s.op)).toEqual([
      { kind: "dropTable", table: "a", existing: a },
      { kind: "dropTable", table: "b", existing: b },
    ]);
  });

  it("with forward references, a cycle between new tables splits one foreign key out", async () => {
    const a = table("a", [idCol(), col("b_id", "integer")], { foreignKeys: [fk("FK_a_b", "b_id", "b")] });
    const b = table("b", [idCol(), col("a_id", "integer")], { foreignKeys: [fk("FK_b_a", "a_id", "a")] });
    const d = await diff(schema([]), schema([a, b]), { dialect: forwardDialect });
    expect(ops(d)).toEqual([
      { kind: "createTable", table: table("a", a.columns) },
      { kind: "createTable", table: b },
      { kind: "createForeignKey", table: "a", foreignKey: a.foreignKeys![0] },
    ]);
  });

  it("a dropped table is a destructive dropTable that keeps its definition, with a REVIEW line and a finding", async () => {
    const logs = table("logs", [idCol(), col("line", "text")], { indexes: [{ name: "IDX_line", columns: ["line"] }] });
    const d = await diff(schema([logs]), schema([]));
    expect(ops(d)).toEqual([{ kind: "dropTable", table: "logs", existing: logs }]);
    const [step] = d.upgrade;
    expect(step.detected).toBe("Detected removed table 'logs'");
    expect(step.destructive).toBe(true);
    expect(step.review?.join("\n")).toContain('dropping table "logs"');
    expect(d.findings).toEqual([expect.objectContaining({ kind: "destructive", table: "logs" })]);
  });

  it("foreign keys between dropped tables are dropped first, separately", async () => {
    const parent = table("parent", [idCol()]);
    const child = table("child", [idCol(), col("parent_id", "integer")], { foreignKeys: [fk("FK_child_parent", "parent_id", "parent")] });
    const d = await diff(schema([child, parent]), schema([]));
    expect(kinds(d)).toEqual(["dropForeignKey", "dropTable", "dropTable"]);
    expect(ops(d)[0]).toEqual({ kind: "dropForeignKey", table: "child", name: "FK_child_parent", existing: child.foreignKeys![0] });
    expect(ops(d)[1]).toEqual({ kind: "dropTable", table: "child", existing: table("child", child.columns) });
    expect(applyOps(schema([child, parent]), ops(d))).toEqual(schema([]));
    expect(normalize(applyOps(schema([]), d.downgrade.map((s) => s.op)))).toEqual(normalize(schema([child, parent])));
  });

  it("with forward references, a referencing table is dropped before the table it references", async () => {
    const parent = table("a_parent", [idCol()]);
    const child = table("z_child", [idCol(), col("parent_id", "integer")], { foreignKeys: [fk("FK_child_parent", "parent_id", "a_parent")] });
    const d = await diff(schema([child, parent]), schema([]), { dialect: forwardDialect });
    expect(ops(d).map((o) => (o.kind === "dropTable" ? o.table : o.kind))).toEqual(["z_child", "a_parent"]);
  });

  it("with forward references, a cycle between dropped tables is broken by dropping one foreign key first", async () => {
    const a = table("a", [idCol(), col("b_id", "integer")], { foreignKeys: [fk("FK_a_b", "b_id", "b")] });
    const b = table("b", [idCol(), col("a_id", "integer")], { foreignKeys: [fk("FK_b_a", "a_id", "a")] });
    const d = await diff(schema([a, b]), schema([]), { dialect: forwardDialect });
    expect(kinds(d)).toEqual(["dropForeignKey", "dropTable", "dropTable"]);
    expect(applyOps(schema([a, b]), ops(d))).toEqual(schema([]));
  });

  it("a kept table's foreign key to a dropped table is dropped before the table", async () => {
    const parent = table("parent", [idCol()]);
    const child = table("child", [idCol(), col("parent_id", "integer")], { foreignKeys: [fk("FK_child_parent", "parent_id", "parent")] });
    const d = await diff(schema([child, parent]), schema([table("child", child.columns)]));
    expect(kinds(d)).toEqual(["dropForeignKey", "dropTable"]);
  });

  it("orders new tables by name", async () => {
    const d = await diff(schema([]), schema([table("zeta", [idCol()]), table("alpha", [idCol()]), table("mid", [idCol()])]));
    expect(ops(d).map((o) => (o.kind === "createTable" ? o.table.name : ""))).toEqual(["alpha", "mid", "zeta"]);
  });

  it("a changed table comment is reported as unsupported, not an op", async () => {
    const d = await diff(schema([table("t", [idCol()], { comment: "old" })]), schema([table("t", [idCol()], { comment: "new" })]));
    expect(d.upgrade).toEqual([]);
    expect(d.findings.map((f) => f.kind)).toEqual(["unsupported"]);
  });

  it("an unmodelled view becomes a finding and never an op", async () => {
    const current = { ...schema([table("t", [idCol()])]), unmodelled: [{ kind: "view" as const, name: "active_users" }] };
    const d = await diff(current, schema([table("t", [idCol()])]));
    expect(d.upgrade).toEqual([]);
    expect(d.findings).toEqual([
      expect.objectContaining({ kind: "unmodelled", message: expect.stringContaining('view "active_users"') }),
    ]);
  });

  it("an unmodelled trigger names its table", async () => {
    const current = { ...schema([]), unmodelled: [{ kind: "trigger" as const, name: "trg_audit", table: "users" }] };
    const d = await diff(current, schema([]));
    expect(d.findings[0]).toMatchObject({ kind: "unmodelled", table: "users" });
    expect(d.findings[0].review.join(" ")).toContain('trigger "trg_audit" on "users"');
  });
});
