import { resolve } from "node:path";
import type { DataSourceOptions } from "typeorm";
import { ConfigError } from "../errors";

export const ACCEPTED_URL_FORMS =
  "postgresql://user:pass@host:5432/db, postgres://..., mysql://user:pass@host:3306/db, mariadb://..., sqlite:///relative.db, sqlite:////abs/path.db or sqlite::memory:";

/**
 * SQLAlchemy's `dialect+driver://` (`postgresql+asyncpg://`,
 * `mysql+pymysql://`, `sqlite+aiosqlite:///`): the driver part names a Python
 * package and means nothing here, so it is dropped and the URL read as its
 * dialect's.
 */
export function withoutDriverSuffix(text: string): string {
  return text.replace(/^([a-z][a-z0-9.-]*)\+[a-z0-9_.-]*:/i, "$1:");
}

/** Connection options parsed from a DATABASE_URL (only the connection part of DataSourceOptions). */
export type UrlOptions =
  | { type: "postgres"; url: string }
  | { type: "mysql" | "mariadb"; url: string }
  | { type: "better-sqlite3"; database: string };

/**
 * Parses DATABASE_URL. SQLite follows SQLAlchemy: three slashes for a path
 * relative to `baseDir`, four for an absolute one.
 */
export function parseDatabaseUrl(raw: string, baseDir: string): UrlOptions {
  // Remembered before parsing, so that no message about a malformed URL can print its password.
  rememberSecretsOf({ url: raw });
  const text = withoutDriverSuffix(raw.trim());
  if (text === "sqlite::memory:" || text === "sqlite://:memory:") return { type: "better-sqlite3", database: ":memory:" };
  if (text.startsWith("sqlite:")) {
    const match = /^sqlite:\/\/\/(.+)$/.exec(text);
    if (!match) throw new ConfigError(`DATABASE_URL "${text}" is not a valid SQLite URL; use one of: ${ACCEPTED_URL_FORMS}.`);
    const path = match[1];
    return { type: "better-sqlite3", database: path.startsWith("/") ? path : resolve(baseDir, path) };
  }
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new ConfigError(`DATABASE_URL "${redactUrl(text)}" is malformed; use one of: ${ACCEPTED_URL_FORMS}.`);
  }
  const scheme = url.protocol.replace(/:$/, "");
  const kind =
    scheme === "postgres" || scheme === "postgresql"
      ? "postgres"
      : scheme === "mysql" || scheme === "mariadb"
        ? scheme
        : undefined;
  if (!kind) {
    throw new ConfigError(`DATABASE_URL scheme "${scheme}:" is not supported; use one of: ${ACCEPTED_URL_FORMS}.`);
  }
  if (atAfterAuthority(text)) {
    // A parser would take part of the password for the host or the database, and drivers print those.
    throw new ConfigError(
      `DATABASE_URL "${redactUrl(text)}" has an '@' after its host; percent-encode '@', '/', '?' and '#' in the password (%40, %2F, %3F, %23).`,
    );
  }
  if (!url.hostname) throw new ConfigError(`DATABASE_URL "${redactUrl(text)}" has no host; use one of: ${ACCEPTED_URL_FORMS}.`);
  if (url.pathname.length <= 1) {
    throw new ConfigError(`DATABASE_URL "${redactUrl(text)}" names no database; use one of: ${ACCEPTED_URL_FORMS}.`);
  }
  if (kind === "postgres") url.protocol = "postgresql:";
  return { type: kind, url: url.toString() } as UrlOptions;
}

const SCHEME = /[a-z][a-z0-9+.-]*:\/\//i;

/**
 * The userinfo of a URL given without its `scheme://`: everything up to the
 * LAST `@` (a password may hold unencoded `@`, `/`, `#`, `?` or `:`, and
 * parsers disagree on where such a URL's host starts), split into the user
 * (up to the first `:` or `@`, `%40` included: `user@secret@host` parses as
 * the user name `user%40secret`) and the secret part after it. Undefined when
 * there is no `@`.
 */
function userinfoOf(rest: string): { user: string; secret: string; end: number } | undefined {
  const end = rest.lastIndexOf("@");
  if (end < 0) return undefined;
  const userinfo = rest.slice(0, end);
  const split = /[:@]|%40/i.exec(userinfo);
  if (!split) return { user: userinfo, secret: "", end };
  return { user: userinfo.slice(0, split.index), secret: userinfo.slice(split.index + split[0].length), end };
}

/** Whether the last `@` comes after the first `/`, `?` or `#` of the authority, where URL parsers end the userinfo. */
function atAfterAuthority(text: string): boolean {
  const rest = text.replace(/^[a-z][a-z0-9+.-]*:\/\//i, "");
  const authorityEnd = rest.search(/[/?#]/);
  return authorityEnd >= 0 && rest.lastIndexOf("@") > authorityEnd;
}

/** `scheme://user:***@rest` for a userinfo with anything beyond the user name. */
function redactAfterScheme(scheme: string, rest: string): string {
  const info = userinfoOf(rest);
  if (!info || (info.secret === "" && !rest.slice(0, info.end).includes(":"))) return scheme + rest;
  return `${scheme}${info.user}:***${rest.slice(info.end)}`;
}

/**
 * One URL (possibly malformed) with everything of its userinfo but the user
 * name replaced by `***`: `postgresql://app:p@ss@host/db` gives
 * `postgresql://app:***@host/db`, never a piece of the password.
 */
export function redactUrl(text: string): string {
  const match = /^([a-z][a-z0-9+.-]*:\/\/)([\s\S]*)$/i.exec(text);
  return match ? redactAfterScheme(match[1], match[2]) : text;
}

/** Secrets (passwords) found in options or URLs; output is scrubbed of them. */
const secrets = new Set<string>();

/** The forms a password takes in text: as written, percent-decoded, and percent-encoded the way URL parsers write it back. */
function spellingsOf(secret: string): string[] {
  const forms = [secret];
  try {
    forms.push(decodeURIComponent(secret));
  } catch {
    // Not valid percent-encoding: only the text as written can appear.
  }
  for (const form of [...forms]) {
    try {
      const url = new URL("postgresql://host");
      url.password = form;
      forms.push(url.password, encodeURIComponent(form));
    } catch {
      // Some text cannot be a password at all; its written forms are enough.
    }
  }
  return forms.filter((form) => form.length > 0);
}

function rememberSecret(secret: string): void {
  for (const form of spellingsOf(secret)) secrets.add(form);
}

/**
 * Remembers the passwords of connection options or a URL, parsed or not: a
 * malformed URL's secret part is remembered as the userinfo rule reads it,
 * so that no message can print it, whatever a parser later makes of it.
 */
export function rememberSecretsOf(options: Partial<DataSourceOptions> | UrlOptions | { url: string }): void {
  const o = options as { password?: unknown; url?: string };
  if (typeof o.password === "string" && o.password) rememberSecret(o.password);
  if (typeof o.url !== "string" || /^sqlite[+:]/i.test(o.url.trim())) return;
  const written = o.url.trim();
  const forms = [written];
  try {
    const parsed = new URL(written);
    if (parsed.password) rememberSecret(parsed.password);
    forms.push(parsed.href);
  } catch {
    // Not a URL: the userinfo rule below remembers what it can.
  }
  for (const form of forms) {
    const match = /^[a-z][a-z0-9+.-]*:\/\/([\s\S]*)$/i.exec(form);
    const info = match ? userinfoOf(match[1]) : undefined;
    if (info?.secret) rememberSecret(info.secret);
  }
}

/**
 * Removes every known password from text that is about to be printed, and
 * the userinfo of any URL in it (up to the last `@` before the next
 * whitespace or quote).
 */
export function scrubSecrets(text: string): string {
  let out = text;
  // Longest first, so that a password containing a shorter remembered one leaves no piece behind.
  for (const secret of [...secrets].sort((a, b) => b.length - a.length)) out = out.split(secret).join("***");
  return out.replace(new RegExp(`${SCHEME.source}[^\\s"'\`<>]*`, "gi"), (url) => redactUrl(url));
}

/** A printable description of where options point, without the password. */
export function describeTarget(options: DataSourceOptions): string {
  const o = options as { type: string; url?: string; host?: string; port?: number; database?: string; username?: string };
  if (o.url) return redactUrl(o.url);
  if (o.type === "better-sqlite3" || o.type === "sqlite") return `sqlite:${o.database}`;
  return `${o.type}://${o.username ? `${o.username}@` : ""}${o.host ?? "localhost"}${o.port ? `:${o.port}` : ""}/${o.database ?? ""}`;
}

/** Forgets every remembered password (tests run many URLs in one process). */
export function forgetSecrets(): void {
  secrets.clear();
}
