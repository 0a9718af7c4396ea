import type { Deferrable, ForeignKey, ReferentialAction } from "./types";

const ACTIONS: readonly ReferentialAction[] = ["NO ACTION", "RESTRICT", "CASCADE", "SET NULL", "SET DEFAULT"];

/** How a dialect stores referential actions and deferrability (see CANONICAL.md rule 8). */
export interface ForeignKeyRules {
  /** MySQL: RESTRICT and NO ACTION are the same thing, reported as either. */
  restrictIsNoAction: boolean;
  /** What the dialect keeps of DEFERRABLE (PostgreSQL all, SQLite only INITIALLY DEFERRED, MySQL nothing). */
  deferrable(value: Deferrable | undefined): Deferrable | undefined;
}

/** One spelling per referential action; an unknown or missing action is the SQL default, NO ACTION. */
export function canonicalReferentialAction(action: string | undefined, rules: Pick<ForeignKeyRules, "restrictIsNoAction">): ReferentialAction {
  const upper = (action ?? "NO ACTION").trim().toUpperCase().replace(/\s+/g, " ");
  const known = (ACTIONS as readonly string[]).includes(upper) ? (upper as ReferentialAction) : "NO ACTION";
  return rules.restrictIsNoAction && known === "RESTRICT" ? "NO ACTION" : known;
}

/** A foreign key in canonical form under a dialect's rules. */
export function canonicalForeignKeyWith(fk: ForeignKey, rules: ForeignKeyRules): ForeignKey {
  const out: ForeignKey = {
    name: fk.name,
    columns: [...fk.columns],
    referencedTable: fk.referencedTable,
    referencedColumns: [...fk.referencedColumns],
    onDelete: canonicalReferentialAction(fk.onDelete, rules),
    onUpdate: canonicalReferentialAction(fk.onUpdate, rules),
  };
  const deferrable = rules.deferrable(fk.deferrable);
  if (deferrable) out.deferrable = deferrable;
  return out;
}

/**
 * An index's sort options in one spelling: upper case, single spaces, `ASC`
 * left out (it is the default everywhere); `implied` maps the spellings a
 * dialect treats as its default to what is left (PostgreSQL: `NULLS LAST`
 * is `""`). Undefined when every entry sorts by default.
 */
export function canonicalIndexOrder(order: readonly string[] | undefined, implied: Readonly<Record<string, string>> = {}): string[] | undefined {
  const out = order?.map((entry) => {
    const spelled = entry.trim().replace(/\s+/g, " ").toUpperCase().replace(/^ASC\b\s*/, "");
    return implied[spelled] ?? spelled;
  });
  return out?.some((entry) => entry !== "") ? out : undefined;
}
