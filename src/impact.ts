/**
 * The live-data impact preview of `revision --autogenerate`: before the file
 * is written, the rows each change would hit are counted (NULLs before NOT
 * NULL, values a narrower type cannot hold, duplicates before UNIQUE, orphans
 * before a foreign key, rows violating a new check, rows holding an enum value
 * being removed) with the runner's own precheck queries (src/runner/precheck.ts,
 * src/dialects/preconditions.ts), and written into the REVIEW lines and --json.
 * A table the catalog says is too large, or a check past the time budget, is
 * reported as skipped, never as clean.
 */
import { fillValueText } from "./compare/describe";
import type { Diff, Finding, Step } from "./compare/types";
import type { Dialect, Queryable } from "./dialects/dialect";
import { ALL_KINDS, removedEnumValues, type Precondition } from "./dialects/preconditions";
import type { PortableResolver } from "./ops/portable";
import { opChecks, type OpCheck } from "./runner/precheck";

export interface ImpactOptions {
  /** Tables the catalog estimates above this many rows are not counted. Default 1,000,000. */
  maxRows?: number;
  /** Seconds the preview may spend; checks after that are skipped. Default 10. */
  budgetSeconds?: number;
}

export const DEFAULT_IMPACT_MAX_ROWS = 1_000_000;
export const DEFAULT_IMPACT_BUDGET_SECONDS = 10;

/** One counted (or skipped) check of one upgrade step. */
export interface ImpactCount {
  /** Index of the step in `diff.upgrade`. */
  step: number;
  subject: string;
  problem: string;
  /** Offending rows; absent when skipped. */
  rows?: number;
  /** Why the rows were not counted. */
  skipped?: string;
}

/** Checks of `alterEnum` ops that remove values: rows of the columns typed with that enum. */
async function enumChecks(steps: readonly Step[], dialect: Dialect, db: Queryable): Promise<OpCheck[]> {
  const removals = steps.flatMap((s, index) => {
    if (s.op.kind !== "alterEnum") return [];
    const kept = new Set(s.op.values);
    const removed = s.op.existing.filter((v) => !kept.has(v));
    return removed.length > 0 ? [{ index, name: s.op.name, removed }] : [];
  });
  if (removals.length === 0) return [];
  const schema = await dialect.introspect(db);
  const sql = { q: dialect.quoteIdentifier, literal: dialect.quoteLiteral };
  return removals.flatMap(({ index, name, removed }) =>
    schema.tables.flatMap((t) =>
      t.columns.filter((c) => c.enumName === name).map((c) => ({ index, precondition: removedEnumValues(sql, t.name, c.name, removed) })),
    ),
  );
}

/** Counts the rows each upgrade step of `diff` would hit on the live database. */
export async function previewImpact(
  diff: Diff,
  dialect: Dialect,
  db: Queryable,
  portable: PortableResolver,
  options: ImpactOptions = {},
): Promise<ImpactCount[]> {
  const maxRows = options.maxRows ?? DEFAULT_IMPACT_MAX_ROWS;
  const deadline = Date.now() + 1000 * (options.budgetSeconds ?? DEFAULT_IMPACT_BUDGET_SECONDS);
  const checks = [
    ...(await opChecks(diff.upgrade.map((s) => s.op), dialect, db, portable, ALL_KINDS, true)),
    ...(await enumChecks(diff.upgrade, dialect, db)),
  ];
  const sizes = new Map<string, number | undefined>();
  const sizeOf = async (table: string) => {
    // The same sizes lint reads: the catalog's estimate, or a count capped at COUNT_CAP.
    if (!sizes.has(table)) sizes.set(table, (await dialect.tableRows(db, [table])).get(table)?.rows);
    return sizes.get(table);
  };
  const counts: ImpactCount[] = [];
  for (const { index, precondition } of checks) {
    const base = { step: index, subject: precondition.subject, problem: precondition.problem };
    const skipped = await skipReason(precondition, sizeOf, maxRows, deadline, options.budgetSeconds ?? DEFAULT_IMPACT_BUDGET_SECONDS);
    if (skipped) {
      counts.push({ ...base, skipped });
      continue;
    }
    const [row] = await db.query<{ n: unknown }>(precondition.sql);
    counts.push({ ...base, rows: Number(row?.n ?? 0) });
  }
  return counts;
}

async function skipReason(
  precondition: Precondition,
  sizeOf: (table: string) => Promise<number | undefined>,
  maxRows: number,
  deadline: number,
  budgetSeconds: number,
): Promise<string | undefined> {
  if (Date.now() > deadline) return `skipped: the preview's time budget (${budgetSeconds} s) is spent`;
  for (const table of precondition.tables) {
    const size = await sizeOf(table);
    if (size !== undefined && size > maxRows) return `skipped: table too large (${table}: about ${size} rows, over ${maxRows})`;
  }
  return undefined;
}

function plural(n: number): string {
  return n === 1 ? "1 row" : `${n} rows`;
}

/** The REVIEW line of one count, saying what the revision does about those rows. */
function reviewLine(count: ImpactCount, steps: readonly Step[]): string {
  if (count.skipped !== undefined) return `REVIEW data: ${count.subject} ${count.problem} not counted, ${count.skipped}.`;
  const [table, column] = count.subject.split(".");
  const fill = steps
    .slice(0, count.step)
    .find((s) => s.op.kind === "fillNulls" && s.op.table === table && s.op.column === column && count.problem === "holding NULL");
  const what =
    fill && fill.op.kind === "fillNulls"
      ? `the fillNulls above sets them to ${fillValueText(fill.op)}`
      : "the upgrade refuses to run (or fails) until they are fixed, e.g. by an UPDATE before this op";
  return `REVIEW data: ${plural(count.rows!)} of ${count.subject} ${count.problem}; ${what}.`;
}

/**
 * `diff` with each count that found rows, or could not be made, as a REVIEW
 * line on its step and as a finding (terminal, --json). A count of 0 stays
 * out of the file: --json lists every count.
 */
export function withImpact(diff: Diff, counts: readonly ImpactCount[]): Diff {
  const lines = new Map<number, string[]>();
  const findings: Finding[] = [];
  for (const count of counts) {
    if (count.rows === 0) continue;
    const line = reviewLine(count, diff.upgrade);
    lines.set(count.step, [...(lines.get(count.step) ?? []), line]);
    findings.push({ kind: "data-impact", message: line.replace(/^REVIEW /, ""), table: count.subject.split(/[. ]/)[0], review: [line] });
  }
  const upgrade = diff.upgrade.map((step, i) => (lines.has(i) ? { ...step, review: [...(step.review ?? []), ...lines.get(i)!] } : step));
  return { ...diff, upgrade, findings: [...diff.findings, ...findings] };
}
