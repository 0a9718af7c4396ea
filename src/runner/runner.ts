import { readFileSync } from "node:fs";
import { performance } from "node:perf_hooks";
import { OfflineUnsupportedError, type Dialect, type PortableDriverOptions, type Queryable } from "../dialects/dialect";
import { firstLineOf, MigrationFailedError, UserError } from "../errors";
import { createOpApi } from "../ops/calls";
import { resolvePortableOp } from "../ops/portable";
import type { DialectName, Op } from "../ops/types";
import type { Revision, ScriptDirectory } from "../revisions/script";
import type { Step as PlanStep } from "../revisions/graph";
import type { Connection } from "./connection";
import type { MigrationContext } from "./context";
import { acquireMigrationLock, DEFAULT_LOCK_TIMEOUT_SECONDS } from "./lock";
import { lockRetryingRunner, type StatementLockOptions } from "./lock-retry";
import { assertOpRunsOn, assertStepsRunOn } from "./dialect-check";
import { recordBody } from "./dry-run";
import { precheckRevision } from "./precheck";
import { initialProgress, plainUnits, ProgressTracker, StatementLog, type Rows, type UnitRunner } from "./progress";
import { checkHeads, checksumProblem, describeInFlight, inFlightRemedy, readState, type InFlight, type VersionState } from "./state";
import { VersionTable, type Progress } from "./version-table";

export type Direction = "up" | "down";

export interface RunnerOptions {
  versionTable: string;
  transactionMode: "per-revision" | "all";
  log: (line: string) => void;
  /** Lock name; one per version table so two projects sharing a database do not block each other. */
  lockKey?: string;
  /** Seconds to wait for the migration lock before giving up. Default DEFAULT_LOCK_TIMEOUT_SECONDS. */
  lockTimeoutSeconds?: number;
  /** Where the "waiting for the migration lock" line goes. Default stderr. */
  warn?: (line: string) => void;
  /** A lock wait limit per statement, with retries (see lock-retry.ts). */
  statementLocks?: StatementLockOptions;
}

/** Where a step runs its SQL: the database, or (offline) a script being written. */
interface StatementSink {
  db?: Queryable;
  /** `op`: the op the statement performs, when it performs one. */
  run(sql: string, op?: Op): Promise<Record<string, unknown>[]>;
}

export function arrow(revision: Revision, direction: Direction): string {
  const parents = revision.downRevisions.join(", ");
  return direction === "up" ? `${parents} -> ${revision.revision}` : `${revision.revision} -> ${parents}`;
}

/** Runs one revision's upgrade or downgrade body against a sink, one unit (op or query() call) at a time. */
export async function runRevisionBody(
  revision: Revision,
  direction: Direction,
  dialect: Dialect,
  sink: StatementSink,
  extra: Pick<MigrationContext, "queryRunner" | "dataSource">,
  runUnit: UnitRunner,
  driver: PortableDriverOptions | undefined = extra.dataSource?.options,
): Promise<void> {
  const portable = await dialect.portableResolver(sink.db, driver);
  const execute = async (written: Op, dialects?: readonly DialectName[]) => {
    assertOpRunsOn(revision, dialect, written, dialects);
    const op = resolvePortableOp(written, portable);
    if (!op) return;
    await runUnit(() => dialect.render(op, sink.db), (sql) => sink.run(sql, op));
  };
  const context: MigrationContext = {
    op: createOpApi(execute),
    dialect: dialect.name,
    offline: !sink.db,
    query: async <T>(sql: string, params?: unknown[]) => {
      const db = sink.db;
      if (!db) {
        await runUnit(async () => [sql], (s) => sink.run(s));
        return [] as T[];
      }
      return (await runUnit(async () => [sql], (s) => db.query<Rows[number]>(s, params))) as T[];
    },
    ...extra,
  };
  await (direction === "up" ? revision.upgrade(context) : revision.downgrade(context));
}

/**
 * Whether a revision body may use TypeORM's entity metadata
 * (`dataSource.getRepository(User)`, `queryRunner.manager`): its file names
 * the DataSource or the QueryRunner, or its dry run reached for them. The
 * entity files then load before the body runs (outside its transaction);
 * other bodies run without them, so an upgrade costs the same at any
 * number of entities.
 */
async function mayUseEntities(revision: Revision, direction: Direction, dialect: Dialect): Promise<boolean> {
  let source = "";
  try {
    source = readFileSync(revision.path, "utf8");
  } catch {
    return true;
  }
  if (/\b(dataSource|queryRunner)\b/.test(source)) return true;
  return (await recordBody(revision, direction, dialect.name)).mayUseEntities;
}

class HeadsMovedError extends Error {}

/** Re-plans towards the end state of `steps`, for when another process moved the version table mid-run. */
function endStateTarget(steps: PlanStep[]): { replan: (heads: string[]) => PlanStep[] } | undefined {
  const last = steps[steps.length - 1];
  if (!last) return undefined;
  const final = [...last.headsAfter].sort().join(",");
  return {
    replan: (heads) => {
      if ([...heads].sort().join(",") === final) return [];
      throw new UserError(
        `Another process changed the version table during this run (now ${heads.join(", ") || "base"}); run the command again.`,
      );
    },
  };
}

export interface MigrateOptions {
  /** Run even when applied revision files changed since they were applied (and resume a changed in-flight revision). */
  ignoreChecksums?: boolean;
}

/**
 * Applies revisions on a live connection. Holds the dialect's migration lock
 * for the whole run, and re-checks the version table inside each revision's
 * transaction, so concurrent deploys apply each revision exactly once.
 * Beside the version table it keeps each applied revision's checksum, and,
 * for a revision that cannot run in one transaction, its progress.
 */
export class Runner {
  readonly versionTable: VersionTable;
  private readonly lockKey: string;

  constructor(
    private readonly connection: Connection,
    private readonly dialect: Dialect,
    private readonly scripts: ScriptDirectory,
    private readonly options: RunnerOptions,
  ) {
    this.versionTable = new VersionTable(dialect, options.versionTable);
    this.lockKey = options.lockKey ?? `retort:${options.versionTable}`;
  }

  private get db(): Queryable {
    return this.connection.db;
  }

  /** The version-table rows; refuses a table holding a revision and its own ancestor. */
  async currentHeads(): Promise<string[]> {
    const heads = await this.versionTable.headsIfExists(this.db);
    checkHeads(this.scripts.graph, heads);
    return heads;
  }

  /** Heads, checksums and any revision in flight, as `current`, `history` and `check` report them. */
  async state(): Promise<VersionState> {
    return readState(this.db, this.dialect, this.versionTable, this.scripts, await this.currentHeads());
  }

  /** Runs `plan(heads)` repeatedly until it is empty; each step in its own transaction. Returns steps run. */
  async migrate(plan: (heads: string[]) => PlanStep[], options: MigrateOptions = {}): Promise<number> {
    await assertStepsRunOn(plan(await this.versionTable.headsIfExists(this.db)), this.scripts, this.dialect);
    // Before the lock: SQLite's lock is a transaction, and its foreign_keys pragma is a no-op inside one.
    await this.dialect.prepareSession(this.db);
    try {
      return await this.withLock(async () => {
        await this.versionTable.ensure(this.db);
        const state = await this.state();
        const problem = checksumProblem(state);
        if (problem && !options.ignoreChecksums) throw new UserError(`Refusing to migrate: ${problem}.`);
        await this.recordUnrecorded(state);
        return this.options.transactionMode === "all" && this.dialect.transactionalDdl
          ? await this.runAllInOneTransaction(plan)
          : await this.runStepByStep(plan, state.inFlight, options);
      });
    } finally {
      await this.dialect.restoreSession(this.db);
    }
  }

  /** How a revision's statements run: under the statement lock limit, when one is set. */
  private statements(): StatementSink["run"] {
    const warn = this.options.warn ?? ((line: string) => process.stderr.write(`${line}\n`));
    return lockRetryingRunner(this.db, this.dialect, this.options.statementLocks, () => this.connection.runner.isTransactionActive, warn);
  }

  /** Runs `fn` holding the migration lock, waiting for it as the options say. */
  private async withLock<T>(fn: () => Promise<T>): Promise<T> {
    const session = { db: this.db, transactions: this.connection.runner };
    await acquireMigrationLock(this.dialect, session, this.lockKey, {
      timeoutSeconds: this.options.lockTimeoutSeconds ?? DEFAULT_LOCK_TIMEOUT_SECONDS,
      warn: this.options.warn ?? ((line) => process.stderr.write(`${line}\n`)),
    });
    try {
      return await fn();
    } finally {
      await this.dialect.releaseLock(session, this.lockKey);
    }
  }

  /** Applied revisions without a checksum (a version table from before checksums) get their file's, once. */
  private async recordUnrecorded(state: VersionState): Promise<void> {
    const statements = state.unrecorded.flatMap((id) => this.versionTable.recordSql(id, "applied", this.scripts.get(id).checksum));
    if (statements.length > 0) await this.inTransaction(async () => this.runAll(statements));
  }

  private async runAll(statements: readonly string[]): Promise<void> {
    for (const sql of statements) await this.db.query(sql);
  }

  /** Runs `fn` in a transaction of its own: bookkeeping rows change together or not at all. */
  private async inTransaction<T>(fn: () => Promise<T>): Promise<T> {
    const runner = this.connection.runner;
    if (runner.isTransactionActive) return fn();
    await runner.startTransaction();
    try {
      const result = await fn();
      await runner.commitTransaction();
      return result;
    } catch (error) {
      if (runner.isTransactionActive) await runner.rollbackTransaction();
      throw error;
    }
  }

  /**
   * Plans once (relative targets like `-1` must be resolved against the heads
   * read under the lock, not re-resolved after every step), then runs each
   * step in its own transaction. A step whose version-table precondition no
   * longer holds (another process moved it: SQLite has no session lock) makes
   * us re-plan towards the same absolute end state. A revision left in flight
   * by an earlier run must be the first step, and is resumed.
   */
  private async runStepByStep(plan: (heads: string[]) => PlanStep[], inFlight: InFlight | undefined, options: MigrateOptions): Promise<number> {
    let count = 0;
    let steps = plan(await this.versionTable.heads(this.db));
    if (inFlight) this.checkResumable(inFlight, steps[0], options);
    const finalTarget = endStateTarget(steps);
    let resume = inFlight?.progress;
    while (steps.length > 0) {
      try {
        await this.runStep(steps[0], true, resume);
        resume = undefined;
        count++;
        steps = steps.slice(1);
      } catch (error) {
        if (!(error instanceof HeadsMovedError) || finalTarget === undefined) throw error;
        steps = finalTarget.replan(await this.versionTable.heads(this.db));
      }
    }
    return count;
  }

  /** A revision in flight can only be resumed, in its own direction, from the same file. */
  private checkResumable(inFlight: InFlight, first: PlanStep | undefined, options: MigrateOptions): void {
    const sameStep = first?.revision.revision === inFlight.revision && first.direction === inFlight.direction;
    if (sameStep && (!inFlight.fileChanged || options.ignoreChecksums) && this.scripts.revisions.has(inFlight.revision)) return;
    throw new UserError(`Cannot run this: ${describeInFlight(inFlight)}; ${inFlightRemedy(inFlight)}.`);
  }

  private async runAllInOneTransaction(plan: (heads: string[]) => PlanStep[]): Promise<number> {
    const runner = this.connection.runner;
    await runner.startTransaction();
    try {
      const steps = plan(await this.versionTable.heads(this.db));
      for (const step of steps) await this.runStep(step, false);
      await this.dialect.verifyBeforeCommit(this.db);
      await runner.commitTransaction();
      return steps.length;
    } catch (error) {
      if (runner.isTransactionActive) await runner.rollbackTransaction();
      throw error;
    }
  }

  private async runStep(step: PlanStep, ownTransaction: boolean, resume?: Progress): Promise<void> {
    const revision = this.scripts.get(step.revision.revision);
    const runner = this.connection.runner;
    // Atomic: the revision's statements commit or roll back together with its bookkeeping.
    const atomic = this.dialect.transactionalDdl && (revision.transactional || !ownTransaction);
    const transactional = ownTransaction && atomic;
    const verb = step.direction === "up" ? "upgrade" : "downgrade";
    const title = `Running ${verb} ${arrow(revision, step.direction)}, ${revision.doc}`;
    const log = new StatementLog(resume?.statements ?? 0);
    const started = performance.now();
    let tracker: ProgressTracker | undefined;
    if (resume) this.options.log(`Resuming ${verb} of ${revision.revision}: ${resume.statements} statement(s) committed by an earlier run are skipped`);
    if (!this.connection.hasMetadata && (await mayUseEntities(revision, step.direction, this.dialect))) {
      await this.connection.ensureMetadata();
    }
    if (transactional) await runner.startTransaction();
    try {
      if (transactional) {
        const heads = await this.versionTable.heads(this.db);
        if (heads.join() !== [...step.headsBefore].sort().join()) throw new HeadsMovedError();
      }
      // A resumed revision already changed the data its first statements judge.
      if (!resume) {
        const portable = await this.dialect.portableResolver(this.db, this.connection.dataSource.options);
        await precheckRevision(revision, step.direction, this.dialect, this.db, portable);
      }
      let units: UnitRunner = plainUnits(log);
      if (!atomic) {
        const progress = resume ?? (await initialProgress(this.dialect, this.db));
        if (!resume) {
          await this.inTransaction(async () =>
            this.runAll(this.versionTable.recordSql(revision.revision, step.direction === "up" ? "upgrading" : "downgrading", revision.checksum, progress)),
          );
        }
        // Where DDL commits by itself a transaction still makes a data statement and its record one commit.
        const atomically = revision.transactional ? <T>(fn: () => Promise<T>) => this.inTransaction(fn) : <T>(fn: () => Promise<T>) => fn();
        tracker = new ProgressTracker(this.db, this.dialect, this.versionTable, revision.revision, progress, atomically, log);
        units = tracker.units();
      }
      await runRevisionBody(
        revision,
        step.direction,
        this.dialect,
        { db: this.db, run: this.statements() },
        { queryRunner: runner, dataSource: this.connection.dataSource },
        units,
      );
      if (atomic) {
        await this.runAll(finishSql(this.versionTable, step, revision));
      } else {
        await this.inTransaction(() => this.runAll(finishSql(this.versionTable, step, revision)));
      }
      if (transactional) {
        await this.dialect.verifyBeforeCommit(this.db);
        await runner.commitTransaction();
      }
    } catch (error) {
      if (transactional && runner.isTransactionActive) await runner.rollbackTransaction();
      if (error instanceof HeadsMovedError) throw error;
      this.options.log(`${title} ... FAILED`);
      // A statement that fails has not taken effect (a data statement rolls back with its record): the
      // progress is exact, and must not be "settled" against a schema the user may fix by hand before the rerun.
      if (tracker) await this.db.query(this.versionTable.progressSql(revision.revision, { ...tracker.current, fingerprint: undefined })).catch(() => undefined);
      if (tracker && tracker.current.statements === 0) {
        // Nothing took effect: leave no trace, the database is simply still before this revision.
        await this.runAll(this.versionTable.forgetSql(revision.revision)).catch(() => undefined);
        throw this.describeFailure(revision, verb, true, log, error, step.headsBefore);
      }
      throw this.describeFailure(revision, verb, atomic, log, error, step.headsBefore);
    }
    this.options.log(`${title} (${Math.round(performance.now() - started)} ms)`);
  }

  private describeFailure(revision: Revision, verb: string, rolledBack: boolean, log: StatementLog, error: unknown, headsBefore: string[]): Error {
    if (error instanceof UserError && !(error instanceof MigrationFailedError)) return error;
    const reason = firstLineOf(error);
    const at = log.running
      ? ` at statement ${log.count + 1} (${oneLine(log.running)})`
      : log.count > 0
        ? ` after statement ${log.count}${log.last ? ` (${oneLine(log.last)})` : ""}, in the revision's own code`
        : " before its first statement";
    const before = headsBefore.join(", ") || "base";
    const state = rolledBack
      ? `it was rolled back and the database is still at ${before}`
      : `its ${log.count} earlier statement(s) are committed (${this.dialect.transactionalDdl ? "the revision runs without a transaction" : "this database commits DDL immediately"}) and recorded, the version table still says ${before}; ` +
        `fix the cause and run the same \`retort ${verb}\` again to resume at statement ${log.count + 1} (if you edit the file, add --ignore-checksums: valid only while its first ${log.count} statement(s) stay the same), ` +
        `or undo them by hand and run \`retort repair --rolled-back\``;
    return new MigrationFailedError(
      `The ${verb} of revision ${revision.revision} (${revision.path}) failed${at}: ${reason}; ${state}.`,
      revision.revision,
      log.running ?? log.last,
      error,
    );
  }

  /**
   * Sets the version table to `heads` without running any revision, and
   * re-records the applied revisions (their files' checksums as they are
   * now); a revision in flight is settled by the new state.
   */
  async stamp(compute: (heads: string[]) => string[]): Promise<{ before: string[]; after: string[] }> {
    return this.withLock(async () => {
      await this.versionTable.ensure(this.db);
      const before = await this.versionTable.heads(this.db);
      const after = compute(before);
      const graph = this.scripts.graph;
      const applied = graph.applied(after);
      const rows = await this.versionTable.historyRows(this.db);
      await this.inTransaction(async () => {
        await this.runAll(this.versionTable.transitionSql(before, after));
        for (const row of rows) if (!applied.has(row.revision)) await this.runAll(this.versionTable.forgetSql(row.revision));
        for (const id of applied) await this.runAll(this.versionTable.recordSql(id, "applied", this.scripts.get(id).checksum));
      });
      return { before, after };
    });
  }

  /**
   * Flyway's repair. With a revision in flight, records how it ended after
   * the user finished (`completed`) or undid (`rolled-back`) it by hand;
   * otherwise re-records the checksums of the applied revisions as their
   * files are now, and forgets applied revisions whose file is gone.
   */
  async repair(resolution: "completed" | "rolled-back" | undefined): Promise<string> {
    return this.withLock(async () => {
      await this.versionTable.ensure(this.db);
      const state = await this.state();
      const graph = this.scripts.graph;
      const inFlight = state.inFlight;
      if (inFlight) {
        if (!resolution) {
          throw new UserError(
            `${describeInFlight(inFlight)}; say how it ended: \`retort repair --completed\` once you finished it by hand, or \`retort repair --rolled-back\` once you undid its statements`,
          );
        }
        const id = inFlight.revision;
        const file = this.scripts.revisions.get(id);
        const done = (inFlight.direction === "up") === (resolution === "completed");
        const applied = graph.applied(state.heads);
        if (done && inFlight.direction === "up" && !file) throw new UserError(`Revision ${id} has no file in ${this.scripts.dir}; restore it before marking it completed.`);
        const statements: string[] = [];
        if (done) applied.add(id);
        else applied.delete(id);
        const after = graph.tipsOf(applied);
        statements.push(...this.versionTable.transitionSql(state.heads, after));
        statements.push(...(done ? this.versionTable.recordSql(id, "applied", file?.checksum ?? null) : this.versionTable.forgetSql(id)));
        await this.inTransaction(() => this.runAll(statements));
        const verb = inFlight.direction === "up" ? "upgrade" : "downgrade";
        return `Recorded the ${verb} of ${id} as ${resolution}; the database is at ${after.join(", ") || "base"}.`;
      }
      if (resolution) throw new UserError(`No revision is partly applied, so there is nothing to mark ${resolution}; \`retort current\` shows the state.`);
      const statements = [
        ...state.missing.flatMap((id) => this.versionTable.forgetSql(id)),
        ...[...state.changed.map((c) => c.revision), ...state.unrecorded].flatMap((id) =>
          this.versionTable.recordSql(id, "applied", this.scripts.get(id).checksum),
        ),
      ];
      await this.inTransaction(() => this.runAll(statements));
      const what = [
        state.changed.length ? `re-recorded the checksum of ${state.changed.map((c) => c.revision).join(", ")}` : "",
        state.missing.length ? `forgot ${state.missing.join(", ")} (no file)` : "",
      ].filter(Boolean);
      return what.length ? `Repaired: ${what.join("; ")}.` : "Nothing to repair: every applied revision matches its file.";
    });
  }
}

/** Bookkeeping of a finished step: the version-table rows and the revision's history row. */
function finishSql(versionTable: VersionTable, step: PlanStep, revision: Revision): string[] {
  const id = revision.revision;
  return [
    ...versionTable.transitionSql(step.headsBefore, step.headsAfter),
    ...(step.direction === "up" ? versionTable.recordSql(id, "applied", revision.checksum) : versionTable.forgetSql(id)),
  ];
}

function oneLine(sql: string): string {
  const flat = sql.replace(/\s+/g, " ").trim();
  return flat.length > 200 ? `${flat.slice(0, 197)}...` : flat;
}

/**
 * The SQL script for `steps`, without a connection (`--sql`): the version
 * table's DDL when starting from base, each revision's statements and its
 * version-table update, in a transaction where the dialect has them.
 */
export async function offlineScript(
  steps: PlanStep[],
  scripts: ScriptDirectory,
  dialect: Dialect,
  versionTableName: string,
  startsFromBase: boolean,
  driver?: PortableDriverOptions,
): Promise<string> {
  await assertStepsRunOn(steps, scripts, dialect);
  const versionTable = new VersionTable(dialect, versionTableName);
  const out: string[] = [];
  const emit = (sql: string) => out.push(/;\s*$/.test(sql) ? sql : `${sql};`);
  if (startsFromBase) emit(versionTable.createSql());
  // The history table may predate the script's start (or not exist yet, from a version before checksums).
  emit(versionTable.historyCreateSql());
  for (const step of steps) {
    const revision = scripts.get(step.revision.revision);
    const verb = step.direction === "up" ? "upgrade" : "downgrade";
    out.push("", `-- Running ${verb} ${arrow(revision, step.direction)}, ${revision.doc}`);
    const transactional = revision.transactional && dialect.transactionalDdl;
    if (transactional) emit("BEGIN");
    try {
      await runRevisionBody(revision, step.direction, dialect, { run: async (sql) => (emit(sql), []) }, {}, plainUnits(new StatementLog()), driver);
    } catch (error) {
      if (error instanceof UserError || error instanceof OfflineUnsupportedError) throw error;
      // The online run reports the same failures through describeFailure; offline there is no statement to blame yet.
      const reason = firstLineOf(error).replace(/\.$/, "");
      throw new UserError(`Cannot write the SQL of the ${verb} of revision ${revision.revision} (${revision.path}): ${reason}.`);
    }
    for (const sql of finishSql(versionTable, step, revision)) emit(sql);
    if (transactional) emit("COMMIT");
  }
  return `${out.join("\n")}\n`;
}
