import fc from "fast-check";
import { postgresDialect } from "../../src/dialects/postgres";
import { canonicalArrayLiteral } from "../../src/dialects/postgres/array-literal";
import { canonicalExpression } from "../../src/dialects/postgres/expression";
import { canonicalCheckExpression, canonicalColumn, canonicalDefault, canonicalJsonLiteral, canonicalTable } from "../../src/dialects/postgres/grammar";
import { storedName } from "../../src/dialects/postgres/quote";
import { connectWith, type Connection } from "../../src/runner/connection";
import { createTestDatabase, describeEachDialect, type TestDatabase } from "../support/databases";

const TYPES = new Map([
  ["s", "character varying"],
  ["t", "text"],
  ["c", "character"],
  ["a", "integer"],
  ["n", "numeric"],
  ["r", "double precision"],
]);
const canon = (sql: string) => canonicalExpression(sql, TYPES);

describe("postgres expressions: identifiers", () => {
  it("unquotes simple lower-case identifiers and folds unquoted ones to lower case", () => {
    expect(canon(`"age" >= 0`)).toBe("age >= 0");
    expect(canon(`Age >= 0`)).toBe("age >= 0");
    expect(canon(`"first_name$2" IS NOT NULL`)).toBe("first_name$2 IS NOT NULL");
    // `name` and `value` are unreserved keywords: PostgreSQL prints them bare.
    expect(canon(`"name" <> "value"`)).toBe("name <> value");
  });

  it("keeps quotes that are needed: mixed case, spaces, reserved and column-name keywords, leading digit", () => {
    expect(canon(`"Age" >= 0`)).toBe(`"Age" >= 0`);
    expect(canon(`"full name" <> ''`)).toBe(`"full name" <> ''`);
    expect(canon(`"user" > 0 AND "order" > 0 AND "int" > 0 AND "between" > 0`)).toBe(`"user" > 0 AND "order" > 0 AND "int" > 0 AND "between" > 0`);
    expect(canon(`"1st" > 0`)).toBe(`"1st" > 0`);
    expect(canon(`"a""b" > 0`)).toBe(`"a""b" > 0`);
  });

  it("writes keywords upper case and never touches string literal content", () => {
    expect(canon(`a is not null and t = 'and "x" OR ''y'''`)).toBe(`a IS NOT NULL AND t = 'and "x" OR ''y'''`);
    expect(canon(`t = E'a\\'' or t = 'Ab'`)).toBe(`t = E'a\\'' OR t = 'Ab'`);
  });

  it("accepts a function named like a keyword unquoted, as pg_get_expr quotes it", () => {
    expect(canon(`"left"(t, 1) = 'a'::text`)).toBe(canon(`left(t, 1) = 'a'`));
    expect(canon(`"left" = 1`)).toBe(`"left" = 1`);
  });
});

describe("postgres expressions: casts", () => {
  it("drops casts PostgreSQL adds to literals compared with a column", () => {
    expect(canon(`n > 0::numeric`)).toBe("n > 0");
    expect(canon(`n > (0)::numeric`)).toBe("n > 0");
    expect(canon(`r >= 0.5::double precision`)).toBe("r >= 0.5");
    expect(canon(`a > '-1'::integer`)).toBe("a > -1");
    expect(canon(`n >= '-1.5'::numeric`)).toBe("n >= -1.5");
    expect(canon(`t = 'it''s'::text`)).toBe("t = 'it''s'");
    expect(canon(`c = 'ab'::bpchar`)).toBe("c = 'ab'");
    expect(canon(`'x'::text = t`)).toBe("'x' = t");
  });

  it("keeps casts that change meaning: inside arithmetic, between two literals, text quoted as a number", () => {
    expect(canon(`a * 2::numeric > 1`)).toBe("a * 2::NUMERIC > 1");
    expect(canon(`'1'::integer = '01'::integer`)).toBe("'1'::INTEGER = '01'::INTEGER");
    expect(canon(`t = 5::text`)).toBe("t = 5::text");
  });

  it("drops a varchar or text column's cast to text, but not a char column's (that cast trims blanks)", () => {
    expect(canon(`s::text = 'x'::text`)).toBe("s = 'x'");
    expect(canon(`char_length((s)::text) > 0`)).toBe("char_length(s) > 0");
    expect(canon(`c::text = 'x'::text`)).toBe("c::text = 'x'");
    expect(canonicalExpression(`s::text = 'x'`)).toBe("s::text = 'x'");
  });
});

describe("postgres expressions: IN, LIKE and parentheses", () => {
  it("folds = ANY (ARRAY[...]) to IN and <> ALL to NOT IN", () => {
    expect(canon(`t = ANY (ARRAY['x'::text, 'y'::text])`)).toBe("t IN ('x', 'y')");
    expect(canon(`t IN ('x','y')`)).toBe("t IN ('x', 'y')");
    expect(canon(`s::text = ANY (ARRAY['x'::character varying, 'y'::character varying]::text[])`)).toBe("s IN ('x', 'y')");
    expect(canon(`t <> ALL (ARRAY['x'::text])`)).toBe("t NOT IN ('x')");
    expect(canon(`a = ANY (ARRAY[1, 2])`)).toBe("a IN (1, 2)");
  });

  it("does not fold ANY over an array expression or after a looser operator", () => {
    expect(canon(`a = ANY (arr)`)).toBe("a = ANY (arr)");
    expect(canon(`a IS NULL = ANY (ARRAY[true])`)).toBe("a IS NULL = ANY (ARRAY[TRUE])");
  });

  it("folds LIKE and ILIKE against a lone pattern to the operators PostgreSQL stores", () => {
    expect(canon(`t LIKE 'a%'`)).toBe("t ~~ 'a%'");
    expect(canon(`t ~~ 'a%'::text`)).toBe("t ~~ 'a%'");
    expect(canon(`t NOT ILIKE 'a%' AND a > 0`)).toBe("t !~~* 'a%' AND a > 0");
    expect(canon(`t LIKE 'a%' || t`)).toBe("t LIKE 'a%' || t");
  });

  it("removes parentheses precedence makes redundant and keeps the others", () => {
    expect(canon(`((a > 0))`)).toBe("a > 0");
    expect(canon(`((a > 0) AND (n > 0)) OR (r > 0)`)).toBe("a > 0 AND n > 0 OR r > 0");
    expect(canon(`(a > 0 OR n > 0) AND r > 0`)).toBe("(a > 0 OR n > 0) AND r > 0");
    expect(canon(`a > 0 AND (n > 0 AND r > 0)`)).toBe("a > 0 AND n > 0 AND r > 0");
    expect(canon(`a > 0 OR (n > 0 OR r > 0)`)).toBe("a > 0 OR n > 0 OR r > 0");
    expect(canon(`NOT (a > 5)`)).toBe("NOT a > 5");
    expect(canon(`NOT (a > 5 AND n > 0)`)).toBe("NOT (a > 5 AND n > 0)");
    expect(canon(`(a + 1) > (2 * a)`)).toBe("a + 1 > 2 * a");
    expect(canon(`(a + 1) * 2 > 0`)).toBe("(a + 1) * 2 > 0");
    expect(canon(`(a > 0) = (n > 0)`)).toBe("(a > 0) = (n > 0)");
    expect(canon(`a IN (1) AND lower(t) = 'x' AND (t).x = 1`)).toBe("a IN (1) AND lower(t) = 'x' AND (t).x = 1");
    expect(canon(`a > -(1)`)).toBe("a > -1");
    expect(canon(`coalesce(a,0) > 0`)).toBe("COALESCE(a, 0) > 0");
  });

  it("returns text it cannot tokenize with whitespace collapsed", () => {
    expect(canon(`t = $$x$$`)).toBe("t = $$x$$");
  });
});

describe("postgres expressions: the declared and the stored spelling agree", () => {
  // Left: as declared in an entity; right: as pg_get_expr(..., true) prints it in PostgreSQL 15.
  const pairs: Array<[string, string]> = [
    [`"age" >= 0`, "age >= 0"],
    ["n > 0", "n > 0::numeric"],
    ["a > -1", "a > '-1'::integer"],
    ["s IN ('x','y')", "s::text = ANY (ARRAY['x'::character varying, 'y'::character varying]::text[])"],
    ["t NOT IN ('x', 'y')", "t <> ALL (ARRAY['x'::text, 'y'::text])"],
    ["(a > 0 AND n > 0) OR r > 0", "a > 0 AND n > 0::numeric OR r > 0::double precision"],
    [`"Mixed" > 0 and "user" < 5`, `"Mixed" > 0 AND "user" < 5`],
    ["char_length(s) > 0", "char_length(s::text) > 0"],
    ["left(t, 1) = 'a'", `"left"(t, 1) = 'a'::text`],
    ["a + 1 > 2 * a", "(a + 1) > (2 * a)"],
    [`"slug" IS NOT NULL`, "slug IS NOT NULL"],
  ];
  it.each(pairs)("%s ~ %s", (declared, stored) => {
    expect(canon(declared)).toBe(canon(stored));
  });

  it("is idempotent on everything above and on random combinations", () => {
    for (const sql of pairs.flat()) expect(canon(canon(sql))).toBe(canon(sql));
    const atom = fc.constantFrom(...pairs.flat(), "a > -(1)", "NOT (a > 5)", "(a + 1) * 2 > 0", "t LIKE 'a%'", `"Age" IS NULL`);
    const expr: fc.Arbitrary<string> = fc
      .tuple(atom, fc.constantFrom(" AND ", " OR ", " AND NOT "), atom, fc.boolean())
      .map(([l, op, r, wrap]) => (wrap ? `(${l})${op}(${r})` : `${l}${op}${r}`));
    fc.assert(fc.property(expr, (sql) => canon(canon(sql)) === canon(sql)));
  });
});

describe("postgres stored names", () => {
  it("keeps the first 63 bytes of a longer name, never half a character", () => {
    expect(storedName("a".repeat(63))).toBe("a".repeat(63));
    expect(storedName("a".repeat(64))).toBe("a".repeat(63));
    expect(storedName(`a${"é".repeat(40)}`)).toBe(`a${"é".repeat(31)}`);
    expect(storedName("é".repeat(40))).toBe("é".repeat(31));
    expect(storedName(`${"a".repeat(61)}€`)).toBe("a".repeat(61));
    expect(storedName(`${"a".repeat(60)}😀b`)).toBe(`${"a".repeat(60)}`);
    expect(storedName(`${"a".repeat(59)}😀b`)).toBe(`${"a".repeat(59)}😀`);
    fc.assert(
      fc.property(fc.string({ unit: "grapheme", maxLength: 80 }), (name) => {
        const stored = storedName(name);
        expect(Buffer.byteLength(stored)).toBeLessThanOrEqual(63);
        expect(name.startsWith(stored)).toBe(true);
        expect(storedName(stored)).toBe(stored);
      }),
    );
  });
});

describe("postgres grammar: checks, partial indexes and json defaults in canonical tables", () => {
  it("canonicalCheckExpression strips CHECK (...) and NOT VALID", () => {
    expect(canonicalCheckExpression(`CHECK (("age" >= 0)) NOT VALID`)).toBe("age >= 0");
  });

  it("canonicalTable normalizes check expressions and index predicates with the table's column types", () => {
    const table = canonicalTable({
      name: "doc",
      columns: [
        { name: "slug", type: "varchar", length: 20 },
        { name: "tags", type: "character varying", array: true },
      ],
      indexes: [{ name: "IDX_slug", columns: ["slug"], where: `("slug" IS NOT NULL)` }],
      checks: [
        { name: "CHK_slug", expression: `slug::text <> ''::text` },
        { name: "CHK_tags", expression: `tags::text <> '{}'::text` },
      ],
    });
    expect(table.indexes).toEqual([{ name: "IDX_slug", columns: ["slug"], where: "slug IS NOT NULL" }]);
    expect(table.checks).toEqual([
      { name: "CHK_slug", expression: "slug <> ''" },
      { name: "CHK_tags", expression: "tags::text <> '{}'" },
    ]);
    expect(canonicalTable(table)).toEqual(table);
  });

  it("writes a json or jsonb default in one JSON spelling; jsonb sorts keys as it reorders them", () => {
    expect(canonicalDefault(`'{"k": [1, 2]}'::jsonb`, "jsonb")).toBe(`'{"k":[1,2]}'`);
    expect(canonicalDefault(`'{"k":[1,2]}'`, "jsonb")).toBe(`'{"k":[1,2]}'`);
    expect(canonicalDefault(`'{"b": 1, "a": {"d": 2, "c": "it''s"}}'::jsonb`, "jsonb")).toBe(`'{"a":{"c":"it''s","d":2},"b":1}'`);
    expect(canonicalDefault(`'{"b": 1, "a": 2}'::json`, "json")).toBe(`'{"b":1,"a":2}'`);
    expect(canonicalDefault(`'[]'::jsonb`, "jsonb")).toBe(`'[]'`);
    expect(canonicalDefault(`'not json'::jsonb`, "jsonb")).toBe(`'not json'`);
    expect(canonicalDefault(`'{"k": 1}'`, "text")).toBe(`'{"k": 1}'`);
    expect(canonicalJsonLiteral("jsonb_build_object('a', 1)", true)).toBe("jsonb_build_object('a', 1)");
    const column = canonicalColumn({ name: "doc", type: "jsonb", default: `'{"k": [1, 2]}'::jsonb` });
    expect(canonicalColumn(column)).toEqual(column);
  });

  it("reads a cast to a quoted type name holding quotes as a cast, not as the start of a string", () => {
    expect(canonicalDefault(`'a'::"it's_o'k_enum"`, "enum")).toBe("'a'");
    expect(canonicalDefault(`'d''e'::"it's_""q""_enum"`, "enum")).toBe("'d''e'");
    expect(canonicalDefault(`('{a,b}'::"it's_o'k_enum"[])`, "enum")).toBe("'{a,b}'");
    expect(canonicalDefault(`'x'::"it's"`, "text")).toBe("'x'");
  });

  it("writes an array default as array_out prints it, so TypeORM's '{a,b c}' equals the catalog's '{a,\"b c\"}'", () => {
    const declared = canonicalColumn({ name: "tags", type: "text", array: true, default: "'{a,b c}'" });
    const stored = canonicalColumn({ name: "tags", type: "text[]", default: `'{a,"b c"}'::text[]` });
    expect(declared.default).toBe(`'{a,"b c"}'`);
    expect(stored).toEqual(declared);
    expect(canonicalArrayLiteral(`'{ x , "",NULL,"NULL",it''s,"q\\"x",a\\,b}'`)).toBe(`'{x,"",NULL,"NULL",it''s,"q\\"x","a,b"}'`);
    expect(canonicalArrayLiteral("'{1,2}'")).toBe("'{1,2}'");
    expect(canonicalArrayLiteral("'{}'")).toBe("'{}'");
    expect(canonicalArrayLiteral("'{{1,2},{3,4}}'")).toBe("'{{1,2},{3,4}}'");
    expect(canonicalArrayLiteral("ARRAY['a']")).toBe("ARRAY['a']");
  });
});

describeEachDialect(
  "postgres expressions against pg_get_expr",
  () => {
    let testDb: TestDatabase;
    let conn: Connection;

    beforeAll(async () => {
      testDb = await createTestDatabase("postgres");
      conn = await connectWith(testDb.options);
    });

    afterAll(async () => {
      await conn?.close();
      await testDb?.drop();
    });

    const declared = [
      `"a" >= 0`,
      "n > 0 AND r >= 0.5",
      "a > -1",
      "s IN ('x', 'y')",
      "t NOT IN ('x', 'y')",
      "(a > 0 AND n > 0) OR r > 0",
      `"Mixed" > 0 AND "user" < 5`,
      "char_length(s) > 0",
      "NOT (a > 5)",
      "left(t, 1) = 'a'",
      "a + 1 > 2 * a",
      "t LIKE 'a%'",
      "coalesce(a, 0) >= 0",
      `t <> 'it''s "quoted"'`,
    ];

    it("reads back every declared check and partial-index predicate in the declared canonical form", async () => {
      await conn.db.query(
        `CREATE TABLE "exprs" (a integer, n numeric, r double precision, s varchar(10), t text, "Mixed" integer, "user" integer, ${declared
          .map((sql, i) => `CONSTRAINT "chk_${i}" CHECK (${sql})`)
          .join(", ")})`,
      );
      await conn.db.query(`CREATE INDEX "idx_partial" ON "exprs" (a) WHERE "s" IS NOT NULL AND "n" > 0`);
      const table = (await postgresDialect.introspect(conn.db)).tables.find((t) => t.name === "exprs")!;
      const declaredTable = canonicalTable({
        ...table,
        checks: declared.map((expression, i) => ({ name: `chk_${i}`, expression })),
        indexes: [{ name: "idx_partial", columns: ["a"], where: `"s" IS NOT NULL AND "n" > 0` }],
      });
      expect(table.checks).toEqual(declaredTable.checks);
      expect(table.indexes).toEqual(declaredTable.indexes);
    });

    it("reads back a jsonb default in the declared canonical form", async () => {
      await conn.db.query(`CREATE TABLE "jdoc" (d jsonb DEFAULT '{"zz":[1,2],"a":{"y":null}}', j json DEFAULT '{"b":1, "a":2}')`);
      const table = (await postgresDialect.introspect(conn.db)).tables.find((t) => t.name === "jdoc")!;
      expect(table.columns.map((c) => c.default)).toEqual([`'{"a":{"y":null},"zz":[1,2]}'`, `'{"b":1,"a":2}'`]);
    });

    it("reads back array defaults in the declared canonical form", async () => {
      const literals = [`'{a,b c}'`, `'{ x , "",NULL,"NULL",it''s,"q\\"x",a\\,b}'`, `'{}'`];
      await conn.db.query(`CREATE TABLE "adoc" (${literals.map((l, i) => `c${i} text[] DEFAULT ${l}`).join(", ")})`);
      const table = (await postgresDialect.introspect(conn.db)).tables.find((t) => t.name === "adoc")!;
      const declared = literals.map((l, i) => canonicalColumn({ name: `c${i}`, type: "text", array: true, default: l }).default);
      expect(table.columns.map((c) => c.default)).toEqual(declared);
    });
  },
  ["postgres"],
);

describe("arithmetic precedence in expressions (generated columns)", () => {
  test.each([
    ["(price * qty) + 1", "price * qty + 1"],
    ["x = (a * b) + 1", "x = a * b + 1"],
    ["(a - b) - c", "a - b - c"],
    ["(a * b) / c", "a * b / c"],
    // PostgreSQL prints `a || ' ' || b` back like this: every other operator is left-associative at one level.
    ["(first_name || ' '::text) || last_name", "first_name || ' ' || last_name"],
    ["(a || b) || c", "a || b || c"],
  ])("redundant parentheses go: %s", (written, canonical) => {
    expect(canonicalExpression(written)).toBe(canonical);
  });

  test.each([
    "a - (b - c)",
    "a / (b * c)",
    "(a + b) * c",
    "(a + b)::text",
    "(a ^ b) ^ c",
    "a || (b || c)",
    "(a || b) + c",
  ])("meaningful parentheses stay: %s", (expression) => {
    expect(canonicalExpression(expression)).toBe(expression);
  });
});
