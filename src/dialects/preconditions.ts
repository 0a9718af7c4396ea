/**
 * Data preconditions of ops: the rows that would make an op fail, or make the
 * database change them silently (truncate, round, convert NULL to ''),
 * counted with one query each before a revision's first statement.
 *
 * Which kinds of check a dialect wants is its own answer (`Dialect.preconditions`):
 * where DDL rolls back with the transaction, an op that fails on its data
 * leaves nothing behind, so only the silent changes need a check; where DDL
 * commits at once, every failure half-way is worth catching first.
 */
import { familyOf, fractionalDigits, integerBytes, integerDigits, stringCapacity } from "../compare/dialect";
import type { Op, OpOf } from "../ops/types";
import { applyColumnChanges, renamedValues } from "../ops/reverse";
import type { Column } from "../schema/types";

/** One data check: `sql` returns one row whose `n` counts the offending rows. */
export interface Precondition {
  /** What is checked, as the user names it: `posts.body`, `users (email)`. */
  subject: string;
  /** The tables the query reads (their size decides whether the impact preview may run it). */
  tables: string[];
  sql: string;
  /** What the offending rows are, after "N rows": `longer than 10 characters`. */
  problem: string;
}

/** The kinds of check a dialect asks for. */
export interface PreconditionKinds {
  /** NULLs before NOT NULL. */
  nulls: boolean;
  /** Values a narrower type would truncate, round or reject. */
  narrowing: boolean;
  /** Duplicates before UNIQUE / PRIMARY KEY, orphans before a FOREIGN KEY, violations before a CHECK. */
  constraints: boolean;
}

/** The SQL spellings the checks need. */
export interface PreconditionSql {
  q(name: string): string;
  /** A table name as the model writes it (`schema.table` outside the default schema); `q` when absent. */
  table?(name: string): string;
  literal(value: unknown): string;
  /** The character-length function. Default CHAR_LENGTH. */
  charLength?: string;
}

/** Every kind of check: what autogenerate's impact preview counts. */
export const ALL_KINDS: PreconditionKinds = { nulls: true, narrowing: true, constraints: true };

function integerRange(column: Column): [string, string] | undefined {
  const bytes = integerBytes(column.type);
  if (bytes === undefined) return undefined;
  const bits = BigInt(bytes * 8);
  if (column.unsigned) return ["0", String((1n << bits) - 1n)];
  return [String(-(1n << (bits - 1n))), String((1n << (bits - 1n)) - 1n)];
}

function holds(outer: [string, string], inner: [string, string]): boolean {
  return BigInt(outer[0]) <= BigInt(inner[0]) && BigInt(outer[1]) >= BigInt(inner[1]);
}

function quoteTable(sql: PreconditionSql, table: string): string {
  return sql.table ? sql.table(table) : sql.q(table);
}

function rows(sql: PreconditionSql, table: string, where: string): string {
  return `SELECT COUNT(*) AS n FROM ${quoteTable(sql, table)} WHERE ${where}`;
}

/** Checks for values of `before` that `after` cannot hold unchanged. */
function narrowingChecks(sql: PreconditionSql, table: string, before: Column, after: Column): Precondition[] {
  // Array elements would need per-element checks; the database judges those.
  if (before.array || after.array) return [];
  const subject = `${table}.${before.name}`;
  const c = sql.q(before.name);
  const from = familyOf(before.type);
  const to = familyOf(after.type);
  const checks: Precondition[] = [];
  const check = (where: string, problem: string) => checks.push({ subject, tables: [table], sql: rows(sql, table, where), problem });
  if (before.enumValues && to === "string") {
    // An enum holds its values only (and PostgreSQL has no length function for an enum type).
    const longer = before.enumValues.filter((v) => v.length > stringCapacity(after));
    if (longer.length > 0) check(`${c} IN (${longer.map((v) => sql.literal(v)).join(", ")})`, `longer than ${stringCapacity(after)} characters`);
  } else if (from === "string" && to === "string" && stringCapacity(after) < stringCapacity(before)) {
    check(`${sql.charLength ?? "CHAR_LENGTH"}(${c}) > ${stringCapacity(after)}`, `longer than ${stringCapacity(after)} characters`);
  }
  const range = integerRange(after);
  if (range) {
    const old = integerRange(before);
    if ((from === "integer" && old && !holds(range, old)) || from === "decimal") {
      check(`${c} < ${range[0]} OR ${c} > ${range[1]}`, `outside ${range[0]}..${range[1]}`);
    }
  }
  if (to === "decimal" && (from === "decimal" || from === "integer")) {
    const scale = fractionalDigits(after);
    const digits = integerDigits(after);
    const oldDigits = from === "integer" ? Infinity : integerDigits(before);
    if (digits < oldDigits) {
      const bound = `1${"0".repeat(digits)}`;
      check(`ABS(ROUND(${c}, ${scale})) >= ${bound}`, `with more than ${digits} digits before the decimal point`);
    }
    if (from === "decimal" && scale < fractionalDigits(before)) {
      check(`${c} <> ROUND(${c}, ${scale})`, `with more than ${scale} decimal places (they would be rounded)`);
    }
  }
  // A named enum type (PostgreSQL) loses values through alterEnum, which the database checks itself.
  const inColumn = !before.enumName && !after.enumName;
  const removed = inColumn ? (before.enumValues ?? []).filter((v) => after.enumValues && !after.enumValues.includes(v)) : [];
  if (removed.length > 0) checks.push(removedEnumValues(sql, table, before.name, removed));
  return checks;
}

/** Rows of `table.column` holding one of the `removed` enum values. */
export function removedEnumValues(sql: PreconditionSql, table: string, column: string, removed: readonly string[]): Precondition {
  return {
    subject: `${table}.${column}`,
    tables: [table],
    sql: rows(sql, table, `${sql.q(column)} IN (${removed.map((v) => sql.literal(v)).join(", ")})`),
    problem: `holding removed enum values (${removed.join(", ")})`,
  };
}

function alterColumnChecks(sql: PreconditionSql, kinds: PreconditionKinds, op: OpOf<"alterColumn">): Precondition[] {
  const before = op.existing;
  if (!before) return [];
  const after = applyColumnChanges(before, op.changes);
  // A renamed enum value is not removed: its rows are rewritten to the new name.
  const renamed = op.renameValues && before.enumValues ? { ...before, enumValues: renamedValues(before.enumValues, op.renameValues) } : before;
  const checks = kinds.narrowing ? narrowingChecks(sql, op.table, renamed, after) : [];
  if (kinds.nulls && before.nullable !== false && after.nullable === false && !after.generated) {
    checks.push({ subject: `${op.table}.${op.column}`, tables: [op.table], sql: rows(sql, op.table, `${sql.q(op.column)} IS NULL`), problem: "holding NULL" });
  }
  return checks;
}

function duplicates(sql: PreconditionSql, table: string, columns: readonly string[], what: string): Precondition {
  const list = columns.map(sql.q).join(", ");
  const notNull = columns.map((c) => `${sql.q(c)} IS NOT NULL`).join(" AND ");
  return {
    subject: `${table} (${columns.join(", ")})`,
    tables: [table],
    sql: `SELECT COALESCE(SUM(d.n), 0) AS n FROM (SELECT COUNT(*) AS n FROM ${quoteTable(sql, table)} WHERE ${notNull} GROUP BY ${list} HAVING COUNT(*) > 1) d`,
    problem: `sharing a value with another row (the ${what} would fail)`,
  };
}

function constraintChecks(sql: PreconditionSql, op: Op): Precondition[] {
  switch (op.kind) {
    case "createUnique":
      return [duplicates(sql, op.table, op.unique.columns, `unique constraint "${op.unique.name}"`)];
    case "createIndex":
      return op.index.unique && !op.index.where ? [duplicates(sql, op.table, op.index.columns, `unique index "${op.index.name}"`)] : [];
    case "createPrimaryKey": {
      const { columns } = op.primaryKey;
      const anyNull = columns.map((c) => `${sql.q(c)} IS NULL`).join(" OR ");
      return [
        { subject: `${op.table} (${columns.join(", ")})`, tables: [op.table], sql: rows(sql, op.table, anyNull), problem: "holding NULL (the primary key would fail)" },
        duplicates(sql, op.table, columns, "primary key"),
      ];
    }
    case "createForeignKey": {
      const fk = op.foreignKey;
      const child = (c: string) => `c.${sql.q(c)}`;
      const match = fk.referencedColumns.map((r, i) => `p.${sql.q(r)} = ${child(fk.columns[i])}`).join(" AND ");
      const present = fk.columns.map((c) => `${child(c)} IS NOT NULL`).join(" AND ");
      return [
        {
          subject: `${op.table} (${fk.columns.join(", ")})`,
          tables: [op.table, fk.referencedTable],
          sql:
            `SELECT COUNT(*) AS n FROM ${quoteTable(sql, op.table)} c WHERE ${present} ` +
            `AND NOT EXISTS (SELECT 1 FROM ${quoteTable(sql, fk.referencedTable)} p WHERE ${match})`,
          problem: `referencing no row of "${fk.referencedTable}" (the foreign key "${fk.name}" would fail)`,
        },
      ];
    }
    case "createCheck":
      return [
        {
          subject: op.table,
          tables: [op.table],
          sql: rows(sql, op.table, `NOT (${op.check.expression})`),
          problem: `violating check "${op.check.name}"`,
        },
      ];
    default:
      return [];
  }
}

/** The checks `op` needs among `kinds`. An alterColumn without `existing` gets none (the runner fills it in from the live table). */
export function opPreconditions(op: Op, sql: PreconditionSql, kinds: PreconditionKinds): Precondition[] {
  if (op.kind === "alterColumn") return alterColumnChecks(sql, kinds, op);
  return kinds.constraints ? constraintChecks(sql, op) : [];
}
