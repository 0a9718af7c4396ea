/**
 * Typed errors of the revision graph. Each carries the revisions involved and
 * a message that is one sentence telling the user what to do next, so the CLI
 * can print `error.message` as is and exit 2.
 */

import { MAX_REVISION_ID_LENGTH } from "./ids";

const list = (ids: readonly string[]): string => ids.join(", ");

/** Base class of every revision-graph error; `revisions` names the revisions involved. */
export abstract class RevisionError extends Error {
  constructor(
    message: string,
    readonly revisions: readonly string[],
  ) {
    super(message);
    this.name = new.target.name;
  }
}

/** Two revision files declare the same revision id. */
export class DuplicateRevisionError extends RevisionError {
  constructor(
    readonly revision: string,
    readonly paths: readonly string[] = [],
  ) {
    const where = paths.length > 0 ? ` (${list(paths)})` : "";
    super(`Revision ${revision} is declared more than once${where}; give one of the files a new revision id.`, [
      revision,
    ]);
  }
}

/**
 * A revision id the tool cannot use: it contains a character the target
 * grammar gives a meaning to (`@`, `+`, `-`, `:`), whitespace or a path
 * separator, is empty, or is longer than the version table's column.
 */
export class InvalidRevisionIdError extends RevisionError {
  constructor(
    readonly revision: string,
    /** Why, as a predicate: "contains '-'", "is empty", "is 40 characters long (at most 32 fit the version table)". */
    readonly problem: string,
    readonly path?: string,
  ) {
    const where = path ? ` (${path})` : "";
    super(`Revision id '${revision}'${where} ${problem}; use only letters, digits and underscores, at most ${MAX_REVISION_ID_LENGTH} characters.`, [revision]);
  }
}

/** A target (of upgrade, downgrade, stamp, show, merge, `history -r`, `--head`) that is empty or blank, as an unset shell variable gives. */
export class EmptyTargetError extends RevisionError {
  constructor(readonly what: string = "target") {
    super(
      `The ${what} is empty (an unset shell variable?); name a revision id, head, heads, base, +N or -N (base to go all the way down).`,
      [],
    );
  }
}

/** Which field of a revision names a revision that does not exist. */
export type RevisionReference = "downRevision" | "dependsOn";

/** A revision names a down-revision (or a dependsOn target) that no file declares. */
export class MissingDownRevisionError extends RevisionError {
  constructor(
    readonly revision: string,
    readonly missing: string,
    readonly reference: RevisionReference = "downRevision",
  ) {
    super(
      `Revision ${revision} lists ${missing} in its ${reference} but no revision ${missing} exists; restore that revision file or correct ${reference} in ${revision}.`,
      [revision, missing],
    );
  }
}

/** The down-revision / dependsOn links form a loop (a self-reference is a cycle of one). */
export class CycleDetectedError extends RevisionError {
  constructor(readonly cycle: readonly string[]) {
    const path = cycle.length === 1 ? `${cycle[0]} -> ${cycle[0]}` : [...cycle, cycle[0]].join(" -> ");
    super(
      `The revisions form a cycle (${path}); change the downRevision or dependsOn of one of them so the history runs one way.`,
      cycle,
    );
  }
}

/** A branch label is declared by two revisions, or equals a revision id. */
export class DuplicateBranchLabelError extends RevisionError {
  constructor(
    readonly label: string,
    revisions: readonly string[],
  ) {
    super(
      `Branch label '${label}' is used by more than one revision (${list(revisions)}); keep it on a single revision and rename the others.`,
      revisions,
    );
  }
}

/** A target names no revision, branch label or unique prefix. */
export class UnknownRevisionError extends RevisionError {
  constructor(
    readonly target: string,
    readonly kind: "revision" | "branch" | "current" = "revision",
  ) {
    super(UnknownRevisionError.sentence(target, kind), [target]);
  }

  private static sentence(target: string, kind: "revision" | "branch" | "current"): string {
    if (kind === "current") {
      return `The version table holds revision ${target}, which is not in the migrations directory; restore its file or run \`retort stamp\` with a known revision.`;
    }
    if (kind === "branch") {
      return `No branch label or revision '${target}' exists; run \`retort branches\` to list the labels.`;
    }
    const short = target.length < 4 ? " (a partial id needs at least four characters)" : "";
    return `No revision or branch label '${target}' exists${short}; run \`retort history\` to list the revisions.`;
  }
}

/** A partial id matches several revisions. */
export class AmbiguousRevisionError extends RevisionError {
  constructor(
    readonly target: string,
    readonly candidates: readonly string[],
  ) {
    super(`'${target}' matches several revisions (${list(candidates)}); type more characters of the id.`, candidates);
  }
}

/** One revision was needed but several heads match. */
export class MultipleHeadsError extends RevisionError {
  constructor(
    readonly target: string,
    readonly heads: readonly string[],
  ) {
    super(
      `'${target}' is ambiguous because several heads are present (${list(heads)}); run \`retort heads\` to see them, then name one (a revision id or label@head), use 'heads', or join them with \`retort merge heads\`.`,
      heads,
    );
  }
}

/** The revision files fork into heads that were never merged, so "head" names no single schema. */
export class UnmergedHeadsError extends RevisionError {
  constructor(readonly heads: readonly string[]) {
    super(
      `The revisions have ${heads.length} unmerged heads (${list(heads)}); join them with \`retort merge heads\` and upgrade before comparing.`,
      heads,
    );
  }
}

/** A revision was addressed as `label@rev` but is not on that branch. */
export class NotOnBranchError extends RevisionError {
  constructor(
    readonly revision: string,
    readonly branch: string,
  ) {
    super(
      `Revision ${revision} is not a member of branch '${branch}'; pick a revision from that branch or drop the label.`,
      [revision],
    );
  }
}

/** A relative move (`+N`, `-N`, `REV+N`) leaves the history, or makes no sense in this direction. */
export class RevisionRangeError extends RevisionError {
  constructor(
    readonly target: string,
    readonly detail: string,
    revisions: readonly string[] = [],
  ) {
    super(`Cannot move to '${target}': ${detail}.`, revisions);
  }
}

/** A relative walk reaches a branch point (going up) or a merge point (going down) and cannot choose. */
export class AmbiguousWalkError extends RevisionError {
  constructor(
    readonly target: string,
    readonly from: string,
    readonly candidates: readonly string[],
  ) {
    super(
      `Cannot move to '${target}': ${from} leads to several revisions (${list(candidates)}); name the revision or branch (label@+N) instead.`,
      candidates,
    );
  }
}

/** A range or downgrade whose lower end is not below its upper end. */
export class NotAncestorError extends RevisionError {
  constructor(
    readonly lower: string,
    readonly upper: string,
    readonly context: "range" | "downgrade" = "range",
  ) {
    super(
      context === "downgrade"
        ? `Revision ${lower} is not below the current revision (${upper}), so there is nothing to downgrade; use \`retort upgrade\` to move up.`
        : `Revision ${lower} is not an ancestor of ${upper}; swap the ends of the range or choose revisions on the same line of history.`,
      [lower, upper],
    );
  }
}
