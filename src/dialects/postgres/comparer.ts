import { genericNarrowing, type ComparerDialect } from "../../compare/dialect";
import type { Column } from "../../schema/types";
import { checkVerdict, looseCheckText } from "../check-text";
import { exclusionNeedsBtreeGist } from "./exclusion";
import { canonicalCheckExpression } from "./grammar";

/** The comparer's questions, answered for PostgreSQL. */
export const postgresComparer: ComparerDialect = {
  name: "postgres",
  supportsEnumTypes: true,
  createTableAcceptsForwardReferences: false,
  narrowing: (from, to) => genericNarrowing(zoneChange(from, to) ? { ...from, type: to.type } : from, to),
  conversionNotes: (from, to) => [...zoneNotes(from, to), ...expressionNotes(from, to)],
  exclusionReview: (table, exclusion) =>
    exclusionNeedsBtreeGist(exclusion.expression)
      ? [
          `REVIEW extension: exclusion "${exclusion.name}" on "${table}" compares plain values with = under gist, which needs the btree_gist extension;`,
          "the upgrade runs CREATE EXTENSION IF NOT EXISTS btree_gist first (a trusted extension: the database owner may create it); the downgrade leaves it installed.",
        ]
      : [],
  // ALTER COLUMN TYPE rebuilds the foreign keys that use the column.
  foreignKeyBlocksAlter: () => false,
  primaryKeyDropNeedsForeignKeysOff: { referencing: true, local: false },
  // pg_get_constraintdef() rewrites heavily (casts, `= ANY (ARRAY[...])`); only changed atoms prove a changed rule.
  compareCheckExpressions: (database, model, columns) =>
    checkVerdict(database, model, columns, (text) => looseCheckText(canonicalCheckExpression(text))),
};

const ZONED: Readonly<Record<string, string>> = {
  "timestamp without time zone": "timestamp with time zone",
};

/** Whether only the time zone of a date-time type changes: values convert in the session's TimeZone, nothing is lost. */
function zoneChange(from: Column, to: Column): "gains" | "loses" | undefined {
  if (ZONED[from.type] === to.type) return "gains";
  if (ZONED[to.type] === from.type) return "loses";
  return undefined;
}

function zoneNotes(from: Column, to: Column): string[] {
  const change = zoneChange(from, to);
  if (!change) return [];
  const how =
    change === "gains"
      ? "each stored wall-clock time is read as a time in the server's TimeZone setting when the upgrade runs (SHOW TimeZone)"
      : "each instant is written as its wall-clock time in the server's TimeZone setting when the upgrade runs (SHOW TimeZone)";
  const pin = `using: "\\"${from.name}\\" AT TIME ZONE 'UTC'"`;
  return [`${from.type} -> ${to.type}: ${how}; the downgrade does the same. To pin a zone, give this alterColumn \`${pin}\` (and the downgrade's alterColumn the same).`];
}

/** A new generation expression: in place from PostgreSQL 17, a drop and re-add (the column moves last) before. */
function expressionNotes(from: Column, to: Column): string[] {
  if (!from.generated || !to.generated || from.generated.expression === to.generated.expression) return [];
  return [
    "new generation expression: PostgreSQL 17+ runs ALTER COLUMN ... SET EXPRESSION (the column keeps its place); " +
      "before 17 there is no such statement, so the column is dropped and added again (values recomputed, its comment and indexes re-created) " +
      "and becomes the last column of the table (only rebuilding the whole table would keep its place); " +
      "with `upgrade --sql` the indexes on it cannot be read, so re-create them after it by hand.",
  ];
}
