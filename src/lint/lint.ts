/**
 * `retort lint`: each revision's upgrade and downgrade run against a
 * recording `op` (the runner's dry pass: no database writes), every op is
 * classified for the server (classify.ts), and a `// retort-lint-ignore
 * <rule>` comment on the lines just above the op's call silences that rule
 * for that op, in either body.
 */
import { readFileSync } from "node:fs";
import { firstUserFrame } from "../config/user-frames";
import type { ServerVersion, TableRows } from "../dialects/cost";
import type { Dialect, Queryable } from "../dialects/dialect";
import { resolvePortableOp, type PortableResolver } from "../ops/portable";
import type { Op } from "../ops/types";
import type { Revision } from "../revisions/script";
import { recordBody } from "../runner/dry-run";
import type { Table } from "../schema/types";
import { classifyOp, type LintFinding, type OpAssessment, type RuleId, type Severity } from "./classify";

export type Direction = "upgrade" | "downgrade";

export interface LintedOp {
  /** `op.addColumn("users", "tz")`. */
  call: string;
  kind: Op["kind"];
  /** The body that issues the op. */
  direction: Direction;
  /** 1-based line of the call in the revision file, when the stack shows it. */
  line?: number;
  assessment: OpAssessment;
  findings: Array<LintFinding & { suppressed: boolean }>;
}

export interface LintedRevision {
  revision: string;
  file: string;
  ops: LintedOp[];
  /** Why some ops may be missing (the body reads the database, or stopped early). */
  notes: string[];
}

export interface LintOptions {
  dialect: Dialect;
  server: ServerVersion;
  /** A live connection to read table sizes and definitions from; undefined lints with unknown sizes. */
  db?: Queryable;
  resolver: PortableResolver;
}

const IGNORE = /\/\/\s*retort-lint-ignore\b(.*)$/;

/** Rules named by `// retort-lint-ignore` comments on the comment lines right above `line`. */
export function suppressedRules(lines: readonly string[], line: number): Set<string> {
  const rules = new Set<string>();
  for (let i = line - 2; i >= 0; i--) {
    const text = lines[i].trim();
    if (!text.startsWith("//")) break;
    const match = IGNORE.exec(text);
    if (match) for (const rule of match[1].split(/[\s,]+/).filter(Boolean)) rules.add(rule);
  }
  return rules;
}

/** The tables an op touches, by name, before any classification. */
export function tablesOf(op: Op): string[] {
  switch (op.kind) {
    case "createTable":
      return [op.table.name];
    case "renameTable":
      return [op.from];
    case "createForeignKey":
      return [op.table, op.foreignKey.referencedTable];
    default:
      return "table" in op && typeof op.table === "string" ? [op.table] : [];
  }
}

function describeCall(op: Op): string {
  const name = tablesOf(op)[0];
  const second =
    "column" in op ? (typeof op.column === "string" ? op.column : op.column.name) : "index" in op ? op.index.name : "name" in op ? op.name : "view" in op ? op.view.name : undefined;
  return `op.${op.kind}(${[name, second].filter((v) => v !== undefined).map((v) => JSON.stringify(v)).join(", ")})`;
}

/**
 * A downgrade removes what its upgrade added: dropping those tables and
 * columns is its purpose, not a finding to fail CI on; taking a column back
 * to a narrower type still risks the values written since. Lock and rewrite
 * rules keep their severity: a downgrade locks a large table just as long.
 */
const DOWNGRADE_SEVERITY: Partial<Record<RuleId, Severity>> = { "drop-table": "info", "drop-column": "info", narrowing: "warning" };

interface Recorded {
  op: Op;
  site: Error;
  direction: Direction;
}

/** The ops of one body for the dialect, and notes on what may be missing. */
async function recordDirection(revision: Revision, direction: Direction, options: LintOptions): Promise<{ recorded: Recorded[]; notes: string[] }> {
  const { dialect } = options;
  const body = await recordBody(revision, direction === "upgrade" ? "up" : "down", dialect.name);
  const notes: string[] = [];
  if (body.stoppedBy !== undefined) {
    notes.push(`the ${direction} throws when run without a database (${body.stoppedBy.replace(/\.$/, "")}); ops after that point are not linted`);
  } else if (body.knownInAdvance < body.ops.length || body.mayUseEntities) {
    notes.push(`the ${direction} reads the database or uses TypeORM; ops it issues after that were recorded without the data`);
  }
  const elsewhere = body.ops.filter((r) => r.dialects && !r.dialects.includes(dialect.name)).length;
  if (elsewhere > 0) notes.push(`${elsewhere} ${direction} op(s) written for other dialects (op.only) are not linted for ${dialect.name}`);
  const recorded = body.ops.flatMap((r) => {
    if (r.dialects && !r.dialects.includes(dialect.name)) return [];
    const op = resolvePortableOp(r.op, options.resolver);
    return op ? [{ op, site: r.site, direction }] : [];
  });
  return { recorded, notes };
}

/** Lints one revision: its upgrade, then its downgrade. */
export async function lintRevision(revision: Revision, options: LintOptions): Promise<LintedRevision> {
  const { dialect } = options;
  const up = await recordDirection(revision, "upgrade", options);
  const down = await recordDirection(revision, "downgrade", options);
  const recorded = [...up.recorded, ...down.recorded];
  const touched = [...new Set(recorded.flatMap((r) => tablesOf(r.op)))];
  let rows = new Map<string, TableRows>();
  let live = new Map<string, Table>();
  if (options.db && touched.length > 0) {
    const wanted = new Set(touched);
    rows = await dialect.tableRows(options.db, touched);
    const schema = await dialect.introspect(options.db, { includeTable: (name) => wanted.has(name) });
    live = new Map(schema.tables.map((t) => [t.name, t]));
  }
  let lines: string[] | undefined;
  // Tables a body creates are new to that body only.
  const created: Record<Direction, Set<string>> = { upgrade: new Set(), downgrade: new Set() };
  const ops = recorded.map(({ op, site, direction }): LintedOp => {
    const table = tablesOf(op)[0];
    const newTable = table !== undefined && created[direction].has(table);
    if (op.kind === "createTable") created[direction].add(op.table.name);
    if (op.kind === "renameTable" && created[direction].has(op.from)) created[direction].add(op.to);
    const assessment = classifyOp(op, {
      dialect,
      server: options.server,
      rows: table === undefined ? undefined : rows.get(table),
      newTable,
      table: table === undefined ? undefined : live.get(table),
      transactional: revision.transactional,
    });
    const frame = firstUserFrame(site);
    const line = frame && frame.file === revision.path ? frame.line : undefined;
    let suppressed = new Set<string>();
    if (line !== undefined) {
      lines ??= readFileSync(revision.path, "utf8").split(/\r?\n/);
      suppressed = suppressedRules(lines, line);
    }
    const findings = assessment.findings.map((f) => ({
      ...f,
      severity: (direction === "downgrade" && DOWNGRADE_SEVERITY[f.rule]) || f.severity,
      suppressed: suppressed.has(f.rule),
    }));
    return { call: describeCall(op), kind: op.kind, direction, line, assessment, findings };
  });
  return { revision: revision.revision, file: revision.path, ops, notes: [...up.notes, ...down.notes] };
}

export function countFindings(revisions: readonly LintedRevision[]): Record<Severity, number> & { suppressed: number } {
  const counts = { error: 0, warning: 0, info: 0, suppressed: 0 };
  for (const f of revisions.flatMap((r) => r.ops.flatMap((o) => o.findings))) {
    if (f.suppressed) counts.suppressed++;
    else counts[f.severity]++;
  }
  return counts;
}
