import { genericNarrowing, type ComparerDialect } from "../../compare/dialect";
import { looseCheckText } from "../check-text";

/** The comparer's questions, answered for MySQL/MariaDB (enums live in columns). */
export const mysqlComparer: ComparerDialect = {
  name: "mysql",
  supportsEnumTypes: false,
  createTableAcceptsForwardReferences: false,
  narrowing: genericNarrowing,
  sameCheckExpression: (a, b) => looseCheckText(a) === looseCheckText(b),
};
