/**
 * SQL text for SQLite definitions (columns, CREATE TABLE, CREATE INDEX),
 * written the way TypeORM's AbstractSqliteQueryRunner writes them so that a
 * table we create reads back exactly as one TypeORM created. Used both by
 * direct renders and by table rebuilds.
 */
import type { Op } from "../../ops/types";
import type { Column, ForeignKey, Index, Table } from "../../schema/types";
import { UnsupportedOpError } from "../dialect";
import { canonicalColumn, normalizeDefault, quoteIdentifier as q, quoteLiteral, typeSql } from "./grammar";

const list = (names: readonly string[]): string => names.map(q).join(", ");

export interface ColumnSqlOptions {
  /** Write ` PRIMARY KEY` on the column (single-column primary keys). */
  inlinePrimaryKey?: boolean;
  /** ALTER TABLE ADD COLUMN rejects parenthesized defaults; write literals bare. */
  bareDefault?: boolean;
}

/** `"name" type [CHECK enum] [PRIMARY KEY [AUTOINCREMENT]] [COLLATE x] [NOT NULL] [AS (..) | DEFAULT (..)]`. */
export function columnSql(raw: Column, options: ColumnSqlOptions = {}): string {
  const column = canonicalColumn(raw);
  let sql = `${q(column.name)} ${typeSql(column)}`;
  if (column.enumValues) sql += ` CHECK( ${q(column.name)} IN (${column.enumValues.map((v) => quoteLiteral(v)).join(",")}) )`;
  if (options.inlinePrimaryKey) sql += " PRIMARY KEY";
  if (column.autoIncrement) sql += " AUTOINCREMENT";
  if (column.collation) sql += ` COLLATE ${column.collation}`;
  if (!column.nullable) sql += " NOT NULL";
  if (column.generated) sql += ` AS (${column.generated.expression}) ${column.generated.stored ? "STORED" : "VIRTUAL"}`;
  else if (column.default !== undefined) sql += options.bareDefault ? ` DEFAULT ${column.default}` : ` DEFAULT (${column.default})`;
  return sql;
}

/** `CONSTRAINT "fk" FOREIGN KEY (..) REFERENCES "t" (..) ON DELETE .. ON UPDATE .. [DEFERRABLE INITIALLY ..]`. */
export function foreignKeySql(fk: ForeignKey): string {
  let sql = `CONSTRAINT ${q(fk.name)} FOREIGN KEY (${list(fk.columns)}) REFERENCES ${q(fk.referencedTable)}`;
  if (fk.referencedColumns.length > 0) sql += ` (${list(fk.referencedColumns)})`;
  if (fk.onDelete) sql += ` ON DELETE ${fk.onDelete}`;
  if (fk.onUpdate) sql += ` ON UPDATE ${fk.onUpdate}`;
  if (fk.deferrable) sql += ` DEFERRABLE ${fk.deferrable}`;
  return sql;
}

/** SQLite's AUTOINCREMENT exists only on an `INTEGER PRIMARY KEY` (the rowid alias). */
export function autoIncrementProblem(table: Table, column: Column): string | undefined {
  const pk = table.primaryKey?.columns ?? [];
  if (pk.length === 1 && pk[0] === column.name && canonicalColumn(column).type === "integer") return undefined;
  return `SQLite only auto-increments a table's single primary-key column of type integer`;
}

function checkAutoIncrement(table: Table, op: Op): void {
  for (const column of table.columns) {
    if (!column.autoIncrement || !autoIncrementProblem(table, column)) continue;
    throw new UnsupportedOpError(
      "sqlite",
      op,
      `AUTOINCREMENT needs "${column.name}" to be the table's only primary-key column, of type integer`,
    );
  }
}

/** The CREATE TABLE statement alone (indexes are separate statements). */
/** `strict`: the table was created STRICT (not in the model; a rebuild keeps it). */
export function createTableSql(table: Table, op: Op, name: string = table.name, strict = false): string {
  checkAutoIncrement(table, op);
  const pk = table.primaryKey?.columns ?? [];
  const parts = table.columns.map((c) => columnSql(c, { inlinePrimaryKey: pk.length === 1 && pk[0] === c.name }));
  for (const u of table.uniques ?? []) parts.push(`CONSTRAINT ${q(u.name)} UNIQUE (${list(u.columns)})`);
  for (const c of table.checks ?? []) parts.push(`CONSTRAINT ${q(c.name)} CHECK (${c.expression})`);
  for (const fk of table.foreignKeys ?? []) parts.push(foreignKeySql(fk));
  if (pk.length > 1) parts.push(`PRIMARY KEY (${list(pk)})`);
  const options = [...(table.withoutRowid ? ["WITHOUT ROWID"] : []), ...(strict ? ["STRICT"] : [])];
  return `CREATE TABLE ${q(name)} (${parts.join(", ")})${options.length > 0 ? ` ${options.join(", ")}` : ""}`;
}

export function createIndexSql(table: string, index: Index, op: Op): string {
  if (index.fulltext || index.spatial) {
    throw new UnsupportedOpError("sqlite", op, `index "${index.name}" is ${index.fulltext ? "FULLTEXT" : "SPATIAL"}; SQLite has neither`);
  }
  if (index.using && index.using.toLowerCase() !== "btree") {
    throw new UnsupportedOpError("sqlite", op, `index "${index.name}" uses ${index.using}; SQLite only has b-tree indexes`);
  }
  const where = index.where ? ` WHERE ${index.where}` : "";
  const nulls = index.order?.find((o) => /NULLS/i.test(o));
  if (nulls) throw new UnsupportedOpError("sqlite", op, `index "${index.name}" sorts ${nulls}; SQLite indexes have no NULLS FIRST/LAST`);
  const columns = index.columns.map((c, i) => [q(c), index.order?.[i]].filter(Boolean).join(" ")).join(", ");
  return `CREATE ${index.unique ? "UNIQUE " : ""}INDEX ${q(index.name)} ON ${q(table)} (${columns})${where}`;
}

/**
 * Whether ALTER TABLE ADD COLUMN can add `column`: SQLite refuses PRIMARY KEY,
 * UNIQUE, STORED generated columns, non-constant defaults and NOT NULL
 * without a default.
 */
export function canAddColumnDirectly(raw: Column): boolean {
  const column = canonicalColumn(raw);
  if (column.autoIncrement) return false;
  if (column.generated) return !column.generated.stored;
  const def = normalizeDefault(column.default);
  if (def !== undefined && !isConstantLiteral(def)) return false;
  if (!column.nullable && def === undefined) return false;
  return true;
}

/** A literal ALTER TABLE ADD COLUMN accepts as a default: string, signed number, blob, NULL, TRUE/FALSE. */
export function isConstantLiteral(expression: string): boolean {
  const text = expression.trim();
  return (
    /^'(?:[^']|'')*'$/.test(text) ||
    /^[+-]?(\d+(\.\d*)?|\.\d+)(e[+-]?\d+)?$/i.test(text) ||
    /^0x[0-9a-f]+$/i.test(text) ||
    /^x'[0-9a-f]*'$/i.test(text) ||
    /^(null|true|false)$/i.test(text)
  );
}
