import type { DataSourceOptions, QueryRunner } from "typeorm";
import type { Column, Schema, Table } from "../schema/types";
import type { DialectName, Op } from "../ops/types";
import type { ComparerDialect } from "../compare/dialect";
import type { Precondition, PreconditionKinds } from "./preconditions";
import type { PortableResolver } from "../ops/portable";
import type { CostContext, OpCost, ServerVersion, TableRows } from "./cost";

export type { DialectName };

/** The one thing dialect code needs from a connection. Rows come back as plain objects. */
export interface Queryable {
  query<T = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<T[]>;
}

/** The driver's error code (SQLSTATE, ER_..., SQLITE_...) of a failed query, as TypeORM's QueryFailedError copies it. */
export function driverErrorCode(error: unknown): string | undefined {
  const e = error as { code?: unknown; driverError?: { code?: unknown } } | undefined;
  const code = e?.code ?? e?.driverError?.code;
  return typeof code === "string" ? code : undefined;
}

/** Raised when an op cannot be rendered without a live database (offline `--sql`). */
export class OfflineUnsupportedError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "OfflineUnsupportedError";
  }
}

/**
 * Raised when a column asks for an auto-increment its type cannot have (a
 * varchar key, say). Not a UserError: the runner reports it naming the
 * revision and file that asked for it.
 */
export class AutoIncrementTypeError extends Error {
  constructor(
    readonly column: Column,
    reason: string,
  ) {
    super(`Column "${column.name}" is autoIncrement, but ${reason}`);
    this.name = "AutoIncrementTypeError";
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

/** The migration connection as the lock needs it. */
export interface LockSession {
  db: Queryable;
  /**
   * TypeORM's transaction bookkeeping on the same connection. SQLite's lock
   * is a write transaction held for the whole run, so the revisions'
   * transactions must nest in it (TypeORM turns them into savepoints).
   */
  transactions: Pick<QueryRunner, "startTransaction" | "commitTransaction" | "rollbackTransaction" | "isTransactionActive">;
}

/** Who holds the migration lock, for the waiting line and the timeout sentence. */
export interface LockHolder {
  /** The holder as the server names it, e.g. `PostgreSQL backend pid 4242 (app@10.0.0.5, ...)`. */
  description: string;
  /** What frees the lock when that deploy is dead, e.g. `SELECT pg_terminate_backend(4242)`. */
  remedy?: string;
}

export interface IntrospectOptions {
  /** Only tables for which this returns true are read (the version table is always excluded by the caller's predicate). */
  includeTable?: (name: string) => boolean;
  /** Counts catalog queries, for the benchmark. */
  onQuery?: (sql: string) => void;
  /**
   * Namespaces to read besides the connection's default (PostgreSQL schemas
   * the entities name); their tables and types come back as `schema.name`.
   */
  namespaces?: readonly string[];
}

/**
 * The catalog as read, before any table is judged managed: `introspect`'s
 * queries with their rows kept. Reading needs only the namespaces, so the
 * read can start before the entities load, while the managed tables are
 * known only once they have.
 */
export interface CatalogSnapshot {
  /** The namespaces read besides the default, sorted (what `introspect` was given). */
  readonly namespaces: readonly string[];
  /**
   * What `introspect(db, { includeTable, namespaces })` returns for these
   * namespaces, built from the rows read (no query).
   */
  schema(includeTable?: (name: string) => boolean): Schema;
  /**
   * This snapshot with `namespaces` read too, querying only those it lacks.
   * Absent where the namespaces change nothing (MySQL reads one database).
   */
  widen?(namespaces: readonly string[]): Promise<CatalogSnapshot>;
}

/** How long a name the server keeps, for the servers that limit it. */
export interface IdentifierLimit {
  /** For messages: `PostgreSQL`, `MySQL`. */
  readonly server: string;
  /** The longest name kept, in UTF-8 bytes or in characters. */
  readonly max: number;
  readonly unit: "bytes" | "characters";
  /** True when a longer name is cut to `storedName(name)` (PostgreSQL); false when the server refuses it (MySQL). */
  readonly truncates: boolean;
}

/** The TypeORM DataSource options a driver's column rules depend on. */
export interface PortableDriverOptions {
  readonly type?: string;
  readonly uuidExtension?: string;
  /** The DataSource's naming strategy (TypeORM's default when absent). */
  readonly namingStrategy?: ConstraintNaming;
}

/** The part of TypeORM's NamingStrategyInterface the portable rules use. */
export interface ConstraintNaming {
  uniqueConstraintName(tableName: string, columnNames: string[]): string;
  indexName(tableName: string, columnNames: string[], where?: string): string;
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
  /** Whether `@ViewEntity({ materialized: true })` means something here (PostgreSQL); TypeORM's other drivers create a plain view. */
  readonly materializedViews: boolean;
  /** Whether TypeORM's `@Index({ concurrent: true })` means something here (PostgreSQL's CREATE INDEX CONCURRENTLY). */
  readonly concurrentIndexes: boolean;

  /** Undefined when names have no practical length limit (SQLite). */
  readonly identifierLimit: IdentifierLimit | undefined;
  /** `name` as the catalog will show it (PostgreSQL keeps the first 63 bytes); `name` itself elsewhere. */
  storedName(name: string): string;

  quoteIdentifier(name: string): string;
  /** A table name as the model writes it: `schema.table` quoted part by part where the dialect manages schemas (PostgreSQL). */
  quoteTableName(name: string): string;
  /**
   * Why `column` of `table` cannot auto-increment here (a string type, or on
   * SQLite anything but the single integer primary key), or undefined when it can.
   */
  autoIncrementProblem(table: Table, column: Column): string | undefined;
  /** An SQL literal for a JS value (string, number, bigint, boolean, null, Date, Buffer, object -> JSON). */
  quoteLiteral(value: unknown): string;
  /** SQL joining the text of `parts` (SQL expressions), for the ready-made statements of REVIEW lines. */
  concatSql(...parts: string[]): string;

  /**
   * The SQL statements that perform `op`. With `db` (online) the dialect may
   * read the live schema (SQLite table rebuilds, PostgreSQL enum rewrites);
   * without it (offline `--sql`) an op that needs live state throws
   * `OfflineUnsupportedError`.
   */
  render(op: Op, db?: Queryable): Promise<string[]>;

  /**
   * Safe mode (`retort.safe`, `--safe`): the form of `op` that keeps its table
   * readable and writable (`online: true`, see `Op`), and whether that form
   * must run outside a transaction; undefined when the dialect has none for it.
   * Pure: the server version is the renderer's business.
   */
  safeForm(op: Op): SafeForm | undefined;

  /**
   * How to bound each statement's wait for a table lock, so that a migration
   * queued behind a long transaction gives up (and is retried) instead of
   * blocking every session queued behind it. Undefined where a wait cannot be
   * bounded per statement.
   */
  readonly statementLockTimeout?: StatementLockTimeout;

  /**
   * The data checks the runner runs before a revision's first statement for
   * `op` (rows that would make it fail half-way, or that the database would
   * truncate or round silently); each counts offending rows. Pure: no I/O.
   * `kinds` asks for those kinds instead of the dialect's own choice
   * (autogenerate's impact preview counts every kind).
   */
  preconditions(op: Op, kinds?: PreconditionKinds): Precondition[];

  /**
   * What `op` costs the live database while it runs on `context.server`: lock,
   * rewrite or rebuild, full scan, online-DDL algorithm, transaction rules.
   * Pure: no I/O. Generic code judges by the booleans, never by the words.
   */
  classify(op: Op, context: CostContext): OpCost;
  /** The server a classification assumes when no database was asked (the oldest this dialect is tested on). */
  readonly assumedServer: ServerVersion;
  /** Rows of the named live tables, from the catalog's estimate or a capped count; absent tables are left out. */
  tableRows(db: Queryable, tables: readonly string[]): Promise<Map<string, TableRows>>;

  /** Reads the live schema with a fixed number of catalog queries. */
  introspect(db: Queryable, options?: IntrospectOptions): Promise<Schema>;

  /**
   * `introspect` in two steps: the queries now, the managed tables chosen
   * later (`(await snapshotCatalog(db, o)).schema(o.includeTable)` equals
   * `introspect(db, o)`). `check` and autogenerate start it before the
   * entities load, so the server answers while this process builds the
   * model. Absent where the driver runs queries in this thread
   * (better-sqlite3): there is nothing to overlap.
   */
  snapshotCatalog?(db: Queryable, options?: Omit<IntrospectOptions, "includeTable">): Promise<CatalogSnapshot>;

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
   * `driver` holds the TypeORM DataSource options the driver reads (its
   * `type`: TypeORM's "mariadb" driver uses MariaDB's native uuid;
   * `uuidExtension`: PostgreSQL's uuid generator); offline it assumes the
   * plainest driver.
   */
  portableResolver(db?: Queryable, driver?: PortableDriverOptions): Promise<PortableResolver>;

  /**
   * Canonical spelling of a whole table: every column through
   * `canonicalColumn`, constraint kinds folded the way the dialect stores them
   * (MySQL keeps unique constraints as unique indexes), referential actions
   * and check expressions normalized, lists sorted by name. Both producers
   * call it last.
   */
  canonicalTable(table: Table): Table;

  /**
   * The models' schema with what it spells out but the server would take
   * from its defaults anyway folded away, as `introspect` reports it (MySQL:
   * a column charset or collation equal to its table's default). Reads the
   * server's defaults with a fixed number of queries. Absent: nothing to fold.
   */
  alignModel?(db: Queryable, model: Schema): Promise<Schema>;

  /** Called on the migration connection before the first revision runs (SQLite: foreign_keys off). */
  prepareSession(db: Queryable): Promise<void>;
  /** Called inside each revision's transaction before commit (SQLite: foreign_key_check). */
  verifyBeforeCommit(db: Queryable): Promise<void>;
  /** Called after the last revision (SQLite: foreign_keys back on). */
  restoreSession(db: Queryable): Promise<void>;

  /**
   * Creates an empty database named `name` beside the configured one, for
   * `retort test`: on a server over `admin` (opens a connection to the
   * configured database), for SQLite a temporary file (nothing opened).
   */
  createScratchDatabase(options: DataSourceOptions, admin: () => Promise<Queryable>, name: string): Promise<ScratchDatabase>;

  /**
   * Tries to take the cross-process migration lock (advisory lock, GET_LOCK,
   * SQLite's write lock), waiting at most `waitMs` (0: one try). Resolves
   * false when another session still holds it; the runner decides whether to
   * wait longer.
   */
  acquireLock(session: LockSession, key: string, waitMs: number): Promise<boolean>;
  /** The session holding the lock `key`, or undefined when it is free (or the server cannot tell). */
  lockHolder(session: LockSession, key: string): Promise<LockHolder | undefined>;
  /** Frees the lock (SQLite: commits the run's transaction). */
  releaseLock(session: LockSession, key: string): Promise<void>;
}

/** Safe mode's form of an op. */
export interface SafeForm {
  op: Op;
  /** The form cannot run inside a transaction (or would keep its strong lock until commit in one). */
  outsideTransaction: boolean;
}

/** A per-statement lock wait limit and how its expiry shows. */
export interface StatementLockTimeout {
  /** Statements that limit the next statements' lock waits to `ms`. */
  set(ms: number): string[];
  /** Statements that put the session's own limit back. */
  reset: string[];
  /** Whether `error` is the lock wait running out (the statement did nothing and may be retried). */
  isTimeout(error: unknown): boolean;
  /** Removes what a timed-out statement of `op` left behind, so that it can be retried. */
  cleanup?(op: Op, db: Queryable): Promise<void>;
  /** For messages: `lock_timeout (SQLSTATE 55P03)`. */
  describe: string;
}

/** An empty database made for `retort test`. */
export interface ScratchDatabase {
  /** Connection options that replace the configured ones' to reach it. */
  options: Partial<DataSourceOptions>;
  /** For messages; holds no password. */
  describe: string;
  drop(): Promise<void>;
}
