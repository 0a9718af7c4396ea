import { performance } from "node:perf_hooks";
import type { Dialect, Queryable } from "../dialects/dialect";
import { MigrationFailedError, UserError } from "../errors";
import { createOpApi } from "../ops/calls";
import { resolvePortableOp } from "../ops/portable";
import type { DialectName, Op } from "../ops/types";
import type { Revision, ScriptDirectory } from "../revisions/script";
import type { Step as PlanStep } from "../revisions/graph";
import type { Connection } from "./connection";
import type { MigrationContext } from "./context";
import { assertOpRunsOn, assertStepsRunOn } from "./dialect-check";
import { VersionTable } from "./version-table";

export type Direction = "up" | "down";

export interface RunnerOptions {
  versionTable: string;
  transactionMode: "per-revision" | "all";
  log: (line: string) => void;
  /** Lock name; one per version table so two projects sharing a server do not block each other. */
  lockKey?: string;
}

/** Where a step runs its SQL: the database, or (offline) a script being written. */
interface StatementSink {
  db?: Queryable;
  run(sql: string): Promise<Record<string, unknown>[]>;
}

export function arrow(revision: Revision, direction: Direction): string {
  const parents = revision.downRevisions.join(", ");
  return direction === "up" ? `${parents} -> ${revision.revision}` : `${revision.revision} -> ${parents}`;
}

/** Runs one revision's upgrade or downgrade body against a sink. */
export async function runRevisionBody(
  revision: Revision,
  direction: Direction,
  dialect: Dialect,
  sink: StatementSink,
  extra: Pick<MigrationContext, "queryRunner" | "dataSource">,
  onStatement: (sql: string) => void,
): Promise<void> {
  const portable = await dialect.portableResolver(sink.db, extra.dataSource?.options.type);
  const execute = async (written: Op, dialects?: readonly DialectName[]) => {
    assertOpRunsOn(revision, dialect, written, dialects);
    const op = resolvePortableOp(written, portable);
    if (!op) return;
    for (const sql of await dialect.render(op, sink.db)) {
      onStatement(sql);
      await sink.run(sql);
    }
  };
  const context: MigrationContext = {
    op: createOpApi(execute),
    dialect: dialect.name,
    offline: !sink.db,
    query: async <T>(sql: string, params?: unknown[]) => {
      onStatement(sql);
      if (!sink.db) {
        await sink.run(sql);
        return [] as T[];
      }
      return sink.db.query<T>(sql, params);
    },
    ...extra,
  };
  await (direction === "up" ? revision.upgrade(context) : revision.downgrade(context));
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

/**
 * Applies revisions on a live connection. Holds the dialect's migration lock
 * for the whole run, and re-checks the version table inside each revision's
 * transaction, so concurrent deploys apply each revision exactly once.
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

  async currentHeads(): Promise<string[]> {
    return this.versionTable.headsIfExists(this.db);
  }

  /** Runs `plan(heads)` repeatedly until it is empty; each step in its own transaction. Returns steps run. */
  async migrate(plan: (heads: string[]) => PlanStep[]): Promise<number> {
    await assertStepsRunOn(plan(await this.versionTable.headsIfExists(this.db)), this.scripts, this.dialect);
    await this.dialect.acquireLock(this.db, this.lockKey);
    try {
      await this.versionTable.ensure(this.db);
      await this.dialect.prepareSession(this.db);
      try {
        return this.options.transactionMode === "all" && this.dialect.transactionalDdl
          ? await this.runAllInOneTransaction(plan)
          : await this.runStepByStep(plan);
      } finally {
        await this.dialect.restoreSession(this.db);
      }
    } finally {
      await this.dialect.releaseLock(this.db, this.lockKey);
    }
  }

  /**
   * Plans once (relative targets like `-1` must be resolved against the heads
   * read under the lock, not re-resolved after every step), then runs each
   * step in its own transaction. A step whose version-table precondition no
   * longer holds (another process moved it: SQLite has no session lock) makes
   * us re-plan towards the same absolute end state.
   */
  private async runStepByStep(plan: (heads: string[]) => PlanStep[]): Promise<number> {
    let count = 0;
    let steps = plan(await this.versionTable.heads(this.db));
    const finalTarget = endStateTarget(steps);
    while (steps.length > 0) {
      try {
        await this.runStep(steps[0], true);
        count++;
        steps = steps.slice(1);
      } catch (error) {
        if (!(error instanceof HeadsMovedError) || finalTarget === undefined) throw error;
        steps = finalTarget.replan(await this.versionTable.heads(this.db));
      }
    }
    return count;
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

  private async runStep(step: PlanStep, ownTransaction: boolean): Promise<void> {
    const revision = this.scripts.get(step.revision.revision);
    const runner = this.connection.runner;
    const transactional = ownTransaction && revision.transactional && this.dialect.transactionalDdl;
    const verb = step.direction === "up" ? "upgrade" : "downgrade";
    const title = `Running ${verb} ${arrow(revision, step.direction)}, ${revision.doc}`;
    const executed: string[] = [];
    const started = performance.now();
    if (transactional) await runner.startTransaction();
    try {
      if (transactional) {
        const heads = await this.versionTable.heads(this.db);
        if (heads.join() !== [...step.headsBefore].sort().join()) throw new HeadsMovedError();
      }
      await runRevisionBody(
        revision,
        step.direction,
        this.dialect,
        { db: this.db, run: (sql) => this.db.query(sql) },
        { queryRunner: runner, dataSource: this.connection.dataSource },
        (sql) => executed.push(sql),
      );
      for (const sql of this.versionTable.transitionSql(step.headsBefore, step.headsAfter)) await this.db.query(sql);
      if (transactional) {
        await this.dialect.verifyBeforeCommit(this.db);
        await runner.commitTransaction();
      }
    } catch (error) {
      if (transactional && runner.isTransactionActive) await runner.rollbackTransaction();
      if (error instanceof HeadsMovedError) throw error;
      this.options.log(`${title} ... FAILED`);
      throw this.describeFailure(revision, verb, transactional, executed, error, step.headsBefore);
    }
    this.options.log(`${title} (${Math.round(performance.now() - started)} ms)`);
  }

  private describeFailure(
    revision: Revision,
    verb: string,
    rolledBack: boolean,
    executed: string[],
    error: unknown,
    headsBefore: string[],
  ): Error {
    if (error instanceof UserError && !(error instanceof MigrationFailedError)) return error;
    const reason = (error instanceof Error ? error.message : String(error)).split("\n")[0];
    const last = executed[executed.length - 1];
    const at = last ? ` at statement ${executed.length} (${oneLine(last)})` : "";
    const state = rolledBack
      ? `it was rolled back and the database is still at ${headsBefore.join(", ") || "base"}`
      : `its ${Math.max(executed.length - 1, 0)} earlier statement(s) are committed (this database commits DDL immediately) and the version table still says ${headsBefore.join(", ") || "base"}`;
    return new MigrationFailedError(
      `The ${verb} of revision ${revision.revision} (${revision.path}) failed${at}: ${reason}; ${state}.`,
      revision.revision,
      last,
      error,
    );
  }

  /** Sets the version table to `heads` without running any revision. */
  async stamp(compute: (heads: string[]) => string[]): Promise<{ before: string[]; after: string[] }> {
    await this.dialect.acquireLock(this.db, this.lockKey);
    try {
      await this.versionTable.ensure(this.db);
      const before = await this.versionTable.heads(this.db);
      const after = compute(before);
      for (const sql of this.versionTable.transitionSql(before, after)) await this.db.query(sql);
      return { before, after };
    } finally {
      await this.dialect.releaseLock(this.db, this.lockKey);
    }
  }
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
): Promise<string> {
  await assertStepsRunOn(steps, scripts, dialect);
  const versionTable = new VersionTable(dialect, versionTableName);
  const out: string[] = [];
  const emit = (sql: string) => out.push(/;\s*$/.test(sql) ? sql : `${sql};`);
  if (startsFromBase) emit(versionTable.createSql());
  for (const step of steps) {
    const revision = scripts.get(step.revision.revision);
    const verb = step.direction === "up" ? "upgrade" : "downgrade";
    out.push("", `-- Running ${verb} ${arrow(revision, step.direction)}, ${revision.doc}`);
    const transactional = revision.transactional && dialect.transactionalDdl;
    if (transactional) emit("BEGIN");
    await runRevisionBody(revision, step.direction, dialect, { run: async (sql) => (emit(sql), []) }, {}, () => undefined);
    for (const sql of versionTable.transitionSql(step.headsBefore, step.headsAfter)) emit(sql);
    if (transactional) emit("COMMIT");
  }
  return `${out.join("\n")}\n`;
}
