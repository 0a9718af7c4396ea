import type { Op } from "../../ops/types";

/** The table an op (or a rebuild) needs is not in the database. */
export class SqliteTableNotFoundError extends Error {
  constructor(readonly table: string) {
    super(`Table "${table}" does not exist in the SQLite database.`);
    this.name = "SqliteTableNotFoundError";
  }
}

/** A table rebuild cannot apply an op to the table it read (missing column, constraint, impossible copy). */
export class SqliteRebuildError extends Error {
  constructor(
    readonly op: Op,
    readonly table: string,
    reason: string,
  ) {
    super(`Cannot ${op.kind} on "${table}" (SQLite table rebuild): ${reason}`);
    this.name = "SqliteRebuildError";
  }
}

export interface ForeignKeyViolation {
  /** The child table holding the row. */
  table: string;
  rowid: number | null;
  /** The referenced (parent) table. */
  parent: string;
  /** Index of the foreign key in `PRAGMA foreign_key_list(table)`. */
  fkid: number;
}

/** `PRAGMA foreign_key_check` found rows whose foreign keys no longer hold; the transaction must roll back. */
export class ForeignKeyViolationError extends Error {
  constructor(readonly violations: ForeignKeyViolation[]) {
    const sample = violations
      .slice(0, 5)
      .map((v) => `"${v.table}" row ${v.rowid ?? "?"} -> "${v.parent}"`)
      .join(", ");
    const more = violations.length > 5 ? ` and ${violations.length - 5} more` : "";
    super(`Foreign key check failed after the migration: ${sample}${more}. Fix the data or the constraint; nothing was committed.`);
    this.name = "ForeignKeyViolationError";
  }
}

/** A rebuild was asked for while foreign keys are enforced (prepareSession was not called before BEGIN). */
export class ForeignKeysEnabledError extends Error {
  constructor(
    readonly op: Op,
    readonly table: string,
  ) {
    super(
      `Cannot ${op.kind} on "${table}": the SQLite table rebuild needs PRAGMA foreign_keys = OFF before the transaction begins ` +
        "(dialect.prepareSession), otherwise dropping the old table would cascade into child rows.",
    );
    this.name = "ForeignKeysEnabledError";
  }
}
