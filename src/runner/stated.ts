/**
 * What the applied revisions stated about the schema they built, for what
 * the entities no longer declare. Autogenerate derives the portable form of
 * a column or unique from the entities; a dropped column or table (whose
 * downgrade re-creates it) and a unique the entities no longer declare have
 * only the live database to go by, and a database may keep less than the
 * file said: MySQL stores a unique constraint as a unique index and
 * `decimal(8,0)` as `decimal(8)`, which PostgreSQL and SQLite keep apart.
 * The revision files that made them know.
 */
import type { DeclaredUnique, DeclaredUniques, PortableIndex } from "../model/portable";
import { isPortableColumn, resolvePortableOp, type PortableColumn, type PortableResolver } from "../ops/portable";
import { applyColumnChanges } from "../ops/reverse";
import type { DialectName, Op } from "../ops/types";
import type { Revision, ScriptDirectory } from "../revisions/script";
import type { Column, Unique } from "../schema/types";
import { recordBody } from "./dry-run";

/** The revisions applied up to `heads`, in the order they ran. */
export function appliedRevisions(scripts: ScriptDirectory, heads: readonly string[]): Revision[] {
  if (heads.length === 0) return [];
  const applied = scripts.graph.applied(heads);
  return scripts.graph
    .planUpgrade([], "heads")
    .filter((step) => applied.has(step.revision.revision))
    .map((step) => scripts.get(step.revision.revision));
}

export interface Stated {
  /** Unique constraints created and left in place: each under its file's name and the index name it is stored under here. */
  uniques: DeclaredUniques;
  /** The portable columns as the files last stated them. */
  columns: PortableIndex;
}

/**
 * What the upgrade bodies of `revisions` (in the order they ran) left in
 * place. A body that reads the database shows its ops up to that point only:
 * what follows is not known here and is written from the live database.
 */
export async function statedBy(revisions: readonly Revision[], dialect: DialectName, resolver: PortableResolver): Promise<Stated> {
  const uniques = new Map<string, Map<string, DeclaredUnique>>();
  const columns: PortableIndex = new Map();
  const tableOf = <T>(map: Map<string, Map<string, T>>, table: string) => {
    let found = map.get(table);
    if (!found) map.set(table, (found = new Map()));
    return found;
  };
  const state = (table: string, written: Unique, stored: Unique) =>
    tableOf(uniques, table).set(stored.name, { name: written.name, columns: [...written.columns], indexName: stored.name });
  const stateColumn = (table: string, column: Column | PortableColumn | undefined, name: string) => {
    if (isPortableColumn(column)) tableOf(columns, table).set(name, column);
    else columns.get(table)?.delete(name);
  };
  const move = <T>(map: Map<string, T>, from: string, to: string) => {
    const value = map.get(from);
    map.delete(from);
    if (value !== undefined) map.set(to, value);
  };
  for (const revision of revisions) {
    const { ops, knownInAdvance } = await recordBody(revision, "up", dialect);
    for (const { op: written, dialects } of ops.slice(0, knownInAdvance)) {
      if (dialects && !dialects.includes(dialect)) continue;
      const op: Op | undefined = resolvePortableOp(written, resolver);
      switch (written.kind) {
        case "createTable":
          uniques.delete(written.table.name);
          columns.delete(written.table.name);
          if (op?.kind === "createTable") (op.table.uniques ?? []).forEach((stored, n) => state(op.table.name, written.table.uniques![n], stored));
          for (const column of written.table.columns) stateColumn(written.table.name, column, column.name);
          break;
        case "createUnique":
          if (op?.kind === "createUnique") state(op.table, written.unique, op.unique);
          break;
        case "dropUnique":
        case "dropIndex":
          if (op?.kind === written.kind) uniques.get(op.table)?.delete(op.name);
          break;
        case "createIndex":
          uniques.get(written.table)?.delete(written.index.name);
          break;
        case "renameIndex":
          uniques.get(written.table)?.delete(written.from);
          break;
        case "addColumn":
          stateColumn(written.table, written.column, written.column.name);
          break;
        case "alterColumn": {
          const before = columns.get(written.table)?.get(written.column) ?? written.existing;
          const after = isPortableColumn(before) ? applyColumnChanges(before as unknown as Column, written.changes) : undefined;
          stateColumn(written.table, after, written.column);
          break;
        }
        case "dropColumn":
          columns.get(written.table)?.delete(written.column);
          break;
        case "renameColumn": {
          const column = columns.get(written.table)?.get(written.from);
          columns.get(written.table)?.delete(written.from);
          if (column) tableOf(columns, written.table).set(written.to, { ...column, name: written.to });
          break;
        }
        case "dropTable":
          uniques.delete(written.table);
          columns.delete(written.table);
          break;
        case "renameTable":
          move(uniques, written.from, written.to);
          move(columns, written.from, written.to);
          break;
        default:
          break;
      }
    }
  }
  return { uniques: new Map([...uniques].map(([table, found]) => [table, [...found.values()]])), columns };
}
