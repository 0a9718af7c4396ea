/**
 * What a revision id may be. One rule for ids read from revision files and
 * ids given with `--rev-id`, so the tool never writes a file it then refuses.
 */

/** Characters the target grammar gives a meaning to (`label@rev`, `rev+1`, `rev-1`, `a:b`). */
const ILLEGAL_ID_CHARS = ["@", "-", "+", ":"];

/**
 * The longest revision id: the version table's `version_num` column is
 * VARCHAR(32), as Alembic's is. Ids are checked against it when loaded and
 * when given with `--rev-id`, so a revision never fails at its version-table
 * row after its DDL ran; existing version tables need no change.
 */
export const MAX_REVISION_ID_LENGTH = 32;

/**
 * Why `id` cannot be a revision id, or undefined when it can. Alembic's rule
 * (none of the characters the target grammar uses, no whitespace), plus what
 * a file name and the version table need: no path separator, not `.`/`..`,
 * at most MAX_REVISION_ID_LENGTH characters.
 */
export function revisionIdProblem(id: string): string | undefined {
  if (id.trim() === "") return "is empty";
  const bad = [...ILLEGAL_ID_CHARS, "/", "\\"].filter((c) => id.includes(c));
  if (/\s/.test(id)) bad.push("whitespace");
  if (bad.length > 0) return `contains ${bad.map((c) => (c === "whitespace" ? c : `'${c}'`)).join(", ")}`;
  if (id === "." || id === "..") return "is not a file name";
  if (id.length > MAX_REVISION_ID_LENGTH) {
    return `is ${id.length} characters long, more than the version table holds`;
  }
  return undefined;
}

