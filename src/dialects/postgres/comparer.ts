import { genericNarrowing, type ComparerDialect } from "../../compare/dialect";
import { checkVerdict, looseCheckText } from "../check-text";
import { canonicalCheckExpression } from "./grammar";

/** The comparer's questions, answered for PostgreSQL. */
export const postgresComparer: ComparerDialect = {
  name: "postgres",
  supportsEnumTypes: true,
  createTableAcceptsForwardReferences: false,
  narrowing: genericNarrowing,
  // ALTER COLUMN TYPE rebuilds the foreign keys that use the column.
  foreignKeyBlocksAlter: () => false,
  primaryKeyDropNeedsForeignKeysOff: { referencing: true, local: false },
  // pg_get_constraintdef() rewrites heavily (casts, `= ANY (ARRAY[...])`); only changed atoms prove a changed rule.
  compareCheckExpressions: (database, model, columns) =>
    checkVerdict(database, model, columns, (text) => looseCheckText(canonicalCheckExpression(text))),
};
