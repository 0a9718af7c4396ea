/**
 * A small reader for the CREATE TABLE / CREATE INDEX text SQLite keeps in
 * sqlite_master. The pragmas lose constraint names, AUTOINCREMENT, generated
 * expressions, DEFERRABLE and enum CHECKs; this recovers them. It tokenizes
 * (so quotes, strings and nested parentheses are handled) instead of using
 * regular expressions over the whole statement. Pure, no I/O.
 */

export type TokenKind = "ident" | "string" | "number" | "blob" | "punct" | "op";

export interface Token {
  kind: TokenKind;
  /** The source text of the token. */
  text: string;
  /** Identifiers: the unquoted name; strings: the unescaped value. */
  value: string;
  /** True for "quoted", `quoted` and [quoted] identifiers (never keywords). */
  quoted: boolean;
  /** Unquoted identifiers: the value in upper case (keywords are compared many times per token). */
  upper?: string;
  start: number;
  end: number;
}

const QUOTE_CLOSERS: Readonly<Record<string, string>> = { '"': '"', "`": "`", "[": "]" };

function readQuoted(sql: string, start: number, closer: string): { end: number; value: string } {
  let from = start + 1;
  let value = "";
  for (;;) {
    const at = sql.indexOf(closer, from);
    if (at === -1) return { end: sql.length, value: value + sql.slice(from) };
    value += sql.slice(from, at);
    if (closer !== "]" && sql[at + 1] === closer) {
      value += closer;
      from = at + 2;
      continue;
    }
    return { end: at + 1, value };
  }
}

function skipComment(sql: string, i: number): number {
  if (sql.startsWith("--", i)) {
    const nl = sql.indexOf("\n", i);
    return nl === -1 ? sql.length : nl + 1;
  }
  if (sql.startsWith("/*", i)) {
    const close = sql.indexOf("*/", i + 2);
    return close === -1 ? sql.length : close + 2;
  }
  return i;
}

// A CREATE TABLE is tokenized for every table at every check: runs of ASCII are read by character code, and
// the rest through sticky expressions (read at lastIndex, no copy of the rest of the statement per token).
const WHITESPACE = /\s/;
const NUMBER = /(0x[0-9a-f]+|[0-9]*\.?[0-9]*(e[+-]?[0-9]+)?)/iy;
const OPERATOR = /(\|\||<<|>>|<=|>=|==|!=|<>|->>|->)/y;

/** Length of what `sticky` matches at `i` (0 if nothing). */
function matchedLength(sticky: RegExp, sql: string, i: number): number {
  sticky.lastIndex = i;
  return sticky.test(sql) ? sticky.lastIndex - i : 0;
}

/** `\s` of a regular expression, for one UTF-16 code unit. */
function isSpace(code: number): boolean {
  if (code === 32 || (code >= 9 && code <= 13)) return true;
  return code >= 0x80 && WHITESPACE.test(String.fromCharCode(code));
}

/** [A-Za-z_0-9$] and every non-ASCII code unit: what an unquoted word is made of. */
function isWordCode(code: number): boolean {
  return (code >= 97 && code <= 122) || (code >= 65 && code <= 90) || (code >= 48 && code <= 57) || code === 95 || code === 36 || code >= 0x80;
}

const isDigit = (ch: string | undefined): boolean => ch !== undefined && ch >= "0" && ch <= "9";
const startsWord = (ch: string): boolean => (ch >= "A" && ch <= "Z") || (ch >= "a" && ch <= "z") || ch === "_" || ch >= "\u0080";

/** Splits SQL into tokens, skipping whitespace and comments. */
export function tokenize(sql: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  const push = (kind: TokenKind, start: number, end: number, value: string, quoted = false) =>
    tokens.push({ kind, text: sql.slice(start, end), value, quoted, start, end });
  // Unquoted text whose value is its text, and identifiers with their upper case kept for isKeyword.
  const pushText = (kind: TokenKind, start: number, end: number) => {
    const text = sql.slice(start, end);
    const token: Token = { kind, text, value: text, quoted: false, start, end };
    if (kind === "ident") token.upper = text.toUpperCase();
    tokens.push(token);
  };
  while (i < sql.length) {
    if (isSpace(sql.charCodeAt(i))) {
      i += 1;
      continue;
    }
    const ch = sql[i];
    const afterComment = ch === "-" || ch === "/" ? skipComment(sql, i) : i;
    if (afterComment !== i) {
      i = afterComment;
      continue;
    }
    if ((ch === "x" || ch === "X") && sql[i + 1] === "'") {
      const { end, value } = readQuoted(sql, i + 1, "'");
      push("blob", i, end, value);
      i = end;
    } else if (ch === "'") {
      const { end, value } = readQuoted(sql, i, "'");
      push("string", i, end, value);
      i = end;
    } else if (ch === '"' || ch === "`" || ch === "[") {
      const { end, value } = readQuoted(sql, i, QUOTE_CLOSERS[ch]);
      push("ident", i, end, value, true);
      i = end;
    } else if (isDigit(ch) || (ch === "." && isDigit(sql[i + 1]))) {
      const end = i + (matchedLength(NUMBER, sql, i) || 1);
      pushText("number", i, end);
      i = end;
    } else if (startsWord(ch)) {
      let end = i + 1;
      while (end < sql.length && isWordCode(sql.charCodeAt(end))) end += 1;
      pushText("ident", i, end);
      i = end;
    } else if (ch === "(" || ch === ")" || ch === "," || ch === ";") {
      pushText("punct", i, i + 1);
      i += 1;
    } else {
      const end = i + (matchedLength(OPERATOR, sql, i) || 1);
      pushText("op", i, end);
      i = end;
    }
  }
  return tokens;
}

/** Whether `token` is the unquoted keyword `word` (case-insensitive). */
export function isKeyword(token: Token | undefined, word: string): boolean {
  return !!token && token.kind === "ident" && !token.quoted && (token.upper ?? token.value.toUpperCase()) === word;
}

function isPunct(token: Token | undefined, ch: string): boolean {
  return !!token && token.kind === "punct" && token.text === ch;
}

/** Index of the ")" matching the "(" at `open`. */
export function matchingParen(tokens: Token[], open: number): number {
  let depth = 0;
  for (let i = open; i < tokens.length; i++) {
    if (isPunct(tokens[i], "(")) depth += 1;
    else if (isPunct(tokens[i], ")")) {
      depth -= 1;
      if (depth === 0) return i;
    }
  }
  return tokens.length - 1;
}

/** Splits tokens[from..to) at top-level commas. */
function splitTopLevel(tokens: Token[], from: number, to: number): Token[][] {
  const parts: Token[][] = [];
  let current: Token[] = [];
  let depth = 0;
  for (let i = from; i < to; i++) {
    const t = tokens[i];
    if (isPunct(t, "(")) depth += 1;
    if (isPunct(t, ")")) depth -= 1;
    if (depth === 0 && isPunct(t, ",")) {
      parts.push(current);
      current = [];
    } else current.push(t);
  }
  if (current.length > 0) parts.push(current);
  return parts;
}

/** The source text between two tokens of a parenthesized group, exclusive. */
function innerText(sql: string, tokens: Token[], open: number): { text: string; close: number } {
  const close = matchingParen(tokens, open);
  return { text: sql.slice(tokens[open].end, tokens[close].start).trim(), close };
}

function identList(tokens: Token[], open: number): { names: string[]; close: number } {
  const close = matchingParen(tokens, open);
  const names = splitTopLevel(tokens, open + 1, close)
    .map((part) => part[0])
    .filter((t): t is Token => !!t)
    .map((t) => t.value);
  return { names, close };
}

export interface ParsedForeignKey {
  name?: string;
  columns: string[];
  referencedTable: string;
  referencedColumns: string[];
  onDelete?: string;
  onUpdate?: string;
  deferrable?: "INITIALLY IMMEDIATE" | "INITIALLY DEFERRED";
}

export interface ParsedColumn {
  name: string;
  /** The declared type as written, e.g. `varchar(20)`. */
  type: string;
  primaryKey: boolean;
  autoIncrement: boolean;
  unique?: { name?: string };
  collation?: string;
  generated?: { expression: string; stored: boolean };
  enumValues?: string[];
  checks: Array<{ name?: string; expression: string }>;
  foreignKey?: ParsedForeignKey;
}

export interface ParsedTable {
  columns: ParsedColumn[];
  primaryKey?: string[];
  uniques: Array<{ name?: string; columns: string[] }>;
  checks: Array<{ name?: string; expression: string }>;
  foreignKeys: ParsedForeignKey[];
  withoutRowid: boolean;
  strict: boolean;
}

const COLUMN_CONSTRAINT_WORDS = new Set([
  "CONSTRAINT",
  "PRIMARY",
  "NOT",
  "NULL",
  "UNIQUE",
  "CHECK",
  "DEFAULT",
  "COLLATE",
  "REFERENCES",
  "GENERATED",
  "AS",
]);

const ACTION_WORDS: Readonly<Record<string, string>> = {
  CASCADE: "CASCADE",
  RESTRICT: "RESTRICT",
};

/** Reads `REFERENCES t [(cols)] [ON DELETE|UPDATE action] [MATCH x] [[NOT] DEFERRABLE [INITIALLY ...]]` from `at`. */
function parseReferences(tokens: Token[], at: number, columns: string[], name?: string): { fk: ParsedForeignKey; next: number } {
  let i = at + 1;
  const fk: ParsedForeignKey = { name, columns, referencedTable: tokens[i]?.value ?? "", referencedColumns: [] };
  i += 1;
  if (isPunct(tokens[i], "(")) {
    const list = identList(tokens, i);
    fk.referencedColumns = list.names;
    i = list.close + 1;
  }
  while (i < tokens.length) {
    const t = tokens[i];
    if (isKeyword(t, "ON")) {
      const which = tokens[i + 1]?.value.toUpperCase();
      const a = tokens[i + 2]?.value.toUpperCase() ?? "";
      let action = ACTION_WORDS[a];
      let used = 3;
      if (a === "SET") {
        action = `SET ${tokens[i + 3]?.value.toUpperCase()}`;
        used = 4;
      } else if (a === "NO") {
        action = "NO ACTION";
        used = 4;
      }
      if (which === "DELETE") fk.onDelete = action;
      else if (which === "UPDATE") fk.onUpdate = action;
      i += used;
    } else if (isKeyword(t, "MATCH")) i += 2;
    else if (isKeyword(t, "NOT") && isKeyword(tokens[i + 1], "DEFERRABLE")) {
      i += 2;
      if (isKeyword(tokens[i], "INITIALLY")) i += 2;
    } else if (isKeyword(t, "DEFERRABLE")) {
      fk.deferrable = "INITIALLY IMMEDIATE";
      i += 1;
      if (isKeyword(tokens[i], "INITIALLY")) {
        fk.deferrable = isKeyword(tokens[i + 1], "DEFERRED") ? "INITIALLY DEFERRED" : "INITIALLY IMMEDIATE";
        i += 2;
      }
    } else break;
  }
  return { fk, next: i };
}

/** `"col" IN ('a', 'b')` — how TypeORM writes an enum column on SQLite. */
function enumValuesOf(sql: string, column: string): string[] | undefined {
  const tokens = tokenize(sql);
  if (tokens.length < 4 || tokens[0].kind !== "ident" || tokens[0].value !== column) return undefined;
  if (!isKeyword(tokens[1], "IN") || !isPunct(tokens[2], "(")) return undefined;
  const close = matchingParen(tokens, 2);
  if (close !== tokens.length - 1) return undefined;
  const parts = splitTopLevel(tokens, 3, close);
  if (!parts.every((p) => p.length === 1 && p[0].kind === "string")) return undefined;
  return parts.map((p) => p[0].value);
}

function parseColumn(sql: string, tokens: Token[]): ParsedColumn {
  const column: ParsedColumn = { name: tokens[0].value, type: "", primaryKey: false, autoIncrement: false, checks: [] };
  let i = 1;
  const typeStart = i;
  while (i < tokens.length && !(tokens[i].kind === "ident" && !tokens[i].quoted && COLUMN_CONSTRAINT_WORDS.has(tokens[i].upper ?? tokens[i].value.toUpperCase()))) {
    if (isPunct(tokens[i], "(")) i = matchingParen(tokens, i);
    i += 1;
  }
  if (i > typeStart) column.type = sql.slice(tokens[typeStart].start, tokens[i - 1].end);
  let name: string | undefined;
  while (i < tokens.length) {
    const t = tokens[i];
    if (isKeyword(t, "CONSTRAINT")) {
      name = tokens[i + 1]?.value;
      i += 2;
      continue;
    }
    if (isKeyword(t, "PRIMARY")) {
      column.primaryKey = true;
      i += 2;
    } else if (isKeyword(t, "AUTOINCREMENT")) {
      column.autoIncrement = true;
      i += 1;
    } else if (isKeyword(t, "UNIQUE")) {
      column.unique = { name };
      i += 1;
    } else if (isKeyword(t, "CHECK") && isPunct(tokens[i + 1], "(")) {
      const { text, close } = innerText(sql, tokens, i + 1);
      const values = enumValuesOf(text, column.name);
      if (values && !name) column.enumValues = values;
      else column.checks.push({ name, expression: text });
      i = close + 1;
    } else if (isKeyword(t, "DEFAULT")) {
      i += 1;
      if (tokens[i]?.kind === "op") i += 1;
      if (isPunct(tokens[i], "(")) i = matchingParen(tokens, i);
      i += 1;
    } else if (isKeyword(t, "COLLATE")) {
      column.collation = tokens[i + 1]?.value;
      i += 2;
    } else if (isKeyword(t, "REFERENCES")) {
      const { fk, next } = parseReferences(tokens, i, [column.name], name);
      column.foreignKey = fk;
      i = next;
    } else if (isKeyword(t, "AS") && isPunct(tokens[i + 1], "(")) {
      const { text, close } = innerText(sql, tokens, i + 1);
      const stored = isKeyword(tokens[close + 1], "STORED");
      column.generated = { expression: text, stored };
      i = close + 1;
    } else {
      // NOT NULL, NULL, ASC/DESC, ON CONFLICT <x>, GENERATED ALWAYS, STORED/VIRTUAL: nothing to keep.
      i += 1;
      continue;
    }
    name = undefined;
  }
  return column;
}

function parseTableConstraint(sql: string, tokens: Token[], table: ParsedTable): void {
  let i = 0;
  let name: string | undefined;
  if (isKeyword(tokens[0], "CONSTRAINT")) {
    name = tokens[1]?.value;
    i = 2;
  }
  const head = tokens[i];
  if (isKeyword(head, "PRIMARY")) {
    const open = tokens.findIndex((t, k) => k > i && isPunct(t, "("));
    if (open >= 0) table.primaryKey = identList(tokens, open).names;
  } else if (isKeyword(head, "UNIQUE")) {
    const open = i + 1;
    if (isPunct(tokens[open], "(")) table.uniques.push({ name, columns: identList(tokens, open).names });
  } else if (isKeyword(head, "CHECK")) {
    if (isPunct(tokens[i + 1], "(")) table.checks.push({ name, expression: innerText(sql, tokens, i + 1).text });
  } else if (isKeyword(head, "FOREIGN")) {
    const open = i + 2;
    const { names, close } = identList(tokens, open);
    if (isKeyword(tokens[close + 1], "REFERENCES")) table.foreignKeys.push(parseReferences(tokens, close + 1, names, name).fk);
  }
}

const TABLE_CONSTRAINT_STARTS = ["CONSTRAINT", "PRIMARY", "UNIQUE", "CHECK", "FOREIGN"];

/** Parses a CREATE TABLE statement as SQLite stores it in sqlite_master. */
export function parseCreateTable(sql: string): ParsedTable {
  const tokens = tokenize(sql);
  const table: ParsedTable = { columns: [], uniques: [], checks: [], foreignKeys: [], withoutRowid: false, strict: false };
  const open = tokens.findIndex((t) => isPunct(t, "("));
  if (open < 0) return table;
  const close = matchingParen(tokens, open);
  for (const part of splitTopLevel(tokens, open + 1, close)) {
    if (part.length === 0) continue;
    if (TABLE_CONSTRAINT_STARTS.some((w) => isKeyword(part[0], w))) parseTableConstraint(sql, part, table);
    else table.columns.push(parseColumn(sql, part));
  }
  const options = tokens.slice(close + 1);
  table.withoutRowid = options.some((t, k) => isKeyword(t, "WITHOUT") && isKeyword(options[k + 1], "ROWID"));
  table.strict = options.some((t) => isKeyword(t, "STRICT"));
  return table;
}

/** The predicate of a partial index (`CREATE INDEX ... WHERE <expr>`), or undefined. */
export function indexWhere(sql: string): string | undefined {
  const tokens = tokenize(sql);
  const at = tokens.findIndex((t) => isKeyword(t, "WHERE"));
  if (at < 0) return undefined;
  return sql.slice(tokens[at].end).trim().replace(/;\s*$/, "") || undefined;
}

/**
 * The same CREATE INDEX statement under another name (SQLite has no
 * RENAME INDEX). `quotedName` must already be a quoted identifier.
 */
export function renameIndexSql(sql: string, quotedName: string): string {
  const tokens = tokenize(sql);
  let i = tokens.findIndex((t) => isKeyword(t, "INDEX")) + 1;
  if (isKeyword(tokens[i], "IF")) i += 3;
  const nameToken = tokens[i];
  let end = nameToken.end;
  // schema-qualified: main."idx"
  if (tokens[i + 1]?.text === ".") end = tokens[i + 2].end;
  return sql.slice(0, nameToken.start) + quotedName + sql.slice(end);
}

/** Whether `expression` mentions the identifier `name` (quoted or bare). */
export function mentionsIdentifier(expression: string, name: string): boolean {
  return tokenize(expression).some((t) => t.kind === "ident" && t.value.toLowerCase() === name.toLowerCase());
}
