/**
 * `retort test --data`: one generated row per table before each stairway
 * step, so that a step that should keep rows (no dropTable, no raw SQL) and
 * loses them (a rebuild that forgets to copy, a drop-and-recreate) is named.
 * Values come from each column's type family; foreign keys take a row of the
 * referenced table; a table whose row cannot be made is noted, not failed.
 */
import { familyOf } from "../compare/dialect";
import type { Dialect, Queryable } from "../dialects/dialect";
import type { Op } from "../ops/types";
import type { Column, Schema, Table } from "../schema/types";

/** Parents before children (foreign keys), by name otherwise; cycles are broken arbitrarily. */
function fillOrder(tables: readonly Table[]): Table[] {
  const byName = new Map(tables.map((t) => [t.name, t]));
  const done = new Set<string>();
  const order: Table[] = [];
  const visit = (table: Table, path: Set<string>) => {
    if (done.has(table.name) || path.has(table.name)) return;
    path.add(table.name);
    for (const fk of table.foreignKeys ?? []) {
      const parent = byName.get(fk.referencedTable);
      if (parent) visit(parent, path);
    }
    done.add(table.name);
    order.push(table);
  };
  for (const table of [...tables].sort((a, b) => a.name.localeCompare(b.name))) visit(table, new Set());
  return order;
}

function sampleValue(column: Column, n: number, dialect: Dialect): string | undefined {
  if (column.enumValues && column.enumValues.length > 0) return dialect.quoteLiteral(column.enumValues[0]);
  const type = column.type.toLowerCase();
  if (type === "uuid") return dialect.quoteLiteral(`00000000-0000-4000-8000-${String(n).padStart(12, "0")}`);
  if (type.startsWith("json")) return dialect.quoteLiteral("{}");
  if (type === "boolean" || type === "bool") return dialect.quoteLiteral(true);
  switch (familyOf(type)) {
    case "integer":
    case "float":
    case "decimal":
      return String(n % 100);
    case "string":
      return dialect.quoteLiteral(`s${n}`.slice(0, Math.max(1, column.length ?? 8)));
    case "binary":
      return dialect.quoteLiteral(Buffer.from("x"));
    case "date":
      return dialect.quoteLiteral("2020-01-01");
    case "datetime":
      return dialect.quoteLiteral("2020-01-01 00:00:00");
    case "time":
      return dialect.quoteLiteral("12:00:00");
    default:
      // text, and what only one dialect has: a string where it is required, nothing where not.
      return column.nullable === false || /text|char|clob/.test(type) ? dialect.quoteLiteral(`s${n}`) : undefined;
  }
}

/** The INSERT of one sample row, or undefined when `table` gets none (a self-referencing key that must be set). */
function sampleInsert(table: Table, n: number, dialect: Dialect): string | undefined {
  const q = (name: string) => dialect.quoteIdentifier(name);
  const columns: string[] = [];
  const values: string[] = [];
  for (const column of table.columns) {
    if (column.generated || column.autoIncrement || column.identity) continue;
    const fk = (table.foreignKeys ?? []).find((f) => f.columns.includes(column.name));
    let value: string | undefined;
    if (fk) {
      const referenced = fk.referencedColumns[fk.columns.indexOf(column.name)];
      // MySQL refuses a subquery on the table being inserted into.
      if (fk.referencedTable === table.name) value = column.nullable === false ? undefined : "NULL";
      else value = `(SELECT MIN(${q(referenced)}) FROM ${q(fk.referencedTable)})`;
      if (value === undefined) return undefined;
    } else {
      value = sampleValue(column, n, dialect);
    }
    if (value === undefined) continue;
    columns.push(q(column.name));
    values.push(value);
  }
  if (columns.length === 0) return `INSERT INTO ${q(table.name)} DEFAULT VALUES`;
  return `INSERT INTO ${q(table.name)} (${columns.join(", ")}) VALUES (${values.join(", ")})`;
}

/** Inserts a sample row into every table of `schema`; returns one note per table that got none. */
export async function insertSampleRows(db: Queryable, dialect: Dialect, schema: Schema, n: number): Promise<string[]> {
  const notes: string[] = [];
  for (const table of fillOrder(schema.tables)) {
    const sql = sampleInsert(table, n, dialect);
    if (!sql) {
      notes.push(`no sample row in ${table.name}: a required key references its own table`);
      continue;
    }
    try {
      await db.query(sql);
    } catch (error) {
      notes.push(`no sample row in ${table.name}: ${(error instanceof Error ? error.message : String(error)).split("\n")[0]}`);
    }
  }
  return notes;
}

export async function rowCounts(db: Queryable, dialect: Dialect, tables: readonly string[]): Promise<Map<string, number>> {
  const counts = new Map<string, number>();
  for (const table of tables) {
    const [row] = await db.query<{ n: unknown }>(`SELECT COUNT(*) AS n FROM ${dialect.quoteIdentifier(table)}`);
    counts.set(table, Number(row?.n ?? 0));
  }
  return counts;
}

/** Tables whose rows `ops` may remove by design (dropped or renamed away); `undefined`: any table (raw SQL). */
export function tablesLosingRowsByDesign(ops: readonly Op[]): Set<string> | undefined {
  const tables = new Set<string>();
  for (const op of ops) {
    if (op.kind === "execute") return undefined;
    if (op.kind === "dropTable") tables.add(op.table);
    if (op.kind === "renameTable") tables.add(op.from);
  }
  return tables;
}

/** Failure lines for the tables of `before` that still exist with fewer rows and were not meant to lose them. */
export function lostRows(before: Map<string, number>, after: Map<string, number>, byDesign: Set<string> | undefined): string[] {
  if (!byDesign) return [];
  const lines: string[] = [];
  for (const [table, count] of before) {
    const now = after.get(table);
    if (now !== undefined && now < count && !byDesign.has(table)) lines.push(`table ${table} had ${count} row(s) before the upgrade and ${now} after; this step drops no table`);
  }
  return lines;
}
