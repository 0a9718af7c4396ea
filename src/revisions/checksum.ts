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

/** sha256 (hex) of the normalized code of a revision file. */
export function revisionChecksum(source: string): string {
  return createHash("sha256").update(normalizeSource(source)).digest("hex");
}

/**
 * The file's tokens without comments and layout, joined by single spaces.
 * A small lexer rather than TypeScript's scanner: loading `typescript` costs
 * half a second, and `current` must stay fast. Regex literals are not
 * recognized; they are still hashed deterministically.
 */
export function normalizeSource(source: string): string {
  const tokens: string[] = [];
  let i = 0;
  // Open template literals and `${` nesting: a `}` at depth 0 of a template
  // expression resumes the template text.
  const braces: number[] = [];
  const readTemplate = (): void => {
    let text = "";
    while (i < source.length) {
      const c = source[i];
      if (c === "\\") {
        text += source.slice(i, i + 2);
        i += 2;
      } else if (c === "`") {
        i++;
        tokens.push(`\`${text}\``);
        return;
      } else if (c === "$" && source[i + 1] === "{") {
        i += 2;
        tokens.push(`\`${text}\${`);
        braces.push(0);
        return;
      } else {
        text += c;
        i++;
      }
    }
    tokens.push(`\`${text}`);
  };
  while (i < source.length) {
    const c = source[i];
    if (/\s/.test(c)) {
      i++;
    } else if (c === "/" && source[i + 1] === "/") {
      while (i < source.length && source[i] !== "\n") i++;
    } else if (c === "/" && source[i + 1] === "*") {
      const end = source.indexOf("*/", i + 2);
      i = end < 0 ? source.length : end + 2;
    } else if (c === '"' || c === "'") {
      let value = "";
      i++;
      while (i < source.length && source[i] !== c && source[i] !== "\n") {
        if (source[i] === "\\") {
          const next = source[i + 1] ?? "";
          // `\'` and `\"` only exist to dodge the surrounding quote.
          value += next === '"' || next === "'" ? next : `\\${next}`;
          i += 2;
        } else {
          value += source[i++];
        }
      }
      i++;
      tokens.push(`"${value.replace(/"/g, '\\"')}"`);
    } else if (c === "`") {
      i++;
      readTemplate();
    } else if (/[A-Za-z0-9_$]/.test(c)) {
      const start = i;
      while (i < source.length && /[A-Za-z0-9_$.]/.test(source[i])) {
        if (source[i] === "." && !/[0-9]/.test(source[start])) break;
        i++;
      }
      tokens.push(source.slice(start, i));
    } else {
      i++;
      if (braces.length > 0 && c === "{") braces[braces.length - 1]++;
      if (braces.length > 0 && c === "}") {
        if (braces[braces.length - 1] === 0) {
          braces.pop();
          tokens.push("}");
          readTemplate();
          continue;
        }
        braces[braces.length - 1]--;
      }
      tokens.push(c);
    }
  }
  return tokens
    .filter((t, k) => t !== ";" && !(t === "," && [")", "]", "}"].includes(tokens[k + 1] ?? "")))
    .join(" ");
}
