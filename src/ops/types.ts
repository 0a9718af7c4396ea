import type { Check, Column, Exclusion, ForeignKey, Index, PrimaryKey, Table, Unique, View } from "../schema/types";
import type { PortableDefault, PortableValueType } from "./portable";

export type DialectName = "postgres" | "mysql" | "sqlite";

/** SQL that differs per dialect; a dialect missing from the map makes the op fail there with a clear error. */
export type DialectSql = string | Partial<Record<DialectName, string | string[]>>;

/*
 * `online` (safe mode, `retort.safe` / `--safe`) asks for the form of an op
 * that keeps the table readable and writable, as each dialect has it:
 * PostgreSQL builds an index CONCURRENTLY (a unique constraint or primary key
 * too, then attached with `USING INDEX`), adds a foreign key or check NOT
 * VALID and validates it in a second statement, and sets NOT NULL through a
 * validated CHECK (all outside a transaction: the revision is written
 * `transactional = false`); MySQL/MariaDB assert `ALGORITHM=INSTANT`,
 * `ALGORITHM=NOCOPY, LOCK=NONE` (MariaDB) or `ALGORITHM=INPLACE, LOCK=NONE`
 * where the server has that form for the op, so the server refuses instead of
 * copying the table or blocking writes; SQLite ignores it.
 */

/** What creating a view takes, and what dropping one must keep to undo it. */
export type ViewDefinition = Pick<View, "name" | "definition" | "materialized">;

/** Properties `alterColumn` can change. */
export type AlterableProperty =
  | "type"
  | "length"
  | "precision"
  | "scale"
  | "array"
  | "unsigned"
  | "nullable"
  | "default"
  | "comment"
  | "collation"
  | "charset"
  | "enumValues"
  | "enumName"
  | "autoIncrement"
  | "identity"
  | "generated"
  | "onUpdate";

export const ALTERABLE_PROPERTIES: readonly AlterableProperty[] = [
  "type",
  "length",
  "precision",
  "scale",
  "array",
  "unsigned",
  "nullable",
  "default",
  "comment",
  "collation",
  "charset",
  "enumValues",
  "enumName",
  "autoIncrement",
  "identity",
  "generated",
  "onUpdate",
];

/** The changes of an `alterColumn`: a property set to `null` is removed (e.g. `default: null` drops the default). */
export type ColumnChanges = { [K in AlterableProperty]?: Column[K] | null };

/**
 * Every schema change the tool can make, as plain readonly data. One union
 * serves the comparer (which creates ops), the emitter (which writes them as
 * `op.x(...)` calls), the `op` API in revision files (which rebuilds them) and
 * the runner (which renders them to SQL per dialect).
 *
 * Each op carries what its reverse needs (`existing`); see `reverse()`.
 */
export type Op =
  | { readonly kind: "createTable"; readonly table: Table }
  | { readonly kind: "dropTable"; readonly table: string; readonly existing?: Table }
  | { readonly kind: "renameTable"; readonly from: string; readonly to: string }
  | { readonly kind: "addColumn"; readonly table: string; readonly column: Column; readonly online?: boolean }
  | { readonly kind: "dropColumn"; readonly table: string; readonly column: string; readonly existing?: Column; readonly online?: boolean }
  | { readonly kind: "renameColumn"; readonly table: string; readonly from: string; readonly to: string; readonly online?: boolean }
  | {
      readonly kind: "alterColumn";
      readonly table: string;
      readonly column: string;
      readonly changes: ColumnChanges;
      /** The column as it is before the change (MySQL's MODIFY COLUMN and the reverse need it). */
      readonly existing?: Column;
      /** PostgreSQL `USING` expression for a type change; defaults to `"col"::newtype` when a cast is needed. */
      readonly using?: string;
      /**
       * Inline enum values renamed by this change (old -> new, `--rename enum:old=new`): rows
       * holding an old value get the new one, so the old value is not "removed".
       */
      readonly renameValues?: Readonly<Record<string, string>>;
      /** See `online` below. */
      readonly online?: boolean;
    }
  | {
      /**
       * `UPDATE table SET column = value WHERE column IS NULL`: fills existing
       * NULLs (with the column's new default) before the column becomes NOT NULL.
       * Nothing to undo: a downgrade keeps the filled values.
       */
      readonly kind: "fillNulls";
      readonly table: string;
      readonly column: string;
      /**
       * An SQL expression, as a column default is written (`"'active'"`, `"0"`, `"CURRENT_TIMESTAMP"`);
       * with `valueType`, a portable default (`true`, `"active"`, `{ fn: "now" }`) that each dialect
       * renders at run time as it renders that portable column's default.
       */
      readonly value: string | PortableDefault;
      readonly valueType?: PortableValueType;
    }
  /** `concurrently`: PostgreSQL's CREATE INDEX CONCURRENTLY (no write lock; the revision must be `transactional = false`); other dialects build it as usual. */
  | { readonly kind: "createIndex"; readonly table: string; readonly index: Index; readonly concurrently?: boolean; readonly online?: boolean }
  | { readonly kind: "dropIndex"; readonly table: string; readonly name: string; readonly existing?: Index; readonly online?: boolean }
  | { readonly kind: "renameIndex"; readonly table: string; readonly from: string; readonly to: string }
  | { readonly kind: "createUnique"; readonly table: string; readonly unique: Unique; readonly online?: boolean }
  | { readonly kind: "dropUnique"; readonly table: string; readonly name: string; readonly existing?: Unique; readonly online?: boolean }
  | { readonly kind: "createPrimaryKey"; readonly table: string; readonly primaryKey: PrimaryKey; readonly online?: boolean }
  | { readonly kind: "dropPrimaryKey"; readonly table: string; readonly name?: string; readonly existing?: PrimaryKey }
  | { readonly kind: "createForeignKey"; readonly table: string; readonly foreignKey: ForeignKey; readonly online?: boolean }
  | { readonly kind: "dropForeignKey"; readonly table: string; readonly name: string; readonly existing?: ForeignKey }
  | { readonly kind: "createCheck"; readonly table: string; readonly check: Check; readonly online?: boolean }
  | { readonly kind: "dropCheck"; readonly table: string; readonly name: string; readonly existing?: Check }
  /** PostgreSQL `EXCLUDE`; nothing on the other databases, where TypeORM ignores `@Exclusion` too. */
  | { readonly kind: "createExclusion"; readonly table: string; readonly exclusion: Exclusion }
  | { readonly kind: "dropExclusion"; readonly table: string; readonly name: string; readonly existing?: Exclusion }
  | { readonly kind: "createEnum"; readonly name: string; readonly values: string[] }
  | {
      readonly kind: "alterEnum";
      readonly name: string;
      /** The full list of values after the change, in order. */
      readonly values: string[];
      /** The full list before the change. */
      readonly existing: string[];
      /**
       * Recreate the type even though values are only added: PostgreSQL refuses a
       * value added by ADD VALUE within the transaction that added it, so a
       * revision that also uses a new value (as a default) needs a fresh type.
       */
      readonly recreate?: boolean;
      /** Values renamed (old -> new, `ALTER TYPE ... RENAME VALUE`) before the list is compared with `values`. */
      readonly renames?: Readonly<Record<string, string>>;
    }
  | { readonly kind: "dropEnum"; readonly name: string; readonly existing?: string[] }
  /** Also records the definition where TypeORM keeps it (`typeorm_metadata`), which is how the introspectors read it back. */
  | { readonly kind: "createView"; readonly view: ViewDefinition }
  /** `materialized`: PostgreSQL's DROP MATERIALIZED VIEW. */
  | { readonly kind: "dropView"; readonly name: string; readonly materialized?: boolean; readonly existing?: ViewDefinition }
  | { readonly kind: "execute"; readonly sql: DialectSql; readonly reverse?: DialectSql }
  | {
      readonly kind: "bulkInsert";
      readonly table: string;
      readonly rows: ReadonlyArray<Record<string, unknown>>;
    };

export type OpKind = Op["kind"];
export type OpOf<K extends OpKind> = Extract<Op, { kind: K }>;

/** A table of handlers keyed by op kind: a missing handler is a compile error. */
export type OpHandlers<R, C = void> = { [K in OpKind]: (op: OpOf<K>, ctx: C) => R };
