/**
 * What the database says about its revisions, checked against the files:
 * the version-table heads, a revision in flight (partly applied where DDL is
 * not transactional), and applied revisions whose file changed or vanished.
 */
import type { Dialect, Queryable } from "../dialects/dialect";
import { UserError } from "../errors";
import type { RevisionGraph } from "../revisions/graph";
import type { ScriptDirectory } from "../revisions/script";
import { settleProgress } from "./progress";
import type { HistoryRow, Progress, VersionTable } from "./version-table";

export interface InFlight {
  revision: string;
  direction: "up" | "down";
  /** Checksum of the file when the revision started. */
  checksum: string | null;
  progress: Progress;
  /** The file is gone or its code changed since the revision started: resuming by statement index is not safe. */
  fileChanged: boolean;
}

export interface VersionState {
  heads: string[];
  rows: HistoryRow[];
  inFlight?: InFlight;
  /** Applied revisions whose file's code changed since they were applied. */
  changed: { revision: string; path: string }[];
  /** Applied revisions that have no file any more. */
  missing: string[];
  /** Applied revisions with no recorded checksum (applied before checksums were kept, or by `--sql`). */
  unrecorded: string[];
}

/** The version table holds a revision and one of its ancestors, which no run writes. */
export class RedundantHeadsError extends UserError {
  constructor(
    readonly revision: string,
    readonly ancestor: string,
  ) {
    super(
      `The version table holds both ${revision} and its ancestor ${ancestor}, which no migration run writes (edited by hand?); ` +
        `if ${revision} is really applied, run \`retort stamp ${revision}\` to keep only it`,
    );
  }
}

/** Throws when a head is an ancestor (or dependency) of another head. */
export function checkHeads(graph: RevisionGraph, heads: readonly string[]): void {
  const known = heads.filter((h) => graph.has(h));
  for (const head of known) {
    const ancestor = graph.ancestors([head]).find((a) => known.includes(a));
    if (ancestor !== undefined) throw new RedundantHeadsError(head, ancestor);
  }
}

export async function readState(
  db: Queryable,
  dialect: Dialect,
  table: VersionTable,
  scripts: ScriptDirectory,
  heads: string[],
): Promise<VersionState> {
  const graph = scripts.graph;
  const rows = await table.historyRowsIfExists(db);
  const byId = new Map(rows.map((r) => [r.revision, r]));
  const applied = graph.applied(heads.filter((h) => graph.has(h)));
  const checksumOf = (id: string) => scripts.revisions.get(id)?.checksum;
  const state: VersionState = { heads, rows, changed: [], missing: [], unrecorded: [] };
  for (const id of [...applied].sort()) {
    const row = byId.get(id);
    if (row && row.state !== "applied") continue; // in flight: reported below, never overwritten
    if (!row || row.checksum === null) state.unrecorded.push(id);
    else if (row.checksum !== checksumOf(id)) state.changed.push({ revision: id, path: scripts.get(id).path });
  }
  for (const row of rows) {
    if (row.state === "applied" && !graph.has(row.revision)) state.missing.push(row.revision);
  }
  const flying = rows.find((r) => r.state !== "applied");
  if (flying) {
    state.inFlight = {
      revision: flying.revision,
      direction: flying.state === "upgrading" ? "up" : "down",
      checksum: flying.checksum,
      progress: await settleProgress(flying.progress ?? { units: 0, statements: 0 }, dialect, db),
      fileChanged: flying.checksum === null || flying.checksum !== checksumOf(flying.revision),
    };
  }
  return state;
}

function oneLine(sql: string): string {
  const flat = sql.replace(/\s+/g, " ").trim();
  return flat.length > 120 ? `${flat.slice(0, 117)}...` : flat;
}

/** "revision X is partly applied: its upgrade stopped after 3 statement(s), the last `...`" */
export function describeInFlight(inFlight: InFlight): string {
  const verb = inFlight.direction === "up" ? "upgrade" : "downgrade";
  const { statements, last } = inFlight.progress;
  const where =
    statements === 0 ? "before its first statement took effect" : `after ${statements} committed statement(s), the last ${oneLine(last ?? "")}`;
  return `revision ${inFlight.revision} is partly ${inFlight.direction === "up" ? "applied" : "reverted"}: its ${verb} stopped ${where}`;
}

/** What the user can do about a revision in flight. */
export function inFlightRemedy(inFlight: InFlight): string {
  const verb = inFlight.direction === "up" ? "upgrade" : "downgrade";
  const resume = inFlight.fileChanged
    ? `its file changed since it started, so \`retort ${verb}\` will not resume it by statement index (restore the file, or pass --ignore-checksums if the first ${inFlight.progress.statements} statement(s) are unchanged)`
    : `\`retort ${verb} ${inFlight.direction === "up" ? "head" : "<target>"}\` resumes it at statement ${inFlight.progress.statements + 1}`;
  return `${resume}; or finish or undo it by hand and run \`retort repair --completed\` or \`retort repair --rolled-back\``;
}

/** The one sentence `upgrade`, `downgrade` and `check` refuse with when applied files changed. */
export function checksumProblem(state: VersionState): string | undefined {
  const parts: string[] = [];
  if (state.changed.length > 0) {
    parts.push(`applied revision ${state.changed.map((c) => `${c.revision} (${c.path})`).join(", ")} was edited after it was applied`);
  }
  if (state.missing.length > 0) parts.push(`applied revision ${state.missing.join(", ")} has no file any more`);
  if (parts.length === 0) return undefined;
  return `${parts.join("; ")}, so a database built from these files would differ from this one; restore the file, or accept the files as they are now with \`retort repair\` (re-records the checksums), or pass --ignore-checksums`;
}
