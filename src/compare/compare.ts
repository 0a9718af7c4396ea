import { renamedValues, reverseOps } from "../ops/reverse";
import type { Op } from "../ops/types";
import { UserError } from "../errors";
import { namespaceOf, splitQualified } from "../schema/qualified";
import type { EnumType, Schema, Table } from "../schema/types";
import { applyOp } from "./apply";
import { enumRenameHint, fittingRenames, resolveEnumValueRenames } from "./enum-renames";
import type { ComparerDialect } from "./dialect";
import { typeText } from "./describe";
import { type DiffContext, opTable, orderSteps, Phase, toStep } from "./plan";
import { columnRenameScore, compareText, deepEqual, pairCandidates, tableRenameScore } from "./similarity";
import { diffTable, planCreateTables, planDropTables, planForeignKeysAroundAlters } from "./tables";
import type { Diff, Finding, RenameCandidate, RenameResolver, Step } from "./types";
import { declaredView, diffViews } from "./views";

export interface CompareOptions {
  dialect: ComparerDialect;
  /** Asked once per rename candidate, in a deterministic order. */
  resolveRename: RenameResolver;
  /**
   * Renames the user declared (`--rename`): facts, not candidates, so they
   * apply whatever the two sides' shapes (a rename plus a type change keeps
   * the data); the rest of the difference follows as alterColumn.
   */
  declaredRenames?: readonly RenameCandidate[];
}

/** A rename candidate the resolver declined: the add gets a REVIEW comment with the ready rename line. */
interface Declined {
  candidate: RenameCandidate;
  review: string[];
}

function sortedTables(schema: Schema): Table[] {
  return [...schema.tables].sort((a, b) => compareText(a.name, b.name));
}

// Schemas are values (applyOp returns a new one), so an index per schema object stays valid.
const tableIndexes = new WeakMap<Schema, Map<string, Table>>();

/** `findTable` in constant time: the comparer looks every table of one schema up in the other (quadratic at 1000s of tables). */
function tableNamed(schema: Schema, name: string): Table | undefined {
  let index = tableIndexes.get(schema);
  if (!index) {
    index = new Map();
    for (const table of schema.tables) if (!index.has(table.name)) index.set(table.name, table);
    tableIndexes.set(schema, index);
  }
  return index.get(name);
}

function declinedTable(from: string, to: string): Declined {
  return {
    candidate: { kind: "table", from, to },
    review: [
      `REVIEW rename? table "${from}" was dropped and "${to}" added with the same columns.`,
      `If it is a rename, replace this createTable and the dropTable of "${from}" with:`,
      `  await op.renameTable(${JSON.stringify(from)}, ${JSON.stringify(to)});`,
    ],
  };
}

function declinedColumn(table: string, from: string, to: string, type: string): Declined {
  return {
    candidate: { kind: "column", table, from, to },
    review: [
      `REVIEW rename? "${table}.${from}" was dropped and "${table}.${to}" added with the same type (${type}).`,
      `If it is a rename, replace this addColumn and the dropColumn of "${table}.${from}" with:`,
      `  await op.renameColumn(${JSON.stringify(table)}, ${JSON.stringify(from)}, ${JSON.stringify(to)});`,
    ],
  };
}

function renameFinding(declined: Declined): Finding {
  const { candidate } = declined;
  const qualify = (name: string) => (candidate.table ? `${candidate.table}.${name}` : name);
  return {
    kind: "rename-candidate",
    message: `Possible rename: "${qualify(candidate.from)}" -> "${qualify(candidate.to)}" (emitted as drop and add; confirm with --rename ${renameSpec(candidate)})`,
    ...(candidate.table ? { table: candidate.table } : { table: candidate.to }),
    review: declined.review,
  };
}

/** The `--rename` value that declares `rename`: a table in a non-default schema needs `table:`, or it would read as a column. */
export function renameSpec(rename: RenameCandidate): string {
  if (rename.kind === "column") return `${rename.table}.${rename.from}=${rename.table}.${rename.to}`;
  if (rename.kind === "enumValue") return `enum:${rename.from}=${rename.to}`;
  return `${rename.from.includes(".") ? "table:" : ""}${rename.from}=${rename.to}`;
}

/**
 * A `--rename` that names no dropped-and-added pair. Ignoring it would leave
 * a drop + add in the file, the very data loss the flag was meant to avoid.
 */
export class UnmatchedRenameError extends UserError {
  constructor(
    readonly rename: RenameCandidate,
    readonly reason: string,
  ) {
    const noun = rename.kind === "enumValue" ? "enum value" : rename.kind;
    super(`--rename ${renameSpec(rename)} does not match a dropped and an added ${noun}: ${reason}.`);
  }
}

/** Why a declared rename of `from` to `to` cannot apply (`label` names a table or column for the message), or undefined when it does. */
function renameMismatch(
  from: string,
  to: string,
  label: (name: string) => string,
  inCurrent: (name: string) => boolean,
  inTarget: (name: string) => boolean,
): string | undefined {
  if (!inCurrent(from)) return `the database has no ${label(from)}`;
  if (inTarget(from)) return `the entities still have ${label(from)}`;
  if (!inTarget(to)) return `the entities have no ${label(to)}`;
  if (inCurrent(to)) return `the database already has ${label(to)}`;
  return undefined;
}

/**
 * Applies every declared rename; one whose old name is not gone from the
 * models, or whose new name is not new, is an error, never skipped.
 */
function applyDeclaredRenames(ctx: DiffContext, declared: readonly RenameCandidate[]): void {
  for (const rename of declared.filter((d) => d.kind === "table")) {
    const { from, to } = rename;
    const has = (schema: Schema) => (name: string) => Boolean(tableNamed(schema, name));
    const mismatch = renameMismatch(from, to, (name) => `table "${name}"`, has(ctx.renamed), has(ctx.target));
    if (mismatch) throw new UnmatchedRenameError(rename, mismatch);
    addRename(ctx, { kind: "renameTable", from, to }, [0, from]);
    ctx.originalTableName.set(to, from);
  }
  for (const rename of declared.filter((d) => d.kind === "column")) {
    const { table = "", from, to } = rename;
    const current = tableNamed(ctx.renamed, table);
    const target = tableNamed(ctx.target, table);
    const has = (t: Table | undefined) => (name: string) => Boolean(t?.columns.some((c) => c.name === name));
    const schemaTables = (schema: Schema) => schema.tables.some((t) => namespaceOf(t.name) === table);
    const mismatch = !target
      ? schemaTables(ctx.target) || schemaTables(ctx.renamed)
        ? `"${table}" is a schema, not a table; a table in it is renamed with table:${table}.${from}=${table}.${to}`
        : `the entities have no table "${table}"`
      : !current
        ? `the database has no table "${table}"`
        : renameMismatch(from, to, (name) => `column "${table}.${name}"`, has(current), has(target));
    if (mismatch) throw new UnmatchedRenameError(rename, mismatch);
    addRename(ctx, { kind: "renameColumn", table, from, to }, [1, table, from]);
  }
}

/**
 * A table dropped from one schema and added under the same name in another
 * is a move: `renameTable` across schemas keeps its rows. Only a name that
 * leaves and arrives exactly once is a move; anything else is left to the
 * rename candidates.
 */
function resolveTableMoves(ctx: DiffContext): void {
  const dropped = sortedTables(ctx.renamed).filter((t) => !tableNamed(ctx.target, t.name));
  const added = sortedTables(ctx.target).filter((t) => !tableNamed(ctx.renamed, t.name));
  const once = (tables: Table[]) => {
    const byBare = new Map<string, Table | null>();
    for (const t of tables) {
      const bare = splitQualified(t.name).name;
      byBare.set(bare, byBare.has(bare) ? null : t);
    }
    return new Map([...byBare].filter((entry): entry is [string, Table] => entry[1] !== null));
  };
  const arriving = once(added);
  for (const [bare, from] of once(dropped)) {
    const to = arriving.get(bare);
    if (!to) continue;
    addRename(ctx, { kind: "renameTable", from: from.name, to: to.name }, [0, from.name]);
    ctx.originalTableName.set(to.name, from.name);
  }
}

/** Asks about tables dropped and added that look alike; applies the accepted renames to `ctx.renamed`. */
async function resolveTableRenames(ctx: DiffContext, resolve: RenameResolver, declined: Declined[]): Promise<void> {
  const dropped = sortedTables(ctx.renamed).filter((t) => !tableNamed(ctx.target, t.name));
  const added = sortedTables(ctx.target).filter((t) => !tableNamed(ctx.renamed, t.name));
  for (const [from, to] of pairCandidates(dropped, added, tableRenameScore)) {
    if (await resolve({ kind: "table", from: from.name, to: to.name })) {
      addRename(ctx, { kind: "renameTable", from: from.name, to: to.name }, [0, from.name]);
      ctx.originalTableName.set(to.name, from.name);
    } else {
      declined.push(declinedTable(from.name, to.name));
    }
  }
}

/** Asks about columns dropped and added in the same table that have the same shape. */
async function resolveColumnRenames(ctx: DiffContext, resolve: RenameResolver, declined: Declined[]): Promise<void> {
  for (const target of sortedTables(ctx.target)) {
    const current = tableNamed(ctx.renamed, target.name);
    if (!current) continue;
    const dropped = current.columns.filter((c) => !target.columns.some((t) => t.name === c.name));
    const added = target.columns.filter((c) => !current.columns.some((t) => t.name === c.name));
    for (const [from, to] of pairCandidates(dropped, added, columnRenameScore)) {
      if (await resolve({ kind: "column", table: target.name, from: from.name, to: to.name })) {
        addRename(ctx, { kind: "renameColumn", table: target.name, from: from.name, to: to.name }, [1, target.name, from.name]);
      } else {
        declined.push(declinedColumn(target.name, from.name, to.name, typeText(to)));
      }
    }
  }
}

function addRename(ctx: DiffContext, op: Op, key: Array<string | number>): void {
  ctx.planned.push({ op, phase: Phase.rename, key });
  ctx.renamed = applyOp(ctx.renamed, op);
}

/** Whether `after` only adds values to `before`, keeping their order (safe before the tables change). */
export function onlyAddsValues(before: readonly string[], after: readonly string[]): boolean {
  const kept = after.filter((v) => before.includes(v));
  return deepEqual(kept, before);
}

/**
 * Whether a target column default uses a value `wanted` adds to `existing`:
 * PostgreSQL refuses a value added by ADD VALUE in the same transaction, so
 * the type must be recreated instead.
 */
function usesAddedValue(ctx: DiffContext, existing: EnumType, wanted: EnumType): boolean {
  const added = wanted.values.filter((v) => !existing.values.includes(v)).map((v) => `'${v.replace(/'/g, "''")}'`);
  return ctx.target.tables.some((t) =>
    t.columns.some((c) => c.enumName === wanted.name && c.default !== undefined && added.some((literal) => c.default!.includes(literal))),
  );
}

const withReview = (review: string[] | undefined) => (review ? { review } : {});

function diffEnums(ctx: DiffContext): void {
  if (!ctx.dialect.supportsEnumTypes) return;
  const byName = (list: EnumType[]) => [...list].sort((a, b) => compareText(a.name, b.name));
  const currentEnums = new Map<string, EnumType>();
  for (const e of ctx.renamed.enums) if (!currentEnums.has(e.name)) currentEnums.set(e.name, e);
  const targetEnums = new Set(ctx.target.enums.map((e) => e.name));
  for (const wanted of byName(ctx.target.enums)) {
    const existing = currentEnums.get(wanted.name);
    if (!existing) {
      ctx.planned.push({ op: { kind: "createEnum", name: wanted.name, values: [...wanted.values] }, phase: Phase.enumAdd, key: [wanted.name] });
    } else if (!deepEqual(existing.values, wanted.values)) {
      const renames = fittingRenames(existing.values, wanted.values, ctx.enumValueRenames);
      const renamed = { ...existing, values: renamedValues(existing.values, renames) };
      const recreate = onlyAddsValues(renamed.values, wanted.values) && usesAddedValue(ctx, renamed, wanted);
      ctx.planned.push({
        op: {
          kind: "alterEnum",
          name: wanted.name,
          values: [...wanted.values],
          existing: [...existing.values],
          ...(recreate ? { recreate } : {}),
          ...(renames ? { renames } : {}),
        },
        phase: onlyAddsValues(renamed.values, wanted.values) ? Phase.enumAdd : Phase.enumDrop,
        ...withReview(enumRenameHint(existing.values, wanted.values, renames)),
        key: [0, wanted.name],
      });
    }
  }
  for (const existing of byName(ctx.renamed.enums)) {
    if (targetEnums.has(existing.name)) continue;
    ctx.planned.push({ op: { kind: "dropEnum", name: existing.name, existing: [...existing.values] }, phase: Phase.enumDrop, key: [1, existing.name] });
  }
}

function diffTables(ctx: DiffContext, declined: readonly Declined[]): void {
  const reviewFor = (table: string) =>
    declined.find((d) => d.candidate.kind === "table" && d.candidate.to === table)?.review;
  for (const target of sortedTables(ctx.target)) {
    const current = tableNamed(ctx.renamed, target.name);
    if (current) diffTable(ctx, current, target);
  }
  planCreateTables(
    ctx,
    sortedTables(ctx.target).filter((t) => !tableNamed(ctx.renamed, t.name)),
    reviewFor,
  );
  planDropTables(
    ctx,
    sortedTables(ctx.renamed).filter((t) => !tableNamed(ctx.target, t.name)),
  );
  planForeignKeysAroundAlters(ctx);
}

/** Puts each declined column rename's REVIEW lines on the addColumn it concerns. */
function attachColumnReviews(ctx: DiffContext, declined: readonly Declined[]): void {
  for (const { candidate, review } of declined) {
    if (candidate.kind !== "column") continue;
    const planned = ctx.planned.find(
      (p) => p.op.kind === "addColumn" && p.op.table === candidate.table && p.op.column.name === candidate.to,
    );
    if (planned) planned.review = [...(planned.review ?? []), ...review];
  }
}

function unmodelledFindings(schema: Schema, target: Schema): Finding[] {
  return [...(schema.unmodelled ?? [])]
    .filter((object) => !(object.kind === "view" && declaredView(target, object.name)))
    .sort((a, b) => compareText(a.kind, b.kind) || compareText(a.name, b.name))
    .map((object) => {
      const what = `${object.kind} "${object.name}"${object.table ? ` on "${object.table}"` : ""}`;
      return {
        kind: "unmodelled" as const,
        message: `The database has ${what}, which the models do not describe; it is left alone`,
        ...(object.table ? { table: object.table } : {}),
        review: [`REVIEW: the database has ${what}, which the models do not describe; autogenerate leaves it alone.`],
      };
    });
}

function destructiveFindings(steps: readonly Step[]): Finding[] {
  return steps
    .filter((step) => step.destructive)
    .map((step) => {
      const table = opTable(step.op);
      const risk = (step.review ?? []).filter((line) => !line.startsWith("REVIEW rename?") && !line.startsWith("  await"));
      return {
        kind: "destructive" as const,
        message: `${step.detected}: ${risk.map((line) => line.replace(/^REVIEW /, "")).join(" ")}`,
        ...(table ? { table } : {}),
        review: risk,
      };
    });
}

/**
 * The ops that turn `current` (the introspected database) into `target` (the
 * models), in execution order, with a downgrade that exactly reverses them.
 * Both schemas must be canonical (CANONICAL.md). Renames are never guessed:
 * each candidate goes to `options.resolveRename`.
 */
export async function compare(current: Schema, target: Schema, options: CompareOptions): Promise<Diff> {
  const ctx: DiffContext = {
    dialect: options.dialect,
    original: current,
    renamed: current,
    target,
    originalTableName: new Map(),
    planned: [],
    findings: [],
  };
  const declined: Declined[] = [];
  applyDeclaredRenames(ctx, options.declaredRenames ?? []);
  resolveTableMoves(ctx);
  await resolveTableRenames(ctx, options.resolveRename, declined);
  await resolveColumnRenames(ctx, options.resolveRename, declined);
  ctx.enumValueRenames = await resolveEnumValueRenames(
    ctx.renamed,
    ctx.target,
    ctx.dialect.supportsEnumTypes,
    options.declaredRenames ?? [],
    options.resolveRename,
    (rename, reason) => {
      throw new UnmatchedRenameError(rename, reason);
    },
  );
  diffEnums(ctx);
  diffTables(ctx, declined);
  diffViews(ctx);
  attachColumnReviews(ctx, declined);

  const upgrade = orderSteps(ctx.planned, options.dialect);
  const downgrade = reverseOps(upgrade.map((step) => step.op)).map((op) => toStep(op, options.dialect));
  const findings = [
    ...declined.map(renameFinding),
    ...ctx.findings,
    ...destructiveFindings(upgrade),
    ...unmodelledFindings(current, target),
  ];
  return { upgrade, downgrade, findings };
}
