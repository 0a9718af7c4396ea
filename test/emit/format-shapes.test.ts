import { writeFileSync } from "node:fs";
import { join } from "node:path";
import fc from "fast-check";
import { closeFormatter, formatRevision, formatSource, renderRevision, revisionText, type RevisionFileSpec } from "../../src/emit";
import { fillShape, scanStringLiterals, statementShape } from "../../src/emit/shapes";
import type { Op } from "../../src/ops/types";
import { allSampleOps, step, withTempDir } from "./support";

afterAll(closeFormatter);

const base: Omit<RevisionFileSpec, "upgrade" | "downgrade"> = {
  revision: "abc123",
  downRevision: null,
  message: "shapes",
  createdAt: new Date("2026-11-22T10:04:11Z"),
};

describe("statement shapes", () => {
  it("finds double- and single-quoted strings, but none inside comments or template literals", () => {
    const text = `// it's "quoted"\nawait op.x("a\\"b", 'c', \`d "e" 'f'\`); /* "g" */ f("h")`;
    expect(scanStringLiterals(text).map((l) => text.slice(l.start, l.end))).toEqual([`"a\\"b"`, `'c'`, `"h"`]);
  });

  it("blanks plain ASCII values to same-width placeholders and keeps the rest in the shape", () => {
    const { shape, holes } = statementShape(`await op.createEnum("mood", ["it's", "héllo", "a\\\\b", "ok go", ""]);`);
    expect(shape).toBe(`await op.createEnum("xxxx", ["it's", "héllo", "a\\\\b", "xxxxx", ""]);`);
    expect(holes).toEqual(["mood", null, null, null, "ok go", ""]);
  });

  it("leaves a statement with a quoted object key whole (prettier may unquote or quote keys)", () => {
    const statement = `await op.bulkInsert("t", [{ "first name": "Ann", id: "x" }]);`;
    expect(statementShape(statement)).toEqual({ shape: statement, holes: null });
  });

  it("puts each statement's own strings back in the quote prettier chose", () => {
    expect(fillShape(`await op.dropTable('xxxxx', "it's");`, ["users", null])).toBe(`await op.dropTable('users', "it's");`);
    expect(() => fillShape(`await op.dropTable("xxxxx");`, ["users", "extra"])).toThrow(/1 string literals, expected 2/);
  });

  it("lets statements that differ only in same-width names share one shape", () => {
    const a = statementShape(`await op.dropTable("bench_0001");`);
    const b = statementShape(`await op.dropTable("bench_0002");`);
    const c = statementShape(`await op.dropTable("bench_00003");`);
    expect(a.shape).toBe(b.shape);
    expect(a.shape).not.toBe(c.shape);
  });
});

/** Every string value in an op replaced through `rename`; with `rowKeys`, a bulkInsert's column names too (the only free-form keys). */
function renameOp(op: Op, rename: (s: string) => string, rowKeys: boolean): Op {
  const map = (value: unknown, renameKeys: boolean): unknown => {
    if (typeof value === "string") return rename(value);
    if (Array.isArray(value)) return value.map((v) => map(v, renameKeys));
    if (value && typeof value === "object" && Object.getPrototypeOf(value) === Object.prototype) {
      return Object.fromEntries(Object.entries(value).map(([k, v]) => [renameKeys ? rename(k) : k, map(v, false)]));
    }
    return value;
  };
  const { kind, ...rest } = op;
  const renamed = Object.fromEntries(Object.entries(rest).map(([k, v]) => [k, k === "rows" ? (v as unknown[]).map((row) => map(row, rowKeys)) : map(v, false)]));
  return { kind, ...renamed } as Op;
}

const PRETTIER_CONFIGS = [
  {},
  { singleQuote: true, useTabs: true, printWidth: 100 },
  { semi: false, trailingComma: "none", printWidth: 40 },
  { endOfLine: "crlf", tabWidth: 4, bracketSpacing: false },
  { quoteProps: "consistent", singleQuote: true, printWidth: 60 },
  { quoteProps: "preserve", arrowParens: "avoid", objectWrap: "collapse" },
];

const nameArb = fc.oneof(
  fc.constantFrom("users", "bench_0001", "bench_0002", "it's", 'say "hi"', "back\\slash", "${x}", "*/ //", "héllo", "名前", "multi\nline", ""),
  fc.string({ maxLength: 40 }),
  fc.string({ unit: "binary", maxLength: 12 }),
  fc.stringMatching(/^[a-z_]{1,60}$/),
);

describe("formatRevision", () => {
  it("prints exactly what prettier prints for the whole file, for any names, comments and prettier config", async () => {
    await withTempDir(async (dir) => {
      const target = join(dir, "rev.ts");
      await fc.assert(
        fc.asyncProperty(
          fc.array(
            fc.record({
              op: fc.constantFrom(...allSampleOps),
              names: fc.array(nameArb, { minLength: 1, maxLength: 6 }),
              renameKeys: fc.boolean(),
              review: fc.array(nameArb, { maxLength: 2 }),
            }),
            { minLength: 1, maxLength: 12 },
          ),
          fc.array(nameArb, { maxLength: 2 }),
          fc.constantFrom(...PRETTIER_CONFIGS),
          async (picks, notes, config) => {
            const steps = picks.map(({ op, names, renameKeys, review }) => {
              let i = 0;
              const renamed = renameOp(op, () => names[i++ % names.length], renameKeys);
              return step(renamed, { review: review.length ? review : undefined });
            });
            writeFileSync(join(dir, ".prettierrc"), JSON.stringify(config));
            const rendered = renderRevision({ ...base, notes, upgrade: steps, downgrade: [...steps].reverse() });
            const whole = await formatSource(revisionText(rendered), target);
            expect(await formatRevision(rendered, target, { layoutReuseFrom: 0, strict: true })).toBe(whole);
          },
        ),
        { numRuns: Number(process.env.RETORT_PROPERTY_RUNS ?? 60) },
      );
    });
  });

  it("formats an empty revision (placeholder comments only) the same way", async () => {
    const rendered = renderRevision({ ...base });
    const whole = await formatSource(revisionText(rendered), "/x/rev.ts");
    expect(await formatRevision(rendered, "/x/rev.ts", { layoutReuseFrom: 0, strict: true })).toBe(whole);
    expect(whole).toContain("  // write your upgrade here\n");
  });
});
