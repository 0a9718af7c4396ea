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

/**
 * The column references and literal values of a check expression, as a
 * sorted set: what a database's rewrite (casts, quotes, `IN` to
 * `= ANY (ARRAY[...])`, charset introducers, parentheses) never adds or
 * removes. Two texts with different atoms state different rules.
 */
export function checkAtoms(expression: string, columns: readonly string[]): string[] {
  const names = new Set(columns.map((c) => c.toLowerCase()));
  const atoms = new Set<string>();
  const token = /'((?:[^']|'')*)'|"((?:[^"]|"")*)"|`((?:[^`]|``)*)`|([A-Za-z_][\w$]*)|(\d+(?:\.\d*)?(?:e[+-]?\d+)?|\.\d+)/gi;
  for (let m = token.exec(expression); m; m = token.exec(expression)) {
    const [, str, dq, bq, word, num] = m;
    if (str !== undefined) atoms.add(literalAtom(str.replace(/''/g, "'")));
    else if (num !== undefined) atoms.add(literalAtom(unaryMinus(expression, m.index) ? `-${num}` : num));
    else {
      const name = (dq?.replace(/""/g, '"') ?? bq?.replace(/``/g, "`") ?? word)!.toLowerCase();
      // A cast's type (`::text`) is no reference, even when a column shares its name.
      const cast = expression.slice(0, m.index).trimEnd().endsWith("::");
      if (names.has(name) && !cast) atoms.add(`column ${name}`);
    }
  }
  return [...atoms].sort();
}

/** A number written as text (`'-1'::integer`) and as a numeral (`-1`) are one literal. */
function literalAtom(text: string): string {
  const trimmed = text.trim();
  return trimmed !== "" && Number.isFinite(Number(trimmed)) ? `number ${Number(trimmed)}` : `string ${text}`;
}

/** Whether the numeral at `at` is preceded by a sign rather than a subtraction. */
function unaryMinus(expression: string, at: number): boolean {
  const before = expression.slice(0, at).trimEnd();
  if (!before.endsWith("-")) return false;
  const prior = before.slice(0, -1).trimEnd();
  return prior === "" || /[(,=<>!+*/-]$/.test(prior) || /\b(and|or|not|then|else|when|between|in)$/i.test(prior);
}

/**
 * The verdict for dialects that may rewrite check text: equal normal forms
 * are the same rule, different atoms a changed rule, anything else a rewrite
 * the normalizer cannot see through.
 */
export function checkVerdict(
  database: string,
  model: string,
  columns: readonly string[],
  normalForm: (expression: string) => string,
): "same" | "changed" | "rewritten" {
  if (normalForm(database) === normalForm(model)) return "same";
  const a = checkAtoms(database, columns);
  const b = checkAtoms(model, columns);
  return a.length === b.length && a.every((atom, i) => atom === b[i]) ? "rewritten" : "changed";
}
