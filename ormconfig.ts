import "reflect-metadata";
import { DataSource } from "typeorm";
import type { RetortOptions } from "typeorm-retort";

/**
 * The example ledger app. SQLite by default, so `retort upgrade head` works
 * with no server; DATABASE_URL points it at PostgreSQL or MySQL.
 */
export default new DataSource({
  type: "better-sqlite3",
  database: "ledger.db",
  entities: [__dirname + "/entities/*.ts"],
});

export const retort: RetortOptions = {
  migrationsDir: "migrations",
  versionTable: "retort_version",
};
