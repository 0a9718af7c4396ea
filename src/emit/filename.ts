import { InvalidRevisionFileNameError } from "./errors";

/** Alembic's default layout: `<rev>_<slug>.ts`. */
export const DEFAULT_FILE_TEMPLATE = "{rev}_{slug}";

const SLUG_MAX = 40;

/** The message as a file-name fragment: lower case ASCII, `_` between words, at most 40 characters, cut at a word end. */
export function slugify(message: string): string {
  const words = message
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter(Boolean);
  let slug = "";
  for (const word of words) {
    const next = slug ? `${slug}_${word}` : word;
    if (next.length > SLUG_MAX) return slug || word.slice(0, SLUG_MAX);
    slug = next;
  }
  return slug;
}

export interface FileNameInfo {
  rev: string;
  message: string;
  createdAt: Date;
}

/**
 * Expands `{rev}`, `{slug}`, `{year}`, `{month}`, `{day}`, `{hour}`,
 * `{minute}`, `{second}` (UTC, zero-padded) and `{epoch}` (seconds), and
 * appends `.ts`. An unknown `{token}` is an error rather than a literal brace in a file name.
 */
export function revisionFileName(template: string, info: FileNameInfo): string {
  if (!info.rev || /[\\/]|^\.\.?$/.test(info.rev)) {
    throw new InvalidRevisionFileNameError(template, info.rev, "a revision id must be non-empty and contain no path separator");
  }
  const values = tokenValues(info);
  const name = template.replace(/\{(\w+)\}/g, (whole, token: string) => {
    const value = values[token];
    if (value === undefined) throw new InvalidRevisionFileNameError(template, info.rev, `unknown token ${whole}`);
    return value;
  });
  // An empty slug (a message with no letters or digits) would leave a dangling separator.
  const trimmed = name.replace(/[_\-. ]+$/, "");
  if (!trimmed) throw new InvalidRevisionFileNameError(template, info.rev, "the template produced an empty name");
  return trimmed.endsWith(".ts") ? trimmed : `${trimmed}.ts`;
}

function tokenValues(info: FileNameInfo): Record<string, string> {
  const d = info.createdAt;
  const pad = (n: number, width = 2) => String(n).padStart(width, "0");
  return {
    rev: info.rev,
    slug: slugify(info.message),
    year: pad(d.getUTCFullYear(), 4),
    month: pad(d.getUTCMonth() + 1),
    day: pad(d.getUTCDate()),
    hour: pad(d.getUTCHours()),
    minute: pad(d.getUTCMinutes()),
    second: pad(d.getUTCSeconds()),
    epoch: String(Math.floor(d.getTime() / 1000)),
  };
}
