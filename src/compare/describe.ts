import { splitQualified } from "../schema/qualified";
import type { Column } from "../schema/types";
import { applyColumnChanges, renamedValues } from "../ops/reverse";
import type { AlterableProperty, ColumnChanges, Op, OpHandlers, OpOf } from "../ops/types";
import type { ComparerDialect } from "./dialect";

/** `varchar(64)`, `numeric(10, 2)`, `integer[]`, `int unsigned`, `enum('a', 'b')`. */
export function typeText(column: Column): string {
  let text = column.enumName ?? column.type;
  if (column.length !== undefined) text += `(${column.length})`;
  else if (column.precision !== undefined) {
    text += column.scale !== undefined ? `(${column.precision}, ${column.scale})` : `(${column.precision})`;
  } else if (column.enumValues && !column.enumName) {
    text += `(${column.enumValues.map((v) => `'${v}'`).join(", ")})`;
  }
  if (column.array) text += "[]";
  if (column.unsigned) text += " unsigned";
  return text;
}

/** `(a, b)` */
export function columnList(columns: readonly string[]): string {
  return `(${columns.join(", ")})`;
}

/** A property value for a reason line: SQL text as is, `none` when absent. */
export function valueText(value: unknown): string {
  if (value === undefined || value === null) return "none";
  if (typeof value === "string") return value;
  return JSON.stringify(value);
}

/** `length: 32 -> 64`, one per changed property. */
export function changeReasons(existing: Column, changes: ColumnChanges): string[] {
  return (Object.keys(changes) as AlterableProperty[]).map(
    (key) => `${key}: ${valueText(existing[key])} -> ${valueText(changes[key])}`,
  );
}

/** The properties that make an alterColumn a type change. */
export const TYPE_PROPERTIES: readonly AlterableProperty[] = ["type", "length", "precision", "scale", "array", "unsigned", "enumValues", "enumName"];

/** The Alembic-style sentences for one alterColumn, joined with `; `. */
function alterDetected(op: OpOf<"alterColumn">): string {
  const where = `'${op.table}.${op.column}'`;
  const existing = op.existing ?? { name: op.column, type: "?" };
  const after = applyColumnChanges(existing, op.changes);
  const changed = new Set(Object.keys(op.changes) as AlterableProperty[]);
  const parts: string[] = [];
  if (TYPE_PROPERTIES.some((p) => changed.has(p))) {
    parts.push(`Detected type change from ${typeText(existing)} to ${typeText(after)} on ${where}`);
  }
  if (changed.has("nullable")) parts.push(`Detected ${after.nullable === false ? "NOT NULL" : "NULL"} on column ${where}`);
  if (changed.has("default")) {
    parts.push(`Detected server default change from ${valueText(existing.default)} to ${valueText(after.default)} on ${where}`);
  }
  const rest = [...changed].filter((p) => !TYPE_PROPERTIES.includes(p) && p !== "nullable" && p !== "default");
  for (const property of rest) parts.push(`Detected ${property} change on ${where}`);
  return parts.join("; ");
}

/** How an op explains itself on the terminal, independent of how the comparer found it. */
export interface Explanation {
  detected: string;
  reasons: string[];
  review?: string[];
  destructive?: boolean;
}

type Explainer = OpHandlers<Explanation, ComparerDialect>;

/** The REVIEW line above a dropTable. */
export function dropTableReview(table: string): string {
  return `REVIEW destructive: dropping table "${table}" deletes all its rows.`;
}

/** Why an item appears in a plan: present on one side only. */
const ONLY_IN_MODELS = "in the models, not in the database";
const ONLY_IN_DATABASE = "in the database, not in the models";
const RENAMED = "a rename declared with --rename or confirmed at the prompt";
const MOVED = "the entity names another schema for the same table";

function plain(detected: string, reason: string): Explanation {
  return { detected, reasons: [reason] };
}

function destructive(detected: string, review: string[]): Explanation {
  return { detected, reasons: [ONLY_IN_DATABASE], review, destructive: true };
}

function needsValueOnExistingRows(column: Column): boolean {
  return (
    column.nullable === false &&
    column.default === undefined &&
    !column.autoIncrement &&
    column.identity === undefined &&
    column.generated === undefined
  );
}

const explainers: Explainer = {
  createTable: (op) => plain(`Detected added table '${op.table.name}'`, ONLY_IN_MODELS),
  dropTable: (op) =>
    destructive(`Detected removed table '${op.table}'`, [dropTableReview(op.table)]),
  renameTable: (op) =>
    splitQualified(op.from).name === splitQualified(op.to).name
      ? plain(`Detected table '${op.from}' moved to '${op.to}'`, MOVED)
      : plain(`Detected renamed table '${op.from}' to '${op.to}'`, RENAMED),
  addColumn: (op) => {
    const detected = `Detected added column '${op.table}.${op.column.name}'`;
    if (!needsValueOnExistingRows(op.column)) return plain(detected, ONLY_IN_MODELS);
    return { ...destructive(detected, [
      `REVIEW may fail: "${op.table}.${op.column.name}" is NOT NULL without a default; adding it fails if "${op.table}" has rows.`,
      "Add it nullable, fill it, then make it NOT NULL, or give it a default.",
    ]), reasons: [ONLY_IN_MODELS] };
  },
  dropColumn: (op) =>
    destructive(`Detected removed column '${op.table}.${op.column}'`, [
      `REVIEW destructive: dropping column "${op.table}.${op.column}" deletes its data.`,
    ]),
  renameColumn: (op) => plain(`Detected renamed column '${op.table}.${op.from}' to '${op.table}.${op.to}'`, RENAMED),
  alterColumn: (op, dialect) => {
    const existing = op.existing;
    const reasons = existing ? changeReasons(existing, op.changes) : Object.entries(op.changes).map(([key, value]) => `${key}: -> ${valueText(value)}`);
    const explanation: Explanation = { detected: alterDetected(op), reasons: reasons.length > 0 ? reasons : ["column definition differs"] };
    const after = existing ? applyColumnChanges(existing, op.changes) : undefined;
    // Renamed enum values are rewritten, not removed.
    const before = existing?.enumValues && op.renameValues ? { ...existing, enumValues: renamedValues(existing.enumValues, op.renameValues) } : existing;
    const risks = before ? dialect.narrowing(before, after!) : [];
    const notes = existing && !op.using ? (dialect.conversionNotes?.(existing, after!) ?? []) : [];
    const assumes = notes.length > 0 ? [`REVIEW assumption on "${op.table}.${op.column}":`, ...notes.map((n) => `- ${n}`)] : [];
    if (risks.length === 0) return assumes.length > 0 ? { ...explanation, review: assumes } : explanation;
    return {
      ...explanation,
      destructive: true,
      review: [`REVIEW may lose data or fail on "${op.table}.${op.column}":`, ...risks.map((r) => `- ${r}`), ...assumes],
    };
  },
  fillNulls: (op) => explainFill(op),
  createIndex: (op) => plain(`Detected added ${op.index.unique ? "unique " : ""}index '${op.index.name}' on '${columnList(op.index.columns)}'`, ONLY_IN_MODELS),
  dropIndex: (op) => plain(`Detected removed index '${op.name}' on '${op.table}'`, ONLY_IN_DATABASE),
  renameIndex: (op) => plain(`Detected renamed index '${op.from}' to '${op.to}' on '${op.table}'`, `name: ${op.from} -> ${op.to}`),
  createUnique: (op) => plain(`Detected added unique constraint '${op.unique.name}' on '${columnList(op.unique.columns)}'`, ONLY_IN_MODELS),
  dropUnique: (op) => plain(`Detected removed unique constraint '${op.name}' on '${op.table}'`, ONLY_IN_DATABASE),
  createPrimaryKey: (op) => plain(`Detected added primary key ${columnList(op.primaryKey.columns)} on '${op.table}'`, ONLY_IN_MODELS),
  dropPrimaryKey: (op) =>
    plain(`Detected removed primary key ${op.existing ? columnList(op.existing.columns) + " " : ""}on '${op.table}'`, ONLY_IN_DATABASE),
  createForeignKey: (op) => {
    const fk = op.foreignKey;
    return plain(`Detected added foreign key ${columnList(fk.columns)} -> ${fk.referencedTable}${columnList(fk.referencedColumns)} on '${op.table}'`, ONLY_IN_MODELS);
  },
  dropForeignKey: (op) => {
    const fk = op.existing;
    const shape = fk ? `${columnList(fk.columns)} -> ${fk.referencedTable}${columnList(fk.referencedColumns)}` : `'${op.name}'`;
    return plain(`Detected removed foreign key ${shape} on '${op.table}'`, ONLY_IN_DATABASE);
  },
  createCheck: (op) => plain(`Detected added check constraint '${op.check.name}' on '${op.table}'`, ONLY_IN_MODELS),
  dropCheck: (op) => plain(`Detected removed check constraint '${op.name}' on '${op.table}'`, ONLY_IN_DATABASE),
  createExclusion: (op, dialect) => {
    const explanation = plain(`Detected added exclusion constraint '${op.exclusion.name}' on '${op.table}'`, ONLY_IN_MODELS);
    const review = dialect.exclusionReview?.(op.table, op.exclusion) ?? [];
    return review.length > 0 ? { ...explanation, review } : explanation;
  },
  dropExclusion: (op) => plain(`Detected removed exclusion constraint '${op.name}' on '${op.table}'`, ONLY_IN_DATABASE),
  createEnum: (op) => plain(`Detected added enum '${op.name}' (${op.values.map((v) => `'${v}'`).join(", ")})`, ONLY_IN_MODELS),
  alterEnum: (op) => {
    const existing = renamedValues(op.existing, op.renames);
    const added = op.values.filter((v) => !existing.includes(v));
    const removed = existing.filter((v) => !op.values.includes(v));
    const parts = [
      ...Object.entries(op.renames ?? {}).map(([from, to]) => `renamed value '${from}' to '${to}'`),
      ...added.map((v) => `added value '${v}'`),
      ...removed.map((v) => `removed value '${v}'`),
    ];
    if (parts.length === 0) parts.push("reordered values");
    const explanation: Explanation = {
      detected: `Detected changed enum '${op.name}': ${parts.join(", ")}`,
      reasons: [`values: ${op.existing.join(", ")} -> ${op.values.join(", ")}`],
    };
    if (removed.length === 0) return explanation;
    return {
      ...explanation,
      destructive: true,
      review: [`REVIEW destructive: enum "${op.name}" loses ${removed.map((v) => `'${v}'`).join(", ")}; rows holding them make the change fail.`],
    };
  },
  dropEnum: (op) => plain(`Detected removed enum '${op.name}'`, ONLY_IN_DATABASE),
  createView: (op) => {
    const kind = op.view.materialized ? "materialized view" : "view";
    const explanation = plain(`Detected added ${kind} '${op.view.name}'`, ONLY_IN_MODELS);
    if (!op.view.materialized) return explanation;
    return {
      ...explanation,
      review: [`REVIEW materialized view "${op.view.name}" holds the rows of its query at creation; refreshing it (REFRESH MATERIALIZED VIEW) is up to the application.`],
    };
  },
  dropView: (op) => plain(`Detected removed ${op.materialized ? "materialized view" : "view"} '${op.name}'`, ONLY_IN_DATABASE),
  execute: () => plain("Custom SQL", "written by hand in the revision"),
  bulkInsert: (op) => plain(`Rows inserted into '${op.table}'`, `${op.rows.length} row(s) written by hand in the revision`),
};

/** A fill's value as messages show it: SQL text as is, a portable value (`true`, `"draft"`) as JSON. */
export function fillValueText(op: OpOf<"fillNulls">): string {
  return op.valueType ? JSON.stringify(op.value) : String(op.value);
}

/** A fill explained; the portable writer explains it again once its value is portable. */
export function explainFill(op: OpOf<"fillNulls">): Explanation {
  const value = fillValueText(op);
  return {
    detected: `Filling NULLs in '${op.table}.${op.column}' with ${value} before NOT NULL`,
    reasons: [`NOT NULL with default ${value} on a column that allowed NULL`],
    review: [
      `REVIEW backfill: rows where "${op.table}.${op.column}" is NULL get ${value} (the new default) before it becomes NOT NULL.`,
      "The downgrade drops the NOT NULL but keeps these values (which rows were NULL is not recorded).",
    ],
  };
}

/** The terminal line, reasons and risk of any op. */
export function explainOp(op: Op, dialect: ComparerDialect): Explanation {
  return (explainers[op.kind] as (o: Op, d: ComparerDialect) => Explanation)(op, dialect);
}
