/**
 * The revision graph: revisions linked by `downRevisions` (the versioned
 * history) and `dependsOn` (cross-branch requirements), modelled on Alembic's
 * RevisionMap. Pure: no I/O. Built once from the loaded revision files, then
 * queried for heads, target resolution and upgrade/downgrade plans.
 */
import {
  CycleDetectedError,
  DuplicateBranchLabelError,
  DuplicateRevisionError,
  InvalidRevisionIdError,
  MissingDownRevisionError,
  UnknownRevisionError,
} from "./errors";
import { AmbiguousRevisionError, MultipleHeadsError, NotOnBranchError } from "./errors";
import { planDowngrade, planStamp, planUpgrade, type StampOptions, type Step } from "./plan";
import { history, type HistoryRange } from "./history";
import { revisionIdProblem } from "./ids";

export * from "./errors";
export { MAX_REVISION_ID_LENGTH, revisionIdProblem } from "./ids";
export type { Step, StampOptions, Direction } from "./plan";
export type { HistoryRange } from "./history";
export { parseHistoryRange } from "./history";

export interface RevisionNode {
  revision: string;
  /** Empty for a first revision; two or more for a merge. */
  downRevisions: string[];
  branchLabels: string[];
  /** Revision ids or branch labels this revision needs applied first, outside its own history line. */
  dependsOn: string[];
  doc?: string;
  path?: string;
}

/** Whether a traversal follows `dependsOn` links as well as down-revisions. */
export interface TraversalOptions {
  /** Default true: a dependency counts as an ancestor, as it must be applied first. */
  dependencies?: boolean;
  /** Default false: whether the starting revisions are part of the result. */
  inclusive?: boolean;
}

/** Partial ids shorter than this never match, as in Alembic, so `a` cannot silently pick a revision. */
export const MIN_PREFIX_LENGTH = 4;

interface Entry {
  readonly node: RevisionNode;
  readonly parents: readonly string[];
  /** dependsOn resolved to revision ids, without those already among `parents`. */
  deps: string[];
  readonly children: string[];
  readonly dependants: string[];
  readonly labels: Set<string>;
}

export class RevisionGraph {
  private readonly entries = new Map<string, Entry>();
  private readonly labelOwner = new Map<string, string>();
  /** All ids, sorted, so every answer is independent of the order files were read in. */
  readonly ids: readonly string[];

  constructor(nodes: readonly RevisionNode[]) {
    this.addEntries(nodes);
    this.ids = [...this.entries.keys()].sort();
    this.checkParents();
    this.mapLabels();
    this.resolveDependencies();
    this.link();
    this.checkCycles();
    this.propagateLabels();
  }

  // ---------------------------------------------------------------- building

  private addEntries(nodes: readonly RevisionNode[]): void {
    for (const node of nodes) {
      checkRevisionId(node.revision, node.path);
      const previous = this.entries.get(node.revision);
      if (previous) {
        throw new DuplicateRevisionError(node.revision, [previous.node.path, node.path].filter(isString));
      }
      if (node.downRevisions.includes(node.revision) || node.dependsOn.includes(node.revision)) {
        throw new CycleDetectedError([node.revision]);
      }
      this.entries.set(node.revision, {
        node,
        parents: unique(node.downRevisions),
        deps: [],
        children: [],
        dependants: [],
        labels: new Set(node.branchLabels),
      });
    }
  }

  private checkParents(): void {
    for (const id of this.ids) {
      for (const parent of this.entry(id).parents) {
        if (!this.entries.has(parent)) throw new MissingDownRevisionError(id, parent, "downRevision");
      }
    }
  }

  private mapLabels(): void {
    for (const id of this.ids) {
      for (const label of this.entry(id).node.branchLabels) {
        const owner = this.labelOwner.get(label);
        if (owner !== undefined && owner !== id) throw new DuplicateBranchLabelError(label, [owner, id]);
        if (this.entries.has(label) && label !== id) throw new DuplicateBranchLabelError(label, [label, id]);
        this.labelOwner.set(label, id);
      }
    }
  }

  /** dependsOn may name a revision id or a branch label, as in Alembic. */
  private resolveDependencies(): void {
    for (const id of this.ids) {
      const entry = this.entry(id);
      const resolved = entry.node.dependsOn.map((dep) => {
        const target = this.entries.has(dep) ? dep : this.labelOwner.get(dep);
        if (target === undefined) throw new MissingDownRevisionError(id, dep, "dependsOn");
        if (target === id) throw new CycleDetectedError([id]);
        return target;
      });
      entry.deps = unique(resolved).filter((dep) => !entry.parents.includes(dep));
    }
  }

  private link(): void {
    for (const id of this.ids) {
      const entry = this.entry(id);
      for (const parent of entry.parents) this.entry(parent).children.push(id);
      for (const dep of entry.deps) this.entry(dep).dependants.push(id);
    }
  }

  private checkCycles(): void {
    const cycle = findCycle(this.ids, (id) => this.upLinks(id, true));
    if (cycle) throw new CycleDetectedError(cycle);
  }

  /**
   * A label marks its revision, every descendant, and the run of revisions
   * below it down to the nearest branch or merge point: the whole branch, as
   * Alembic shows it.
   */
  private propagateLabels(): void {
    for (const [label, owner] of this.labelOwner) {
      for (const id of this.descendants([owner], { dependencies: false, inclusive: true })) {
        this.entry(id).labels.add(label);
      }
      let current = this.entry(owner);
      while (current.parents.length === 1) {
        const parent = this.entry(current.parents[0]);
        if (parent.children.length + parent.dependants.length > 1) break;
        parent.labels.add(label);
        current = parent;
      }
    }
  }

  // ----------------------------------------------------------------- queries

  /** Number of revisions. */
  get size(): number {
    return this.entries.size;
  }

  /** Every revision, ordered by id. */
  get nodes(): RevisionNode[] {
    return this.ids.map((id) => this.entry(id).node);
  }

  has(id: string): boolean {
    return this.entries.has(id);
  }

  /** The revision with exactly this id, or undefined. */
  find(id: string): RevisionNode | undefined {
    return this.entries.get(id)?.node;
  }

  /** Revisions no other revision names as a down-revision, sorted by id. */
  heads(): string[] {
    return this.ids.filter((id) => this.entry(id).children.length === 0);
  }

  /**
   * Heads that share an ancestor with another head and no branch label of
   * their own: lines of history that forked by accident and were never
   * merged. Independent branches (separate bases) and deliberate ones (each
   * side labelled with `--branch-label`) are not among them.
   */
  unmergedHeads(): string[] {
    const heads = this.heads();
    const lines = heads.map((head) => new Set(this.ancestors([head], { dependencies: false, inclusive: true })));
    const labels = lines.map((line) => new Set([...line].flatMap((id) => this.entry(id).node.branchLabels)));
    const ownLabel = (i: number, j: number) => [...labels[i]!].some((label) => !labels[j]!.has(label));
    const accidental = (i: number, j: number) =>
      [...lines[i]!].some((id) => lines[j]!.has(id)) && !(ownLabel(i, j) && ownLabel(j, i));
    return heads.filter((_, i) => heads.some((__, j) => j !== i && accidental(i, j)));
  }

  /** Revisions with no down-revision, sorted by id. */
  bases(): string[] {
    return this.ids.filter((id) => this.entry(id).parents.length === 0);
  }

  /** Revisions that are the down-revision of more than one revision. */
  branchPoints(): string[] {
    return this.ids.filter((id) => this.entry(id).children.length > 1);
  }

  /** Revisions with more than one down-revision. */
  mergePoints(): string[] {
    return this.ids.filter((id) => this.entry(id).parents.length > 1);
  }

  /** Branch labels, each mapped to the revision that declares it. */
  branchLabels(): Map<string, string> {
    return new Map([...this.labelOwner].sort(([a], [b]) => compare(a, b)));
  }

  /** The labels a revision belongs to: its own, those of its ancestors, and those it carries down to a branch point. */
  labelsOf(id: string): string[] {
    return [...this.entry(id).labels].sort();
  }

  /** Direct down-revisions, then (with dependencies) the resolved dependsOn ids. */
  parents(id: string, options: TraversalOptions = {}): string[] {
    return this.upLinks(id, options.dependencies ?? true);
  }

  /** Direct successors, then (with dependencies) the revisions that depend on this one. */
  children(id: string, options: TraversalOptions = {}): string[] {
    return this.downLinks(id, options.dependencies ?? true);
  }

  /** Resolved dependsOn ids of a revision (labels replaced by the revision declaring them). */
  dependenciesOf(id: string): string[] {
    return [...this.entry(id).deps];
  }

  ancestors(ids: readonly string[], options: TraversalOptions = {}): string[] {
    const deps = options.dependencies ?? true;
    return this.closure(ids, (id) => this.upLinks(id, deps), options.inclusive ?? false);
  }

  descendants(ids: readonly string[], options: TraversalOptions = {}): string[] {
    const deps = options.dependencies ?? true;
    return this.closure(ids, (id) => this.downLinks(id, deps), options.inclusive ?? false);
  }

  /** Whether `a` and `b` lie on one line of history (one is an ancestor of the other, or they are equal). */
  sharesLineage(a: string, b: string, dependencies = false): boolean {
    if (a === b) return true;
    const opts = { dependencies };
    return this.ancestors([a], opts).includes(b) || this.descendants([a], opts).includes(b);
  }

  /**
   * Look up one revision by full id, branch label, or a unique prefix of at
   * least four characters.
   */
  get(idOrPrefix: string): RevisionNode {
    return this.entry(this.lookup(idOrPrefix)).node;
  }

  /** Every revision, newest first (each revision before its ancestors), as `retort history` lists them. */
  walk(): RevisionNode[] {
    return this.newestFirst(new Set(this.ids)).map((id) => this.entry(id).node);
  }

  /** Revisions of a range (`a:b`, `a:`, `:b`, or an object with ids), newest first, both ends included. */
  history(range?: string | HistoryRange): RevisionNode[] {
    return history(this, range).map((id) => this.entry(id).node);
  }

  // ----------------------------------------------------------------- version-table state

  /**
   * Everything applied when the version table holds `heads`: the heads and
   * all their ancestors, dependencies included.
   */
  applied(heads: readonly string[]): Set<string> {
    this.checkCurrent(heads);
    return new Set(this.ancestors(heads, { inclusive: true }));
  }

  /**
   * The version-table rows that represent a set of applied revisions: those
   * no other applied revision descends from or depends on, sorted by id.
   * This is the table Alembic keeps (one row per head; a dependency applied
   * under a dependant is implied by the dependant's row).
   */
  tipsOf(applied: ReadonlySet<string>): string[] {
    return [...applied].filter((id) => !this.downLinks(id, true).some((child) => applied.has(child))).sort();
  }

  /** The version-table rows equivalent to `heads` with redundant rows dropped. */
  normalizeHeads(heads: readonly string[]): string[] {
    return this.tipsOf(this.applied(heads));
  }

  planUpgrade(currentHeads: readonly string[], target: string): Step[] {
    return planUpgrade(this, currentHeads, target);
  }

  planDowngrade(currentHeads: readonly string[], target: string): Step[] {
    return planDowngrade(this, currentHeads, target);
  }

  /** The version-table rows after `retort stamp target`. */
  planStamp(currentHeads: readonly string[], target: string, options: StampOptions = {}): string[] {
    return planStamp(this, currentHeads, target, options);
  }

  // ----------------------------------------------------------------- internals shared with plan/history

  /** @internal Full id for an id, a label or a unique prefix (min four characters), optionally within a branch. */
  lookup(idOrPrefix: string, branch?: string): string {
    const exact = this.entries.has(idOrPrefix) ? idOrPrefix : this.labelOwner.get(idOrPrefix);
    const id = exact ?? this.lookupPrefix(idOrPrefix, branch);
    if (branch !== undefined) {
      const anchor = this.branchAnchor(branch);
      if (!this.sharesLineage(id, anchor)) throw new NotOnBranchError(id, branch);
    }
    return id;
  }

  /** @internal The revision a `label@...` prefix refers to: the revision declaring the label, or a revision id. */
  branchAnchor(branch: string): string {
    const owner = this.labelOwner.get(branch);
    if (owner !== undefined) return owner;
    try {
      return this.lookup(branch);
    } catch (error) {
      if (error instanceof UnknownRevisionError) throw new UnknownRevisionError(branch, "branch");
      throw error;
    }
  }

  /** @internal Heads on the line of history of `branch` (label or revision). */
  headsOf(branch?: string): string[] {
    const heads = this.heads();
    if (branch === undefined) return heads;
    const anchor = this.branchAnchor(branch);
    return heads.filter((head) => this.sharesLineage(head, anchor));
  }

  /** @internal The single head (of a branch); `[]` for an empty graph. */
  singleHead(target: string, branch?: string): string[] {
    const heads = this.headsOf(branch);
    if (heads.length > 1) throw new MultipleHeadsError(target, heads);
    return heads;
  }

  /** @internal Throws when the version table names a revision the graph does not have. */
  checkCurrent(heads: readonly string[]): void {
    for (const id of heads) {
      if (!this.entries.has(id)) throw new UnknownRevisionError(id, "current");
    }
  }

  /**
   * @internal Order a set newest first: a revision comes after everything in
   * the set that descends from or depends on it. Follows one branch down
   * until it meets a revision another pending branch still needs, like
   * Alembic's history; ties go to the smaller id.
   */
  newestFirst(set: ReadonlySet<string>): string[] {
    const pending = new Map<string, number>();
    for (const id of set) pending.set(id, this.downLinks(id, true).filter((c) => set.has(c)).length);
    const stack = [...set]
      .filter((id) => pending.get(id) === 0)
      .sort()
      .reverse();
    const out: string[] = [];
    while (stack.length > 0) {
      const id = stack.pop() as string;
      out.push(id);
      const ready: string[] = [];
      for (const parent of this.upLinks(id, true)) {
        if (!set.has(parent)) continue;
        const left = (pending.get(parent) as number) - 1;
        pending.set(parent, left);
        if (left === 0) ready.push(parent);
      }
      stack.push(...ready.reverse());
    }
    return out;
  }

  /** @internal */
  entryNode(id: string): RevisionNode {
    return this.entry(id).node;
  }

  private lookupPrefix(prefix: string, branch?: string): string {
    let candidates = prefix.length >= MIN_PREFIX_LENGTH ? this.ids.filter((id) => id.startsWith(prefix)) : [];
    if (branch !== undefined && candidates.length > 1) {
      const anchor = this.branchAnchor(branch);
      candidates = candidates.filter((id) => this.sharesLineage(id, anchor));
    }
    if (candidates.length === 0) throw new UnknownRevisionError(prefix);
    if (candidates.length > 1) throw new AmbiguousRevisionError(prefix, candidates);
    return candidates[0];
  }

  private entry(id: string): Entry {
    const entry = this.entries.get(id);
    if (!entry) throw new UnknownRevisionError(id);
    return entry;
  }

  private upLinks(id: string, dependencies: boolean): string[] {
    const entry = this.entry(id);
    return dependencies ? [...entry.parents, ...entry.deps] : [...entry.parents];
  }

  private downLinks(id: string, dependencies: boolean): string[] {
    const entry = this.entry(id);
    const links = dependencies ? [...entry.children, ...entry.dependants] : [...entry.children];
    return links.sort();
  }

  private closure(start: readonly string[], next: (id: string) => string[], inclusive: boolean): string[] {
    const seen = new Set<string>();
    const todo = start.map((id) => this.entry(id).node.revision);
    const starts = new Set(todo);
    while (todo.length > 0) {
      const id = todo.pop() as string;
      for (const other of next(id)) {
        if (!seen.has(other)) {
          seen.add(other);
          todo.push(other);
        }
      }
    }
    if (inclusive) for (const id of starts) seen.add(id);
    return [...seen].sort();
  }
}

/** Throws InvalidRevisionIdError when `id` breaks revisionIdProblem's rule. */
export function checkRevisionId(id: string, path?: string): void {
  const problem = revisionIdProblem(id);
  if (problem !== undefined) throw new InvalidRevisionIdError(id, problem, path);
}

/**
 * Depth-first search for a cycle along `next`; returns the revisions of the
 * first cycle found, in link order, or undefined.
 */
function findCycle(ids: readonly string[], next: (id: string) => string[]): string[] | undefined {
  const state = new Map<string, "open" | "done">();
  const path: string[] = [];
  const visit = (id: string): string[] | undefined => {
    if (state.get(id) === "done") return undefined;
    if (state.get(id) === "open") return path.slice(path.indexOf(id));
    state.set(id, "open");
    path.push(id);
    for (const other of next(id)) {
      const cycle = visit(other);
      if (cycle) return cycle;
    }
    path.pop();
    state.set(id, "done");
    return undefined;
  };
  for (const id of ids) {
    const cycle = visit(id);
    if (cycle) return cycle;
  }
  return undefined;
}

function unique(values: readonly string[]): string[] {
  return [...new Set(values)];
}

function isString(value: string | undefined): value is string {
  return typeof value === "string";
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
