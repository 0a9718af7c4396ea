/**
 * Running a revision body unit by unit (an op or a `query()` call, each
 * rendering to one or more statements), and, where the revision cannot run
 * in one transaction (no transactional DDL, or `transactional = false`),
 * recording after each statement how far it got, so that a failure or a kill
 * is reported exactly and `upgrade` can resume at the next statement.
 */
import { createHash } from "node:crypto";
import type { Dialect, Queryable } from "../dialects/dialect";
import type { Progress, VersionTable } from "./version-table";

export type Rows = Record<string, unknown>[];

/** Runs one unit: renders its statements, then runs them in order; returns the last statement's rows. */
export type UnitRunner = (render: () => Promise<string[]>, run: (sql: string) => Promise<Rows>) => Promise<Rows>;

/** Which statements completed and which one was running, for the failure message. */
export class StatementLog {
  /** Statements that completed in this run (or, resumed, counting those of earlier runs). */
  count = 0;
  last?: string;
  /** The statement being executed when an error was thrown; undefined when the body's own code threw. */
  running?: string;

  constructor(alreadyCommitted = 0) {
    this.count = alreadyCommitted;
  }

  started(sql: string): void {
    this.running = sql;
  }

  finished(sql: string): void {
    this.running = undefined;
    this.last = sql;
    this.count++;
  }
}

/** Units run straight through: offline, or inside a transaction that makes the revision atomic. */
export function plainUnits(log: StatementLog): UnitRunner {
  return async (render, run) => {
    let rows: Rows = [];
    for (const sql of await render()) {
      log.started(sql);
      rows = await run(sql);
      log.finished(sql);
    }
    return rows;
  };
}

/**
 * A hash of the live schema as the dialect introspects it. Taken after each
 * committed statement: DDL commits by itself, so a kill can fall between a
 * statement and its progress record; comparing the live schema with the
 * recorded fingerprint tells whether that statement took effect.
 */
export async function schemaFingerprint(dialect: Dialect, db: Queryable): Promise<string> {
  return createHash("sha256")
    .update(JSON.stringify(await dialect.introspect(db)))
    .digest("hex");
}

/** A unit whose statements are all committed counts as done. */
function normalized(progress: Progress): Progress {
  if (progress.unit && progress.unit.done >= progress.unit.sql.length) {
    return { ...progress, units: progress.units + 1, unit: undefined };
  }
  return progress;
}

/**
 * The recorded progress, corrected for a statement that was running when the
 * process died: when the live schema no longer matches the fingerprint taken
 * before it, that statement took effect. (A data statement commits in one
 * transaction with its record, so it needs no such check.)
 */
export async function settleProgress(progress: Progress, dialect: Dialect, db: Queryable): Promise<Progress> {
  const unit = progress.unit;
  if (unit && unit.done < unit.sql.length && progress.fingerprint !== undefined) {
    const live = await schemaFingerprint(dialect, db);
    if (live !== progress.fingerprint) {
      return normalized({
        ...progress,
        unit: { sql: unit.sql, done: unit.done + 1 },
        statements: progress.statements + 1,
        last: unit.sql[unit.done],
        fingerprint: live,
      });
    }
  }
  return normalized(progress);
}

/** The progress of a revision that has not run a statement yet. */
export async function initialProgress(dialect: Dialect, db: Queryable): Promise<Progress> {
  return { units: 0, statements: 0, fingerprint: await schemaFingerprint(dialect, db) };
}

/**
 * Records progress after every statement of a revision that is not atomic.
 * Resuming (`progress` from an earlier run), the units that run committed are
 * skipped without rendering (a skipped `query()` returns no rows), and a unit
 * it left half done continues from its recorded statements, so the resume
 * never renders against a schema the unit already changed. Valid only while
 * the file is unchanged: a body may call ops conditionally.
 */
export class ProgressTracker {
  private unitIndex = 0;

  constructor(
    private readonly db: Queryable,
    private readonly dialect: Dialect,
    private readonly table: VersionTable,
    private readonly revision: string,
    private progress: Progress,
    /** Runs `fn` in a transaction where one helps (a data statement commits with its record), or just runs it. */
    private readonly atomically: <T>(fn: () => Promise<T>) => Promise<T>,
    private readonly log: StatementLog,
  ) {}

  get current(): Progress {
    return this.progress;
  }

  private async save(progress: Progress): Promise<void> {
    await this.db.query(this.table.progressSql(this.revision, progress));
  }

  units(): UnitRunner {
    return async (render, run) => {
      const index = this.unitIndex++;
      const recorded = this.progress;
      if (index < recorded.units) return [];
      const resumed = index === recorded.units && recorded.unit && recorded.unit.done > 0 ? recorded.unit : undefined;
      const sql = resumed ? resumed.sql : await render();
      if (!resumed) {
        this.progress = { ...recorded, units: index, unit: { sql, done: 0 } };
        await this.save(this.progress);
      }
      let rows: Rows = [];
      for (let done = resumed ? resumed.done : 0; done < sql.length; done++) {
        const statement = sql[done];
        this.log.started(statement);
        const next: Progress = { units: index, unit: { sql, done: done + 1 }, statements: this.progress.statements + 1, last: statement };
        rows = await this.atomically(async () => {
          const result = await run(statement);
          next.fingerprint = await schemaFingerprint(this.dialect, this.db);
          await this.save(next);
          return result;
        });
        this.progress = next;
        this.log.finished(statement);
      }
      this.progress = normalized(this.progress);
      return rows;
    };
  }
}
