import { genericNarrowing, type ComparerDialect } from "../../compare/dialect";
import { checkVerdict, looseCheckText } from "../check-text";

/** The comparer's questions, answered for MySQL/MariaDB (enums live in columns). */
export const mysqlComparer: ComparerDialect = {
  name: "mysql",
  supportsEnumTypes: false,
  createTableAcceptsForwardReferences: false,
  narrowing: genericNarrowing,
  // MariaDB keeps the text nearly as written, MySQL 8 adds charset introducers and parentheses.
  compareCheckExpressions: (database, model, columns) => checkVerdict(database, model, columns, looseCheckText),
};
