import type { Check, Column, Exclusion, ForeignKey, Index, PrimaryKey, Table, Unique } from "../schema/types";
import { withSqlDefaults, type ColumnSpec, type PortableDefault, type PortableValueType } from "./portable";
import type { ColumnChanges, DialectName, DialectSql, OpKind, OpOf } from "./types";

/**
 * How each op is written as an `op.<kind>(...)` call in a revision file, and
 * how such a call is turned back into the op. The emitter uses `toArgs`, the
 * `op` API in revision files uses `fromArgs`: one table serves both, so what
 * autogenerate writes is exactly what the runtime reads.
 *
 * Optional trailing arguments carry what the runtime needs: `alterColumn`
 * keeps `existing` (MySQL's MODIFY COLUMN restates the whole column) and
 * `using`. Drops are written without the dropped definition: the file's
 * downgrade already spells it out, and a reviewer reads `dropColumn("users",
 * "tz")` at a glance. `fromArgs` still accepts it, for ops built in code that
 * must be reversible on their own. The exception is `dropUnique`, which keeps
 * its columns: MySQL stores the constraint as an index whose name TypeORM
 * derives from them (see src/dialects/mysql/portable.ts).
 */
type CallSpec<K extends OpKind> = {
  toArgs(op: OpOf<K>): unknown[];
  fromArgs(...args: never[]): OpOf<K>;
};

function trimTrailingUndefined(args: unknown[]): unknown[] {
  const out = [...args];
  while (out.length > 0 && out[out.length - 1] === undefined) out.pop();
  return out;
}

function withoutName<T extends { name: string }>(value: T): Omit<T, "name"> {
  const { name: _name, ...rest } = value;
  return rest;
}

/** A table spec as a reviewer wants to read it: no `indexes: []` noise for lists the table does not have. */
function tableSpec(table: Table): Omit<Table, "name"> {
  const spec: Record<string, unknown> = { ...withoutName(table) };
  for (const [key, value] of Object.entries(spec)) {
    if (Array.isArray(value) && value.length === 0 && key !== "columns") delete spec[key];
  }
  return spec as Omit<Table, "name">;
}

export interface ViewOptions {
  /** PostgreSQL: a materialized view. */
  materialized?: boolean;
}

export interface AlterColumnOptions {
  existing?: ColumnSpec;
  using?: string;
  /** Enum values renamed (old -> new): rows holding an old value get the new one. */
  renameValues?: Record<string, string>;
  /** Safe mode's online form (see `Op`). */
  online?: boolean;
}

/** The trailing options argument of ops that have an online form. */
export interface OnlineOption {
  online?: boolean;
}

/** `{ online: true }` when the op asks for its online form; otherwise nothing, so files stay as they were. */
function onlineArg(op: { online?: boolean }): OnlineOption[] {
  return op.online ? [{ online: true }] : [];
}

function onlineField(options: OnlineOption | undefined): { online?: true } {
  return options?.online ? { online: true } : {};
}

/**
 * A drop's optional third argument is the dropped object (named) or, when the
 * file does not keep it, the options: `op.dropColumn("t", "c", { online: true })`.
 */
function existingAndOptions<T extends { name: string }>(existing: T | OnlineOption | undefined, options: OnlineOption | undefined): [T | undefined, OnlineOption | undefined] {
  if (existing !== undefined && !("name" in existing)) return [undefined, existing];
  return [existing as T | undefined, options];
}

/** A table spec whose columns may use the portable vocabulary. */
export type TableSpec = Omit<Table, "name" | "columns"> & { columns: ColumnSpec[] };

/** alterColumn changes: dialect properties, or the portable ones (`type: "String"`, `default: false`). */
export type ColumnChangesSpec = Omit<ColumnChanges, "default"> & { default?: PortableDefault };

export const opCalls = {
  createTable: {
    toArgs: (op) => [op.table.name, tableSpec(op.table)],
    fromArgs: (name: string, spec: TableSpec) => ({ kind: "createTable", table: { name, ...(spec as Omit<Table, "name">) } }),
  },
  dropTable: {
    toArgs: (op) => [op.table],
    fromArgs: (table: string, existing?: TableSpec) => ({
      kind: "dropTable",
      table,
      existing: existing ? { name: table, ...(existing as Omit<Table, "name">) } : undefined,
    }),
  },
  renameTable: {
    toArgs: (op) => [op.from, op.to],
    fromArgs: (from: string, to: string) => ({ kind: "renameTable", from, to }),
  },
  addColumn: {
    toArgs: (op) => [op.table, op.column, ...onlineArg(op)],
    fromArgs: (table: string, column: ColumnSpec, options?: OnlineOption) => ({
      kind: "addColumn",
      table,
      column: column as Column,
      ...onlineField(options),
    }),
  },
  dropColumn: {
    toArgs: (op) => [op.table, op.column, ...onlineArg(op)],
    fromArgs: (table: string, column: string, existing?: ColumnSpec | OnlineOption, options?: OnlineOption) => {
      const [before, online] = existingAndOptions(existing, options);
      return { kind: "dropColumn", table, column, existing: before as Column | undefined, ...onlineField(online) };
    },
  },
  renameColumn: {
    toArgs: (op) => [op.table, op.from, op.to, ...onlineArg(op)],
    fromArgs: (table: string, from: string, to: string, options?: OnlineOption) => ({ kind: "renameColumn", table, from, to, ...onlineField(options) }),
  },
  alterColumn: {
    toArgs: (op) => {
      const options: AlterColumnOptions = {};
      if (op.existing) options.existing = op.existing;
      if (op.using) options.using = op.using;
      if (op.online) options.online = true;
      if (op.renameValues) options.renameValues = { ...op.renameValues };
      return trimTrailingUndefined([op.table, op.column, op.changes, Object.keys(options).length ? options : undefined]);
    },
    fromArgs: (table: string, column: string, changes: ColumnChangesSpec, options: AlterColumnOptions = {}) => ({
      kind: "alterColumn",
      table,
      column,
      changes: changes as ColumnChanges,
      existing: options.existing as Column | undefined,
      using: options.using,
      ...onlineField(options),
      ...(options.renameValues ? { renameValues: options.renameValues } : {}),
    }),
  },
  fillNulls: {
    toArgs: (op) => trimTrailingUndefined([op.table, op.column, op.value, op.valueType]),
    /** `value` is SQL text; with `valueType` (`{ type: "Boolean" }`), a portable default of that type. */
    fromArgs: (table: string, column: string, value: string | PortableDefault, valueType?: PortableValueType) => ({
      kind: "fillNulls",
      table,
      column,
      value,
      ...(valueType === undefined ? {} : { valueType }),
    }),
  },
  createIndex: {
    toArgs: (op) =>
      op.concurrently || op.online
        ? [op.table, op.index, { ...(op.concurrently ? { concurrently: true } : {}), ...onlineField(op) }]
        : [op.table, op.index],
    fromArgs: (table: string, index: Index, options: { concurrently?: boolean } & OnlineOption = {}) => ({
      kind: "createIndex",
      table,
      index,
      ...(options.concurrently ? { concurrently: true } : {}),
      ...onlineField(options),
    }),
  },
  dropIndex: {
    toArgs: (op) => [op.table, op.name, ...onlineArg(op)],
    fromArgs: (table: string, name: string, existing?: Index | OnlineOption, options?: OnlineOption) => {
      const [before, online] = existingAndOptions(existing, options);
      return { kind: "dropIndex", table, name, existing: before, ...onlineField(online) };
    },
  },
  renameIndex: {
    toArgs: (op) => [op.table, op.from, op.to],
    fromArgs: (table: string, from: string, to: string) => ({ kind: "renameIndex", table, from, to }),
  },
  createUnique: {
    toArgs: (op) => [op.table, op.unique, ...onlineArg(op)],
    fromArgs: (table: string, unique: Unique, options?: OnlineOption) => ({ kind: "createUnique", table, unique, ...onlineField(options) }),
  },
  dropUnique: {
    toArgs: (op) => [op.table, op.name, ...(op.existing ? [op.existing] : []), ...onlineArg(op)],
    fromArgs: (table: string, name: string, existing?: Unique | OnlineOption, options?: OnlineOption) => {
      const [before, online] = existingAndOptions(existing, options);
      return { kind: "dropUnique", table, name, existing: before, ...onlineField(online) };
    },
  },
  createPrimaryKey: {
    toArgs: (op) => [op.table, op.primaryKey, ...onlineArg(op)],
    fromArgs: (table: string, primaryKey: PrimaryKey, options?: OnlineOption) => ({ kind: "createPrimaryKey", table, primaryKey, ...onlineField(options) }),
  },
  dropPrimaryKey: {
    toArgs: (op) => trimTrailingUndefined([op.table, op.name]),
    fromArgs: (table: string, name?: string, existing?: PrimaryKey) => ({ kind: "dropPrimaryKey", table, name, existing }),
  },
  createForeignKey: {
    toArgs: (op) => [op.table, op.foreignKey, ...onlineArg(op)],
    fromArgs: (table: string, foreignKey: ForeignKey, options?: OnlineOption) => ({
      kind: "createForeignKey",
      table,
      foreignKey,
      ...onlineField(options),
    }),
  },
  dropForeignKey: {
    toArgs: (op) => [op.table, op.name],
    fromArgs: (table: string, name: string, existing?: ForeignKey) => ({ kind: "dropForeignKey", table, name, existing }),
  },
  createCheck: {
    toArgs: (op) => [op.table, op.check, ...onlineArg(op)],
    fromArgs: (table: string, check: Check, options?: OnlineOption) => ({ kind: "createCheck", table, check, ...onlineField(options) }),
  },
  dropCheck: {
    toArgs: (op) => [op.table, op.name],
    fromArgs: (table: string, name: string, existing?: Check) => ({ kind: "dropCheck", table, name, existing }),
  },
  createExclusion: {
    toArgs: (op) => [op.table, op.exclusion],
    fromArgs: (table: string, exclusion: Exclusion) => ({ kind: "createExclusion", table, exclusion }),
  },
  dropExclusion: {
    toArgs: (op) => [op.table, op.name],
    fromArgs: (table: string, name: string, existing?: Exclusion) => ({ kind: "dropExclusion", table, name, existing }),
  },
  createEnum: {
    toArgs: (op) => [op.name, op.values],
    fromArgs: (name: string, values: string[]) => ({ kind: "createEnum", name, values }),
  },
  alterEnum: {
    toArgs: (op) => [
      op.name,
      op.values,
      { existing: op.existing, ...(op.recreate ? { recreate: true } : {}), ...(op.renames ? { renames: { ...op.renames } } : {}) },
    ],
    fromArgs: (name: string, values: string[], options: { existing: string[]; recreate?: boolean; renames?: Record<string, string> }) => ({
      kind: "alterEnum",
      name,
      values,
      existing: options.existing,
      ...(options.recreate ? { recreate: true } : {}),
      ...(options.renames ? { renames: options.renames } : {}),
    }),
  },
  dropEnum: {
    toArgs: (op) => [op.name],
    fromArgs: (name: string, existing?: string[]) => ({ kind: "dropEnum", name, existing }),
  },
  createView: {
    toArgs: (op) => (op.view.materialized ? [op.view.name, op.view.definition, { materialized: true }] : [op.view.name, op.view.definition]),
    fromArgs: (name: string, definition: string, options: ViewOptions = {}) => ({
      kind: "createView",
      view: { name, definition, ...(options.materialized ? { materialized: true } : {}) },
    }),
  },
  dropView: {
    // The definition is the downgrade's business; `materialized` is what DROP itself needs.
    toArgs: (op) => (op.materialized ? [op.name, { materialized: true }] : [op.name]),
    fromArgs: (name: string, options: ViewOptions & { definition?: string } = {}) => ({
      kind: "dropView",
      name,
      ...(options.materialized ? { materialized: true } : {}),
      // With the definition the op is reversible on its own (ops built in code).
      existing:
        options.definition === undefined
          ? undefined
          : { name, definition: options.definition, ...(options.materialized ? { materialized: true } : {}) },
    }),
  },
  execute: {
    toArgs: (op) => trimTrailingUndefined([op.sql, op.reverse ? { reverse: op.reverse } : undefined]),
    fromArgs: (sql: DialectSql, options: { reverse?: DialectSql } = {}) => ({ kind: "execute", sql, reverse: options.reverse }),
  },
  bulkInsert: {
    toArgs: (op) => [op.table, op.rows],
    fromArgs: (table: string, rows: Array<Record<string, unknown>>) => ({ kind: "bulkInsert", table, rows }),
  },
} satisfies { [K in OpKind]: CallSpec<K> };

/**
 * The `op` object a revision file receives: one async method per op kind, with
 * the `opCalls` signatures, and `only(...dialects)`: the same methods for an op
 * written for those dialects alone (`jsonb`, arrays, MySQL `unsigned`...); the
 * runner refuses such an op on any other dialect before running anything.
 */
export type OpApi = {
  [K in OpKind]: (...args: Parameters<(typeof opCalls)[K]["fromArgs"]>) => Promise<void>;
} & { only(...dialects: DialectName[]): OpApi };

/** Runs (or records) one op; `dialects` is set when the file wrote it through `op.only(...)`. */
export type OpExecutor = (op: OpOf<OpKind>, dialects?: readonly DialectName[]) => Promise<void>;

/** Builds the `op` API over an executor that runs (or records) each op. */
export function createOpApi(execute: OpExecutor, dialects?: readonly DialectName[]): OpApi {
  const api: Record<string, unknown> = {};
  for (const kind of Object.keys(opCalls) as OpKind[]) {
    const spec = opCalls[kind] as unknown as { fromArgs: (...args: unknown[]) => OpOf<OpKind> };
    api[kind] = (...args: unknown[]) => execute(withSqlDefaults(spec.fromArgs(...args)), dialects);
  }
  api.only = (...only: DialectName[]) => createOpApi(execute, only);
  return api as OpApi;
}
