/**
 * A loose textual normal form for check expressions, for dialects whose
 * catalogs return the text nearly as written: identifier quotes, outer
 * parentheses, whitespace and keyword case do not count. Anything the
 * database rewrote beyond that stays different, and the comparer reports it
 * as a finding rather than an op.
 */
export function looseCheckText(expression: string): string {
  let text = expression.replace(/[`"]/g, "").replace(/\s+/g, " ").trim();
  while (text.startsWith("(") && text.endsWith(")") && balanced(text.slice(1, -1))) text = text.slice(1, -1).trim();
  return text.replace(/\s*([(),=<>+*/-])\s*/g, "$1").toLowerCase();
}

function balanced(text: string): boolean {
  let depth = 0;
  for (const ch of text) {
    if (ch === "(") depth++;
    else if (ch === ")" && --depth < 0) return false;
  }
  return depth === 0;
}
