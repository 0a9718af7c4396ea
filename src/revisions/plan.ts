/**
 * Upgrade, downgrade and stamp plans: which revisions to run, in which
 * order, and what the version table holds around each one.
 *
 * The version table is derived, not patched: the rows are always the tips of
 * the applied set (see RevisionGraph.tipsOf). That gives Alembic's row
 * bookkeeping — a revision replaces the row of the head it descends from, a
 * merge turns several rows into one, a first revision on a new branch adds a
 * row, a downgrade brings the parents back unless another row still covers
 * them — without a case per shape.
 */
import { NotAncestorError, RevisionRangeError } from "./errors";
import type { RevisionGraph, RevisionNode } from "./graph";
import { parseTarget, resolveDowngradeTarget, resolveUpgradeTarget, type Position } from "./targets";

export type Direction = "up" | "down";

export interface Step {
  readonly revision: RevisionNode;
  readonly direction: Direction;
  /** Version-table rows before this step, sorted. */
  readonly headsBefore: string[];
  /** Version-table rows after this step, sorted. */
  readonly headsAfter: string[];
}

export interface StampOptions {
  /** Ignore (and replace) whatever the version table holds, even unknown revisions. */
  purge?: boolean;
}

/**
 * Everything the target needs that is not applied yet, dependencies first.
 * A target below the current state plans nothing, as in Alembic.
 */
export function planUpgrade(graph: RevisionGraph, currentHeads: readonly string[], target: string): Step[] {
  const applied = graph.applied(currentHeads);
  const targets = resolveUpgradeTarget(graph, currentHeads, target);
  const needed = graph.ancestors(targets, { inclusive: true }).filter((id) => !applied.has(id));
  const order = graph.newestFirst(new Set(needed)).reverse();
  return simulate(graph, applied, order, "up");
}

/**
 * Every applied revision above the target (and whatever depends on one of
 * them), dependants first. `label@...` and `-N` limit the downgrade to one
 * branch when the target is a branch point.
 */
export function planDowngrade(graph: RevisionGraph, currentHeads: readonly string[], target: string): Step[] {
  const applied = graph.applied(currentHeads);
  const resolved = resolveDowngradeTarget(graph, currentHeads, target);
  const roots = downgradeRoots(graph, resolved.target, resolved.branch, target);
  const removed = graph.descendants(roots, { inclusive: true }).filter((id) => applied.has(id));
  if (resolved.target !== null && removed.length === 0 && !applied.has(resolved.target)) {
    throw new NotAncestorError(resolved.target, describeHeads(graph.tipsOf(applied)), "downgrade");
  }
  return simulate(graph, applied, graph.newestFirst(new Set(removed)), "down");
}

/**
 * The lowest revisions to remove. Above a revision: its successors, only
 * those on `branch` when it is a branch point. Above base: every first
 * revision, or with `label@base` the bottom of that label's branch (where
 * Alembic would remove every branch sharing the trunk, we keep the trunk).
 */
function downgradeRoots(graph: RevisionGraph, target: Position, branch: string | undefined, raw: string): string[] {
  const candidates = target === null ? baseRoots(graph, branch) : graph.children(target, { dependencies: false });
  if (branch === undefined || candidates.length <= 1) return candidates;
  const onBranch = candidates.filter(branchFilter(graph, branch));
  if (onBranch.length === 0) {
    throw new RevisionRangeError(
      raw,
      `no revision above ${target ?? "base"} is on '${branch}'; check the branch with \`retort branches\``,
    );
  }
  return onBranch;
}

function baseRoots(graph: RevisionGraph, branch: string | undefined): string[] {
  const label = branch !== undefined && graph.branchLabels().has(branch) ? branch : undefined;
  if (label === undefined) return graph.bases();
  const carries = (id: string): boolean => graph.labelsOf(id).includes(label);
  return graph.ids.filter((id) => carries(id) && !graph.parents(id, { dependencies: false }).some(carries));
}

/** Membership in a branch: carrying the label, or (for a revision id) being one of its ancestors. */
function branchFilter(graph: RevisionGraph, branch: string): (id: string) => boolean {
  if (graph.branchLabels().has(branch)) return (id) => graph.labelsOf(id).includes(branch);
  const line = new Set(graph.ancestors([graph.branchAnchor(branch)], { dependencies: false, inclusive: true }));
  return (id) => line.has(id);
}

/**
 * The version-table rows after stamping `target` without running anything:
 * rows on the target's line of history are replaced by the target, other
 * branches keep theirs. `base` clears the table (`label@base` only that
 * branch's rows); `purge` starts from an empty table.
 */
export function planStamp(
  graph: RevisionGraph,
  currentHeads: readonly string[],
  target: string,
  options: StampOptions = {},
): string[] {
  let heads = options.purge ? [] : graph.normalizeHeads(currentHeads);
  const { dests, branch } = stampDestinations(graph, heads, target);
  if (dests.length === 0) {
    const anchor = branch === undefined ? undefined : graph.branchAnchor(branch);
    heads = anchor === undefined ? [] : heads.filter((h) => !graph.sharesLineage(h, anchor, true));
  }
  for (const dest of dests) {
    heads = [...heads.filter((h) => !graph.sharesLineage(h, dest, true)), dest];
  }
  return graph.normalizeHeads(heads);
}

function stampDestinations(
  graph: RevisionGraph,
  heads: readonly string[],
  target: string,
): { dests: string[]; branch?: string } {
  const parsed = parseTarget(target);
  if (parsed.relative !== undefined && parsed.relative < 0 && parsed.symbol === undefined) {
    const down = resolveDowngradeTarget(graph, heads, target);
    return { dests: down.target === null ? [] : [down.target] };
  }
  return { dests: resolveUpgradeTarget(graph, heads, target), branch: parsed.branch };
}

/** Apply `order` one revision at a time, recording the rows around each step. */
function simulate(
  graph: RevisionGraph,
  applied: ReadonlySet<string>,
  order: readonly string[],
  direction: Direction,
): Step[] {
  const state = new Set(applied);
  let before = graph.tipsOf(state);
  return order.map((id) => {
    if (direction === "up") state.add(id);
    else state.delete(id);
    const after = graph.tipsOf(state);
    const step: Step = { revision: graph.entryNode(id), direction, headsBefore: before, headsAfter: after };
    before = after;
    return step;
  });
}

function describeHeads(heads: readonly string[]): string {
  return heads.length === 0 ? "base" : heads.join(", ");
}
