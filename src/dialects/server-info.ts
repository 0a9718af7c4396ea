import type { DialectName } from "../ops/types";
import type { Queryable } from "./dialect";

interface ServerInfo {
  version: string;
  database: string;
}

/** `test-connection`'s questions, one query per dialect. */
const serverInfoQueries: Record<DialectName, string> = {
  postgres: "SELECT version() AS version, current_database() AS database",
  mysql: "SELECT VERSION() AS version, DATABASE() AS `database`",
  // Reading sqlite_master makes a file that is not a database fail here, not at the first migration.
  sqlite:
    "SELECT 'SQLite ' || sqlite_version() AS version, (SELECT file FROM pragma_database_list WHERE name = 'main') AS database " +
    "WHERE (SELECT count(*) FROM sqlite_master) >= 0",
};

export async function serverInfo(dialect: DialectName, db: Queryable): Promise<ServerInfo> {
  const [row] = await db.query<ServerInfo>(serverInfoQueries[dialect]);
  return { version: String(row.version).split(" on ")[0].split(",")[0], database: String(row.database || ":memory:") };
}
