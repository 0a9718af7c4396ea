import fc from "fast-check";
import { renderLiteral } from "../../src/emit";
import { UnrenderableValueError } from "../../src/emit/errors";

/** Evaluates a rendered literal the way the generated module would. */
function evaluate(text: string): unknown {
  return new Function("Buffer", `return (${text});`)(Buffer);
}

describe("renderLiteral", () => {
  it("writes strings with double quotes and JSON escapes", () => {
    expect(renderLiteral('say "hi"\\ \t')).toBe('"say \\"hi\\"\\\\ \\t"');
    expect(renderLiteral("it's")).toBe('"it\'s"');
  });

  it("writes multi-line strings as template literals, escaping backtick, ${ and backslash", () => {
    expect(renderLiteral("a\n`b` ${c} $d \\e")).toBe("`a\n\\`b\\` \\${c} $d \\\\e`");
    expect(evaluate(renderLiteral("a\r\nb\u2028c\u0000"))).toBe("a\r\nb\u2028c\u0000");
  });

  it("writes identifier keys bare, other keys quoted, and drops undefined values", () => {
    expect(renderLiteral({ name: "a", "first name": 1, default: "x", $x: true, _y: null, "1a": 2, gone: undefined })).toBe(
      '{ name: "a", "first name": 1, default: "x", $x: true, _y: null, "1a": 2 }',
    );
  });

  it("keeps a __proto__ key as an own property", () => {
    const value = JSON.parse('{"__proto__": {"polluted": 1}, "a": 1}');
    const back = evaluate(renderLiteral(value)) as Record<string, unknown>;
    expect(Object.prototype.hasOwnProperty.call(back, "__proto__")).toBe(true);
    expect((back as { polluted?: number }).polluted).toBeUndefined();
  });

  it("writes numbers, -0, NaN, infinities, bigints, dates and buffers as expressions that evaluate back", () => {
    expect(renderLiteral([1.5, -0, NaN, -Infinity, 10n, true, undefined])).toBe("[1.5, -0, NaN, -Infinity, 10n, true, undefined]");
    expect(renderLiteral(new Date("2026-01-02T03:04:05.678Z"))).toBe('new Date("2026-01-02T03:04:05.678Z")');
    expect((evaluate(renderLiteral(Buffer.from([0, 255, 7]))) as Buffer).equals(Buffer.from([0, 255, 7]))).toBe(true);
    expect(renderLiteral({})).toBe("{}");
    expect(renderLiteral([])).toBe("[]");
  });

  it("refuses values that are not plain data, naming where they are", () => {
    expect(() => renderLiteral({ rows: [{ fn: () => 1 }] })).toThrow(UnrenderableValueError);
    expect(() => renderLiteral({ a: new Map() })).toThrow(/value at a as a TypeScript literal \(instance of Map\)/);
    expect(() => renderLiteral(Symbol("s"))).toThrow(UnrenderableValueError);
  });

  it("round-trips any JSON value (property)", () => {
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        expect(evaluate(renderLiteral(value))).toEqual(value);
      }),
      { numRuns: 300 },
    );
  });

  it("round-trips any string, including multi-line ones (property)", () => {
    fc.assert(
      fc.property(fc.string({ unit: "binary" }), fc.string({ unit: "grapheme" }), (a, b) => {
        for (const s of [a, `${a}\n${b}`, `\`${b}\${${a}}\\\r\n`]) expect(evaluate(renderLiteral(s))).toBe(s);
      }),
      { numRuns: 300 },
    );
  });
});
