import type { Op, ViewDefinition } from "../ops/types";
import type { Schema, View } from "../schema/types";
import { opTable, Phase, type DiffContext } from "./plan";

/**
 * The names of `candidates` that `sql` mentions as an identifier, quoted or
 * not, case-insensitively. Where no catalog lists what a view reads (MySQL),
 * or for entities that declare no `dependsOn`, a view's text is all there is;
 * a false positive only costs a drop and re-create of the view.
 */
export function mentionedNames(sql: string, candidates: readonly string[]): string[] {
  const lower = sql.toLowerCase();
  return candidates.filter((name) => {
    const n = name.toLowerCase();
    if (n === "") return false;
    for (let at = lower.indexOf(n); at >= 0; at = lower.indexOf(n, at + 1)) {
      const before = lower[at - 1] ?? " ";
      const after = lower[at + n.length] ?? " ";
      if (!/[\w$]/.test(before) && !/[\w$]/.test(after)) return true;
    }
    return false;
  });
}

/** Ops on a table that a view reading it does not survive (PostgreSQL refuses them, MySQL leaves the view broken). */
const BREAKING: ReadonlySet<Op["kind"]> = new Set(["alterColumn", "dropColumn", "renameColumn", "renameTable", "dropTable"]);

/** Tables the plan changes in a way views over them must be dropped around, under their names before and after renames. */
function touchedTables(ctx: DiffContext): Set<string> {
  const touched = new Set<string>();
  for (const { op } of ctx.planned) {
    if (!BREAKING.has(op.kind)) continue;
    const names = op.kind === "renameTable" ? [op.from, op.to] : [opTable(op)];
    for (const name of names) {
      if (name === undefined) continue;
      touched.add(name);
      touched.add(ctx.originalTableName.get(name) ?? name);
    }
  }
  return touched;
}

/** Views of one side each view reads (declared, from the catalog, or named in its text), for ordering. */
function viewDepths(views: readonly View[]): Map<string, number> {
  const names = views.map((v) => v.name);
  const byName = new Map(views.map((v) => [v.name, v]));
  const depths = new Map<string, number>();
  const depth = (view: View, seen: Set<string>): number => {
    const known = depths.get(view.name);
    if (known !== undefined) return known;
    if (seen.has(view.name)) return 0;
    seen.add(view.name);
    const reads = new Set([...(view.reads ?? []), ...mentionedNames(view.definition, names)]);
    reads.delete(view.name);
    let result = 0;
    for (const name of reads) {
      const read = byName.get(name);
      if (read) result = Math.max(result, depth(read, seen) + 1);
    }
    depths.set(view.name, result);
    return result;
  };
  for (const view of views) depth(view, new Set());
  return depths;
}

function viewChanges(have: View, want: View): string[] {
  const reasons: string[] = [];
  if (have.unrecorded) reasons.push("definition: the database has this view but no record of its definition (created outside retort); it is replaced so it is recorded");
  else if (have.definition !== want.definition) reasons.push(`definition: ${have.definition} -> ${want.definition}`);
  if (Boolean(have.materialized) !== Boolean(want.materialized)) {
    reasons.push(`materialized: ${Boolean(have.materialized)} -> ${Boolean(want.materialized)}`);
  }
  return reasons;
}

const definitionOf = (view: View): ViewDefinition => ({
  name: view.name,
  definition: view.definition,
  ...(view.materialized ? { materialized: true } : {}),
});

interface ViewChange {
  view: View;
  /** The terminal lines of the drop and of the create, when not the plain added/removed ones. */
  detected?: { drop: string; create: string };
  reasons: string[];
}

/**
 * Views added, removed, changed, and those that must be dropped and
 * re-created around a change to what they read. A changed view is replaced
 * (drop, then create once the tables are done); so are the views that read
 * a replaced view. Views the database has without a record stay unmanaged
 * unless an entity declares them.
 */
export function diffViews(ctx: DiffContext): void {
  const current = new Map((ctx.original.views ?? []).map((v) => [v.name, v]));
  const target = new Map((ctx.target.views ?? []).map((v) => [v.name, v]));
  const drops = new Map<string, ViewChange>();
  const creates = new Map<string, ViewChange>();
  for (const want of target.values()) {
    const have = current.get(want.name);
    if (!have) {
      creates.set(want.name, { view: want, reasons: [] });
      continue;
    }
    const reasons = viewChanges(have, want);
    if (reasons.length === 0) continue;
    const detected = {
      drop: `Detected changed view '${want.name}' (dropped, then created anew)`,
      create: `Detected changed view '${want.name}' (created anew)`,
    };
    drops.set(have.name, { view: have, detected, reasons });
    creates.set(want.name, { view: want, detected, reasons });
  }
  for (const have of current.values()) {
    if (!target.has(have.name) && !have.unrecorded) drops.set(have.name, { view: have, reasons: [] });
  }
  const touched = touchedTables(ctx);
  for (let grew = true; grew; ) {
    grew = false;
    for (const have of current.values()) {
      const want = target.get(have.name);
      if (drops.has(have.name) || !want) continue;
      const cause = (have.reads ?? []).find((name) => touched.has(name) || drops.has(name));
      if (cause === undefined) continue;
      const what = touched.has(cause) ? `table "${cause}"` : `view "${cause}"`;
      const change = {
        detected: {
          drop: `View '${have.name}' is dropped before the change to ${what} (and re-created after it)`,
          create: `View '${have.name}' is re-created after the change to ${what}`,
        },
        reasons: [`reads ${what}, which this revision changes`],
      };
      drops.set(have.name, { view: have, ...change });
      creates.set(want.name, { view: want, ...change });
      grew = true;
    }
  }
  const dropDepth = viewDepths([...current.values()]);
  const createDepth = viewDepths([...target.values()]);
  for (const { view, detected, reasons } of drops.values()) {
    const existing = definitionOf(view);
    ctx.planned.push({
      op: { kind: "dropView", name: view.name, ...(view.materialized ? { materialized: true } : {}), existing },
      phase: Phase.dropView,
      key: [-(dropDepth.get(view.name) ?? 0), view.name],
      ...(detected ? { detected: detected.drop } : {}),
      ...(reasons.length > 0 ? { reasons } : {}),
    });
  }
  for (const { view, detected, reasons } of creates.values()) {
    ctx.planned.push({
      op: { kind: "createView", view: definitionOf(view) },
      phase: Phase.createView,
      key: [createDepth.get(view.name) ?? 0, view.name],
      ...(detected ? { detected: detected.create } : {}),
      ...(reasons.length > 0 ? { reasons } : {}),
    });
  }
}

/** Unrecorded views an entity declares are replaced, not "left alone". */
export function declaredView(target: Schema, name: string): boolean {
  return (target.views ?? []).some((v) => v.name === name);
}
