/**
 * The checksum of a revision file, recorded when the revision is applied so
 * that a later edit is noticed.
 *
 * It covers the file's code, not its rendered SQL: the SQL exists only while
 * the body runs against a live database (bodies read data, branch on the
 * dialect, and SQLite renders table rebuilds from the live table), whereas the
 * source is there for every command, offline included. Comments (REVIEW notes,
 * the header) and layout (whitespace, quote style, semicolons, trailing commas:
 * what prettier or an editor changes) are left out, so reformatting or fixing a
 * comment does not count as an edit; any other change to the code does.
 */
import { createHash } from "node:crypto";

const ESCAPE = /\\([\s\S]?)/g;

const OTHER = 0;
const SPACE = 1;
const WORD = 2;

/** Whitespace as `\s` has it; asked only of non-ASCII characters, which are rare in code. */
const SPACE_OR_OTHER = /\s/;

/** `\s`, and the characters of `[A-Za-z0-9_$]`, below 128. */
const ASCII_KIND = new Uint8Array(128);
for (const c of "\t\n\v\f\r ") ASCII_KIND[c.charCodeAt(0)] = SPACE;
for (const c of "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_$") ASCII_KIND[c.charCodeAt(0)] = WORD;

const NEWLINE = 0x0a;
const DOUBLE_QUOTE = 0x22;
const DOLLAR = 0x24;
const SINGLE_QUOTE = 0x27;
const CLOSE_PAREN = 0x29;
const STAR = 0x2a;
const COMMA = 0x2c;
const DOT = 0x2e;
const SLASH = 0x2f;
const ZERO = 0x30;
const NINE = 0x39;
const SEMICOLON = 0x3b;
const CLOSE_BRACKET = 0x5d;
const BACKSLASH = 0x5c;
const BACKTICK = 0x60;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;

/** sha256 (hex) of the normalized code of a revision file. */
export function revisionChecksum(source: string): string {
  return createHash("sha256").update(normalizeSource(source)).digest("hex");
}

/**
 * The file's tokens without comments and layout, joined by single spaces.
 * A small lexer rather than TypeScript's scanner: loading `typescript` costs
 * half a second, and `current` must stay fast. Regex literals are not
 * recognized; they are still hashed deterministically.
 *
 * The output is what the checksums in users' version tables were computed
 * from, so it must not change for any input, odd ones included (unterminated
 * strings, `\'` inside strings, lone surrogates): test/revisions/checksum.test.ts
 * compares it with the first version of this lexer, kept there verbatim.
 */
export function normalizeSource(source: string): string {
  const n = source.length;
  const out: string[] = [];
  // A `,` waits for the next token: it is dropped before `)`, `]` or `}` (a
  // trailing comma). Any other token, a dropped `;` included, keeps it.
  let pendingComma = false;
  const push = (token: string): void => {
    if (pendingComma) {
      out.push(",");
      pendingComma = false;
    }
    out.push(token);
  };
  // Open template literals and `${` nesting: a `}` at depth 0 of a template
  // expression resumes the template text.
  const braces: number[] = [];
  let i = 0;
  const readTemplate = (): void => {
    const start = i;
    while (i < n) {
      const c = source.charCodeAt(i);
      if (c === BACKSLASH) {
        // May step past the end, as the first lexer did; slices stop at `n`.
        i += 2;
      } else if (c === BACKTICK) {
        push(`\`${source.slice(start, i)}\``);
        i++;
        return;
      } else if (c === DOLLAR && source.charCodeAt(i + 1) === OPEN_BRACE) {
        push(`\`${source.slice(start, i)}\${`);
        i += 2;
        braces.push(0);
        return;
      } else {
        i++;
      }
    }
    push(`\`${source.slice(start, n)}`);
  };
  while (i < n) {
    const c = source.charCodeAt(i);
    const kind = c < 128 ? ASCII_KIND[c] : SPACE_OR_OTHER.test(source[i]) ? SPACE : OTHER;
    if (kind === SPACE) {
      i++;
    } else if (kind === WORD) {
      // A word starting with a digit is a number and takes dots (`1.5e3`, but
      // also `1.5.toFixed`); any other word stops at one (`a.b` is three tokens).
      const number = c >= ZERO && c <= NINE;
      const start = i++;
      while (i < n) {
        const d = source.charCodeAt(i);
        if (d < 128 && (ASCII_KIND[d] === WORD || (number && d === DOT))) i++;
        else break;
      }
      push(source.slice(start, i));
    } else if (c === SLASH && source.charCodeAt(i + 1) === SLASH) {
      const end = source.indexOf("\n", i + 2);
      i = end < 0 ? n : end;
    } else if (c === SLASH && source.charCodeAt(i + 1) === STAR) {
      const end = source.indexOf("*/", i + 2);
      i = end < 0 ? n : end + 2;
    } else if (c === DOUBLE_QUOTE || c === SINGLE_QUOTE) {
      const start = ++i;
      let plain = true;
      while (i < n) {
        const d = source.charCodeAt(i);
        if (d === c || d === NEWLINE) break;
        if (d === BACKSLASH) {
          plain = false;
          i += 2;
        } else {
          if (d === DOUBLE_QUOTE) plain = false;
          i++;
        }
      }
      // The closing quote or newline is consumed (an unterminated string ends
      // at its line end); past the end is harmless.
      const raw = source.slice(start, i++);
      push(`"${plain ? raw : requote(raw)}"`);
    } else if (c === BACKTICK) {
      i++;
      readTemplate();
    } else {
      i++;
      if (c === SEMICOLON) {
        // Dropped, but it is still the token after a pending comma.
        if (pendingComma) {
          out.push(",");
          pendingComma = false;
        }
      } else if (c === COMMA) {
        if (pendingComma) out.push(",");
        pendingComma = true;
      } else {
        if (c === CLOSE_PAREN || c === CLOSE_BRACKET || c === CLOSE_BRACE) pendingComma = false;
        if (braces.length > 0 && c === OPEN_BRACE) braces[braces.length - 1]++;
        if (braces.length > 0 && c === CLOSE_BRACE) {
          if (braces[braces.length - 1] === 0) {
            braces.pop();
            push("}");
            readTemplate();
            continue;
          }
          braces[braces.length - 1]--;
        }
        // One UTF-16 unit, as the first lexer did: a character outside the
        // BMP becomes two tokens.
        push(source[i - 1]);
      }
    }
  }
  if (pendingComma) out.push(",");
  return out.join(" ");
}

/**
 * A quoted string's text as the first lexer wrote it between double quotes:
 * `\'` and `\"` lose their backslash (they only dodge the surrounding quote),
 * every other escape stays as written, then every `"` is escaped. Escapes pair
 * from the left, so `\\'` is an escaped backslash followed by a quote.
 */
function requote(raw: string): string {
  return raw.replace(ESCAPE, (escape, next: string) => (next === '"' || next === "'" ? next : escape)).replace(/"/g, '\\"');
}
