/**
 * `retort history -r lower:upper`: the revisions between two points, both
 * included, newest first. As in Alembic, a missing upper end means `heads`,
 * a missing lower end means `base`, and `current` is replaced by the caller
 * with the version-table rows (pass them as an array).
 */
import { MultipleHeadsError, NotAncestorError, RevisionRangeError } from "./errors";
import type { RevisionGraph } from "./graph";
import { parseTarget, resolveSymbol, resolveUpgradeTarget, walk } from "./targets";

export interface HistoryRange {
  /** Oldest end (included); a target string or revision ids. Default: base. */
  lower?: string | readonly string[];
  /** Newest end (included); a target string or revision ids. Default: heads. */
  upper?: string | readonly string[];
}

/** Split `a:b`, `a:` or `:b`. */
export function parseHistoryRange(range: string): HistoryRange {
  const colon = range.indexOf(":");
  if (colon < 0) {
    throw new RevisionRangeError(range, "a history range needs a colon, as in start:end, start: or :end");
  }
  const lower = range.slice(0, colon).trim();
  const upper = range.slice(colon + 1).trim();
  return { lower: lower === "" ? undefined : lower, upper: upper === "" ? undefined : upper };
}

/** Revision ids of a range, newest first. */
export function history(graph: RevisionGraph, range?: string | HistoryRange): string[] {
  const { lower, upper } = typeof range === "string" ? parseHistoryRange(range) : (range ?? {});
  const lowerIds = lower === undefined ? [] : resolveLower(graph, lower);
  const upperIds = upper === undefined ? graph.heads() : resolveUpper(graph, upper, lowerIds);
  const within = new Set(graph.ancestors(upperIds, { inclusive: true }));
  for (const id of lowerIds) {
    if (!within.has(id)) throw new NotAncestorError(id, upperIds.length === 0 ? "base" : upperIds.join(", "));
  }
  const below = new Set(graph.ancestors(lowerIds));
  const above =
    lowerIds.length === 0 ? within : new Set(graph.descendants(lowerIds, { dependencies: false, inclusive: true }));
  return graph.newestFirst(new Set([...within].filter((id) => !below.has(id) && above.has(id))));
}

/** The lower end; `-N` counts down from the single head. */
function resolveLower(graph: RevisionGraph, lower: string | readonly string[]): string[] {
  if (typeof lower !== "string") return lower.flatMap((id) => resolveAbsolute(graph, id));
  const target = parseTarget(lower);
  if (target.relative !== undefined && target.symbol === undefined && target.relative < 0) {
    const heads = graph.headsOf(target.branch);
    if (heads.length > 1) throw new MultipleHeadsError(lower, heads);
    const position = walk(graph, target, heads[0] ?? null, target.relative);
    return position === null ? [] : [position];
  }
  return resolveUpgradeTarget(graph, [], lower);
}

/** The upper end; `+N` counts up from the lower end. */
function resolveUpper(graph: RevisionGraph, upper: string | readonly string[], lowerIds: readonly string[]): string[] {
  if (typeof upper !== "string") return upper.flatMap((id) => resolveAbsolute(graph, id));
  return resolveUpgradeTarget(graph, lowerIds, upper);
}

function resolveAbsolute(graph: RevisionGraph, raw: string): string[] {
  const target = parseTarget(raw);
  return resolveSymbol(graph, target, target.symbol ?? "");
}
