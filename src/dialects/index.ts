import type { DialectName } from "../ops/types";
import type { Dialect } from "./dialect";
import { mysqlDialect } from "./mysql";
import { postgresDialect } from "./postgres";
import { sqliteDialect } from "./sqlite";

const dialects: Record<DialectName, Dialect> = {
  postgres: postgresDialect,
  mysql: mysqlDialect,
  sqlite: sqliteDialect,
};

export function getDialect(name: DialectName): Dialect {
  return dialects[name];
}

export type { Dialect, Queryable } from "./dialect";
