/**
 * Safe mode on MySQL/MariaDB: the online-DDL form each op has, per server
 * family and version, asserted in the statement (`ALGORITHM=INSTANT`, or
 * `ALGORITHM=INPLACE, LOCK=NONE`) so that the server refuses the statement
 * when it would have to copy the table or block writes, instead of doing so
 * silently. An op without an online form gets no clause (autogenerate says so).
 *
 * Sources: MySQL 8.0 Reference Manual 17.12.1 "Online DDL Operations"
 * (https://dev.mysql.com/doc/refman/8.0/en/innodb-online-ddl-operations.html);
 * MariaDB "InnoDB Online DDL Operations with ALGORITHM=INSTANT / INPLACE"
 * (https://mariadb.com/kb/en/innodb-online-ddl-operations-with-the-instant-alter-algorithm/).
 */
import type { Op } from "../../ops/types";
import type { Queryable } from "../dialect";

export interface MysqlServer {
  family: "mysql" | "mariadb";
  /** [major, minor, patch]. */
  version: [number, number, number];
}

/** `ALGORITHM=INSTANT` takes no LOCK clause on MySQL (only LOCK=DEFAULT); it never blocks writes anyway. */
export const INSTANT = "ALGORITHM=INSTANT";
export const INPLACE = "ALGORITHM=INPLACE, LOCK=NONE";
/**
 * MariaDB (10.3.7+) only: no rebuild of the clustered index, and the server
 * takes INSTANT where the op allows it ("the least efficient algorithm the
 * user is willing to accept", MariaDB "InnoDB Online DDL Overview").
 */
export const NOCOPY = "ALGORITHM=NOCOPY, LOCK=NONE";

/** An index of the table, as the online form of DROP COLUMN needs it. */
export interface IndexKey {
  columns: readonly string[];
  primary?: boolean;
}

const servers = new WeakMap<Queryable, Promise<MysqlServer>>();

export function parseServer(version: string): MysqlServer {
  const [major = 0, minor = 0, patch = 0] = (/(\d+)\.(\d+)\.(\d+)/.exec(version) ?? []).slice(1).map(Number);
  return { family: /mariadb/i.test(version) ? "mariadb" : "mysql", version: [major, minor, patch] };
}

/** The server behind `db`, asked once per connection. */
export function serverOf(db: Queryable): Promise<MysqlServer> {
  let known = servers.get(db);
  if (!known) {
    known = db.query<{ v: string }>("SELECT VERSION() AS v").then(([row]) => parseServer(String(row?.v ?? "")));
    servers.set(db, known);
  }
  return known;
}

function atLeast(server: MysqlServer, ...version: number[]): boolean {
  for (let i = 0; i < 3; i++) {
    const have = server.version[i] ?? 0;
    const want = version[i] ?? 0;
    if (have !== want) return have > want;
  }
  return true;
}

/**
 * ADD COLUMN is INSTANT from MySQL 8.0.12 (last position; any position from
 * 8.0.29) and MariaDB 10.3.2; INPLACE (rebuild, concurrent DML) before. An
 * auto-increment column needs LOCK=SHARED and a STORED generated column a
 * copy on both families: no online form.
 */
function addColumnForm(op: Extract<Op, { kind: "addColumn" }>, server: MysqlServer | undefined): string | undefined {
  if (op.column.autoIncrement || op.column.generated?.stored) return undefined;
  if (!server) return INPLACE;
  const instant = server.family === "mysql" ? atLeast(server, 8, 0, 12) : atLeast(server, 10, 3, 2);
  return instant ? INSTANT : INPLACE;
}

/**
 * MODIFY COLUMN online: making a column NULL / NOT NULL is INPLACE with a
 * rebuild and concurrent DML (strict sql_mode, which the runner sets);
 * extending a VARCHAR is INPLACE while its length prefix stays one byte (or
 * two), which the server checks: crossing 255 bytes is refused rather than
 * copied. Setting or dropping a literal default is INSTANT (ALTER COLUMN ...
 * SET DEFAULT). Any other change (type, charset, shrinking) copies the table:
 * no online form.
 */
function alterColumnForm(op: Extract<Op, { kind: "alterColumn" }>): string | undefined {
  const keys = Object.keys(op.changes);
  if (keys.length === 0) return undefined;
  if (keys.every((k) => k === "default")) return INSTANT;
  if (keys.every((k) => k === "nullable")) return INPLACE;
  const length = op.changes.length;
  const before = op.existing?.length;
  if (keys.every((k) => k === "length") && typeof length === "number" && before !== undefined && length > before) return INPLACE;
  return undefined;
}

/**
 * DROP COLUMN on MariaDB 10.4+, as 10.11.19 was seen to take it: INSTANT when
 * no index holds the column; NOCOPY when an index holds it alone (the index
 * goes; INSTANT is refused with "Reason: DROP INDEX"); a rebuild in place
 * (INPLACE, concurrent DML) when a multi-column index or the primary key holds
 * it (NOCOPY is refused). `keys` are the table's indexes, primary key
 * included; unknown (offline), INPLACE accepts every case, and
 * MariaDB still takes the cheapest algorithm it can.
 */
function mariadbDropColumnForm(column: string, keys: readonly IndexKey[] | undefined): string {
  if (!keys) return INPLACE;
  const holding = keys.filter((k) => k.columns.some((c) => c.toLowerCase() === column.toLowerCase()));
  if (holding.length === 0) return INSTANT;
  return holding.every((k) => k.columns.length === 1 && !k.primary) ? NOCOPY : INPLACE;
}

/**
 * DROP COLUMN: INSTANT from MySQL 8.0.29 (the manual's table; index cases not
 * observed here); MariaDB by the indexes holding the column, from 10.4. Before
 * those versions the table is rebuilt in place with concurrent DML.
 */
function dropColumnForm(op: Extract<Op, { kind: "dropColumn" }>, server: MysqlServer | undefined, keys: readonly IndexKey[] | undefined): string {
  if (!server) return INPLACE;
  if (server.family === "mysql") return atLeast(server, 8, 0, 29) ? INSTANT : INPLACE;
  return atLeast(server, 10, 4) ? mariadbDropColumnForm(op.column, keys) : INPLACE;
}

/**
 * RENAME COLUMN: INSTANT on MariaDB (the RENAME COLUMN syntax needs 10.5.2;
 * 10.11 renames even a foreign key's columns instantly) and MySQL 8.0.28+;
 * INPLACE (metadata only) on older MySQL.
 */
function renameColumnForm(server: MysqlServer | undefined): string {
  if (!server) return INPLACE;
  return server.family === "mariadb" || atLeast(server, 8, 0, 28) ? INSTANT : INPLACE;
}

/** DROP INDEX: metadata only on MySQL (INPLACE); NOCOPY on MariaDB, which refuses INSTANT for it. */
function dropIndexForm(server: MysqlServer | undefined): string {
  return server?.family === "mariadb" && atLeast(server, 10, 3, 7) ? NOCOPY : INPLACE;
}

/**
 * The clause that asserts `op`'s online form on `server` (undefined
 * offline: the form every supported version of both families accepts), or
 * undefined when the op has none there. `keys`: the table's indexes, when
 * read. Creating a secondary or unique index is INPLACE without a
 * rebuild and with concurrent DML; FULLTEXT and SPATIAL indexes need
 * LOCK=SHARED. Adding a foreign key is INPLACE only with foreign_key_checks
 * off, and a CHECK constraint copies the table: neither has an online form.
 */
export function onlineForm(op: Op, server?: MysqlServer, keys?: readonly IndexKey[]): string | undefined {
  switch (op.kind) {
    case "addColumn":
      return addColumnForm(op, server);
    case "alterColumn":
      return alterColumnForm(op);
    case "createIndex":
      return op.index.fulltext || op.index.spatial ? undefined : INPLACE;
    case "createUnique":
      return INPLACE;
    case "dropColumn":
      return dropColumnForm(op, server, keys);
    case "renameColumn":
      return renameColumnForm(server);
    case "dropIndex":
    case "dropUnique":
      return dropIndexForm(server);
    default:
      return undefined;
  }
}

/** Whether safe mode changes `op` here (whatever the server version). */
export function hasOnlineForm(op: Op): boolean {
  return onlineForm(op) !== undefined;
}
