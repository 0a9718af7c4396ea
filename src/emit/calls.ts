import type { Step } from "../compare/types";
import { dropTableReview } from "../compare/describe";
import { opCalls } from "../ops/calls";
import type { Op, OpHandlers } from "../ops/types";
import { renderLiteral } from "./literal";

/** The `await op.<kind>(...)` statement for an op, with exactly the arguments `opCalls.fromArgs` reads back. */
export function renderOpCall(op: Op): string {
  const spec = opCalls[op.kind] as unknown as { toArgs: (op: Op) => unknown[] };
  const args = spec.toArgs(op).map((arg, i) => renderLiteral(arg, `${op.kind}[${i}]`));
  return `await op.${op.kind}(${args.join(", ")});`;
}

/** `// ` comment lines; a REVIEW block is marked as such on its first line. */
export function reviewComment(lines: readonly string[]): string[] {
  const split = lines.flatMap((line) => line.split(/\r\n|[\r\n\u2028\u2029]/));
  if (split.length === 0) return [];
  if (!/^REVIEW\b/.test(split[0])) split[0] = `REVIEW ${split[0]}`;
  return split.map((line) => (line.length ? `// ${line}` : "//"));
}

/**
 * The statements for one step: its REVIEW comment, then the call. A
 * destructive step that comes without its own explanation (the comparer
 * always gives one; a hand-built step may not) gets a generic warning.
 */
export function renderStep(step: Step): string[] {
  const review = step.review ?? [];
  const warning = step.destructive && review.length === 0 ? [`REVIEW destructive: ${describeDestructive(step)}`] : [];
  const call = renderOpCall(step.op);
  const only = step.dialects?.length ? call.replace(/^await op\./, `await op.only(${step.dialects.map((d) => JSON.stringify(d)).join(", ")}).`) : call;
  const note = step.note ? [`// ${step.note}`] : [];
  return [...reviewComment(review), ...reviewComment(warning), ...note, only];
}

/**
 * A downgrade's dropTable steps only undo this revision's createTable steps;
 * an initial revision's downgrade has one per table (80 on a real
 * application), which would bury the REVIEW lines that matter. Two or more
 * are said once, at the top of the body; other REVIEW lines stay on their step.
 */
export function groupTableDrops(steps: readonly Step[]): { steps: Step[]; notes: string[] } {
  const drops = steps.filter((s) => s.op.kind === "dropTable");
  if (drops.length < 2) return { steps: [...steps], notes: [] };
  const grouped = steps.map((step) => {
    if (step.op.kind !== "dropTable") return step;
    const own = dropTableReview(step.op.table);
    return { ...step, destructive: false, review: (step.review ?? []).filter((line) => line !== own) };
  });
  return {
    steps: grouped,
    notes: [`REVIEW destructive: this downgrade drops every table this revision created (${drops.length} tables), with all their rows.`],
  };
}

/** The REVIEW line at the top of a file whose ops include some written for one dialect alone. */
export function dialectNote(steps: readonly Step[]): string[] {
  const dialects = [...new Set(steps.flatMap((s) => s.dialects ?? []))].sort();
  if (dialects.length === 0) return [];
  const count = steps.filter((s) => s.dialects?.length).length;
  return [
    `REVIEW this revision targets ${dialects.join(" and ")} only: ${count} op(s) below use what only ${dialects.join(" and ")} has (written as op.only(...)); on another dialect it stops before running anything.`,
  ];
}

type Describe = Partial<OpHandlers<string>>;

const destructiveDescriptions: Describe = {
  dropTable: (op) => `drops table "${op.table}" and all its rows.`,
  dropColumn: (op) => `drops column "${op.table}.${op.column}" and its data.`,
  alterColumn: (op) => `alters "${op.table}.${op.column}" (${Object.keys(op.changes).join(", ")}); existing rows may be lost, truncated or fail the change.`,
  dropEnum: (op) => `drops enum type "${op.name}".`,
  alterEnum: (op) => `changes enum "${op.name}"; rows holding a removed value will fail the change.`,
};

function describeDestructive(step: Step): string {
  const describe = destructiveDescriptions[step.op.kind] as ((op: Op) => string) | undefined;
  if (describe) return describe(step.op);
  return step.detected || `${step.op.kind} may lose data.`;
}
