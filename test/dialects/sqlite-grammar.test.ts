import fc from "fast-check";
import { canonicalColumn, normalizeDefault, normalizeExpression, stripOuterParens } from "../../src/dialects/sqlite/grammar";
import { tokenize } from "../../src/dialects/sqlite/parse";

/** normalizeExpression without its shortcut for text with nothing to collapse: the tokens, a space where the source had a gap. */
function byTokens(expression: string): string {
  const tokens = tokenize(stripOuterParens(expression));
  return tokens.map((t, i) => (i > 0 && t.start > tokens[i - 1].end ? " " : "") + t.text).join("");
}

const SQL_PIECES = ["(", ")", "'", "''", '"', "`", "[", "]", " ", "\t", "\n", "\u00a0", "--", "/*", "*/", "-", "/", "*", "x'", "X'", "0x1f", "1.5e3", ".5", "now", "datetime", "CURRENT_TIMESTAMP", "é", "||", "<>", ",", ";", "+", "null", "TRUE"];

describe("sqlite grammar", () => {
  it("normalizeExpression gives what its tokens give, for text with and without anything to collapse", () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(fc.constantFrom(...SQL_PIECES), fc.string({ maxLength: 3 })), { maxLength: 12 }), (pieces) => {
        const text = pieces.join("");
        expect(normalizeExpression(text)).toBe(byTokens(text));
      }),
      { numRuns: 20000 },
    );
    for (const text of ["0", "'a b'", "datetime('now')", "(datetime('now'))", "-1", "1/*c*/", "a--b", "x'0A'", ""]) expect(normalizeExpression(text)).toBe(byTokens(text));
  });

  it("canonical defaults and columns are what they were", () => {
    expect(normalizeDefault("(datetime('now'))")).toBe("datetime('now')");
    expect(normalizeDefault("CURRENT_TIMESTAMP")).toBe("datetime('now')");
    expect(normalizeDefault("+5")).toBe("5");
    expect(normalizeDefault("'a  b'")).toBe("'a  b'");
    expect(normalizeDefault("NULL")).toBeUndefined();
    const column = canonicalColumn({ name: "c", type: "VARCHAR(20)", nullable: false, comment: "x", charset: "utf8", unsigned: true, default: "'a'" } as never);
    expect(column).toEqual({ name: "c", type: "varchar", length: 20, nullable: false, default: "'a'" });
  });
});
