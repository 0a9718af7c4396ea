import type { Column } from "../../src/schema/types";
import { postgresComparer } from "../../src/dialects/postgres/comparer";
import { applyColumnChanges } from "../../src/ops/reverse";
import { col, diff, idCol, ops, schema, table } from "./fixtures";

function users(...columns: Column[]) {
  return schema([table("users", [idCol(), ...columns])]);
}

async function alter(from: Column, to: Column) {
  const d = await diff(users(from), users(to));
  expect(d.upgrade).toHaveLength(1);
  return d.upgrade[0];
}

describe("columns", () => {
  it("an added nullable column is a plain addColumn", async () => {
    const tz = col("tz", "character varying", { length: 64 });
    const d = await diff(users(), users(tz));
    expect(ops(d)).toEqual([{ kind: "addColumn", table: "users", column: tz }]);
    expect(d.upgrade[0].detected).toBe("Detected added column 'users.tz'");
    expect(d.upgrade[0].destructive).toBeUndefined();
    expect(d.findings).toEqual([]);
  });

  it("an added NOT NULL column without a default is flagged: it fails on a table with rows", async () => {
    const d = await diff(users(), users(col("age", "integer", { nullable: false })));
    expect(d.upgrade[0].destructive).toBe(true);
    expect(d.upgrade[0].review?.[0]).toContain("NOT NULL without a default");
  });

  it("an added NOT NULL column with a default, or an auto-increment one, is safe", async () => {
    const d = await diff(users(), users(col("age", "integer", { nullable: false, default: "0" }), col("seq", "integer", { nullable: false, autoIncrement: true })));
    expect(d.upgrade.map((s) => s.destructive)).toEqual([undefined, undefined]);
  });

  it("added columns follow the target's column order", async () => {
    const d = await diff(users(), users(col("zz", "text"), col("aa", "text")));
    expect(ops(d).map((o) => (o.kind === "addColumn" ? o.column.name : ""))).toEqual(["zz", "aa"]);
  });

  it("a dropped column is a destructive dropColumn keeping the whole column", async () => {
    const tz = col("tz", "text", { default: "'UTC'", comment: "zone" });
    const d = await diff(users(tz), users());
    expect(ops(d)).toEqual([{ kind: "dropColumn", table: "users", column: "tz", existing: tz }]);
    expect(d.upgrade[0].detected).toBe("Detected removed column 'users.tz'");
    expect(d.upgrade[0].destructive).toBe(true);
  });

  it("a longer varchar is one alterColumn with only the length, the old column and a reason", async () => {
    const from = col("name", "varchar", { length: 32 });
    const step = await alter(from, { ...from, length: 64 });
    expect(step.op).toEqual({ kind: "alterColumn", table: "users", column: "name", changes: { length: 64 }, existing: from });
    expect(step.reasons).toEqual(["length: 32 -> 64"]);
    expect(step.detected).toBe("Detected type change from varchar(32) to varchar(64) on 'users.name'");
    expect(step.destructive).toBeUndefined();
  });

  it("a shorter varchar is destructive with a REVIEW line naming the new limit", async () => {
    const from = col("name", "varchar", { length: 64 });
    const step = await alter(from, { ...from, length: 32 });
    expect(step.destructive).toBe(true);
    expect(step.review?.join("\n")).toContain("longer than 32");
  });

  it("NOT NULL on a nullable column may fail on existing NULLs", async () => {
    const from = col("x", "integer");
    const step = await alter(from, { ...from, nullable: false });
    expect(step.op).toMatchObject({ changes: { nullable: false } });
    expect(step.detected).toBe("Detected NOT NULL on column 'users.x'");
    expect(step.reasons).toEqual(["nullable: true -> false"]);
    expect(step.destructive).toBe(true);
    expect(step.review?.join("\n")).toContain("existing NULLs");
  });

  it("NOT NULL with a default fills the NULLs with it first; the downgrade keeps them", async () => {
    const from = col("x", "varchar", { length: 10 });
    const d = await diff(users(from), users({ ...from, nullable: false, default: "'a'" }));
    expect(ops(d)).toEqual([
      { kind: "fillNulls", table: "users", column: "x", value: "'a'" },
      { kind: "alterColumn", table: "users", column: "x", changes: { nullable: false, default: "'a'" }, existing: from },
    ]);
    expect(d.upgrade[0].review?.join("\n")).toContain("keeps these values");
    expect(d.upgrade[1].review ?? []).toEqual([]);
    expect(d.downgrade.map((s) => s.op.kind)).toEqual(["alterColumn"]);
    expect(d.downgrade[0].op).toMatchObject({ changes: { nullable: true, default: null } });
  });

  it("NOT NULL without a default fills nothing and keeps its REVIEW line", async () => {
    const from = col("x", "integer");
    const d = await diff(users(from), users({ ...from, nullable: false }));
    expect(ops(d).map((op) => op.kind)).toEqual(["alterColumn"]);
    expect(d.upgrade[0].review?.join("\n")).toContain("existing NULLs");
  });

  it("dropping NOT NULL is safe", async () => {
    const from = col("x", "integer", { nullable: false });
    const step = await alter(from, { ...from, nullable: true });
    expect(step.detected).toBe("Detected NULL on column 'users.x'");
    expect(step.destructive).toBeUndefined();
  });

  it("a changed default gives the old and new SQL in the reason", async () => {
    const from = col("n", "integer", { default: "0" });
    const step = await alter(from, { ...from, default: "1" });
    expect(step.op).toMatchObject({ changes: { default: "1" } });
    expect(step.reasons).toEqual(["default: 0 -> 1"]);
    expect(step.detected).toBe("Detected server default change from 0 to 1 on 'users.n'");
  });

  it("a string default change reads with its quotes", async () => {
    const from = col("s", "text", { default: "'0'" });
    const step = await alter(from, { ...from, default: "'1'" });
    expect(step.reasons).toEqual(["default: '0' -> '1'"]);
  });

  it("a removed default is a change to null", async () => {
    const from = col("n", "integer", { default: "0" });
    const step = await alter(from, col("n", "integer"));
    expect(step.op).toMatchObject({ changes: { default: null } });
    expect(step.reasons).toEqual(["default: 0 -> none"]);
  });

  it("several changed properties make one alterColumn holding only those", async () => {
    const from = col("name", "varchar", { length: 32, comment: "a", collation: "C", nullable: false });
    const to = col("name", "varchar", { length: 64, comment: "b", collation: "C", nullable: true, default: "''" });
    const d = await diff(users(from), users(to));
    expect(d.upgrade.map((s) => s.op.kind)).toEqual(["alterColumn"]);
    const step = d.upgrade[0];
    expect(step.op).toEqual({
      kind: "alterColumn",
      table: "users",
      column: "name",
      changes: { length: 64, nullable: true, default: "''", comment: "b" },
      existing: from,
    });
    expect(step.reasons).toHaveLength(4);
    expect(step.detected.split("; ")).toHaveLength(4);
  });

  it("NOT NULL with a default fills the NULLs first, in one alterColumn with the rest when the type stays", async () => {
    const from = col("name", "varchar", { length: 32, comment: "a" });
    const to = col("name", "varchar", { length: 32, comment: "b", nullable: false, default: "''" });
    const d = await diff(users(from), users(to));
    expect(d.upgrade.map((s) => s.op)).toEqual([
      { kind: "fillNulls", table: "users", column: "name", value: "''" },
      { kind: "alterColumn", table: "users", column: "name", changes: { nullable: false, default: "''", comment: "b" }, existing: from },
    ]);
  });

  it("NOT NULL with a default and a type change: the type first, then the fill in the new type, then the NOT NULL", async () => {
    const from = col("flag", "integer");
    const to = col("flag", "boolean", { nullable: false, default: "true" });
    const d = await diff(users(from), users(to));
    const retyped = col("flag", "boolean", { default: "true" });
    expect(d.upgrade.map((s) => s.op)).toEqual([
      { kind: "alterColumn", table: "users", column: "flag", changes: { type: "boolean", default: "true" }, existing: from },
      { kind: "fillNulls", table: "users", column: "flag", value: "true" },
      { kind: "alterColumn", table: "users", column: "flag", changes: { nullable: false }, existing: retyped },
    ]);
    // The downgrade undoes both alters, the NOT NULL first; the filled values stay.
    expect(d.downgrade.map((s) => s.op)).toEqual([
      { kind: "alterColumn", table: "users", column: "flag", changes: { nullable: true }, existing: { ...retyped, nullable: false } },
      { kind: "alterColumn", table: "users", column: "flag", changes: { type: "integer", default: null }, existing: retyped },
    ]);
  });

  it("int -> bigint is a safe widening, bigint -> int a narrowing", async () => {
    expect((await alter(col("n", "integer"), col("n", "bigint"))).destructive).toBeUndefined();
    expect((await alter(col("n", "bigint"), col("n", "integer"))).destructive).toBe(true);
  });

  it("varchar -> text is safe, text -> varchar(n) is a narrowing", async () => {
    expect((await alter(col("s", "varchar", { length: 10 }), col("s", "text"))).destructive).toBeUndefined();
    const step = await alter(col("s", "text"), col("s", "varchar", { length: 10 }));
    expect(step.destructive).toBe(true);
    expect(step.op).toMatchObject({ changes: { type: "varchar", length: 10 } });
  });

  it("varchar -> integer may fail to convert", async () => {
    const step = await alter(col("s", "varchar", { length: 10 }), col("s", "integer"));
    expect(step.destructive).toBe(true);
    expect(step.op).toMatchObject({ changes: { type: "integer", length: null } });
    expect(step.review?.join("\n")).toContain("may not convert");
  });

  it("a comment change is a safe alterColumn", async () => {
    const step = await alter(col("c", "text", { comment: "x" }), col("c", "text"));
    expect(step.op).toMatchObject({ changes: { comment: null } });
    expect(step.detected).toBe("Detected comment change on 'users.c'");
    expect(step.destructive).toBeUndefined();
  });

  it("a column moved to another PostgreSQL enum type is an alterColumn of its enumName", async () => {
    const before = col("m", "enum", { enumName: "a", enumValues: ["x"] });
    const d = await diff(
      schema([table("t", [before])], [{ name: "a", values: ["x"] }, { name: "b", values: ["x"] }]),
      schema([table("t", [col("m", "enum", { enumName: "b", enumValues: ["x"] })])], [{ name: "a", values: ["x"] }, { name: "b", values: ["x"] }]),
    );
    expect(d.upgrade.map((s) => s.op)).toEqual([{ kind: "alterColumn", table: "t", column: "m", changes: { enumName: "b" }, existing: before }]);
    expect(d.upgrade[0].detected).toBe("Detected type change from a to b on 't.m'");
    expect(d.findings).toEqual([]);
  });

  it("the downgrade alterColumn restores exactly the old properties", async () => {
    const from = col("n", "varchar", { length: 32, default: "'a'" });
    const to = col("n", "varchar", { length: 64 });
    const d = await diff(users(from), users(to));
    expect(d.downgrade.map((s) => s.op)).toEqual([
      { kind: "alterColumn", table: "users", column: "n", changes: { length: 32, default: "'a'" }, existing: to },
    ]);
    expect(d.downgrade[0].detected).toContain("from varchar(64) to varchar(32)");
    expect(d.downgrade[0].destructive).toBe(true);
  });

  it("a column entering or leaving a PostgreSQL enum type gains or loses its values in the changes (the values of two enum types are the types')", async () => {
    const asEnum = col("grade", "enum", { enumName: "grade_enum", enumValues: ["a", "c"] });
    const asInteger = col("grade", "integer");
    const changesOf = async (from: Column, to: Column) => {
      const d = await diff(users(from), users(to), { dialect: postgresComparer });
      const alter = d.upgrade.find((s) => s.op.kind === "alterColumn")!.op;
      return alter.kind === "alterColumn" ? alter.changes : undefined;
    };
    // The column after the change is the column the database will have: no values left behind, none missing.
    expect(applyColumnChanges(asEnum, (await changesOf(asEnum, asInteger))!)).toEqual(asInteger);
    expect(applyColumnChanges(asInteger, (await changesOf(asInteger, asEnum))!)).toEqual(asEnum);
    const other = col("grade", "enum", { enumName: "other_enum", enumValues: ["a", "c", "e"] });
    expect(await changesOf(asEnum, other)).toEqual({ enumName: "other_enum" });
  });
});
