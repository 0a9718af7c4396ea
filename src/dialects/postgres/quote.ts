/** PostgreSQL identifier and literal quoting. */

/** Always quotes, so reserved words, mixed case and spaces survive; embedded quotes are doubled. */
export function quoteIdentifier(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/** `'it''s'`. With standard_conforming_strings on (the default since 9.1) backslashes need no escape. */
export function quoteString(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}

/** An SQL literal for a JS value. Objects become JSON text without a cast, so they fit json, jsonb and text columns. */
export function quoteLiteral(value: unknown): string {
  if (value === null || value === undefined) return "NULL";
  if (typeof value === "string") return quoteString(value);
  if (typeof value === "bigint") return value.toString();
  if (typeof value === "number") return Number.isFinite(value) ? String(value) : quoteString(String(value));
  if (typeof value === "boolean") return value ? "TRUE" : "FALSE";
  if (value instanceof Date) return quoteString(value.toISOString());
  if (Buffer.isBuffer(value)) return quoteString(`\\x${value.toString("hex")}`);
  return quoteString(JSON.stringify(value));
}
