/**
 * One op judged for the reviewer: what it costs on the server (the dialect's
 * answer), scaled by the live table's size, plus the data risks every
 * dialect shares (drops, narrowing). Used by `retort lint`, by autogenerate's
 * notes, and open to any caller that has an op and a dialect.
 */
import type { Dialect } from "../dialects/dialect";
import type { OpCost, ServerVersion, TableRows } from "../dialects/cost";
import { COUNT_CAP } from "../dialects/cost";
import { applyColumnChanges } from "../ops/reverse";
import { describeOp } from "../ops/portable";
import type { Op } from "../ops/types";
import type { Table } from "../schema/types";

export type Severity = "error" | "warning" | "info";

/** Every rule `retort lint` reports, with what it means (for `--help` and the README). */
export const RULES = {
  "table-rewrite": "the table is rewritten, rebuilt or copied while the statement holds its lock",
  "blocking-scan": "every row is read (validation, index build) while writes wait",
  "online-scan": "every row is read while writes go on",
  "no-transaction": "the statement cannot run inside a transaction; the revision needs `transactional = false`",
  "transaction-rule": "the statement has rules inside a transaction (ALTER TYPE ... ADD VALUE)",
  "drop-table": "drops a table and every row in it",
  "drop-column": "drops a column and its data",
  "narrowing": "a change existing values may not survive (shorter, smaller, other type, NOT NULL, fewer enum values)",
  "rename": "running code that uses the old name fails until it is deployed",
  "raw-sql": "raw SQL: not analysed",
} as const;

export type RuleId = keyof typeof RULES;

export interface LintFinding {
  rule: RuleId;
  severity: Severity;
  message: string;
}

export interface OpContext {
  dialect: Dialect;
  server: ServerVersion;
  /** Rows of the op's table in the live database; undefined when unknown (no database, or the table is not there yet). */
  rows?: TableRows;
  /** The op's table was created earlier in the same revision: nothing reads it yet, so it is exempt. */
  newTable: boolean;
  /** The op's table as the live database has it, when read. */
  table?: Table;
  /** Whether the revision runs in a transaction. */
  transactional: boolean;
}

export interface OpAssessment {
  cost: OpCost;
  rows?: TableRows;
  newTable: boolean;
  findings: LintFinding[];
}

/** From this many rows a rewrite or a blocking scan is an error, not a warning. */
export const LARGE_TABLE_ROWS = COUNT_CAP;

/** `12 rows`, `~12,000 rows`, `1,000,000+ rows`, `rows unknown`. */
export function describeRows(rows: TableRows | undefined): string {
  if (!rows) return "rows unknown";
  const n = rows.rows.toLocaleString("en-US");
  return `${rows.estimated ? "~" : ""}${n}${rows.capped ? "+" : ""} row${rows.rows === 1 ? "" : "s"}`;
}

/** How heavy a lock-holding cost is on this table: info when it is known empty, error when large. */
function sizedSeverity(rows: TableRows | undefined): Severity {
  if (rows === undefined) return "warning";
  if (rows.rows === 0) return "info";
  return rows.rows >= LARGE_TABLE_ROWS ? "error" : "warning";
}

/** `ACCESS EXCLUSIVE` or `ALGORITHM=COPY, LOCK=SHARED`: the server's own words. */
export function describeLock(cost: OpCost): string | undefined {
  if (cost.algorithm) return `ALGORITHM=${cost.algorithm}${cost.lock ? `, LOCK=${cost.lock}` : ""}`;
  return cost.lock;
}

function costFindings(op: Op, cost: OpCost, context: OpContext): LintFinding[] {
  const findings: LintFinding[] = [];
  const where = cost.table ? ` "${cost.table}" (${describeRows(context.rows)})` : "";
  const lock = describeLock(cost);
  const detail = cost.notes.join("; ");
  if (cost.rewrite) {
    const severity = cost.table ? sizedSeverity(context.rows) : "warning";
    findings.push({ rule: "table-rewrite", severity, message: `${lock ? `${lock} on` : "rewrites"}${where || " the tables using it"}: ${detail}` });
  } else if (cost.scan && cost.blocksWrites) {
    findings.push({ rule: "blocking-scan", severity: sizedSeverity(context.rows), message: `${lock} on${where}: ${detail}` });
  } else if (cost.scan) {
    findings.push({ rule: "online-scan", severity: "info", message: `${lock ?? "no lock"} on${where}: ${detail}` });
  }
  if (cost.transaction?.inTransaction === "refused" && context.transactional) {
    findings.push({ rule: "no-transaction", severity: "error", message: `${cost.transaction.rule}: add \`export const transactional = false\` to the revision` });
  } else if (cost.transaction?.inTransaction === "restricted") {
    findings.push({ rule: "transaction-rule", severity: "info", message: cost.transaction.rule });
  }
  if (!cost.known) findings.push({ rule: "raw-sql", severity: "info", message: `${describeOp(op)}: ${detail}` });
  return findings;
}

/** What can go wrong with the data, on any dialect. */
function dataFindings(op: Op, context: OpContext): LintFinding[] {
  switch (op.kind) {
    case "dropTable":
      return [{ rule: "drop-table", severity: "error", message: `drops table "${op.table}" (${describeRows(context.rows)}) and all its rows` }];
    case "dropColumn":
      return [{ rule: "drop-column", severity: "error", message: `drops column "${op.table}.${op.column}" and its data (${describeRows(context.rows)})` }];
    case "renameTable":
      return [{ rule: "rename", severity: "warning", message: `renames table "${op.from}" to "${op.to}": ${RULES.rename}` }];
    case "renameColumn":
      return [{ rule: "rename", severity: "warning", message: `renames column "${op.table}.${op.from}" to "${op.to}": ${RULES.rename}` }];
    case "alterColumn": {
      const existing = op.existing ?? context.table?.columns.find((c) => c.name === op.column);
      if (!existing) return [];
      const risks = context.dialect.comparer.narrowing(existing, applyColumnChanges(existing, op.changes));
      return risks.map((risk) => ({ rule: "narrowing" as const, severity: "error" as const, message: `"${op.table}.${op.column}" ${risk}` }));
    }
    case "alterEnum": {
      const removed = op.existing.filter((v) => !op.values.includes(v));
      if (removed.length === 0) return [];
      return [{ rule: "narrowing", severity: "error", message: `enum "${op.name}" loses ${removed.map((v) => `'${v}'`).join(", ")}; rows holding them fail the change` }];
    }
    default:
      return [];
  }
}

/**
 * `op` judged in `context`: its cost as the dialect classifies it for the
 * server, and the findings (rule, severity, message). An op on a table made
 * earlier in the same revision has no findings: nothing reads that table yet.
 */
export function classifyOp(op: Op, context: OpContext): OpAssessment {
  const cost = context.dialect.classify(op, { server: context.server, table: context.table, transactional: context.transactional });
  const base = { cost, rows: context.rows, newTable: context.newTable };
  if (context.newTable || op.kind === "createTable") {
    // A new table is exempt, but a statement that refuses a transaction still fails in one.
    const findings = costFindings(op, cost, context).filter((f) => f.rule === "no-transaction");
    return { ...base, findings };
  }
  return { ...base, findings: [...costFindings(op, cost, context), ...dataFindings(op, context)] };
}

/**
 * The one comment line autogenerate writes above an op, or undefined when it
 * does not matter: only a lock-holding rewrite or scan of an existing table
 * known to hold rows is worth a reviewer's line.
 */
export function costNote(assessment: OpAssessment): string | undefined {
  if (assessment.newTable || !assessment.rows || assessment.rows.rows === 0) return undefined;
  const finding = assessment.findings.find((f) => f.rule === "table-rewrite" || f.rule === "blocking-scan");
  return finding && `lint ${finding.rule}: ${finding.message}`;
}
