import type { Dialect, Queryable } from "../dialects/dialect";
import { MAX_REVISION_ID_LENGTH } from "../revisions/ids";

/** Where a revision stands in the applied-revisions table. */
export type RevisionState = "applied" | "upgrading" | "downgrading";

/**
 * How far a revision that is not applied atomically got (no transactional
 * DDL, or `transactional = false`). Its body calls ops and `query()`; each call
 * is a unit rendering to one or more statements.
 */
export interface Progress {
  /** Units (op or query() calls) whose statements are all committed. */
  units: number;
  /** The unit in flight: its rendered statements (kept, so a resume does not re-render against a changed schema) and how many are committed. */
  unit?: { sql: string[]; done: number };
  /** Statements committed so far, over all units. */
  statements: number;
  /** The last committed statement. */
  last?: string;
  /**
   * The schema fingerprint taken after the last committed statement: a kill
   * between a DDL statement (which commits itself) and this record is told
   * apart from a kill before it by comparing with the live schema.
   */
  fingerprint?: string;
}

/** One row of the applied-revisions table. */
export interface HistoryRow {
  revision: string;
  state: RevisionState;
  /** Null for a row recorded before checksums existed. */
  checksum: string | null;
  progress?: Progress;
}

/**
 * The version table: one row per current head, as Alembic keeps it (so
 * Alembic-style tooling reading it keeps working), and beside it
 * `<name>_history`: one row per applied revision with its checksum, plus the
 * revision in flight with its progress where DDL is not transactional. All
 * their SQL is built here so the online runner and the offline script agree.
 */
export class VersionTable {
  constructor(
    private readonly dialect: Dialect,
    readonly name: string,
  ) {}

  private get table(): string {
    return this.dialect.quoteIdentifier(this.name);
  }

  createSql(): string {
    const col = this.dialect.quoteIdentifier("version_num");
    const pk = this.dialect.quoteIdentifier(`${this.name}_pkc`);
    return `CREATE TABLE IF NOT EXISTS ${this.table} (${col} VARCHAR(${MAX_REVISION_ID_LENGTH}) NOT NULL, CONSTRAINT ${pk} PRIMARY KEY (${col}))`;
  }

  /** Statements that turn the rows `before` into `after`. */
  transitionSql(before: readonly string[], after: readonly string[]): string[] {
    const col = this.dialect.quoteIdentifier("version_num");
    const removed = before.filter((h) => !after.includes(h));
    const added = after.filter((h) => !before.includes(h));
    const statements: string[] = [];
    // Prefer UPDATE for the common one-for-one step: it reads like Alembic's script output.
    while (removed.length > 0 && added.length > 0) {
      const from = removed.shift()!;
      const to = added.shift()!;
      statements.push(
        `UPDATE ${this.table} SET ${col} = ${this.dialect.quoteLiteral(to)} WHERE ${col} = ${this.dialect.quoteLiteral(from)}`,
      );
    }
    for (const h of removed) statements.push(`DELETE FROM ${this.table} WHERE ${col} = ${this.dialect.quoteLiteral(h)}`);
    for (const h of added) statements.push(`INSERT INTO ${this.table} (${col}) VALUES (${this.dialect.quoteLiteral(h)})`);
    return statements;
  }

  async ensure(db: Queryable): Promise<void> {
    await db.query(this.createSql());
    await db.query(this.historyCreateSql());
  }

  get historyName(): string {
    return `${this.name}_history`;
  }

  private get history(): string {
    return this.dialect.quoteIdentifier(this.historyName);
  }

  historyCreateSql(): string {
    const q = (n: string) => this.dialect.quoteIdentifier(n);
    return (
      `CREATE TABLE IF NOT EXISTS ${this.history} (${q("revision")} VARCHAR(255) NOT NULL, ${q("state")} VARCHAR(16) NOT NULL, ` +
      `${q("checksum")} VARCHAR(64), ${q("progress")} TEXT, ${q("recorded_at")} VARCHAR(32) NOT NULL, ` +
      `CONSTRAINT ${q(`${this.historyName}_pkc`)} PRIMARY KEY (${q("revision")}))`
    );
  }

  /** Statements that record `revision` in the history table (replacing any row it has). */
  recordSql(revision: string, state: RevisionState, checksum: string | null, progress?: Progress): string[] {
    const q = (n: string) => this.dialect.quoteIdentifier(n);
    const lit = (v: unknown) => this.dialect.quoteLiteral(v);
    return [
      ...this.forgetSql(revision),
      `INSERT INTO ${this.history} (${q("revision")}, ${q("state")}, ${q("checksum")}, ${q("progress")}, ${q("recorded_at")}) ` +
        `VALUES (${lit(revision)}, ${lit(state)}, ${lit(checksum)}, ${lit(progress ? JSON.stringify(progress) : null)}, ${lit(new Date().toISOString())})`,
    ];
  }

  forgetSql(revision: string): string[] {
    return [`DELETE FROM ${this.history} WHERE ${this.dialect.quoteIdentifier("revision")} = ${this.dialect.quoteLiteral(revision)}`];
  }

  progressSql(revision: string, progress: Progress): string {
    const q = (n: string) => this.dialect.quoteIdentifier(n);
    const lit = (v: unknown) => this.dialect.quoteLiteral(v);
    return `UPDATE ${this.history} SET ${q("progress")} = ${lit(JSON.stringify(progress))}, ${q("recorded_at")} = ${lit(new Date().toISOString())} WHERE ${q("revision")} = ${lit(revision)}`;
  }

  private historySelect(): string {
    const q = (n: string) => this.dialect.quoteIdentifier(n);
    return `SELECT ${q("revision")} AS revision, ${q("state")} AS state, ${q("checksum")} AS checksum, ${q("progress")} AS progress FROM ${this.history}`;
  }

  async historyRows(db: Queryable): Promise<HistoryRow[]> {
    return this.parseHistory(await db.query<Record<string, unknown>>(this.historySelect()));
  }

  private parseHistory(rows: Record<string, unknown>[]): HistoryRow[] {
    return rows
      .map((r) => ({
        revision: String(r.revision),
        state: String(r.state) as RevisionState,
        checksum: r.checksum === null || r.checksum === undefined ? null : String(r.checksum),
        progress: typeof r.progress === "string" && r.progress ? (JSON.parse(r.progress) as Progress) : undefined,
      }))
      .sort((a, b) => (a.revision < b.revision ? -1 : a.revision > b.revision ? 1 : 0));
  }

  /** History rows, or none when the table does not exist (a fresh database, or one a version before checksums). */
  async historyRowsIfExists(db: Queryable): Promise<HistoryRow[]> {
    let rows: Record<string, unknown>[];
    try {
      rows = await db.query<Record<string, unknown>>(this.historySelect());
    } catch {
      return [];
    }
    return this.parseHistory(rows);
  }

  async heads(db: Queryable): Promise<string[]> {
    const col = this.dialect.quoteIdentifier("version_num");
    const rows = await db.query<{ version_num: string }>(`SELECT ${col} AS version_num FROM ${this.table}`);
    return rows.map((r) => r.version_num).sort();
  }

  /** Heads, or none when the table does not exist yet (a fresh database). Never call inside a transaction. */
  async headsIfExists(db: Queryable): Promise<string[]> {
    try {
      return await this.heads(db);
    } catch {
      return [];
    }
  }
}
