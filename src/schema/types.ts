/**
 * The neutral schema model. Both producers — the live-database introspectors
 * and the TypeORM entity-metadata reader — normalize into these shapes, so the
 * comparer can compare canonical values with plain equality. The same shapes
 * are the payload of ops (`op.addColumn("t", column)`), so a hand-written
 * revision and a generated one describe columns the same way.
 *
 * Everything is plain, JSON-serializable data.
 */

/**
 * A column. `type` is the dialect's canonical spelling (lower case) once it has
 * been through a dialect grammar; in hand-written ops any spelling the
 * database accepts works.
 */
export interface Column {
  name: string;
  type: string;
  /** char/varchar/binary length; `undefined` means no length (or the dialect default). */
  length?: number;
  precision?: number;
  scale?: number;
  /** PostgreSQL array column (`integer[]`). */
  array?: boolean;
  /** MySQL `UNSIGNED`. */
  unsigned?: boolean;
  /** MySQL `ZEROFILL`. */
  zerofill?: boolean;
  nullable?: boolean;
  /**
   * Server default as an SQL expression, exactly as it would follow DEFAULT:
   * `'abc'`, `0`, `-1.5`, `true`, `CURRENT_TIMESTAMP`, `now()`. `undefined`: none.
   */
  default?: string;
  /** Auto-incrementing integer: PostgreSQL `serial`, MySQL `AUTO_INCREMENT`, SQLite `AUTOINCREMENT`. */
  autoIncrement?: boolean;
  /** PostgreSQL identity column. */
  identity?: "ALWAYS" | "BY DEFAULT";
  /** Generated (computed) column. */
  generated?: { expression: string; stored: boolean };
  comment?: string;
  collation?: string;
  charset?: string;
  /** MySQL inline `ENUM(...)`/`SET(...)` values; PostgreSQL enum values (informational, the type is `enumName`). */
  enumValues?: string[];
  /** PostgreSQL enum type name (the column's `type` is then that name). */
  enumName?: string;
  /** MySQL `ON UPDATE CURRENT_TIMESTAMP`. */
  onUpdate?: string;
}

export interface PrimaryKey {
  name?: string;
  columns: string[];
}

export interface Index {
  name: string;
  columns: string[];
  unique?: boolean;
  /** Partial index predicate (PostgreSQL, SQLite), without the `WHERE`. */
  where?: string;
  /** MySQL FULLTEXT. */
  fulltext?: boolean;
  /** MySQL SPATIAL / PostgreSQL gist on geometry. */
  spatial?: boolean;
  /** Index method (`btree`, `gin`, `hash`...), when not the default. */
  using?: string;
  /**
   * Sort options per entry of `columns` (`DESC`, `NULLS FIRST`, `DESC NULLS LAST`; `""` for the
   * default), absent when every entry sorts by default. Read on every dialect (NULLS only on PostgreSQL);
   * TypeORM cannot declare them.
   */
  order?: string[];
}

export interface Unique {
  name: string;
  columns: string[];
  /** PostgreSQL DEFERRABLE. */
  deferrable?: Deferrable;
}

export type ReferentialAction = "NO ACTION" | "RESTRICT" | "CASCADE" | "SET NULL" | "SET DEFAULT";
export type Deferrable = "INITIALLY IMMEDIATE" | "INITIALLY DEFERRED";

export interface ForeignKey {
  name: string;
  columns: string[];
  referencedTable: string;
  referencedColumns: string[];
  onDelete?: ReferentialAction;
  onUpdate?: ReferentialAction;
  deferrable?: Deferrable;
}

export interface Check {
  name: string;
  /** The boolean expression, without `CHECK ( )`. */
  expression: string;
}

/** A PostgreSQL exclusion constraint (`@Exclusion`). */
export interface Exclusion {
  name: string;
  /** What follows EXCLUDE: `USING gist ("room" WITH =, "during" WITH &&)`. */
  expression: string;
  deferrable?: Deferrable;
}

export interface Table {
  name: string;
  columns: Column[];
  primaryKey?: PrimaryKey;
  uniques?: Unique[];
  indexes?: Index[];
  foreignKeys?: ForeignKey[];
  checks?: Check[];
  /** PostgreSQL only; absent when there are none. */
  exclusions?: Exclusion[];
  comment?: string;
  /** SQLite: created WITHOUT ROWID (informational). */
  withoutRowid?: boolean;
}

/** A PostgreSQL enum type. */
export interface EnumType {
  name: string;
  values: string[];
}

/** Objects the models do not describe but the tool saw in the database (for honest flags). */
export interface UnmodelledObject {
  kind: "view" | "trigger" | "function" | "sequence" | "other";
  name: string;
  table?: string;
}

/**
 * A view declared by a `@ViewEntity`. Its `definition` is the SELECT as the
 * entity writes it (TypeORM's `expression`, trimmed, a QueryBuilder rendered
 * by the connected driver): servers rewrite view text, so the introspectors
 * read the definition back from the record TypeORM's own schema builder keeps
 * (`typeorm_metadata`), which the createView op writes; see README "Views".
 */
export interface View {
  name: string;
  definition: string;
  /** PostgreSQL `CREATE MATERIALIZED VIEW`. */
  materialized?: boolean;
  /**
   * Tables and views the view reads, when known (the server's dependencies,
   * the entity's `dependsOn`): views are dropped before and re-created after
   * a change to what they read.
   */
  reads?: string[];
  /**
   * Introspected only: the database has this view but no record of its
   * definition (created by hand, or before retort managed views). `definition`
   * is then the server's own text.
   */
  unrecorded?: boolean;
}

export interface Schema {
  tables: Table[];
  enums: EnumType[];
  /** Views; a schema without the list has none. */
  views?: View[];
  /** Only filled by introspectors; the comparer reports them as findings, never as ops. */
  unmodelled?: UnmodelledObject[];
}

export function emptySchema(): Schema {
  return { tables: [], enums: [] };
}

export function findTable(schema: Schema, name: string): Table | undefined {
  return schema.tables.find((t) => t.name === name);
}
