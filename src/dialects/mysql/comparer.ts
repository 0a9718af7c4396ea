import { genericNarrowing, type ComparerDialect } from "../../compare/dialect";
import type { AlterableProperty, ColumnChanges } from "../../ops/types";
import { checkVerdict, looseCheckText } from "../check-text";

/**
 * What MySQL/MariaDB refuse to MODIFY on a column a foreign key uses, on
 * either side ("Cannot change column ...: used in a foreign key constraint"):
 * the stored type. Nullability, defaults and comments stay alterable.
 */
const TYPE_PROPERTIES: readonly AlterableProperty[] = ["type", "length", "precision", "scale", "unsigned", "charset", "collation", "enumValues"];

/** The comparer's questions, answered for MySQL/MariaDB (enums live in columns). */
export const mysqlComparer: ComparerDialect = {
  name: "mysql",
  supportsEnumTypes: false,
  createTableAcceptsForwardReferences: false,
  narrowing: genericNarrowing,
  foreignKeyBlocksAlter: (changes: ColumnChanges) => TYPE_PROPERTIES.some((key) => key in changes),
  primaryKeyDropNeedsForeignKeysOff: { referencing: true, local: true },
  // MariaDB keeps the text nearly as written, MySQL 8 adds charset introducers and parentheses.
  compareCheckExpressions: (database, model, columns) => checkVerdict(database, model, columns, looseCheckText),
};
