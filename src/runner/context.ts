import type { DataSource, QueryRunner } from "typeorm";
import type { OpApi } from "../ops/calls";
import type { DialectName } from "../ops/types";

/** What `upgrade`/`downgrade` in a revision file receive. */
export interface MigrationContext {
  /** The schema operations (`await op.addColumn(...)`). */
  op: OpApi;
  /** `postgres`, `mysql` or `sqlite`: branch on it for per-dialect data migrations. */
  dialect: DialectName;
  /** Runs raw SQL and returns the rows. Offline (`--sql`) it prints the SQL and returns no rows. */
  query<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<T[]>;
  /** TypeORM's QueryRunner on the migration connection (undefined offline). */
  queryRunner?: QueryRunner;
  /** The DataSource (undefined offline). */
  dataSource?: DataSource;
  /** True when rendering SQL offline (`--sql`). */
  offline: boolean;
}
