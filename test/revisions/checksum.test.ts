/**
 * The checksums of applied revisions are recorded in users' version history
 * tables, so `normalizeSource` must return, for every input, exactly what the
 * first lexer returned: a different string for the same file would report an
 * untouched applied revision as edited. The first lexer is kept here verbatim
 * as the reference, and the current one is compared with it on the repository's
 * own sources, on prefixes of them (unterminated strings, templates and
 * comments), and on random strings built from the characters the lexer treats
 * specially.
 */
import { readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";
import fc from "fast-check";
import { normalizeSource, revisionChecksum } from "../../src/revisions/checksum";

/**
 * The round-1 lexer, copied verbatim from src/revisions/checksum.ts as first
 * released: its output is what the checksums in users' ledgers were computed
 * from. Do not edit it.
 */
function round1NormalizeSource(source: string): string {
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

const repo = join(__dirname, "..", "..");

function tsFilesUnder(dir: string): string[] {
  return readdirSync(join(repo, dir), { recursive: true, encoding: "utf8" })
    .filter((f) => f.endsWith(".ts"))
    .map((f) => join(dir, f))
    .sort();
}

/**
 * Pieces the lexer treats specially, several of them made of two characters
 * (`${`, `//`, `\r\n`...) so that random strings hit the two-character checks,
 * plus non-ASCII letters, non-ASCII whitespace and lone surrogate halves.
 */
const piece = fc.constantFrom(
  ...["'", '"', "`", "${", "$", "{", "}", "/", "//", "/*", "*/", "*", "\\", "\\'", '\\"', "\\`", "\n", "\r", "\r\n", "\t"],
  ...[" ", "  ", "0", "7", "1.5e3", ".", "..", "a", "Z", "_", "id", "a.b.c", ";", ",", ",)", ", ]", ",\n}", ")", "]", "(", "["],
  ...["é", "😀", "\ud83d", "\ude00", "\u00a0", "\u2028", "\ufeff", "\u3000", "\u180e", "=", "+", "-", "#", "@"],
);
const lexerStrings = fc.array(piece, { maxLength: 60 }).map((pieces) => pieces.join(""));

describe("normalizeSource returns what the round-1 lexer returned", () => {
  const files = [...tsFilesUnder("src"), ...tsFilesUnder("test")];

  it("reads the repository's sources", () => {
    expect(files.length).toBeGreaterThan(300);
    expect(files).toContain(join("test", "revisions", "checksum.test.ts"));
  });

  it("on every .ts file under src/ and test/, with \\n and with \\r\\n line ends", () => {
    for (const file of files) {
      const source = readFileSync(join(repo, file), "utf8");
      expect([file, normalizeSource(source)]).toEqual([file, round1NormalizeSource(source)]);
      const crlf = source.replace(/\n/g, "\r\n");
      expect([file, normalizeSource(crlf)]).toEqual([file, round1NormalizeSource(crlf)]);
    }
  });

  it("on prefixes of those files (cut inside strings, templates, comments and expressions)", () => {
    for (const file of files) {
      const source = readFileSync(join(repo, file), "utf8");
      for (let k = 1; k <= 8; k++) {
        const prefix = source.slice(0, Math.floor((source.length * k) / 9));
        expect([file, k, normalizeSource(prefix)]).toEqual([file, k, round1NormalizeSource(prefix)]);
      }
    }
  });

  it("on long inputs whose output is longer than the input", () => {
    const long = [
      ",".repeat(30000),
      "(".repeat(30000),
      `'${'"'.repeat(30000)}'`,
      `\`\${${"}`${".repeat(20000)}`,
      `\`\${${"}`".repeat(20000)}`,
      "'".repeat(30001),
      "x,".repeat(30000),
    ];
    for (const source of long) expect(normalizeSource(source)).toBe(round1NormalizeSource(source));
  });

  it("on random strings of the lexer's special characters", () => {
    fc.assert(
      fc.property(lexerStrings, (source) => {
        expect(normalizeSource(source)).toBe(round1NormalizeSource(source));
      }),
      { numRuns: 20000 },
    );
  });

  it("on random strings of any characters", () => {
    fc.assert(
      fc.property(fc.string({ unit: "binary", maxLength: 80 }), (source) => {
        expect(normalizeSource(source)).toBe(round1NormalizeSource(source));
      }),
      { numRuns: 5000 },
    );
  });
});

describe("normalizeSource on hand-picked inputs", () => {
  const cases: Array<[string, string]> = [
    ["a.b.c; x = 1.5e3 + 0.5.toFixed(1) + 1e-3;", "a . b . c x = 1.5e3 + 0.5.toFixed ( 1 ) + 1e - 3"],
    ["f(a, b,);\n[1, 2,]\n{ a: 1, }\n", "f ( a , b ) [ 1 , 2 ] { a : 1 }"],
    // The comma before a dropped `;` is kept: only the next token decides.
    ["f(a, ;)", "f ( a , )"],
    ["f(a,,)", "f ( a , )"],
    ["[a,", "[ a ,"],
    [`'it\\'s' "say \\"hi\\"" 'say "hi"' "tab\\tx"`, `"it's" "say \\"hi\\"" "say \\"hi\\"" "tab\\tx"`],
    ["`a${ { b: `c${d}e` } }f` + `g`", "`a${ { b : `c${ d } `e` } } `f` + `g`"],
    ["`a${b,}c`", "`a${ b } `c`"],
    ["`x\\`y\\${z}`", "`x\\`y\\${z}`"],
    ["x // note\r\ny /* c */ z", "x y z"],
    ['const s = "unterminated\nnext', 'const s = "unterminated" next'],
    ["`open ${ a", "`open ${ a"],
    ["`open", "`open"],
    ["/* open", ""],
    ["'\\", '"\\"'],
    ["é = \u00a0 1;\u2028 😀", "é = 1 \ud83d \ude00"],
    ['a = /"x/g.test(s)', 'a = / "x/g.test(s)"'],
    ["", ""],
  ];
  it.each(cases)("%j", (source, expected) => {
    expect(normalizeSource(source)).toBe(expected);
    expect(round1NormalizeSource(source)).toBe(expected);
  });

  it("revisionChecksum is the sha256 of the normalized code, as recorded", () => {
    expect(revisionChecksum(cases.map(([source]) => source).join("\n"))).toBe(
      "73c49dea4c057bcc7a089dd4dc82bd44d9e22a91ffd51efe41c610179db93cd7",
    );
  });
});
