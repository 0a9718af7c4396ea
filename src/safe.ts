/**
 * Safe mode for autogenerate (`retort.safe: true` or `--safe`): every op on
 * a table that exists before the revision is written in the form its dialect
 * runs without blocking the table's readers and writers (`Dialect.safeForm`).
 * Tables created by the same revision are left as they are: nobody reads them
 * yet. What has no such form is listed, so nothing is assumed safe silently.
 */
import { opTable } from "./compare/plan";
import type { Diff, Finding, Step } from "./compare/types";
import type { Dialect } from "./dialects/dialect";
import type { Op } from "./ops/types";

/** Ops that may have an online form. */
const CANDIDATES: ReadonlySet<Op["kind"]> = new Set([
  "addColumn",
  "alterColumn",
  "dropColumn",
  "renameColumn",
  "createIndex",
  "dropIndex",
  "createUnique",
  "dropUnique",
  "createForeignKey",
  "createCheck",
  "createPrimaryKey",
]);
/** Of those, the ones that scan or rebuild the table: named when they have no online form. */
const SCANNING: ReadonlySet<Op["kind"]> = new Set(["createIndex", "createUnique", "createForeignKey", "createCheck", "createPrimaryKey"]);

interface Shaped {
  steps: Step[];
  online: number;
  outsideTransaction: boolean;
  without: Step[];
}

function shape(steps: readonly Step[], dialect: Dialect): Shaped {
  const created = new Set(steps.flatMap((s) => (s.op.kind === "createTable" ? [s.op.table.name] : [])));
  const result: Shaped = { steps: [], online: 0, outsideTransaction: false, without: [] };
  for (const step of steps) {
    const table = opTable(step.op);
    if (table === undefined || created.has(table) || !CANDIDATES.has(step.op.kind)) {
      result.steps.push(step);
      continue;
    }
    const form = dialect.safeForm(step.op);
    if (!form) {
      if (SCANNING.has(step.op.kind) || (step.op.kind === "alterColumn" && step.destructive)) result.without.push(step);
      result.steps.push(step);
      continue;
    }
    result.online++;
    result.outsideTransaction ||= form.outsideTransaction;
    result.steps.push({ ...step, op: form.op });
  }
  return result;
}

/** `diff` with safe forms on both sides, and findings saying what changed and what could not. */
export function applySafeMode(diff: Diff, dialect: Dialect): Diff {
  const up = shape(diff.upgrade, dialect);
  const down = shape(diff.downgrade, dialect);
  const findings: Finding[] = [];
  if (up.outsideTransaction || down.outsideTransaction) {
    const message =
      `safe mode: ${up.online + down.online} op(s) use their online form, whose steps must each commit on their own, ` +
      "so this revision runs without a transaction (transactional = false)";
    findings.push({ kind: "non-transactional", message, review: [`REVIEW ${message}: if a statement fails, those before it stay applied.`] });
  }
  if (up.without.length > 0) {
    const what = up.without.map((s) => s.detected.replace(/^Detected /, "")).join("; ");
    const message = `safe mode: no online form on ${dialect.name} for: ${what}; these take their usual locks`;
    findings.push({ kind: "safe-mode", message, review: [`REVIEW ${message}.`] });
  }
  return { upgrade: up.steps, downgrade: down.steps, findings: [...diff.findings, ...findings] };
}

/** Whether the revision of `diff` must be written `transactional = false`. */
export function runsOutsideTransaction(diff: Diff): boolean {
  return diff.findings.some((f) => f.kind === "non-transactional");
}
