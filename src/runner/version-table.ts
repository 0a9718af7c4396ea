import type { Dialect, Queryable } from "../dialects/dialect";
import { MAX_REVISION_ID_LENGTH } from "../revisions/ids";

/**
 * The version table: one row per current head, as Alembic keeps it. All its
 * SQL is built here so the online runner and the offline script agree.
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
