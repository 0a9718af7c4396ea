/**
 * Enum values renamed (`--rename enum:old=new`, or accepted at the prompt):
 * without one, a value gone and a value added read as a removal (rows holding
 * it break) and an addition.
 */
import type { Schema } from "../schema/types";
import type { RenameCandidate, RenameResolver } from "./types";

/** old -> new, for the renames that fit a change from `before` to `after`; undefined when none does. */
export function fittingRenames(
  before: readonly string[],
  after: readonly string[],
  renames: ReadonlyMap<string, string> | undefined,
): Record<string, string> | undefined {
  const fitting = [...(renames ?? [])].filter(([from, to]) => before.includes(from) && !after.includes(from) && after.includes(to) && !before.includes(to));
  return fitting.length > 0 ? Object.fromEntries(fitting) : undefined;
}

interface ValueList {
  /** The enum type, or `table.column` for an inline enum. */
  where: string;
  before: string[];
  after: string[];
}

/** The enum value lists that differ: the types (PostgreSQL) or the inline enum columns. */
function changedLists(current: Schema, target: Schema, types: boolean): ValueList[] {
  const lists: ValueList[] = [];
  const differ = (a: readonly string[], b: readonly string[]) => a.length !== b.length || a.some((v, i) => v !== b[i]);
  if (types) {
    for (const wanted of target.enums) {
      const existing = current.enums.find((e) => e.name === wanted.name);
      if (existing && differ(existing.values, wanted.values)) lists.push({ where: wanted.name, before: existing.values, after: wanted.values });
    }
    return lists;
  }
  // By name, first of each (as find() took it): a find per target table was quadratic in the table count.
  const currentTables = new Map<string, Schema["tables"][number]>();
  for (const t of current.tables) if (!currentTables.has(t.name)) currentTables.set(t.name, t);
  for (const table of target.tables) {
    const currentTable = currentTables.get(table.name);
    for (const column of table.columns) {
      const existing = currentTable?.columns.find((c) => c.name === column.name);
      if (!existing?.enumValues || !column.enumValues || !differ(existing.enumValues, column.enumValues)) continue;
      lists.push({ where: `${table.name}.${column.name}`, before: existing.enumValues, after: column.enumValues });
    }
  }
  return lists;
}

/**
 * The declared enum value renames, each checked against the lists that
 * changed (exit 2 when one fits none), plus those accepted when asked about a
 * list that lost exactly one value and gained exactly one.
 */
export async function resolveEnumValueRenames(
  current: Schema,
  target: Schema,
  types: boolean,
  declared: readonly RenameCandidate[],
  resolve: RenameResolver,
  unmatched: (rename: RenameCandidate, reason: string) => never,
): Promise<Map<string, string>> {
  const renames = new Map<string, string>();
  const lists = changedLists(current, target, types);
  for (const rename of declared.filter((d) => d.kind === "enumValue")) {
    if (!lists.some((l) => fittingRenames(l.before, l.after, new Map([[rename.from, rename.to]])))) {
      unmatched(rename, `no enum has '${rename.from}' in the database and '${rename.to}' in the entities instead`);
    }
    renames.set(rename.from, rename.to);
  }
  for (const list of lists) {
    if (fittingRenames(list.before, list.after, renames)) continue;
    const removed = list.before.filter((v) => !list.after.includes(v));
    const added = list.after.filter((v) => !list.before.includes(v));
    if (removed.length !== 1 || added.length !== 1) continue;
    if (await resolve({ kind: "enumValue", table: list.where, from: removed[0]!, to: added[0]! })) renames.set(removed[0]!, added[0]!);
  }
  return renames;
}

/** The REVIEW hint for a list that lost one value and gained one without a rename: how to declare it. */
export function enumRenameHint(before: readonly string[], after: readonly string[], renames: Record<string, string> | undefined): string[] | undefined {
  if (renames) return undefined;
  const removed = before.filter((v) => !after.includes(v));
  const added = after.filter((v) => !before.includes(v));
  if (removed.length !== 1 || added.length !== 1) return undefined;
  return [
    `REVIEW rename? '${removed[0]}' was removed and '${added[0]}' added; if it is a rename, generate this revision again with`,
    `  --rename enum:${removed[0]}=${added[0]}  (rows holding '${removed[0]}' then keep their value as '${added[0]}')`,
  ];
}
