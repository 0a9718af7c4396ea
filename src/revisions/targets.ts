/**
 * The target grammar of upgrade, downgrade, stamp and history, as Alembic
 * reads it: `head`, `heads`, `base`, an id / label / unique prefix,
 * `label@head`, `label@base`, `label@rev`, `+N`, `-N`, `rev+N`, `rev-N`,
 * `label@+N`, `label@-N`, `label@rev+N`.
 */
import { AmbiguousWalkError, EmptyTargetError, MultipleHeadsError, RevisionRangeError } from "./errors";
import type { RevisionGraph } from "./graph";

/** A position in the history: a revision id, or null for "base" (nothing applied). */
export type Position = string | null;

export interface ParsedTarget {
  readonly raw: string;
  /** The part before `@`: a branch label or a revision id restricting the target to one line of history. */
  readonly branch?: string;
  /** `head`, `heads`, `base`, an id or a prefix; absent in `+2` / `label@-1`. */
  readonly symbol?: string;
  /** The signed step count of a relative target. */
  readonly relative?: number;
}

const RELATIVE = /^(?:(.+?)@)?(\w+)?([+-]\d+)$/;

export function parseTarget(raw: string): ParsedTarget {
  const target = raw.trim();
  // "" would otherwise read as base: `downgrade "$UNSET"` must not revert everything.
  if (target === "") throw new EmptyTargetError();
  const match = RELATIVE.exec(target);
  if (match) {
    return { raw: target, branch: match[1], symbol: match[2], relative: Number(match[3]) };
  }
  const at = target.lastIndexOf("@");
  if (at < 0) return { raw: target, symbol: target };
  return { raw: target, branch: target.slice(0, at), symbol: target.slice(at + 1) };
}

/**
 * Ids an absolute symbol stands for; `[]` means base. `heads` may give
 * several, everything else gives at most one.
 */
export function resolveSymbol(graph: RevisionGraph, target: ParsedTarget, symbol: string): string[] {
  const branch = target.branch;
  if (symbol === "heads") return graph.headsOf(branch);
  if (symbol === "head") return graph.singleHead(target.raw, branch);
  if (symbol === "base" || symbol === "") return [];
  return [graph.lookup(symbol, branch)];
}

/** Like resolveSymbol but a single position, as a relative walk needs. */
export function resolveOne(graph: RevisionGraph, target: ParsedTarget, symbol: string): Position {
  const ids = resolveSymbol(graph, target, symbol);
  if (ids.length > 1) throw new MultipleHeadsError(target.raw, ids);
  return ids[0] ?? null;
}

/**
 * Move `steps` revisions up (positive) or down (negative) from `start`.
 * Going up, `branch` chooses among successors; a branch point without it,
 * or a merge point going down, is ambiguous.
 */
export function walk(
  graph: RevisionGraph,
  target: ParsedTarget,
  start: Position,
  steps: number,
  branch?: string,
): Position {
  let position = start;
  for (let i = 0; i < Math.abs(steps); i++) {
    const next = steps > 0 ? stepsUp(graph, position, branch) : stepsDown(graph, position);
    if (next === undefined) throw tooFar(target, start, steps);
    if (next.length > 1)
      throw new AmbiguousWalkError(
        target.raw,
        position ?? "base",
        next.map((p) => p ?? "base"),
      );
    position = next[0];
  }
  return position;
}

/** Successors of a position (bases above "base"), restricted to a branch; undefined past the top. */
function stepsUp(graph: RevisionGraph, position: Position, branch?: string): string[] | undefined {
  let next = position === null ? graph.bases() : graph.children(position, { dependencies: false });
  if (branch !== undefined) {
    const anchor = graph.branchAnchor(branch);
    next = next.filter((id) => graph.sharesLineage(id, anchor));
  }
  return next.length === 0 ? undefined : next;
}

/** Predecessors of a position: its down-revisions, or base below a first revision; undefined below base. */
function stepsDown(graph: RevisionGraph, position: Position): Position[] | undefined {
  if (position === null) return undefined;
  const parents = graph.parents(position, { dependencies: false });
  return parents.length === 0 ? [null] : parents;
}

function tooFar(target: ParsedTarget, start: Position, steps: number): RevisionRangeError {
  const from = start ?? "base";
  const n = Math.abs(steps);
  const detail =
    steps > 0
      ? `there are fewer than ${n} revision(s) above ${from}; use 'head' to go to the newest one`
      : `there are fewer than ${n} revision(s) below ${from}; use 'base' to go all the way down`;
  return new RevisionRangeError(target.raw, detail, start === null ? [] : [start]);
}

/**
 * The revisions an upgrade should reach; `[]` means base. Relative `+N`
 * counts from the current heads (one of them, chosen by `label@+N` when there
 * are several).
 */
export function resolveUpgradeTarget(graph: RevisionGraph, current: readonly string[], raw: string): string[] {
  const target = parseTarget(raw);
  if (target.relative === undefined) return resolveSymbol(graph, target, target.symbol ?? "");
  const { relative, symbol, branch } = target;
  if (symbol === undefined) {
    if (relative <= 0) {
      throw new RevisionRangeError(
        raw,
        "an upgrade cannot go down from the current revision; use `retort downgrade` instead",
      );
    }
    const start = upgradeStart(graph, current, target);
    return asIds(walk(graph, target, start, relative, branch));
  }
  if (relative >= 0) return asIds(walk(graph, target, resolveOne(graph, { raw }, symbol), relative, branch));
  return asIds(walk(graph, target, resolveOne(graph, target, symbol), relative));
}

/**
 * Where `+N` starts: the one current head on the requested branch; when the
 * branch is not applied yet, its nearest applied ancestor (or base).
 */
function upgradeStart(graph: RevisionGraph, current: readonly string[], target: ParsedTarget): Position {
  const heads = graph.normalizeHeads(current);
  let starts: Position[] = heads;
  if (target.branch !== undefined) {
    const anchor = graph.branchAnchor(target.branch);
    starts = heads.filter((id) => graph.sharesLineage(id, anchor));
    if (starts.length === 0) {
      const applied = new Set(graph.ancestors(heads, { inclusive: true }));
      const onBranch = new Set([...applied].filter((id) => graph.sharesLineage(id, anchor)));
      starts = graph.tipsOf(onBranch);
    }
  }
  if (starts.length > 1) throw new MultipleHeadsError(target.raw, starts as string[]);
  return starts[0] ?? null;
}

/** What a downgrade goes down to (null = base) and the branch it is limited to. */
export interface DowngradeTarget {
  readonly target: Position;
  readonly branch?: string;
}

/**
 * The revision a downgrade stops at. `-N` counts from the current head,
 * which must be unique unless `label@-N` picks one.
 */
export function resolveDowngradeTarget(graph: RevisionGraph, current: readonly string[], raw: string): DowngradeTarget {
  const target = parseTarget(raw);
  const { relative, symbol, branch } = target;
  if (relative === undefined) {
    return { target: resolveOne(graph, target, symbol ?? ""), branch };
  }
  if (relative >= 0) {
    if (symbol === undefined) {
      throw new RevisionRangeError(
        raw,
        "a downgrade cannot go up from the current revision; use `retort upgrade` instead",
      );
    }
    return { target: walk(graph, target, resolveOne(graph, { raw }, symbol), relative, branch), branch };
  }
  if (symbol !== undefined) {
    return { target: walk(graph, target, resolveOne(graph, target, symbol), relative), branch };
  }
  const start = downgradeStart(graph, current, target);
  // Limit the downgrade to the line of the head we walked from, as Alembic does.
  return { target: walk(graph, target, start, relative), branch: branch ?? start };
}

/** The current head `-N` starts from. */
function downgradeStart(graph: RevisionGraph, current: readonly string[], target: ParsedTarget): string {
  const heads = graph.normalizeHeads(current);
  let starts = heads;
  if (target.branch !== undefined) {
    const anchor = graph.branchAnchor(target.branch);
    starts = heads.filter((id) => graph.sharesLineage(id, anchor));
    if (starts.length === 0) starts = versionedTips(graph, heads).filter((id) => graph.sharesLineage(id, anchor));
  }
  if (starts.length === 0) {
    throw new RevisionRangeError(
      target.raw,
      "nothing is applied on that line of history, so there is nothing to go down from",
    );
  }
  if (starts.length > 1) throw new MultipleHeadsError(target.raw, starts);
  return starts[0];
}

/**
 * Branch tips of what is applied, following down-revisions only: a branch
 * whose head is implied by a dependant's row still has a tip here.
 */
function versionedTips(graph: RevisionGraph, heads: readonly string[]): string[] {
  const applied = new Set(graph.ancestors(heads, { inclusive: true }));
  return [...applied].filter((id) => !graph.children(id, { dependencies: false }).some((c) => applied.has(c))).sort();
}

function asIds(position: Position): string[] {
  return position === null ? [] : [position];
}
