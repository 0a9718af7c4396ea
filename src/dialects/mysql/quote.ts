/**
 * Identifier and literal quoting for MySQL/MariaDB. Literals assume the
 * default sql_mode (backslash is an escape character inside strings), which is
 * also how MariaDB reports string defaults in information_schema.
 */

/** `name` as a backtick-quoted identifier; embedded backticks are doubled. */
export function quoteIdentifier(name: string): string {
  return "`" + name.replace(/`/g, "``") + "`";
}

/** A string literal: backslashes and single quotes escaped the way MariaDB itself prints them. */
export function quoteString(value: string): string {
  return "'" + value.replace(/\\/g, "\\\\").replace(/'/g, "''") + "'";
}

/**
 * A standard SQL string literal (quotes doubled, backslash an ordinary
 * character): the portable spelling of a string default in the schema model
 * and in revision files, which PostgreSQL and SQLite take as it is and the
 * MySQL renderer rewrites with `quoteString`.
 */
export function standardString(value: string): string {
  return "'" + value.replace(/'/g, "''") + "'";
}

/** The value of a standard SQL string literal (`'it''s C:\x'` -> `it's C:\x`), or undefined when `sql` is not one. */
export function decodeStandardString(sql: string): string | undefined {
  const m = /^'((?:[^']|'')*)'$/s.exec(sql.trim());
  return m ? m[1].replace(/''/g, "'") : undefined;
}

const pad = (n: number, width = 2): string => String(n).padStart(width, "0");

/** Dates are written in UTC so that offline SQL does not depend on the machine's time zone. */
function dateLiteral(date: Date): string {
  if (Number.isNaN(date.getTime()))
    throw new TypeError("Cannot write an invalid Date as an SQL literal");
  const day = `${date.getUTCFullYear()}-${pad(date.getUTCMonth() + 1)}-${pad(date.getUTCDate())}`;
  const time = `${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())}:${pad(date.getUTCSeconds())}.${pad(date.getUTCMilliseconds(), 3)}`;
  return `'${day} ${time}'`;
}

/** An SQL literal for a JS value. */
export function quoteLiteral(value: unknown): string {
  if (value === null || value === undefined) return "NULL";
  if (typeof value === "string") return quoteString(value);
  if (typeof value === "number") {
    if (!Number.isFinite(value))
      throw new TypeError(`Cannot write ${value} as an SQL literal on MySQL`);
    return String(value);
  }
  if (typeof value === "bigint") return value.toString();
  if (typeof value === "boolean") return value ? "1" : "0";
  if (value instanceof Date) return dateLiteral(value);
  if (value instanceof Uint8Array)
    return `X'${Buffer.from(value).toString("hex")}'`;
  return quoteString(JSON.stringify(value));
}
