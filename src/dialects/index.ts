import type { DialectName } from "../ops/types";
import type { ComparerDialect } from "../compare/dialect";
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

const comparers: Record<DialectName, () => ComparerDialect> = {
  postgres: () => (require("./postgres/comparer") as typeof import("./postgres/comparer")).postgresComparer,
  mysql: () => (require("./mysql/comparer") as typeof import("./mysql/comparer")).mysqlComparer,
  sqlite: () => (require("./sqlite/comparer") as typeof import("./sqlite/comparer")).sqliteComparer,
};

/**
 * `own` with the foreign key questions answered for every dialect at once:
 * a portable file drops a foreign key around a key or column change wherever
 * one dialect would refuse the change under it (MySQL: a primary key whose
 * index the key uses, a referenced column's type), and re-creates it after,
 * so the same order runs everywhere.
 */
export function portableComparer(own: ComparerDialect): ComparerDialect {
  const all = (Object.keys(comparers) as DialectName[]).map((name) => comparers[name]());
  return {
    ...own,
    foreignKeyBlocksAlter: (changes) => all.some((c) => c.foreignKeyBlocksAlter(changes)),
    primaryKeyDropNeedsForeignKeysOff: {
      referencing: all.some((c) => c.primaryKeyDropNeedsForeignKeysOff.referencing),
      local: all.some((c) => c.primaryKeyDropNeedsForeignKeysOff.local),
    },
  };
}
