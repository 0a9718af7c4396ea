import { UnrenderableValueError } from "./errors";

const IDENTIFIER = /^[A-Za-z_$][A-Za-z0-9_$]*$/;
// Line breaks a template literal would silently normalize (CR) or that are hard to read raw.
const TEMPLATE_UNSAFE = /[\\`\r\u0000-\u0008\u000b\u000c\u000e-\u001f\u2028\u2029]|\$\{/g;

/**
 * Writes plain data as TypeScript source: double-quoted strings (template
 * literals for multi-line text, so SQL stays readable), unquoted keys where
 * they are identifiers, keys with `undefined` values left out. Key order is
 * the object's own order, so the output is deterministic.
 */
export function renderLiteral(value: unknown, path = ""): string {
  switch (typeof value) {
    case "string":
      return renderString(value);
    case "number":
      return renderNumber(value);
    case "boolean":
      return String(value);
    case "bigint":
      return `${value}n`;
    case "undefined":
      return "undefined";
    case "object":
      return renderObjectLike(value, path);
    default:
      throw new UnrenderableValueError(value, path);
  }
}

export function renderString(value: string): string {
  if (!value.includes("\n")) return JSON.stringify(value);
  return "`" + value.replace(TEMPLATE_UNSAFE, escapeTemplateChar) + "`";
}

function escapeTemplateChar(match: string): string {
  if (match === "${") return "\\${";
  if (match === "\\" || match === "`") return "\\" + match;
  return JSON.stringify(match).slice(1, -1);
}

function renderNumber(value: number): string {
  if (Object.is(value, -0)) return "-0";
  return String(value);
}

function renderObjectLike(value: object | null, path: string): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return `[${value.map((item, i) => renderLiteral(item, `${path}[${i}]`)).join(", ")}]`;
  if (value instanceof Date) return `new Date(${JSON.stringify(value.toISOString())})`;
  if (Buffer.isBuffer(value)) return `Buffer.from(${JSON.stringify(value.toString("base64"))}, "base64")`;
  const proto = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null) throw new UnrenderableValueError(value, path);
  return renderPlainObject(value as Record<string, unknown>, path);
}

function renderPlainObject(value: Record<string, unknown>, path: string): string {
  const entries = Object.entries(value).filter(([, v]) => v !== undefined);
  if (entries.length === 0) return "{}";
  const parts = entries.map(([key, v]) => `${renderKey(key)}: ${renderLiteral(v, path ? `${path}.${key}` : key)}`);
  return `{ ${parts.join(", ")} }`;
}

function renderKey(key: string): string {
  // A literal `__proto__` key sets the prototype instead of creating a property.
  if (key === "__proto__") return `["__proto__"]`;
  return IDENTIFIER.test(key) ? key : JSON.stringify(key);
}
