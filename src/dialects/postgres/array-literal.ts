/**
 * PostgreSQL array literals (`'{a,"b c"}'`) in the one spelling the server
 * prints them with (array_out), so a default TypeORM writes as `'{a,b c}'`
 * equals the `'{a,"b c"}'::text[]` the catalog gives back.
 */

/** One element: its text, or null for an unquoted NULL. */
type Element = string | null;

/**
 * Parses the body of a one-dimensional array literal (between the braces)
 * with array_in's rules: elements split on commas, double quotes and
 * backslashes escape, whitespace around an unquoted element is dropped.
 * Undefined for anything else (nested arrays, stray quotes).
 */
function parseElements(body: string): Element[] | undefined {
  if (body.trim() === "") return [];
  const elements: Element[] = [];
  let i = 0;
  while (i <= body.length) {
    let text = "";
    let quoted = false;
    let sawQuotes = false;
    let trailing = "";
    while (i < body.length && /\s/.test(body[i]!) && !quoted) i++;
    for (; i < body.length; i++) {
      const ch = body[i]!;
      if (ch === "\\") {
        text += trailing + (body[++i] ?? "");
        trailing = "";
        continue;
      }
      if (ch === '"') {
        if (!quoted && sawQuotes) return undefined;
        quoted = !quoted;
        sawQuotes = true;
        continue;
      }
      if (quoted) {
        text += ch;
        continue;
      }
      if (ch === ",") break;
      if (ch === "{" || ch === "}") return undefined;
      // Whitespace is kept only when something follows it inside the element.
      if (/\s/.test(ch)) trailing += ch;
      else {
        text += trailing + ch;
        trailing = "";
      }
    }
    if (quoted) return undefined;
    elements.push(!sawQuotes && text.toUpperCase() === "NULL" ? null : text);
    if (i >= body.length) break;
    i++;
  }
  return elements;
}

/** How array_out prints one element. */
function formatElement(element: Element): string {
  if (element === null) return "NULL";
  const needsQuotes = element === "" || element.toUpperCase() === "NULL" || /[{}",\\\s]/.test(element);
  return needsQuotes ? `"${element.replace(/(["\\])/g, "\\$1")}"` : element;
}

/**
 * `'{...}'` in array_out's spelling; any other expression (a function call,
 * `ARRAY[...]`, a multi-dimensional literal) is returned unchanged.
 */
export function canonicalArrayLiteral(expression: string): string {
  const literal = /^'\{((?:[^']|'')*)\}'$/s.exec(expression);
  if (!literal) return expression;
  const elements = parseElements(literal[1]!.replace(/''/g, "'"));
  if (!elements) return expression;
  return `'{${elements.map(formatElement).join(",").replace(/'/g, "''")}}'`;
}
