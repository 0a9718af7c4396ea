/**
 * The comparer asks each dialect whether a check under the same name changed.
 * Only a provable difference (another literal or column) is "changed" on the
 * dialects that rewrite check text; the rest is "same" or "rewritten".
 */
import { mysqlComparer } from "../../src/dialects/mysql/comparer";
import { postgresComparer } from "../../src/dialects/postgres/comparer";
import { sqliteComparer } from "../../src/dialects/sqlite/comparer";
import { checkAtoms } from "../../src/dialects/check-text";

const columns = ["price", "status", "name", "text"];

describe("check verdicts", () => {
  it.each([
    // database text (pg_get_constraintdef), model text, verdict
    // Casts are dropped at introspection where the column types are known (canonicalTable); without them, not a change either.
    ["((price)::numeric > (0)::numeric)", "price > 0", "not changed"],
    ["((name)::text <> ''::text)", "name <> ''", "not changed"],
    ["(price > 0)", "price > 0", "same"],
    ["((status)::text = ANY ((ARRAY['a'::character varying, 'b'::character varying])::text[]))", "status IN ('a', 'b')", "not changed"],
    ["(price > '-1'::integer)", "price > -1", "not changed"],
    ["(price > 0)", "price > 10", "changed"],
    ["(price > 0)", "price >= 0 AND price < 100", "changed"],
    ["((status)::text = ANY ((ARRAY['a'::character varying, 'b'::character varying])::text[]))", "status IN ('a', 'b', 'c')", "changed"],
    ["((name)::text <> ''::text)", "status <> ''", "changed"],
    ["(price > (1)::numeric)", "price > -1", "changed"],
  ])("postgres: %s vs %s is %s", (database, model, expected) => {
    const verdict = postgresComparer.compareCheckExpressions(database, model, columns);
    if (expected === "not changed") expect(verdict).not.toBe("changed");
    else expect(verdict).toBe(expected);
  });

  it.each([
    ["`price` > 0", "price > 0", "same"],
    ["`status` in ('a','b')", "status IN ('a', 'b')", "same"],
    ["(`status` in (_utf8mb4'a',_utf8mb4'b'))", "status IN ('a', 'b')", "rewritten"],
    ["`price` > 0", "price > 5", "changed"],
    ["`price` > 0", "price >= 0", "rewritten"],
  ])("mysql: %s vs %s is %s", (database, model, expected) => {
    expect(mysqlComparer.compareCheckExpressions(database, model, columns)).toBe(expected);
  });

  it.each([
    ['"price" > 0', "price > 0", "same"],
    ["price > 0", "price >= 0", "changed"],
    ["price > 0", "price > 5", "changed"],
  ])("sqlite (text kept as written): %s vs %s is %s", (database, model, expected) => {
    expect(sqliteComparer.compareCheckExpressions(database, model, columns)).toBe(expected);
  });

  it("atoms are the columns referenced and the literal values, casts' types aside", () => {
    expect(checkAtoms("((name)::text <> 'x'::text) AND price > -2.50", columns)).toEqual(["column name", "column price", "number -2.5", "string x"]);
    expect(checkAtoms("price - 1 > 0", columns)).toEqual(["column price", "number 0", "number 1"]);
  });
});
