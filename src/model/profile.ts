import type { DataSource } from "typeorm";
import { dialectNameOf } from "../runner/connection";
import type { DialectName } from "../ops/types";

/**
 * What TypeORM's query runner for a driver family actually writes when it
 * synchronizes a table. The target schema must describe the database TypeORM
 * would build, so properties a runner silently ignores are left out here
 * (e.g. MysqlQueryRunner never creates CHECK constraints, PostgresQueryRunner
 * never writes ON UPDATE). Read from the query runners' createTableSql /
 * buildCreateColumnSql in TypeORM 1.1.
 */
export interface DdlProfile {
  readonly family: DialectName;
  /** Column and table comments (COMMENT ON / COMMENT '...'). */
  readonly comments: boolean;
  /** MySQL `ON UPDATE ...`. */
  readonly onUpdate: boolean;
  /** MySQL `UNSIGNED`. */
  readonly unsigned: boolean;
  /** MySQL `CHARACTER SET`. */
  readonly charset: boolean;
  /** How enum columns are written. */
  readonly enums: "named-type" | "inline" | "check";
  /** PostgreSQL `GENERATED ... AS IDENTITY`. */
  readonly identity: boolean;
  /** CHECK constraints from `@Check`. */
  readonly checks: boolean;
  /** Partial index predicates (`@Index({ where })`). */
  readonly partialIndexes: boolean;
  /** `USING <method>` from `@Index({ type })` / spatial → gist. */
  readonly indexMethods: boolean;
  /** MySQL FULLTEXT / SPATIAL index kinds. */
  readonly indexKinds: boolean;
  /** DEFERRABLE on unique constraints. */
  readonly deferrableUniques: boolean;
  /** DEFERRABLE on foreign keys. */
  readonly deferrableForeignKeys: boolean;
  /** The database keeps the primary key's constraint name. */
  readonly namedPrimaryKey: boolean;
  /** The database has a default generator for `@PrimaryGeneratedColumn("uuid")`. */
  readonly uuidDefault: boolean;
  /** SQLite `WITHOUT ROWID` tables. */
  readonly withoutRowid: boolean;
  /**
   * Which entity option puts a table outside the connection's default
   * namespace, and whether retort follows it there (`managed`, as
   * `schema.table`) or refuses the entity. An option the driver ignores is
   * absent: TypeORM creates the table in the default namespace anyway.
   */
  readonly namespaces: Partial<Record<"schema" | "database", "managed" | "refused">>;
  /** `@Exclusion` constraints (TypeORM creates them on PostgreSQL only and ignores them elsewhere). */
  readonly exclusions: boolean;
}

const PROFILES: Record<DialectName, DdlProfile> = {
  postgres: {
    family: "postgres",
    comments: true,
    onUpdate: false,
    unsigned: false,
    charset: false,
    enums: "named-type",
    identity: true,
    checks: true,
    partialIndexes: true,
    indexMethods: true,
    indexKinds: false,
    deferrableUniques: true,
    deferrableForeignKeys: true,
    namedPrimaryKey: true,
    uuidDefault: true,
    withoutRowid: false,
    // PostgresDriver.buildTableName ignores `database`: one connection reaches one database.
    namespaces: { schema: "managed" },
    exclusions: true,
  },
  mysql: {
    family: "mysql",
    comments: true,
    onUpdate: true,
    unsigned: true,
    charset: true,
    enums: "inline",
    identity: false,
    // TypeORM's MysqlQueryRunner never writes @Check, but MySQL 8.0.16+ and
    // MariaDB 10.2+ enforce CHECK constraints: we create what the user declared.
    checks: true,
    partialIndexes: false,
    indexMethods: false,
    indexKinds: true,
    deferrableUniques: false,
    deferrableForeignKeys: false,
    namedPrimaryKey: false,
    uuidDefault: false,
    withoutRowid: false,
    // MysqlDriver.buildTableName ignores `schema`; `database` is another database on the same server.
    namespaces: { database: "refused" },
    exclusions: false,
  },
  sqlite: {
    family: "sqlite",
    comments: false,
    onUpdate: false,
    unsigned: false,
    charset: false,
    enums: "check",
    identity: false,
    checks: true,
    partialIndexes: true,
    indexMethods: false,
    indexKinds: false,
    deferrableUniques: false,
    deferrableForeignKeys: true,
    namedPrimaryKey: false,
    uuidDefault: false,
    withoutRowid: true,
    // TypeORM attaches another file for `database`; SQLite has no schemas.
    namespaces: { schema: "refused", database: "refused" },
    exclusions: false,
  },
};

/** The DDL profile of the driver behind `dataSource`. */
export function ddlProfileOf(dataSource: DataSource): DdlProfile {
  return PROFILES[dialectNameOf(dataSource.options)];
}
