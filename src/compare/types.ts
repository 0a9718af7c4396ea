import type { DialectName, Op } from "../ops/types";

/**
 * Something a reviewer must look at that is not (only) an op: a rename the
 * tool will not guess, a destructive change, an object the models do not
 * describe, a value the tool could not normalize.
 */
export type FindingKind =
  | "rename-candidate"
  | "destructive"
  | "unmodelled"
  | "check-rewritten"
  | "default-unnormalized"
  | "irreversible"
  | "unsupported"
  | "name-truncated"
  | "non-transactional"
  | "safe-mode"
  | "data-impact"
  | "discriminator-values"
  | "tree-bookkeeping";

export interface Finding {
  kind: FindingKind;
  /** One line for the terminal, e.g. `Possible rename: "users.tz" -> "users.timezone"`. */
  message: string;
  table?: string;
  /** Lines for the REVIEW comment in the revision file (without `// `). */
  review: string[];
}

/** One change in the diff: the op plus how to explain it. */
export interface Step {
  op: Op;
  /** Alembic-style terminal line: `Detected added column 'users.timezone'`. */
  detected: string;
  /** Why the comparer judged this changed (`--verbose`), e.g. `length: 32 -> 64`. */
  reasons: string[];
  /** REVIEW comment lines the emitter writes above this op's call (without `// `). */
  review?: string[];
  /** One comment line above the call: what the op locks, rewrites or scans on the live table (`lint` notes). */
  note?: string;
  /** Destructive: drops data or may fail on existing rows. */
  destructive?: boolean;
  /** Set when the op keeps a dialect spelling: the file writes `op.only(...)` and other dialects refuse it. */
  dialects?: DialectName[];
}

export interface Diff {
  /** Ops in execution order (tables before the foreign keys that reference them, constraint drops before column drops). */
  upgrade: Step[];
  /** Exactly reverses `upgrade`. */
  downgrade: Step[];
  /** Global findings (also attached as `review` on steps where one step is concerned). */
  findings: Finding[];
}

export interface RenameCandidate {
  kind: "table" | "column" | "enumValue";
  /** For columns: the table. For enum values asked about: the enum type or `table.column` (a declared one has none). */
  table?: string;
  from: string;
  to: string;
}

/**
 * Settles rename ambiguity outside the comparer (STYLE.md #8): `--rename`
 * flags, an interactive prompt, or a fixed list in tests. `true` = it is a rename.
 */
export type RenameResolver = (candidate: RenameCandidate) => boolean | Promise<boolean>;

export const noRenames: RenameResolver = () => false;

export function isEmptyDiff(diff: Diff): boolean {
  return diff.upgrade.length === 0;
}
