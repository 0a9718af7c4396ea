import { genericNarrowing } from "../../src/compare/dialect";
import type { Column } from "../../src/schema/types";

function c(type: string, extra: Partial<Column> = {}): Column {
  return { name: "x", type, nullable: true, ...extra };
}

describe("genericNarrowing", () => {
  it.each<[string, Column, Column]>([
    ["varchar 32 -> 64", c("varchar", { length: 32 }), c("varchar", { length: 64 })],
    ["int -> bigint", c("integer"), c("bigint")],
    ["smallint -> integer", c("smallint"), c("integer")],
    ["varchar -> text", c("character varying", { length: 50 }), c("text")],
    ["char(5) -> varchar(10)", c("char", { length: 5 }), c("varchar", { length: 10 })],
    ["integer -> text", c("integer"), c("text")],
    ["numeric(10,2) -> numeric(12,2)", c("numeric", { precision: 10, scale: 2 }), c("numeric", { precision: 12, scale: 2 })],
    ["numeric(10,2) -> numeric", c("numeric", { precision: 10, scale: 2 }), c("numeric")],
    ["real -> double precision", c("real"), c("double precision")],
    ["integer -> numeric(12)", c("integer"), c("numeric", { precision: 12 })],
    ["date -> timestamp", c("date"), c("timestamp without time zone")],
    ["NOT NULL -> nullable", c("integer", { nullable: false }), c("integer", { nullable: true })],
    ["enum value added", c("enum", { enumValues: ["a"] }), c("enum", { enumValues: ["a", "b"] })],
    ["tinytext -> mediumtext", c("tinytext"), c("mediumtext")],
    ["timestamp(3) -> timestamp", c("timestamp", { precision: 3 }), c("timestamp")],
  ])("%s is safe", (_label, from, to) => {
    expect(genericNarrowing(from, to)).toEqual([]);
  });

  it.each<[string, Column, Column, string]>([
    ["varchar 64 -> 32", c("varchar", { length: 64 }), c("varchar", { length: 32 }), "longer than 32"],
    ["bigint -> int", c("bigint"), c("int"), "smaller range"],
    ["text -> varchar(10)", c("text"), c("varchar", { length: 10 }), "truncated"],
    ["varchar -> integer", c("varchar", { length: 10 }), c("integer"), "may not convert"],
    ["numeric precision down", c("numeric", { precision: 10, scale: 2 }), c("numeric", { precision: 8, scale: 2 }), "integer digits"],
    ["numeric scale down", c("numeric", { precision: 10, scale: 4 }), c("numeric", { precision: 10, scale: 2 }), "rounded"],
    ["numeric scale up eats integer digits", c("numeric", { precision: 6, scale: 2 }), c("numeric", { precision: 6, scale: 4 }), "integer digits"],
    ["unbounded numeric -> numeric(10,2)", c("numeric"), c("numeric", { precision: 10, scale: 2 }), "integer digits"],
    ["double -> real", c("double precision"), c("real"), "precision"],
    ["bigint -> numeric(10)", c("bigint"), c("numeric", { precision: 10 }), "large values"],
    ["bigint -> double", c("bigint"), c("double precision"), "lose precision"],
    ["nullable -> NOT NULL", c("integer"), c("integer", { nullable: false }), "existing NULLs"],
    ["signed -> unsigned", c("int"), c("int", { unsigned: true }), "negative"],
    ["array -> scalar", c("integer", { array: true }), c("integer"), "array"],
    ["enum value removed", c("enum", { enumValues: ["a", "b"] }), c("enum", { enumValues: ["a"] }), "'b'"],
    ["timestamp precision down", c("timestamp", { precision: 6 }), c("timestamp", { precision: 3 }), "precision"],
    ["longtext -> tinytext", c("longtext"), c("tinytext"), "truncated"],
    ["varchar(300) -> tinytext", c("varchar", { length: 300 }), c("tinytext"), "truncated"],
    ["blob -> tinyblob", c("blob"), c("tinyblob"), "truncated"],
  ])("%s is narrowing", (_label, from, to, phrase) => {
    const risks = genericNarrowing(from, to);
    expect(risks.length).toBeGreaterThan(0);
    expect(risks.join("\n")).toContain(phrase);
  });

  it("lists every risk of a combined change", () => {
    expect(genericNarrowing(c("varchar", { length: 64 }), c("varchar", { length: 8, nullable: false }))).toHaveLength(2);
  });
});
