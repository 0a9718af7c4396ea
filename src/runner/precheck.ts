/**
 * The data check before a revision runs: the ops its body issues in a dry
 * run (nothing reaches the database), in the dialect's own terms, each op's preconditions
 * (the dialect's answer) are counted on the live data, and any offending row
 * stops the revision before its first statement.
 */
import type { Dialect, Queryable } from "../dialects/dialect";
import type { Precondition, PreconditionKinds } from "../dialects/preconditions";
import { UserError } from "../errors";
import { resolvePortableOp, type PortableResolver } from "../ops/portable";
import type { Op, OpOf } from "../ops/types";
import type { Revision } from "../revisions/script";
import { namespaceOf } from "../schema/qualified";
import { recordBody } from "./dry-run";

/** A revision whose data would make one of its ops fail half-way or change values silently. */
export class PreconditionFailedError extends UserError {
  constructor(
    message: string,
    readonly revision: string,
    readonly failures: ReadonlyArray<{ precondition: Precondition; rows: number }>,
  ) {
    super(message);
  }
}

/** Properties whose change leaves every stored value as it is (the checks made sure NOT NULL finds no NULL). */
const VALUE_KEEPING: ReadonlySet<string> = new Set(["nullable", "default", "comment", "onUpdate"]);

function convertsValues(op: OpOf<"alterColumn">): boolean {
  return Object.keys(op.changes).some((key) => !VALUE_KEEPING.has(key));
}

/** What an op changes that a later op's check would read: whole tables, or single columns. */
function changedBy(op: Op): { tables: string[]; columns: Array<[string, string]> } {
  switch (op.kind) {
    case "createTable":
      return { tables: [op.table.name], columns: [] };
    case "dropTable":
    case "bulkInsert":
      return { tables: [op.table], columns: [] };
    case "renameTable":
      return { tables: [op.from, op.to], columns: [] };
    case "addColumn":
      return { tables: [], columns: [[op.table, op.column.name]] };
    case "alterColumn":
      return { tables: [], columns: convertsValues(op) ? [[op.table, op.column]] : [] };
    case "dropColumn":
    case "fillNulls":
      return { tables: [], columns: [[op.table, op.column]] };
    case "renameColumn":
      return { tables: [], columns: [[op.table, op.from], [op.table, op.to]] };
    default:
      return { tables: [], columns: [] };
  }
}

/** The tables and columns whose data an op's check reads (`undefined` columns: the whole table); `[]` for ops without checks. */
function readBy(op: Op): Array<[string, readonly string[] | undefined]> {
  switch (op.kind) {
    case "alterColumn":
      return [[op.table, [op.column]]];
    case "createIndex":
      return [[op.table, op.index.columns]];
    case "createUnique":
      return [[op.table, op.unique.columns]];
    case "createPrimaryKey":
      return [[op.table, op.primaryKey.columns]];
    case "createForeignKey":
      return [
        [op.table, op.foreignKey.columns],
        [op.foreignKey.referencedTable, op.foreignKey.referencedColumns],
      ];
    case "createCheck":
      return [[op.table, undefined]];
    default:
      return [];
  }
}

/**
 * The ops whose checks can be judged on the data as it is before the
 * revision: an op reading a table or column that an earlier op of the same
 * revision created, filled, converted or renamed is left to the database, and
 * nothing after raw SQL (`execute`) is judged at all.
 */
export function checkableOps(ops: readonly Op[]): Op[] {
  return checkableIndexes(ops).map((i) => ops[i]);
}

/** The positions in `ops` of the checkable ops (see `checkableOps`). */
export function checkableIndexes(ops: readonly Op[], beforeFills = false): number[] {
  const tables = new Set<string>();
  const columns = new Set<string>();
  const changedTables = new Set<string>();
  const key = (table: string, column: string) => `${table}\u0000${column}`;
  const untouched = (table: string, cols: readonly string[] | undefined) =>
    !tables.has(table) && (cols === undefined ? !changedTables.has(table) : cols.every((c) => !columns.has(key(table, c))));
  const result: number[] = [];
  for (const [i, op] of ops.entries()) {
    if (op.kind === "execute") break;
    const reads = readBy(op);
    if (reads.length > 0 && reads.every(([table, cols]) => untouched(table, cols))) result.push(i);
    // The impact preview counts the NULLs a fillNulls will fill (and says so).
    if (beforeFills && op.kind === "fillNulls") continue;
    const changed = changedBy(op);
    for (const table of changed.tables) tables.add(table);
    for (const [table, column] of changed.columns) {
      columns.add(key(table, column));
      changedTables.add(table);
    }
  }
  return result;
}

/** An alterColumn as written by hand may omit `existing`: the checks need it, so it is read from the live table. */
async function withExisting(op: Op, dialect: Dialect, db: Queryable): Promise<Op> {
  if (op.kind !== "alterColumn" || op.existing) return op;
  const namespace = namespaceOf(op.table);
  const schema = await dialect.introspect(db, { includeTable: (name) => name === op.table, namespaces: namespace === undefined ? [] : [namespace] });
  const existing = schema.tables.find((t) => t.name === op.table)?.columns.find((c) => c.name === op.column);
  return existing ? { ...op, existing } : op;
}

function plural(n: number, word: string): string {
  return `${n} ${word}${n === 1 ? "" : "s"}`;
}

/** One data check of the op at `index` of the list it was asked for. */
export interface OpCheck {
  index: number;
  precondition: Precondition;
}

/**
 * The data checks of `ops` (as written: portable columns are resolved for the
 * dialect) that can be judged before the first of them runs: the runner's
 * precheck and autogenerate's impact preview ask the same question.
 * `kinds` overrides the dialect's own choice (the preview wants every kind);
 * `beforeFills` judges a column on its data before a fillNulls of the same revision.
 */
export async function opChecks(
  ops: readonly Op[],
  dialect: Dialect,
  db: Queryable,
  portable: PortableResolver,
  kinds?: PreconditionKinds,
  beforeFills = false,
): Promise<OpCheck[]> {
  const resolved = ops.map((op) => resolvePortableOp(op, portable));
  const present = resolved.flatMap((op, index) => (op ? [{ op, index }] : []));
  const checks: OpCheck[] = [];
  for (const at of checkableIndexes(present.map((p) => p.op), beforeFills)) {
    const { op, index } = present[at];
    for (const precondition of dialect.preconditions(await withExisting(op, dialect, db), kinds)) checks.push({ index, precondition });
  }
  return checks;
}

/**
 * Counts the offending rows of every checkable op of `revision` and throws
 * `PreconditionFailedError` naming each column and count when there are any.
 */
export async function precheckRevision(
  revision: Revision,
  direction: "up" | "down",
  dialect: Dialect,
  db: Queryable,
  portable: PortableResolver,
): Promise<void> {
  const body = await recordBody(revision, direction, dialect.name);
  const written = body.ops.slice(0, body.knownInAdvance).map(({ op }) => op);
  const preconditions = (await opChecks(written, dialect, db, portable)).map((c) => c.precondition);
  const failures: Array<{ precondition: Precondition; rows: number }> = [];
  for (const precondition of preconditions) {
    const [row] = await db.query<{ n: unknown }>(precondition.sql);
    const rows = Number(row?.n ?? 0);
    if (rows > 0) failures.push({ precondition, rows });
  }
  if (failures.length === 0) return;
  const found = failures.map(({ precondition, rows }) => `"${precondition.subject}" has ${plural(rows, "row")} ${precondition.problem}`);
  const verb = direction === "up" ? "upgrade" : "downgrade";
  throw new PreconditionFailedError(
    `The ${verb} of revision ${revision.revision} (${revision.path}) was not started, nothing was changed: ${found.join("; ")}; ` +
      "fix or remove those rows first (for example with an UPDATE in an earlier revision or before that op), then run it again.",
    revision.revision,
    failures,
  );
}
