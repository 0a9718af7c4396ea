/**
 * One canonical spelling of a PostgreSQL boolean expression (check
 * constraints, partial-index predicates), so the text a user declares and the
 * text pg_get_expr() prints for it compare equal. Only rewrites that keep the
 * meaning are made; whatever PostgreSQL rewrote beyond them stays different
 * and is reported by the comparer as a finding.
 */

type TokenKind = "string" | "quoted" | "word" | "number" | "op" | "punct";

interface Token {
  kind: TokenKind;
  text: string;
}

/**
 * Keywords that are not UNRESERVED in PostgreSQL 15 (`pg_get_keywords()`
 * catcode R, C or T): as identifiers they need quotes, so quote_ident() and
 * pg_get_expr() keep them quoted.
 */
const QUOTED_KEYWORDS = new Set(
  `all analyse analyze and any array as asc asymmetric both case cast check collate column constraint create
  current_catalog current_date current_role current_time current_timestamp current_user default deferrable desc
  distinct do else end except false fetch for foreign from grant group having in initially intersect into lateral
  leading limit localtime localtimestamp not null offset on only or order placing primary references returning
  select session_user some symmetric table then to trailing true union unique user using variadic when where window
  with
  between bigint bit boolean char character coalesce dec decimal exists extract float greatest grouping inout int
  integer interval least national nchar none normalize nullif numeric out overlay position precision real row setof
  smallint substring time timestamp treat trim values varchar xmlattributes xmlconcat xmlelement xmlexists xmlforest
  xmlnamespaces xmlparse xmlpi xmlroot xmlserialize xmltable
  authorization binary collation concurrently cross current_schema freeze full ilike inner is isnull join left like
  natural notnull outer overlaps right similar tablesample verbose`.split(/\s+/),
);

/** Type/function-name keywords: a function of that name may be called unquoted (`left(t, 1)`). */
const FUNCTION_NAME_KEYWORDS = new Set(
  "authorization binary collation concurrently cross current_schema freeze full ilike inner is isnull join left like natural notnull outer overlaps right similar tablesample verbose".split(
    " ",
  ),
);

const MULTI_CHAR_OPERATORS = ["!~~*", "!~~", "~~*", "->>", "#>>", "::", "<>", "!=", ">=", "<=", "||", "~~", "~*", "!~*", "!~", "@>", "<@", "&&", "->", "#>", "?|", "?&"]
  .sort((a, b) => b.length - a.length);
const OPERATOR_CHARS = "+-*/<>=~!@#%^&|`?";
const COMPARISON_OPERATORS = new Set(["=", "<>", "!=", "<", ">", "<=", ">="]);
const PATTERN_OPERATORS = new Set(["~~", "!~~", "~~*", "!~~*", "~", "~*", "!~", "!~*"]);
/** Words after which a list, condition or operand starts afresh. */
const BOUNDARY_WORDS = new Set(["AND", "OR", "NOT", "WHEN", "THEN", "ELSE"]);
/** Words that end an operand on the right. */
const END_WORDS = new Set(["AND", "OR", "THEN", "ELSE", "END", "WHEN"]);
const PREDICATE_WORDS = new Set(["IS", "ISNULL", "NOTNULL", "LIKE", "ILIKE", "SIMILAR", "BETWEEN", "IN", "ESCAPE", "NOT"]);
const NUMERIC_CAST_TYPES = new Set(["integer", "int", "int4", "bigint", "int8", "smallint", "int2", "numeric", "decimal", "real", "float4", "double precision", "float8"]);
const TYPE_WORD_TAILS = new Set(["varying", "precision", "with", "without", "time", "zone"]);
/** Column types a cast to text does nothing for: varchar -> text keeps every value and comparison. */
const TEXT_LIKE_TYPES = new Set(["text", "character varying"]);

function tokenize(sql: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < sql.length) {
    const ch = sql[i]!;
    const rest = sql.slice(i);
    let m: RegExpExecArray | null;
    if (/\s/.test(ch)) {
      i++;
    } else if ((m = /^[eE]'(?:[^'\\]|''|\\[\s\S])*'/.exec(rest) ?? /^'(?:[^']|'')*'/.exec(rest))) {
      // In an E'...' string a backslash escapes the next character, a quote included.
      tokens.push({ kind: "string", text: m[0] });
      i += m[0].length;
    } else if ((m = /^"(?:[^"]|"")+"/.exec(rest))) {
      tokens.push({ kind: "quoted", text: m[0] });
      i += m[0].length;
    } else if ((m = /^(?:\d+(?:\.\d*)?|\.\d+)(?:e[+-]?\d+)?/i.exec(rest))) {
      tokens.push(signedNumber(tokens, m[0]));
      i += m[0].length;
    } else if ((m = /^[A-Za-z_\u0080-\uffff][\w$\u0080-\uffff]*/.exec(rest))) {
      tokens.push({ kind: "word", text: m[0] });
      i += m[0].length;
    } else if ("()[],.".includes(ch)) {
      tokens.push({ kind: "punct", text: ch });
      i++;
    } else {
      const op = MULTI_CHAR_OPERATORS.find((o) => rest.startsWith(o)) ?? (OPERATOR_CHARS.includes(ch) ? ch : undefined);
      if (op === undefined) throw new SyntaxError(`Unexpected character ${JSON.stringify(ch)} in expression ${JSON.stringify(sql)}`);
      tokens.push({ kind: "op", text: op });
      i += op.length;
    }
  }
  return tokens;
}

/** `-` directly before a number where an operand starts is its sign (`a > -1`), not subtraction. */
function signedNumber(tokens: Token[], digits: string): Token {
  const last = tokens[tokens.length - 1];
  if (last?.kind === "op" && last.text === "-" && startsOperand(tokens[tokens.length - 2])) {
    tokens.pop();
    return { kind: "number", text: `-${digits}` };
  }
  return { kind: "number", text: digits };
}

function startsOperand(previous: Token | undefined): boolean {
  if (previous === undefined) return true;
  if (previous.kind === "op") return true;
  if (previous.kind === "punct") return previous.text === "(" || previous.text === "[" || previous.text === ",";
  return previous.kind === "word" && isKeyword(previous.text) && !["NULL", "TRUE", "FALSE", "END"].includes(previous.text.toUpperCase());
}

function isKeyword(word: string): boolean {
  return QUOTED_KEYWORDS.has(word.toLowerCase());
}

/** Unquoted identifiers fold to lower case; keywords are written upper case. */
function normalizeWord(token: Token, next: Token | undefined): Token {
  if (token.kind === "word") return { kind: "word", text: isKeyword(token.text) ? token.text.toUpperCase() : token.text.toLowerCase() };
  if (token.kind !== "quoted") return token;
  const name = token.text.slice(1, -1).replace(/""/g, '"');
  if (!/^[a-z_][a-z0-9_$]*$/.test(name)) return token;
  if (!isKeyword(name)) return { kind: "word", text: name };
  // pg_get_expr() quotes a function named like a keyword (`"left"(t, 1)`); unquoted it is the same call.
  if (FUNCTION_NAME_KEYWORDS.has(name) && next?.text === "(") return { kind: "word", text: name.toUpperCase() };
  return token;
}

function isWord(token: Token | undefined, ...words: string[]): boolean {
  return token?.kind === "word" && words.includes(token.text);
}

function isPunct(token: Token | undefined, text: string): boolean {
  return token?.kind === "punct" && token.text === text;
}

function matching(tokens: Token[], open: number): number {
  const close = tokens[open]!.text === "(" ? ")" : "]";
  let depth = 0;
  for (let i = open; i < tokens.length; i++) {
    const t = tokens[i]!;
    if (t.kind !== "punct") continue;
    if (t.text === "(" || t.text === "[") depth++;
    else if ((t.text === ")" || t.text === "]") && --depth === 0) return t.text === close ? i : -1;
  }
  return -1;
}

function matchingOpen(tokens: Token[], close: number): number {
  let depth = 0;
  for (let i = close; i >= 0; i--) {
    const t = tokens[i]!;
    if (t.kind !== "punct") continue;
    if (t.text === ")" || t.text === "]") depth++;
    else if ((t.text === "(" || t.text === "[") && --depth === 0) return i;
  }
  return -1;
}

/** The end (exclusive) of the type name after `::` at `at`: `character varying(20)[]`. */
function typeEnd(tokens: Token[], at: number): number {
  let i = at;
  if (tokens[i]?.kind !== "word" && tokens[i]?.kind !== "quoted") return -1;
  i++;
  while (tokens[i]?.kind === "word" && TYPE_WORD_TAILS.has(tokens[i]!.text.toLowerCase())) i++;
  if (isPunct(tokens[i], "(")) {
    const close = matching(tokens, i);
    if (close < 0) return -1;
    i = close + 1;
  }
  while (isPunct(tokens[i], "[") && isPunct(tokens[i + 1], "]")) i += 2;
  return i;
}

function typeText(tokens: Token[], from: number, to: number): string {
  return tokens
    .slice(from, to)
    .map((t, i) => (i > 0 && t.kind !== "punct" && tokens[from + i - 1]!.kind !== "punct" ? " " : "") + t.text.toLowerCase())
    .join("");
}

/** Whether an operand ending just before `i` is followed by nothing that binds to it. */
function endsOperand(token: Token | undefined): boolean {
  if (token === undefined) return true;
  if (token.kind === "punct") return token.text !== "(" && token.text !== "[" && token.text !== ".";
  return token.kind === "word" && END_WORDS.has(token.text);
}

function startsFresh(token: Token | undefined): boolean {
  if (token === undefined) return true;
  if (token.kind === "punct") return token.text === "(" || token.text === ",";
  return token.kind === "word" && BOUNDARY_WORDS.has(token.text);
}

function isComparison(token: Token | undefined): boolean {
  return token?.kind === "op" && (COMPARISON_OPERATORS.has(token.text) || PATTERN_OPERATORS.has(token.text));
}

/** Inside `ARRAY[...]` directly, where an element's type is the array's business. */
function isArrayElementSlot(tokens: Token[], i: number): boolean {
  for (let j = i - 1, depth = 0; j >= 0; j--) {
    const t = tokens[j]!;
    if (t.kind !== "punct") continue;
    if (t.text === ")" || t.text === "]") depth++;
    else if (t.text === "(" || t.text === "[") {
      if (depth-- > 0) continue;
      return t.text === "[" && isWord(tokens[j - 1], "ARRAY");
    }
  }
  return false;
}

/**
 * A cast of a literal PostgreSQL added to coerce it to the other operand's
 * type (`n > 0::numeric`, `t = 'x'::text`, `a > '-1'::integer`): without the
 * cast the literal is coerced the same way. Only removed where the literal is
 * a whole comparison operand or an array element, never inside arithmetic.
 */
function stripLiteralCast(tokens: Token[], columnTypes: ReadonlyMap<string, string>): boolean {
  for (let i = 1; i < tokens.length; i++) {
    if (!(tokens[i]!.kind === "op" && tokens[i]!.text === "::")) continue;
    const end = typeEnd(tokens, i + 1);
    if (end < 0) continue;
    const type = typeText(tokens, i + 1, end);
    const operand = tokens[i - 1]!;
    if (operand.kind === "string" || operand.kind === "number") {
      const before = tokens[i - 2];
      const after = tokens[end];
      // Between two literals the cast decides the comparison's type (`'1'::int = '01'::int`), so it stays.
      const comparedRight = isComparison(before) && endsOperand(after) && !endsLiteralOperand(tokens, i - 3);
      const comparedLeft = startsFresh(before) && isComparison(after) && !isLiteral(tokens[end + 1]);
      const element = (isPunct(before, "[") || isPunct(before, ",")) && (isPunct(after, ",") || isPunct(after, "]")) && isArrayElementSlot(tokens, i - 1);
      // `a || ' '` resolves the untyped literal to text, which PostgreSQL then writes out (`' '::text`).
      const concatenated = operand.kind === "string" && type === "text" && (isConcat(before) || isConcat(after));
      if (!comparedRight && !comparedLeft && !element && !concatenated) continue;
      const replacement = literalWithoutCast(operand, type);
      if (replacement === undefined) continue;
      tokens.splice(i - 1, end - i + 1, replacement);
      return true;
    }
    if (operand.kind === "word" && !isKeyword(operand.text) && type === "text" && TEXT_LIKE_TYPES.has(columnTypes.get(operand.text) ?? "")) {
      if (isPunct(tokens[i - 2], ".")) continue;
      tokens.splice(i, end - i);
      return true;
    }
    if (isPunct(operand, "]") && (type === "text[]" || type === "character varying[]")) {
      const open = matchingOpen(tokens, i - 1);
      if (open > 0 && isWord(tokens[open - 1], "ARRAY") && tokens.slice(open + 1, i - 1).every((t) => t.kind === "string" || isPunct(t, ","))) {
        tokens.splice(i, end - i);
        return true;
      }
    }
  }
  return false;
}

function isConcat(token: Token | undefined): boolean {
  return token?.kind === "op" && token.text === "||";
}

/** Whether the operand ending at `at` is a literal, cast or not (`'1'::integer`). */
function endsLiteralOperand(tokens: Token[], at: number): boolean {
  if (isLiteral(tokens[at])) return true;
  for (let j = at; j > 0 && j > at - 12; j--) {
    if (tokens[j]!.kind === "op" && tokens[j]!.text === "::" && typeEnd(tokens, j + 1) === at + 1) return isLiteral(tokens[j - 1]);
  }
  return false;
}

function isLiteral(token: Token | undefined): boolean {
  return token?.kind === "string" || token?.kind === "number";
}

function literalWithoutCast(literal: Token, type: string): Token | undefined {
  if (literal.kind === "number") return NUMERIC_CAST_TYPES.has(type) ? literal : undefined;
  const quotedNumber = /^'(-?(?:\d+(?:\.\d*)?|\.\d+)(?:e[+-]?\d+)?)'$/i.exec(literal.text);
  if (quotedNumber && NUMERIC_CAST_TYPES.has(type)) return { kind: "number", text: quotedNumber[1]! };
  if (NUMERIC_CAST_TYPES.has(type)) return undefined;
  return literal;
}

/** `x = ANY (ARRAY[a, b])` is how PostgreSQL stores `x IN (a, b)`; `<> ALL` is `NOT IN`. */
function foldAnyArray(tokens: Token[]): boolean {
  for (let i = 1; i < tokens.length; i++) {
    const op = tokens[i]!;
    const negated = op.kind === "op" && (op.text === "<>" || op.text === "!=");
    const quantifier = negated ? "ALL" : "ANY";
    if (!(op.kind === "op" && (op.text === "=" || negated))) continue;
    if (!(isWord(tokens[i + 1], quantifier) && isPunct(tokens[i + 2], "(") && isWord(tokens[i + 3], "ARRAY") && isPunct(tokens[i + 4], "["))) continue;
    const closeBracket = matching(tokens, i + 4);
    if (closeBracket < 0 || !isPunct(tokens[closeBracket + 1], ")") || !simpleLeftOperand(tokens, i)) continue;
    const list = tokens.slice(i + 5, closeBracket);
    if (list.length === 0) continue;
    const inWords: Token[] = negated ? [{ kind: "word", text: "NOT" }, { kind: "word", text: "IN" }] : [{ kind: "word", text: "IN" }];
    tokens.splice(i, closeBracket + 2 - i, ...inWords, { kind: "punct", text: "(" }, ...list, { kind: "punct", text: ")" });
    return true;
  }
  return false;
}

/** The operand left of `at` holds no operator binding looser than IN, so `IN` may replace `= ANY`. */
function simpleLeftOperand(tokens: Token[], at: number): boolean {
  for (let j = at - 1; j >= 0; j--) {
    const t = tokens[j]!;
    if (isPunct(t, ")") || isPunct(t, "]")) {
      j = matchingOpen(tokens, j);
      if (j < 0) return false;
      continue;
    }
    if (startsFresh(t)) return true;
    if (t.kind === "op" && isComparison(t)) return false;
    if (t.kind === "word" && PREDICATE_WORDS.has(t.text)) return false;
  }
  return true;
}

/** PostgreSQL stores `LIKE` as `~~`; folded where the pattern is a lone literal, so precedence cannot differ. */
function foldLike(tokens: Token[]): boolean {
  const spellings: Record<string, string> = { LIKE: "~~", ILIKE: "~~*" };
  for (let i = 1; i < tokens.length; i++) {
    const t = tokens[i]!;
    if (!(t.kind === "word" && t.text in spellings)) continue;
    if (tokens[i + 1]?.kind !== "string" || !endsOperand(tokens[i + 2]) || isWord(tokens[i + 2], "ESCAPE")) continue;
    const negated = isWord(tokens[i - 1], "NOT");
    const op = (negated ? "!" : "") + spellings[t.text]!;
    tokens.splice(negated ? i - 1 : i, negated ? 2 : 1, { kind: "op", text: op });
    return true;
  }
  return false;
}

/**
 * PostgreSQL's precedence for binary operators above the comparisons: any
 * other operator (`||`, `@>`...) binds loosest, then `+ -`, `* / %`, `^`.
 * Levels below 5 are the boolean ones (OR 1, AND 2, NOT 3, comparison 4).
 */
const ARITHMETIC_LEVELS: Readonly<Record<string, number>> = { "+": 6, "-": 6, "*": 7, "/": 7, "%": 7, "^": 8 };
const OTHER_OPERATOR_LEVEL = 5;
/** A group with no top-level operator at all (a call, a column, a literal). */
const ATOM_LEVEL = 9;

/** The level of a binary operator token, or undefined when it is unary (a sign) or not an operator we rank. */
function binaryOperatorLevel(tokens: Token[], index: number): number | undefined {
  const t = tokens[index];
  if (t?.kind !== "op" || t.text === "::" || t.text === ".") return undefined;
  if (COMPARISON_OPERATORS.has(t.text)) return 4;
  if ((t.text === "-" || t.text === "+") && startsOperand(tokens[index - 1])) return undefined;
  return ARITHMETIC_LEVELS[t.text] ?? OTHER_OPERATOR_LEVEL;
}

/** Binding strength of what is outside a parenthesized group, on one side. */
function neighbourLevel(tokens: Token[], index: number, left: boolean): number {
  const token = tokens[index];
  if (token === undefined) return 0;
  if (token.kind === "punct" && (token.text === "," || token.text === (left ? "(" : ")"))) return 0;
  if (token.kind === "word") {
    if (["WHEN", "THEN", "ELSE", ...(left ? [] : ["END"])].includes(token.text)) return 0;
    if (token.text === "OR") return 1;
    if (token.text === "AND") return 2;
    if (left && token.text === "NOT") return 3;
  }
  return binaryOperatorLevel(tokens, index) ?? Number.POSITIVE_INFINITY;
}

/** The loosest top-level operator in a group: OR 1, AND 2, prefix NOT 3, predicates 4, then the binary operator levels; 9 for none. */
function contentLevel(tokens: Token[]): number {
  let level = ATOM_LEVEL;
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i]!;
    if (isPunct(t, "(") || isPunct(t, "[")) {
      i = matching(tokens, i);
      if (i < 0) return 0;
      continue;
    }
    if (isWord(t, "CASE")) return 0;
    if (isWord(t, "OR")) level = Math.min(level, 1);
    else if (isWord(t, "AND")) level = Math.min(level, 2);
    else if (isWord(t, "NOT") && (i === 0 || isWord(tokens[i - 1], "AND", "OR", "NOT"))) level = Math.min(level, 3);
    else if (t.kind === "word" && PREDICATE_WORDS.has(t.text)) level = Math.min(level, 4);
    else if (t.kind === "word" && isKeyword(t.text) && !["NULL", "TRUE", "FALSE"].includes(t.text)) level = Math.min(level, OTHER_OPERATOR_LEVEL);
    else {
      const binary = binaryOperatorLevel(tokens, i);
      if (binary !== undefined) level = Math.min(level, binary);
    }
  }
  return level;
}

/** An opening parenthesis that belongs to a call or list syntax (`f(`, `IN (`, `ANY (`), not to grouping. */
function isSyntaxParen(previous: Token | undefined): boolean {
  if (previous === undefined) return false;
  if (previous.kind === "quoted" || previous.kind === "string" || previous.kind === "number") return true;
  if (previous.kind === "punct") return previous.text === ")" || previous.text === "]";
  return previous.kind === "word" && !BOUNDARY_WORDS.has(previous.text);
}

function removableGroup(tokens: Token[], open: number, close: number): boolean {
  if (isSyntaxParen(tokens[open - 1])) return false;
  const inner = tokens.slice(open + 1, close);
  if (inner.length === 0) return false;
  const before = tokens[open - 1];
  const after = tokens[close + 1];
  // `(x).field` is a field of x; `(x)::t` casts the group: both fine for a lone token.
  if (inner.length === 1) return !isPunct(after, ".") && !isPunct(after, "[");
  // A cast or subscript applies to the whole group.
  if (isPunct(after, "[") || isPunct(after, ".") || (after?.kind === "op" && after.text === "::")) return false;
  const level = contentLevel(inner);
  const left = neighbourLevel(tokens, open - 1, true);
  const right = neighbourLevel(tokens, close + 1, false);
  const outer = Math.max(left, right);
  const associative = level === outer && (level === 1 || level === 2) && neighbourSameSide(before, after, level);
  // Left-associative operators: `(a * b) * c` is `a * b * c`, `(a || b) || c` is `a || b || c`, but `a - (b - c)` is not `a - b - c`.
  const leftOperand = level === right && level >= OTHER_OPERATOR_LEVEL && level <= 7 && left < level;
  return level > outer || associative || leftOperand;
}

/** AND/OR chains regroup freely, but only among the same operator. */
function neighbourSameSide(before: Token | undefined, after: Token | undefined, level: number): boolean {
  const word = level === 1 ? "OR" : "AND";
  const ok = (t: Token | undefined, left: boolean) => neighbourLevel(t === undefined ? [] : [t], 0, left) === 0 || isWord(t, word);
  return ok(before, true) && ok(after, false);
}

function removeRedundantParens(tokens: Token[]): boolean {
  for (let i = 0; i < tokens.length; i++) {
    if (!isPunct(tokens[i], "(")) continue;
    const close = matching(tokens, i);
    if (close < 0 || !removableGroup(tokens, i, close)) continue;
    tokens.splice(close, 1);
    tokens.splice(i, 1);
    return true;
  }
  return false;
}

/** Removing `(1)` from `-(1)` leaves a sign the tokenizer would read as part of the number: read it so now. */
function mergeSigns(tokens: Token[]): boolean {
  for (let i = 0; i + 1 < tokens.length; i++) {
    const t = tokens[i]!;
    const next = tokens[i + 1]!;
    if (t.kind === "op" && t.text === "-" && next.kind === "number" && !next.text.startsWith("-") && startsOperand(tokens[i - 1])) {
      tokens.splice(i, 2, { kind: "number", text: `-${next.text}` });
      return true;
    }
  }
  return false;
}

const FUNCTION_KEYWORDS = new Set(["COALESCE", "GREATEST", "LEAST", "NULLIF", "EXTRACT", "SUBSTRING", "TRIM", "POSITION", "OVERLAY", "CAST", "ROW", "LEFT", "RIGHT", "ARRAY"]);

function needsSpace(previous: Token, token: Token): boolean {
  if (isPunct(previous, "(") || isPunct(previous, "[") || isPunct(previous, ".")) return false;
  if (token.kind === "punct" && [")", "]", ",", "."].includes(token.text)) return false;
  if (previous.kind === "op" && previous.text === "::") return false;
  if (token.kind === "op" && token.text === "::") return false;
  // `ARRAY[`, `a[1]`, `f(x)[1]`: a subscript or constructor bracket sticks to what it follows.
  if (isPunct(token, "[")) return !(previous.kind === "word" || previous.kind === "quoted" || isPunct(previous, "]") || isPunct(previous, ")"));
  if (isPunct(token, "(")) {
    if (previous.kind === "quoted") return false;
    if (previous.kind === "word") return isKeyword(previous.text) && !FUNCTION_KEYWORDS.has(previous.text);
  }
  return true;
}

function join(tokens: Token[]): string {
  let out = "";
  tokens.forEach((t, i) => {
    if (i > 0 && needsSpace(tokens[i - 1]!, t)) out += " ";
    out += t.text;
  });
  return out;
}

/**
 * The canonical text of a boolean expression: identifiers unquoted where
 * quotes are not needed, keywords upper case, literal casts PostgreSQL adds
 * removed, `= ANY (ARRAY[...])` as `IN (...)`, `LIKE` as `~~`, parentheses
 * that precedence makes redundant removed, one space between tokens.
 * `columnTypes` (canonical types by column name) lets a varchar column's
 * `::text` cast go. Text that does not tokenize is returned with whitespace
 * collapsed only.
 */
export function canonicalExpression(expression: string, columnTypes: ReadonlyMap<string, string> = new Map()): string {
  let tokens: Token[];
  try {
    tokens = tokenize(expression);
  } catch {
    return expression.trim().replace(/\s+/g, " ");
  }
  tokens = tokens.map((t, i) => normalizeWord(t, tokens[i + 1]));
  const rewrites = [(ts: Token[]) => stripLiteralCast(ts, columnTypes), foldAnyArray, foldLike, removeRedundantParens, mergeSigns];
  for (let guard = 0; guard < 10_000 && rewrites.some((rewrite) => rewrite(tokens)); guard++);
  return join(tokens);
}
