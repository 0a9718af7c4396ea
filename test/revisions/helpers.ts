import { RevisionGraph, type RevisionNode, type Step } from "../../src/revisions";

/** A revision with down-revisions given as a string (one parent) or an array (merge). */
export function rev(
  revision: string,
  down: string | string[] = [],
  extra: Partial<Omit<RevisionNode, "revision" | "downRevisions">> = {},
): RevisionNode {
  return {
    revision,
    downRevisions: typeof down === "string" ? [down] : down,
    branchLabels: extra.branchLabels ?? [],
    dependsOn: extra.dependsOn ?? [],
    ...(extra.doc !== undefined ? { doc: extra.doc } : {}),
    ...(extra.path !== undefined ? { path: extra.path } : {}),
  };
}

/** A line of revisions, each revising the previous one. */
export function chain(...names: string[]): RevisionNode[] {
  return names.map((name, i) => rev(name, i === 0 ? [] : names[i - 1]));
}

export function graph(...nodes: RevisionNode[]): RevisionGraph {
  return new RevisionGraph(nodes);
}

export function ids(nodes: readonly { revision: string }[] | readonly Step[]): string[] {
  return nodes.map((n) => ("direction" in n ? n.revision.revision : (n as { revision: string }).revision));
}

/** What a caught error is, for toThrow-style assertions on its fields. */
export function caught(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  throw new Error("expected the call to throw");
}

/**
 * Every step's rows before must equal the previous step's rows after, and
 * the final rows must equal the tips of what is applied.
 */
export function rowsChain(start: string[], steps: readonly Step[]): string[] {
  let rows = start;
  for (const step of steps) {
    expect(step.headsBefore).toEqual(rows);
    rows = step.headsAfter;
  }
  return rows;
}

/**
 * Diamond:      a - b1 - c - d
 *                 \ b2 /
 */
export const diamond = (): RevisionGraph =>
  graph(rev("a"), rev("b1", "a"), rev("b2", "a"), rev("c", ["b1", "b2"]), rev("d", "c"));

/**
 * Two labelled branches from a shared trunk:
 *   t1 - t2 - x1(label x) - x2 - x3
 *          \- y1(label y) - y2
 */
export const forked = (): RevisionGraph =>
  graph(
    rev("t1"),
    rev("t2", "t1"),
    rev("x1", "t2", { branchLabels: ["x"] }),
    rev("x2", "x1"),
    rev("x3", "x2"),
    rev("y1", "t2", { branchLabels: ["y"] }),
    rev("y2", "y1"),
  );

/**
 * Two independent roots; b2 depends on a2:
 *   a1(label alpha) - a2 - a3
 *   b1(label beta)  - b2 (dependsOn a2)
 */
export const twoRoots = (): RevisionGraph =>
  graph(
    rev("a1", [], { branchLabels: ["alpha"] }),
    rev("a2", "a1"),
    rev("a3", "a2"),
    rev("b1", [], { branchLabels: ["beta"] }),
    rev("b2", "b1", { dependsOn: ["a2"] }),
  );
