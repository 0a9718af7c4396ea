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
import { endianness } from "node:os";

const OTHER = 0;
const SPACE = 1;
const WORD = 2;

/** Asked only of non-ASCII characters, which are rare in code. */
const WHITESPACE = /\s/;

/** The characters of `\s` and of `[A-Za-z0-9_$]` below 128. */
const ASCII_KIND = new Uint8Array(128);
for (const c of "\t\n\v\f\r ") ASCII_KIND[c.charCodeAt(0)] = SPACE;
for (const c of "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_$") ASCII_KIND[c.charCodeAt(0)] = WORD;

const BIG_ENDIAN = endianness() === "BE";

const NEWLINE = 0x0a;
const SPACE_UNIT = 0x20;
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
  return new Normalizer(source).run();
}

/**
 * The output is written unit by unit into one array and decoded once: a string
 * per token cost more than the scan itself (a 1.8 MB revision has 370,000
 * tokens to allocate, collect and join). A class rather than closures: a
 * command checks every revision file, and with closures made anew for each
 * file V8 dropped the code it had optimized for the previous one (the second
 * file of a run was no faster than the first).
 */
class Normalizer {
  private out: Uint16Array;
  private length = 0;
  /**
   * A `,` waits for the next token: it is dropped before `)`, `]` or `}` (a
   * trailing comma). Any other token, a dropped `;` included, keeps it.
   */
  private pendingComma = false;
  /**
   * Open template literals and `${` nesting: a `}` at depth 0 of a template
   * expression resumes the template text.
   */
  private readonly braces: number[] = [];

  constructor(private readonly source: string) {
    // Enough for most files: layout and comments take more room than the spaces
    // between tokens; `reserve` grows it for the rest.
    this.out = new Uint16Array(source.length + 16);
  }

  run(): string {
    const source = this.source;
    const n = source.length;
    let i = 0;
    while (i < n) {
      const c = source.charCodeAt(i);
      const kind = c < 128 ? ASCII_KIND[c] : WHITESPACE.test(source[i]) ? SPACE : OTHER;
      if (kind === SPACE) {
        i++;
      } else if (kind === WORD) {
        i = this.word(i);
      } else if (c === SLASH && source.charCodeAt(i + 1) === SLASH) {
        const end = source.indexOf("\n", i + 2);
        i = end < 0 ? n : end;
      } else if (c === SLASH && source.charCodeAt(i + 1) === STAR) {
        const end = source.indexOf("*/", i + 2);
        i = end < 0 ? n : end + 2;
      } else if (c === DOUBLE_QUOTE || c === SINGLE_QUOTE) {
        i = this.quoted(i);
      } else if (c === BACKTICK) {
        i = this.template(i + 1);
      } else {
        i = this.punctuation(i);
      }
    }
    this.flushComma();
    const bytes = Buffer.from(this.out.buffer, 0, 2 * this.length);
    // utf16le keeps lone surrogates (a split emoji is two tokens) as they are.
    if (BIG_ENDIAN) bytes.swap16();
    return bytes.toString("utf16le");
  }

  /** Returns where the word starting at `start` ends. */
  private word(start: number): number {
    const source = this.source;
    // A word starting with a digit is a number and takes dots (`1.5e3`, but
    // also `1.5.toFixed`); any other word stops at one (`a.b` is three tokens).
    const c = source.charCodeAt(start);
    const number = c >= ZERO && c <= NINE;
    let i = start + 1;
    while (i < source.length) {
      const d = source.charCodeAt(i);
      if (d < 128 && (ASCII_KIND[d] === WORD || (number && d === DOT))) i++;
      else break;
    }
    this.startToken(i - start);
    this.copy(start, i);
    return i;
  }

  /** Returns where the string whose opening quote is at `open` ends. */
  private quoted(open: number): number {
    const source = this.source;
    const quote = source.charCodeAt(open);
    const start = open + 1;
    let i = start;
    let plain = true;
    while (i < source.length) {
      const d = source.charCodeAt(i);
      if (d === quote || d === NEWLINE) break;
      if (d === BACKSLASH) {
        plain = false;
        i += 2;
      } else {
        if (d === DOUBLE_QUOTE) plain = false;
        i++;
      }
    }
    // A final `\` may have stepped `i` past the end.
    const end = Math.min(i, source.length);
    if (plain) {
      this.startToken(end - start + 2);
      this.out[this.length++] = DOUBLE_QUOTE;
      this.copy(start, end);
    } else {
      const text = requote(source.slice(start, end));
      this.startToken(text.length + 2);
      this.out[this.length++] = DOUBLE_QUOTE;
      for (let k = 0; k < text.length; k++) this.out[this.length++] = text.charCodeAt(k);
    }
    this.out[this.length++] = DOUBLE_QUOTE;
    // The closing quote, or the newline ending an unterminated string, is consumed.
    return i + 1;
  }

  /** Returns where the template text starting at `start` (after `` ` `` or a closing `}`) ends. */
  private template(start: number): number {
    const source = this.source;
    let i = start;
    while (i < source.length) {
      const c = source.charCodeAt(i);
      if (c === BACKSLASH) {
        i += 2;
      } else if (c === BACKTICK || (c === DOLLAR && source.charCodeAt(i + 1) === OPEN_BRACE)) {
        this.startToken(i - start + 3);
        this.out[this.length++] = BACKTICK;
        this.copy(start, i);
        if (c === BACKTICK) {
          this.out[this.length++] = BACKTICK;
          return i + 1;
        }
        this.out[this.length++] = DOLLAR;
        this.out[this.length++] = OPEN_BRACE;
        this.braces.push(0);
        return i + 2;
      } else {
        i++;
      }
    }
    // Unterminated; a final `\` may have stepped `i` past the end.
    this.startToken(source.length - start + 1);
    this.out[this.length++] = BACKTICK;
    this.copy(start, source.length);
    return i;
  }

  /** Returns where the single-unit token at `i` ends. */
  private punctuation(i: number): number {
    const c = this.source.charCodeAt(i);
    if (c === SEMICOLON) {
      // Dropped, but it is still the token after a pending comma.
      this.flushComma();
      return i + 1;
    }
    if (c === COMMA) {
      this.flushComma();
      this.pendingComma = true;
      return i + 1;
    }
    if (c === CLOSE_PAREN || c === CLOSE_BRACKET || c === CLOSE_BRACE) this.pendingComma = false;
    // One UTF-16 unit, as the first lexer did: a character outside the BMP
    // becomes two tokens.
    this.startToken(1);
    this.out[this.length++] = c;
    const braces = this.braces;
    if (braces.length > 0 && c === OPEN_BRACE) braces[braces.length - 1]++;
    if (braces.length > 0 && c === CLOSE_BRACE) {
      if (braces[braces.length - 1] === 0) {
        braces.pop();
        return this.template(i + 1);
      }
      braces[braces.length - 1]--;
    }
    return i + 1;
  }

  /** Starts a token of `units` units: a held-back comma, the separator, and room for the token. */
  private startToken(units: number): void {
    this.flushComma();
    this.reserve(units + 1);
    if (this.length > 0) this.out[this.length++] = SPACE_UNIT;
  }

  private flushComma(): void {
    if (this.pendingComma) {
      this.reserve(2);
      if (this.length > 0) this.out[this.length++] = SPACE_UNIT;
      this.out[this.length++] = COMMA;
      this.pendingComma = false;
    }
  }

  private reserve(units: number): void {
    if (this.length + units > this.out.length) {
      const bigger = new Uint16Array(2 * (this.length + units));
      bigger.set(this.out.subarray(0, this.length));
      this.out = bigger;
    }
  }

  private copy(from: number, to: number): void {
    const source = this.source;
    const out = this.out;
    let length = this.length;
    for (let k = from; k < to; k++) out[length++] = source.charCodeAt(k);
    this.length = length;
  }
}

const ESCAPE = /\\([\s\S]?)/g;

/**
 * A quoted string's text as the first lexer wrote it between double quotes:
 * `\'` and `\"` lose their backslash (they only dodge the surrounding quote),
 * every other escape stays as written, then every `"` is escaped. Escapes pair
 * from the left, so `\\'` is an escaped backslash followed by a quote.
 */
function requote(raw: string): string {
  return raw.replace(ESCAPE, (escape, next: string) => (next === '"' || next === "'" ? next : escape)).replace(/"/g, '\\"');
}
