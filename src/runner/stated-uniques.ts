/**
 * What the applied revisions say a unique index is. A dialect that keeps a
 * unique constraint as a unique index (MySQL) cannot tell the two apart once
 * the entities no longer declare it: dropping it, and the downgrade that
 * re-creates it, would be written as an index, which PostgreSQL and SQLite
 * keep apart from a unique constraint. The revision files that made it know.
 */
import type { DeclaredUnique, DeclaredUniques } from "../model/portable";
import { resolvePortableOp, type PortableResolver } from "../ops/portable";
import type { DialectName, Op } from "../ops/types";
import type { ScriptDirectory } from "../revisions/script";
import type { Unique } from "../schema/types";
import { recordBody } from "./dry-run";

/** The revisions applied up to `heads`, in the order they ran. */
export function appliedRevisions(scripts: ScriptDirectory, heads: readonly string[]) {
  if (heads.length === 0) return [];
  const applied = scripts.graph.applied(heads);
  return scripts.graph
    .planUpgrade([], "heads")
    .filter((step) => applied.has(step.revision.revision))
    .map((step) => scripts.get(step.revision.revision));
}

/**
 * The unique constraints the upgrade bodies of `revisions` (in the order they
 * ran) created and left in place, by table: each under the name its file
 * gives it and the index name it is stored under on `dialect`. A body that
 * reads the database shows its ops up to that point only: what follows is
 * not known here, and such a unique is written as the index it looks like.
 */
export async function uniquesStatedBy(
  revisions: ReadonlyArray<Parameters<typeof recordBody>[0]>,
  dialect: DialectName,
  resolver: PortableResolver,
): Promise<DeclaredUniques> {
  const live = new Map<string, Map<string, DeclaredUnique>>();
  const on = (table: string) => {
    let uniques = live.get(table);
    if (!uniques) live.set(table, (uniques = new Map()));
    return uniques;
  };
  const state = (table: string, written: Unique, stored: Unique) =>
    on(table).set(stored.name, { name: written.name, columns: [...written.columns], indexName: stored.name });
  for (const revision of revisions) {
    const { ops, knownInAdvance } = await recordBody(revision, "up", dialect);
    for (const { op: written, dialects } of ops.slice(0, knownInAdvance)) {
      if (dialects && !dialects.includes(dialect)) continue;
      const op: Op | undefined = resolvePortableOp(written, resolver);
      if (!op) continue;
      if (op.kind === "createUnique" && written.kind === "createUnique") state(op.table, written.unique, op.unique);
      else if (op.kind === "createTable" && written.kind === "createTable") {
        live.delete(op.table.name);
        (op.table.uniques ?? []).forEach((stored, n) => state(op.table.name, written.table.uniques![n], stored));
      } else if (op.kind === "dropUnique" || op.kind === "dropIndex") live.get(op.table)?.delete(op.name);
      else if (op.kind === "createIndex") live.get(op.table)?.delete(op.index.name);
      else if (op.kind === "renameIndex") live.get(op.table)?.delete(op.from);
      else if (op.kind === "dropTable") live.delete(op.table);
      else if (op.kind === "renameTable") {
        const uniques = live.get(op.from);
        live.delete(op.from);
        if (uniques) live.set(op.to, uniques);
      }
    }
  }
  return new Map([...live].map(([table, uniques]) => [table, [...uniques.values()]]));
}
