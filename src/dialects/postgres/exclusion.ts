/**
 * PostgreSQL exclusion constraints (`@Exclusion`): the text after EXCLUDE in
 * one spelling for both producers, and what creating one needs.
 */
import type { Exclusion } from "../../schema/types";

const SIMPLE_IDENTIFIER = /"([a-z_][a-z0-9_$]*)"/g;

/**
 * TypeORM keeps the expression as written (`USING gist ("room" WITH =, ...)`);
 * pg_get_constraintdef() prints `EXCLUDE USING gist (room WITH =, ...)`:
 * without EXCLUDE, quotes on plain names, the method in lower case and
 * whitespace collapsed, the two read alike. String literals are left alone.
 */
export function canonicalExclusionExpression(expression: string): string {
  const parts = expression.trim().replace(/^EXCLUDE\s+/i, "").split(/('(?:[^']|'')*')/);
  const text = parts
    .map((part, i) =>
      i % 2 === 1
        ? part
        : part
            .replace(SIMPLE_IDENTIFIER, "$1")
            .replace(/\s+/g, " ")
            .replace(/\(\s+/g, "(")
            .replace(/\s+\)/g, ")")
            .replace(/\s*,\s*/g, ", "),
    )
    .join("");
  return text.replace(/^USING\s+(\w+)/i, (_, method: string) => `USING ${method.toLowerCase()}`);
}

export function canonicalExclusion(exclusion: Exclusion): Exclusion {
  const out: Exclusion = { name: exclusion.name, expression: canonicalExclusionExpression(exclusion.expression) };
  if (exclusion.deferrable) out.deferrable = exclusion.deferrable;
  return out;
}

/** gist has no `=` for plain scalar types (integer, text...) without btree_gist; ranges and geometry have their own operators. */
export function exclusionNeedsBtreeGist(expression: string): boolean {
  const canonical = canonicalExclusionExpression(expression);
  return /^USING gist\b/.test(canonical) && /\bWITH\s*=(?!=)/i.test(canonical);
}
