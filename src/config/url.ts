import { resolve } from "node:path";
import type { DataSourceOptions } from "typeorm";
import { ConfigError } from "../errors";

export const ACCEPTED_URL_FORMS =
  "postgresql://user:pass@host:5432/db, postgres://..., mysql://user:pass@host:3306/db, mariadb://..., sqlite:///relative.db, sqlite:////abs/path.db or sqlite::memory:";

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
  const text = raw.trim();
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
  if (!url.hostname) throw new ConfigError(`DATABASE_URL "${redactUrl(text)}" has no host; use one of: ${ACCEPTED_URL_FORMS}.`);
  if (url.pathname.length <= 1) {
    throw new ConfigError(`DATABASE_URL "${redactUrl(text)}" names no database; use one of: ${ACCEPTED_URL_FORMS}.`);
  }
  if (kind === "postgres") url.protocol = "postgresql:";
  return { type: kind, url: url.toString() } as UrlOptions;
}

/** The URL with its password replaced by `***`. Works on malformed text too. */
export function redactUrl(text: string): string {
  return text.replace(/^([a-z][a-z0-9+.-]*:\/\/[^:/@\s]*:)([^@\s]*)@/i, "$1***@");
}

/** Secrets (passwords) found in options or URLs; output is scrubbed of them. */
const secrets = new Set<string>();

export function rememberSecretsOf(options: Partial<DataSourceOptions> | UrlOptions): void {
  const o = options as { password?: unknown; url?: string };
  if (typeof o.password === "string" && o.password) secrets.add(o.password);
  if (o.url) {
    try {
      const pw = decodeURIComponent(new URL(o.url).password);
      if (pw) {
        secrets.add(pw);
        secrets.add(new URL(o.url).password);
      }
    } catch {
      // Not a URL: nothing to remember.
    }
  }
}

/** Removes every known password from text that is about to be printed. */
export function scrubSecrets(text: string): string {
  let out = redactUrl(text);
  for (const secret of secrets) out = out.split(secret).join("***");
  return out;
}

/** A printable description of where options point, without the password. */
export function describeTarget(options: DataSourceOptions): string {
  const o = options as { type: string; url?: string; host?: string; port?: number; database?: string; username?: string };
  if (o.url) return redactUrl(o.url);
  if (o.type === "better-sqlite3" || o.type === "sqlite") return `sqlite:${o.database}`;
  return `${o.type}://${o.username ? `${o.username}@` : ""}${o.host ?? "localhost"}${o.port ? `:${o.port}` : ""}/${o.database ?? ""}`;
}
