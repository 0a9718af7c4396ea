/**
 * Layout reuse for large revisions. Prettier spends about 2 ms on every
 * `createTable` call of an initial revision, and most statements of a large
 * revision differ from another one only in the names they carry. Prettier's
 * layout of a string literal depends on its width and on the quotes and
 * escapes it contains, never on which plain characters it holds, so
 * statements whose string values have the same widths print alike: each
 * distinct shape is formatted once and the names are put back afterwards.
 *
 * Only strings of printable ASCII without quotes or backslashes take part
 * (their width is their length and prettier leaves them as they are apart
 * from the quote character); every other string stays part of the shape. A
 * statement with a quoted object key is left whole, because prettier may
 * remove or add quotes around keys (`quoteProps`).
 */

export interface StatementShape {
  /** The statement with every reusable string's content replaced by `x`s of the same length. */
  shape: string;
  /**
   * Per string literal of the statement, in order: the content to put back, or
   * null where the shape kept it; null for a statement kept whole (prettier may
   * quote its keys, so its literals are not counted).
   */
  holes: Array<string | null> | null;
}

interface StringLiteral {
  /** Index of the opening quote. */
  start: number;
  /** Index just past the closing quote. */
  end: number;
}

const REUSABLE_CONTENT = /^[\x20-\x21\x23-\x26\x28-\x5b\x5d-\x7e]*$/;

export function statementShape(statement: string): StatementShape {
  const literals = scanStringLiterals(statement);
  if (literals.some((literal) => isObjectKey(statement, literal))) return { shape: statement, holes: null };
  const holes: Array<string | null> = [];
  let shape = "";
  let copied = 0;
  for (const literal of literals) {
    const content = statement.slice(literal.start + 1, literal.end - 1);
    if (!REUSABLE_CONTENT.test(content)) {
      holes.push(null);
      continue;
    }
    holes.push(content);
    shape += statement.slice(copied, literal.start + 1) + "x".repeat(content.length);
    copied = literal.end - 1;
  }
  return { shape: shape + statement.slice(copied), holes };
}

/** The formatted shape with the statement's own strings put back, in the quote character prettier chose. */
export function fillShape(formattedShape: string, holes: ReadonlyArray<string | null> | null): string {
  if (holes === null) return formattedShape;
  const literals = scanStringLiterals(formattedShape);
  if (literals.length !== holes.length) {
    throw new Error(`formatted shape holds ${literals.length} string literals, expected ${holes.length}`);
  }
  let out = "";
  let copied = 0;
  literals.forEach((literal, i) => {
    const content = holes[i];
    if (content === null) return;
    out += formattedShape.slice(copied, literal.start + 1) + content;
    copied = literal.end - 1;
  });
  return out + formattedShape.slice(copied);
}

function isObjectKey(text: string, literal: StringLiteral): boolean {
  let i = literal.end;
  while (i < text.length && /\s/.test(text[i])) i++;
  return text[i] === ":";
}

/**
 * The `"..."` and `'...'` literals of generated code, skipping comments and
 * template literals (ours never hold `${`; one that does is refused, since
 * its expressions could hold strings of their own).
 */
export function scanStringLiterals(text: string): StringLiteral[] {
  const literals: StringLiteral[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    if (c === "/" && text[i + 1] === "/") {
      const eol = text.indexOf("\n", i);
      i = eol < 0 ? text.length : eol;
    } else if (c === "/" && text[i + 1] === "*") {
      const close = text.indexOf("*/", i + 2);
      i = close < 0 ? text.length : close + 2;
    } else if (c === '"' || c === "'") {
      const start = i++;
      while (i < text.length && text[i] !== c) i += text[i] === "\\" ? 2 : 1;
      literals.push({ start, end: ++i });
    } else if (c === "`") {
      i++;
      while (i < text.length && text[i] !== "`") {
        if (text[i] === "$" && text[i + 1] === "{") throw new Error("template literal with an expression");
        i += text[i] === "\\" ? 2 : 1;
      }
      i++;
    } else {
      i++;
    }
  }
  return literals;
}
