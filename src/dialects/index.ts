import type { DialectName } from "../ops/types";
import type { Dialect } from "./dialect";

// Each dialect (grammar, introspection, comparer, renderer) loads when first asked for:
// a command against one database never compiles or evaluates the other two.
const loaders: Record<DialectName, () => Dialect> = {
  postgres: () => (require("./postgres") as typeof import("./postgres")).postgresDialect,
  mysql: () => (require("./mysql") as typeof import("./mysql")).mysqlDialect,
  sqlite: () => (require("./sqlite") as typeof import("./sqlite")).sqliteDialect,
};

export function getDialect(name: DialectName): Dialect {
  return loaders[name]();
}

export type { Dialect, Queryable } from "./dialect";
