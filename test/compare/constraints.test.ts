import type { ForeignKey, Table } from "../../src/schema/types";
import { col, diff, idCol, kinds, ops, schema, table } from "./fixtures";

function t(extra: Partial<Table>): Table {
  return table("users", [idCol(), col("a", "text"), col("b", "text"), col("org_id", "integer")], extra);
}

const orgs = table("orgs", [idCol()], { primaryKey: { columns: ["id"] } });

function fk(extra: Partial<ForeignKey> = {}): ForeignKey {
  return { name: "FK_org", columns: ["org_id"], referencedTable: "orgs", referencedColumns: ["id"], onDelete: "NO ACTION", onUpdate: "NO ACTION", ...extra };
}

async function between(before: Partial<Table>, after: Partial<Table>) {
  return diff(schema([orgs, t(before)]), schema([orgs, t(after)]));
}

describe("indexes", () => {
  it("an added index is createIndex with Alembic wording", async () => {
    const index = { name: "IDX_x", columns: ["a", "b"] };
    const d = await between({}, { indexes: [index] });
    expect(ops(d)).toEqual([{ kind: "createIndex", table: "users", index }]);
    expect(d.upgrade[0].detected).toBe("Detected added index 'IDX_x' on '(a, b)'");
  });

  it("a removed index is dropIndex keeping its definition", async () => {
    const index = { name: "IDX_x", columns: ["a"], where: "a IS NOT NULL" };
    const d = await between({ indexes: [index] }, {});
    expect(ops(d)).toEqual([{ kind: "dropIndex", table: "users", name: "IDX_x", existing: index }]);
    expect(d.upgrade[0].detected).toBe("Detected removed index 'IDX_x' on 'users'");
  });

  it("the same definition under a new name is renameIndex", async () => {
    const d = await between({ indexes: [{ name: "IDX_old", columns: ["a"] }] }, { indexes: [{ name: "IDX_new", columns: ["a"] }] });
    expect(ops(d)).toEqual([{ kind: "renameIndex", table: "users", from: "IDX_old", to: "IDX_new" }]);
    expect(d.upgrade[0].detected).toBe("Detected renamed index 'IDX_old' to 'IDX_new' on 'users'");
  });

  it("a changed definition under the same name is drop then create", async () => {
    const d = await between({ indexes: [{ name: "IDX_x", columns: ["a"] }] }, { indexes: [{ name: "IDX_x", columns: ["a", "b"] }] });
    expect(ops(d)).toEqual([
      { kind: "dropIndex", table: "users", name: "IDX_x", existing: { name: "IDX_x", columns: ["a"] } },
      { kind: "createIndex", table: "users", index: { name: "IDX_x", columns: ["a", "b"] } },
    ]);
  });

  it("column order inside an index is part of its definition", async () => {
    const d = await between({ indexes: [{ name: "IDX_x", columns: ["a", "b"] }] }, { indexes: [{ name: "IDX_x", columns: ["b", "a"] }] });
    expect(kinds(d)).toEqual(["dropIndex", "createIndex"]);
  });

  it("an index becoming unique is a definition change", async () => {
    const d = await between({ indexes: [{ name: "IDX_x", columns: ["a"] }] }, { indexes: [{ name: "IDX_x", columns: ["a"], unique: true }] });
    expect(kinds(d)).toEqual(["dropIndex", "createIndex"]);
    expect(d.upgrade[1].detected).toContain("changed index 'IDX_x'");
  });

  it("a different index with another name is not a rename", async () => {
    const d = await between({ indexes: [{ name: "IDX_old", columns: ["a"] }] }, { indexes: [{ name: "IDX_new", columns: ["b"] }] });
    expect(kinds(d)).toEqual(["dropIndex", "createIndex"]);
  });

  it("an expression or sorted index no entity can declare is listed once, never dropped", async () => {
    const expression = { name: "IDX_lower", columns: ["lower(a)"] };
    const sorted = { name: "IDX_recent", columns: ["b", "a"], order: ["DESC", ""] };
    const d = await between({ indexes: [expression, sorted, { name: "IDX_plain", columns: ["a"] }] }, {});
    expect(ops(d)).toEqual([{ kind: "dropIndex", table: "users", name: "IDX_plain", existing: { name: "IDX_plain", columns: ["a"] } }]);
    const listed = d.findings.filter((f) => f.kind === "unmodelled").map((f) => f.review.join(" "));
    expect(listed).toEqual([
      expect.stringContaining('index "IDX_lower" on "users" (lower(a))'),
      expect.stringContaining('index "IDX_recent" on "users" (b DESC, a)'),
    ]);
  });

  it("a sort order on an index an entity declares by name is a definition change", async () => {
    const d = await between({ indexes: [{ name: "IDX_x", columns: ["a"], order: ["DESC"] }] }, { indexes: [{ name: "IDX_x", columns: ["a"] }] });
    expect(kinds(d)).toEqual(["dropIndex", "createIndex"]);
  });
});

describe("unique constraints", () => {
  it("added and removed", async () => {
    const unique = { name: "UQ_a", columns: ["a"] };
    const added = await between({}, { uniques: [unique] });
    expect(ops(added)).toEqual([{ kind: "createUnique", table: "users", unique }]);
    expect(added.upgrade[0].detected).toBe("Detected added unique constraint 'UQ_a' on '(a)'");
    const removed = await between({ uniques: [unique] }, {});
    expect(ops(removed)).toEqual([{ kind: "dropUnique", table: "users", name: "UQ_a", existing: unique }]);
  });

  it("a renamed unique is dropped and re-created, worded as a rename", async () => {
    const d = await between({ uniques: [{ name: "UQ_old", columns: ["a"] }] }, { uniques: [{ name: "UQ_new", columns: ["a"] }] });
    expect(kinds(d)).toEqual(["dropUnique", "createUnique"]);
    expect(d.upgrade.every((s) => s.detected.includes("renamed unique constraint 'UQ_old' to 'UQ_new'"))).toBe(true);
  });

  it("a changed unique is drop then create", async () => {
    const d = await between({ uniques: [{ name: "UQ", columns: ["a"] }] }, { uniques: [{ name: "UQ", columns: ["a", "b"] }] });
    expect(kinds(d)).toEqual(["dropUnique", "createUnique"]);
  });
});

describe("foreign keys", () => {
  it("an added foreign key has Alembic wording", async () => {
    const d = await between({}, { foreignKeys: [fk()] });
    expect(ops(d)).toEqual([{ kind: "createForeignKey", table: "users", foreignKey: fk() }]);
    expect(d.upgrade[0].detected).toBe("Detected added foreign key (org_id) -> orgs(id) on 'users'");
  });

  it("a removed foreign key keeps its definition", async () => {
    const d = await between({ foreignKeys: [fk()] }, {});
    expect(ops(d)).toEqual([{ kind: "dropForeignKey", table: "users", name: "FK_org", existing: fk() }]);
    expect(d.upgrade[0].detected).toBe("Detected removed foreign key (org_id) -> orgs(id) on 'users'");
  });

  it("a changed action is drop then create", async () => {
    const d = await between({ foreignKeys: [fk()] }, { foreignKeys: [fk({ onDelete: "CASCADE" })] });
    expect(ops(d)).toEqual([
      { kind: "dropForeignKey", table: "users", name: "FK_org", existing: fk() },
      { kind: "createForeignKey", table: "users", foreignKey: fk({ onDelete: "CASCADE" }) },
    ]);
  });

  it("a renamed foreign key is drop and create, worded as a rename", async () => {
    const d = await between({ foreignKeys: [fk()] }, { foreignKeys: [fk({ name: "FK_new" })] });
    expect(kinds(d)).toEqual(["dropForeignKey", "createForeignKey"]);
    expect(d.upgrade[0].detected).toContain("renamed foreign key 'FK_org' to 'FK_new'");
  });
});

describe("checks", () => {
  it("added and removed checks", async () => {
    const check = { name: "CHK_a", expression: "a <> ''" };
    expect(ops(await between({}, { checks: [check] }))).toEqual([{ kind: "createCheck", table: "users", check }]);
    expect(ops(await between({ checks: [check] }, {}))).toEqual([{ kind: "dropCheck", table: "users", name: "CHK_a", existing: check }]);
  });

  it("a check the dialect calls rewritten is a finding, not an op", async () => {
    const { genericComparerDialect } = await import("../../src/compare/dialect");
    const rewritten = { ...genericComparerDialect, compareCheckExpressions: (x: string, y: string) => (x === y ? ("same" as const) : ("rewritten" as const)) };
    const d = await diff(
      schema([orgs, t({ checks: [{ name: "CHK_a", expression: "(a)::text <> ''::text" }] })]),
      schema([orgs, t({ checks: [{ name: "CHK_a", expression: "a <> ''" }] })]),
      { dialect: rewritten },
    );
    expect(d.upgrade).toEqual([]);
    expect(d.findings).toHaveLength(1);
    expect(d.findings[0]).toMatchObject({ kind: "check-rewritten", table: "users" });
    expect(d.findings[0].review.join("\n")).toContain("(a)::text <> ''::text");
  });

  it("the dialect decides when two check texts are the same", async () => {
    const { genericComparerDialect } = await import("../../src/compare/dialect");
    const lenient = {
      ...genericComparerDialect,
      compareCheckExpressions: (x: string, y: string) => (x.replace(/\s/g, "") === y.replace(/\s/g, "") ? ("same" as const) : ("changed" as const)),
    };
    const d = await diff(
      schema([t({ checks: [{ name: "C", expression: "a<>''" }] })]),
      schema([t({ checks: [{ name: "C", expression: "a <> ''" }] })]),
      { dialect: lenient },
    );
    expect(d.findings).toEqual([]);
  });

  it("a check the dialect calls changed is dropped and re-created, the downgrade mirroring it", async () => {
    const before = { name: "CHK_a", expression: "a <> ''" };
    const after = { name: "CHK_a", expression: "a <> 'x'" };
    const d = await between({ checks: [before] }, { checks: [after] });
    expect(ops(d)).toEqual([
      { kind: "dropCheck", table: "users", name: "CHK_a", existing: before },
      { kind: "createCheck", table: "users", check: after },
    ]);
    expect(d.upgrade[0].detected).toBe("Detected changed check constraint 'CHK_a' on 'users' (dropped and re-created)");
    expect(d.upgrade[0].reasons).toEqual(["expression: a <> '' -> a <> 'x'"]);
    expect(d.downgrade.map((s) => s.op)).toEqual([
      { kind: "dropCheck", table: "users", name: "CHK_a", existing: after },
      { kind: "createCheck", table: "users", check: before },
    ]);
    expect(d.findings).toEqual([]);
  });

  it("the same expression under a new name is drop and create worded as a rename", async () => {
    const d = await between({ checks: [{ name: "CHK_old", expression: "a <> ''" }] }, { checks: [{ name: "CHK_new", expression: "a <> ''" }] });
    expect(kinds(d)).toEqual(["dropCheck", "createCheck"]);
    expect(d.upgrade[1].detected).toContain("renamed check constraint 'CHK_old' to 'CHK_new'");
  });
});

describe("primary keys", () => {
  it("a changed primary key is dropPrimaryKey then createPrimaryKey", async () => {
    const d = await between({ primaryKey: { name: "PK_u", columns: ["id"] } }, { primaryKey: { name: "PK_u", columns: ["id", "a"] } });
    expect(ops(d)).toEqual([
      { kind: "dropPrimaryKey", table: "users", name: "PK_u", existing: { name: "PK_u", columns: ["id"] } },
      { kind: "createPrimaryKey", table: "users", primaryKey: { name: "PK_u", columns: ["id", "a"] } },
    ]);
    expect(d.upgrade[0].detected).toBe("Detected removed primary key (id) on 'users'");
    expect(d.upgrade[1].detected).toBe("Detected added primary key (id, a) on 'users'");
  });

  it("a primary key added to a table without one", async () => {
    expect(kinds(await between({}, { primaryKey: { columns: ["id"] } }))).toEqual(["createPrimaryKey"]);
  });

  it("a primary key removed", async () => {
    expect(kinds(await between({ primaryKey: { columns: ["id"] } }, {}))).toEqual(["dropPrimaryKey"]);
  });
});
