import { isEmptyDiff } from "../../src/compare/types";
import { col, diff, idCol, schema, table } from "./fixtures";
import type { Schema } from "../../src/schema/types";

function rich(): Schema {
  return schema(
    [
      table(
        "orders",
        [idCol(), col("user_id", "integer", { nullable: false }), col("total", "numeric", { precision: 10, scale: 2, default: "0" })],
        {
          primaryKey: { name: "PK_orders", columns: ["id"] },
          indexes: [{ name: "IDX_orders_user", columns: ["user_id", "total"] }],
          foreignKeys: [
            { name: "FK_orders_user", columns: ["user_id"], referencedTable: "users", referencedColumns: ["id"], onDelete: "CASCADE", onUpdate: "NO ACTION" },
          ],
          checks: [{ name: "CHK_total", expression: "total >= 0" }],
        },
      ),
      table("users", [idCol(), col("email", "character varying", { length: 255, nullable: false }), col("mood", "enum", { enumName: "mood", enumValues: ["happy", "sad"] })], {
        primaryKey: { name: "PK_users", columns: ["id"] },
        uniques: [{ name: "UQ_users_email", columns: ["email"] }],
      }),
    ],
    [{ name: "mood", values: ["happy", "sad"] }],
  );
}

describe("nothing changed", () => {
  it("two empty schemas give an empty diff", async () => {
    const d = await diff(schema([]), schema([]));
    expect(d).toEqual({ upgrade: [], downgrade: [], findings: [] });
    expect(isEmptyDiff(d)).toBe(true);
  });

  it("identical schemas with every kind of object give an empty diff and no findings", async () => {
    const d = await diff(rich(), rich());
    expect(d.upgrade).toEqual([]);
    expect(d.downgrade).toEqual([]);
    expect(d.findings).toEqual([]);
  });

  it("ignores column order", async () => {
    const a = schema([table("t", [idCol(), col("a", "text"), col("b", "integer")])]);
    const b = schema([table("t", [col("b", "integer"), idCol(), col("a", "text")])]);
    expect((await diff(a, b)).upgrade).toEqual([]);
  });

  it("ignores the order tables and enums are listed in", async () => {
    const a = rich();
    const b: Schema = { ...rich(), tables: [...rich().tables].reverse() };
    expect((await diff(a, b)).upgrade).toEqual([]);
  });

  it("treats absent and empty constraint lists alike", async () => {
    const a = schema([table("t", [idCol()])]);
    const b = schema([table("t", [idCol()], { indexes: [], uniques: [], foreignKeys: [], checks: [] })]);
    expect((await diff(a, b)).upgrade).toEqual([]);
    expect((await diff(b, a)).upgrade).toEqual([]);
  });

  it("ignores a primary key name when its columns are the same", async () => {
    const a = schema([table("t", [idCol()], { primaryKey: { name: "t_pkey", columns: ["id"] } })]);
    const b = schema([table("t", [idCol()], { primaryKey: { name: "PK_abc", columns: ["id"] } })]);
    expect((await diff(a, b)).upgrade).toEqual([]);
  });

  it("does not ask the resolver anything when nothing changed", async () => {
    const resolver = jest.fn(() => true);
    await diff(rich(), rich(), { resolveRename: resolver });
    expect(resolver).not.toHaveBeenCalled();
  });

  it("treats an explicit undefined property as absent", async () => {
    const a = schema([table("t", [{ name: "x", type: "text", nullable: true }])]);
    const b = schema([table("t", [{ name: "x", type: "text", nullable: true, default: undefined }])]);
    expect((await diff(a, b)).upgrade).toEqual([]);
  });
});
