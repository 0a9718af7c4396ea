/** PostgreSQL identifier and literal quoting. */
import { splitQualified } from "../../schema/qualified";

/** Always quotes, so reserved words, mixed case and spaces survive; embedded quotes are doubled. */
export function quoteIdentifier(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/** A table or type name as the model writes it: `billing.invoice` -> `"billing"."invoice"`, `users` -> `"users"`. */
export function quoteQualified(name: string): string {
  const { namespace, name: bare } = splitQualified(name);
  return namespace === undefined ? quoteIdentifier(bare) : `${quoteIdentifier(namespace)}.${quoteIdentifier(bare)}`;
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

/** NAMEDATALEN - 1: the bytes of a name PostgreSQL keeps. */
export const MAX_IDENTIFIER_BYTES = 63;

/**
 * `name` as PostgreSQL stores it: longer names are cut to 63 bytes without
 * splitting a multibyte character (pg_mbcliplen), as the server does with a
 * NOTICE when it runs the DDL. Assumes a UTF-8 database.
 */
export function storedName(name: string): string {
  if (Buffer.byteLength(name, "utf8") <= MAX_IDENTIFIER_BYTES) return name;
  let out = "";
  let bytes = 0;
  for (const ch of name) {
    bytes += Buffer.byteLength(ch, "utf8");
    if (bytes > MAX_IDENTIFIER_BYTES) break;
    out += ch;
  }
  return out;
}
