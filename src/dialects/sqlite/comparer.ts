import { genericNarrowing, type ComparerDialect } from "../../compare/dialect";
import { looseCheckText } from "../check-text";

/**
 * The comparer's questions, answered for SQLite: references are checked only
 * when rows are written, so new tables keep their foreign keys inline (a
 * separate createForeignKey would cost a table rebuild each).
 */
export const sqliteComparer: ComparerDialect = {
  name: "sqlite",
  supportsEnumTypes: false,
  createTableAcceptsForwardReferences: true,
  narrowing: genericNarrowing,
  // A column change rebuilds the table with its foreign keys.
  foreignKeyBlocksAlter: () => false,
  primaryKeyDropNeedsForeignKeysOff: { referencing: false, local: false },
  // SQLite keeps the CREATE TABLE text as written, so any difference beyond spacing and quotes is a changed rule.
  compareCheckExpressions: (database, model) => (looseCheckText(database) === looseCheckText(model) ? "same" : "changed"),
};
