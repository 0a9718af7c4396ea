import type { Column, Schema, Table } from "../schema/types";
import type { DialectName, Op } from "../ops/types";
import type { ComparerDialect } from "../compare/dialect";
import type { PortableResolver } from "../ops/portable";

export type { DialectName };

/** The one thing dialect code needs from a connection. Rows come back as plain objects. */
export interface Queryable {
  query<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<T[]>;
}

/** Raised when an op cannot be rendered without a live database (offline `--sql`). */
export class OfflineUnsupportedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "OfflineUnsupportedError";
  }
}

/** Raised when an op cannot be expressed on a dialect at all. */
export class UnsupportedOpError extends Error {
  constructor(
    readonly dialect: DialectName,
    readonly op: Op,
    reason: string,
  ) {
    super(`${op.kind} is not supported on ${dialect}: ${reason}`);
    this.name = "UnsupportedOpError";
  }
}

export interface IntrospectOptions {
  /** Only tables for which this returns true are read (the version table is always excluded by the caller's predicate). */
  includeTable?: (name: string) => boolean;
  /** Counts catalog queries, for the benchmark. */
  onQuery?: (sql: string) => void;
}

/**
 * Everything that differs between databases lives behind this interface.
 * Generic code (runner, comparer, emitter) never branches on `name`; it asks.
 */
export interface Dialect {
  readonly name: DialectName;
  /** The narrow questions the generic comparer asks (enum types, narrowing, check text). */
  readonly comparer: ComparerDialect;
  /** Whether DDL runs inside a transaction and rolls back with it. */
  readonly transactionalDdl: boolean;

  quoteIdentifier(name: string): string;
  /** An SQL literal for a JS value (string, number, bigint, boolean, null, Date, Buffer, object -> JSON). */
  quoteLiteral(value: unknown): string;

  /**
   * The SQL statements that perform `op`. With `db` (online) the dialect may
   * read the live schema (SQLite table rebuilds, PostgreSQL enum rewrites);
   * without it (offline `--sql`) an op that needs live state throws
   * `OfflineUnsupportedError`.
   */
  render(op: Op, db?: Queryable): Promise<string[]>;

  /** Reads the live schema with a fixed number of catalog queries. */
  introspect(db: Queryable, options?: IntrospectOptions): Promise<Schema>;

  /**
   * Canonical spelling of a column: type aliases folded, defaults normalized.
   * Both the introspector and the entity-metadata reader pass columns through
   * it, so equal columns compare equal.
   */
  canonicalColumn(column: Column): Column;

  /**
   * Renders the portable vocabulary (`type: "String"`, `default: false`) as
   * this dialect's canonical columns, by the rules its TypeORM driver applies
   * to the same entity column. With `db` it may ask the server, and
   * `driverType` is the TypeORM DataSource's `type` (TypeORM's "mariadb"
   * driver uses MariaDB's native uuid); offline it assumes the plainest driver.
   */
  portableResolver(db?: Queryable, driverType?: string): Promise<PortableResolver>;

  /**
   * Canonical spelling of a whole table: every column through
   * `canonicalColumn`, constraint kinds folded the way the dialect stores them
   * (MySQL keeps unique constraints as unique indexes), referential actions
   * and check expressions normalized, lists sorted by name. Both producers
   * call it last.
   */
  canonicalTable(table: Table): Table;

  /** Called on the migration connection before the first revision runs (SQLite: foreign_keys off). */
  prepareSession(db: Queryable): Promise<void>;
  /** Called inside each revision's transaction before commit (SQLite: foreign_key_check). */
  verifyBeforeCommit(db: Queryable): Promise<void>;
  /** Called after the last revision (SQLite: foreign_keys back on). */
  restoreSession(db: Queryable): Promise<void>;

  /** Takes the cross-process migration lock (advisory lock / GET_LOCK); waits for it. */
  acquireLock(db: Queryable, key: string): Promise<void>;
  releaseLock(db: Queryable, key: string): Promise<void>;
}
