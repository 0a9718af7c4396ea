import type { RevisionGraph, RevisionNode } from "../revisions/graph";

function tags(graph: RevisionGraph, node: RevisionNode, current: ReadonlySet<string>): string {
  const out: string[] = [];
  const labels = graph.labelsOf(node.revision);
  if (labels.length) out.push(`(${labels.join(", ")})`);
  if (graph.heads().includes(node.revision)) out.push("(head)");
  if (graph.branchPoints().includes(node.revision)) out.push("(branchpoint)");
  if (node.downRevisions.length > 1) out.push("(mergepoint)");
  if (current.has(node.revision)) out.push("(current)");
  return out.length ? ` ${out.join(" ")}` : "";
}

/** Alembic's one-line form: `8be61d0cc541 -> 3f2a9c1b7d4e (head), add users`. */
export function historyLine(graph: RevisionGraph, node: RevisionNode, current: ReadonlySet<string> = new Set()): string {
  const parents = node.downRevisions.length ? node.downRevisions.join(", ") : "<base>";
  return `${parents} -> ${node.revision}${tags(graph, node, current)}, ${node.doc ?? ""}`;
}

/** Alembic's verbose form (`show`, `--verbose`). */
export function describeRevision(graph: RevisionGraph, node: RevisionNode, current: ReadonlySet<string> = new Set()): string {
  const lines = [`Rev: ${node.revision}${tags(graph, node, current)}`];
  if (node.downRevisions.length > 1) lines.push(`Merges: ${node.downRevisions.join(", ")}`);
  else lines.push(`Parent: ${node.downRevisions[0] ?? "<base>"}`);
  const children = graph.children(node.revision, { dependencies: false });
  if (children.length > 1) lines.push(`Branches into: ${children.join(", ")}`);
  if (node.dependsOn?.length) lines.push(`Also depends on: ${node.dependsOn.join(", ")}`);
  if (graph.labelsOf(node.revision).length) lines.push(`Branch names: ${graph.labelsOf(node.revision).join(", ")}`);
  if (node.path) lines.push(`Path: ${node.path}`);
  lines.push("", `    ${node.doc ?? ""}`);
  return lines.join("\n");
}
