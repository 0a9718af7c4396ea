import type { Column, ForeignKey, Schema, Table, View } from "../schema/types";
import { applyColumnChanges } from "../ops/reverse";
import type { Op, OpHandlers } from "../ops/types";

/**
 * Applies ops to an in-memory Schema, as the database would. Used to check
 * that a diff really turns one schema into the other, to compute the renamed
 * "current" schema inside the comparer, and by SQLite table rebuilds.
 *
 * It is strict on purpose: an op on a missing object, a duplicate name, a
 * foreign key to a missing table or column, or dropping something still
 * referenced throws `ApplyError`, which is how ordering bugs show up.
 */
export class ApplyError extends Error {
  constructor(
    readonly op: Op,
    reason: string,
  ) {
    super(`Cannot apply ${op.kind}: ${reason}`);
    this.name = "ApplyError";
  }
}

type Named = { name: string };

function byName<T extends Named>(items: T[]): T[] {
  return [...items].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

function renameIn(columns: string[], from: string, to: string): string[] {
  return columns.map((c) => (c === from ? to : c));
}

class SchemaEditor {
  constructor(
    private schema: Schema,
    private readonly op: Op,
  ) {}

  fail(reason: string): never {
    throw new ApplyError(this.op, reason);
  }

  result(): Schema {
    return this.schema;
  }

  table(name: string): Table {
    return this.schema.tables.find((t) => t.name === name) ?? this.fail(`table "${name}" does not exist`);
  }

  view(name: string): View | undefined {
    return this.schema.views?.find((v) => v.name === name);
  }

  setViews(views: View[]): void {
    this.schema = { ...this.schema, views: byName(views) };
  }

  column(table: Table, name: string): Column {
    return table.columns.find((c) => c.name === name) ?? this.fail(`column "${table.name}.${name}" does not exist`);
  }

  requireColumns(table: Table, columns: readonly string[]): void {
    for (const column of columns) this.column(table, column);
  }

  requireReferenceTarget(fk: ForeignKey, self?: Table): void {
    const target = self && fk.referencedTable === self.name ? self : this.table(fk.referencedTable);
    this.requireColumns(target, fk.referencedColumns);
  }

  setTables(tables: Table[]): void {
    this.schema = { ...this.schema, tables: byName(tables) };
  }

  updateTable(name: string, update: (table: Table) => Table): void {
    this.table(name);
    this.setTables(this.schema.tables.map((t) => (t.name === name ? update(t) : t)));
  }

  /** The tables other than `name` whose foreign keys point at `name` (optionally at `column`). */
  referencing(name: string, column?: string): Table[] {
    return this.schema.tables.filter(
      (t) =>
        t.name !== name &&
        (t.foreignKeys ?? []).some(
          (fk) => fk.referencedTable === name && (column === undefined || fk.referencedColumns.includes(column)),
        ),
    );
  }

  usesColumn(table: Table, column: string): string | undefined {
    if (table.primaryKey?.columns.includes(column)) return "the primary key";
    const owners = [...(table.indexes ?? []), ...(table.uniques ?? []), ...(table.foreignKeys ?? [])];
    const owner = owners.find((o) => o.columns.includes(column));
    if (owner) return `"${owner.name}"`;
    const selfRef = (table.foreignKeys ?? []).find((fk) => fk.referencedTable === table.name && fk.referencedColumns.includes(column));
    return selfRef ? `"${selfRef.name}"` : undefined;
  }

  enumValues(name: string): string[] | undefined {
    return this.schema.enums.find((e) => e.name === name)?.values;
  }

  setEnums(enums: Schema["enums"]): void {
    this.schema = { ...this.schema, enums: byName(enums) };
  }

  /** Keeps columns of a PostgreSQL enum type in step with the type's values. */
  syncEnumColumns(name: string, values: string[]): void {
    this.setTables(
      this.schema.tables.map((t) =>
        t.columns.some((c) => c.enumName === name)
          ? { ...t, columns: t.columns.map((c) => (c.enumName === name ? { ...c, enumValues: [...values] } : c)) }
          : t,
      ),
    );
  }
}

type ListKey = "indexes" | "uniques" | "foreignKeys" | "checks" | "exclusions";

function addTo<K extends ListKey>(editor: SchemaEditor, tableName: string, key: K, item: NonNullable<Table[K]>[number]): void {
  editor.updateTable(tableName, (t) => {
    const all = [...(t.indexes ?? []), ...(t.uniques ?? []), ...(t.foreignKeys ?? []), ...(t.checks ?? []), ...(t.exclusions ?? [])];
    if (all.some((o) => o.name === item.name)) editor.fail(`"${item.name}" already exists on "${tableName}"`);
    const list = [...((t[key] ?? []) as Named[]), item];
    return { ...t, [key]: byName(list) };
  });
}

function removeFrom(editor: SchemaEditor, tableName: string, key: ListKey, name: string): void {
  editor.updateTable(tableName, (t) => {
    const list = (t[key] ?? []) as Named[];
    if (!list.some((o) => o.name === name)) editor.fail(`"${name}" does not exist on "${tableName}"`);
    const rest = list.filter((o) => o.name !== name);
    const next: Table = { ...t, [key]: rest };
    if (rest.length === 0) delete next[key];
    return next;
  });
}

function renameColumnInTable(table: Table, from: string, to: string): Table {
  const next: Table = {
    ...table,
    columns: table.columns.map((c) => (c.name === from ? { ...c, name: to } : c)),
  };
  if (table.primaryKey) next.primaryKey = { ...table.primaryKey, columns: renameIn(table.primaryKey.columns, from, to) };
  if (table.indexes) next.indexes = table.indexes.map((i) => ({ ...i, columns: renameIn(i.columns, from, to) }));
  if (table.uniques) next.uniques = table.uniques.map((u) => ({ ...u, columns: renameIn(u.columns, from, to) }));
  if (table.foreignKeys) next.foreignKeys = table.foreignKeys.map((fk) => ({ ...fk, columns: renameIn(fk.columns, from, to) }));
  return next;
}

function renameReferences(table: Table, referenced: string, update: (fk: ForeignKey) => ForeignKey): Table {
  if (!table.foreignKeys?.some((fk) => fk.referencedTable === referenced)) return table;
  return { ...table, foreignKeys: table.foreignKeys.map((fk) => (fk.referencedTable === referenced ? update(fk) : fk)) };
}

const appliers: OpHandlers<void, SchemaEditor> = {
  createTable: ({ table }, e) => {
    if (e.result().tables.some((t) => t.name === table.name)) e.fail(`table "${table.name}" already exists`);
    for (const fk of table.foreignKeys ?? []) {
      e.requireColumns(table, fk.columns);
      if (fk.referencedTable === table.name || e.result().tables.some((t) => t.name === fk.referencedTable)) {
        e.requireReferenceTarget(fk, table);
      }
    }
    e.setTables([...e.result().tables, table]);
  },
  dropTable: (op, e) => {
    e.table(op.table);
    const referencing = e.referencing(op.table);
    if (referencing.length > 0) e.fail(`"${op.table}" is still referenced by "${referencing[0].name}"`);
    e.setTables(e.result().tables.filter((t) => t.name !== op.table));
  },
  renameTable: (op, e) => {
    e.table(op.from);
    if (e.result().tables.some((t) => t.name === op.to)) e.fail(`table "${op.to}" already exists`);
    e.setTables(
      e.result().tables.map((t) => {
        const renamed = t.name === op.from ? { ...t, name: op.to } : t;
        return renameReferences(renamed, op.from, (fk) => ({ ...fk, referencedTable: op.to }));
      }),
    );
  },
  addColumn: (op, e) => {
    const table = e.table(op.table);
    if (table.columns.some((c) => c.name === op.column.name)) e.fail(`column "${op.table}.${op.column.name}" already exists`);
    e.updateTable(op.table, (t) => ({ ...t, columns: [...t.columns, op.column] }));
  },
  dropColumn: (op, e) => {
    const table = e.table(op.table);
    e.column(table, op.column);
    const user = e.usesColumn(table, op.column) ?? e.referencing(op.table, op.column)[0]?.name;
    if (user) e.fail(`"${op.table}.${op.column}" is still used by ${user}`);
    e.updateTable(op.table, (t) => ({ ...t, columns: t.columns.filter((c) => c.name !== op.column) }));
  },
  renameColumn: (op, e) => {
    const table = e.table(op.table);
    e.column(table, op.from);
    if (table.columns.some((c) => c.name === op.to)) e.fail(`column "${op.table}.${op.to}" already exists`);
    e.setTables(
      e.result().tables.map((t) => {
        const renamed = t.name === op.table ? renameColumnInTable(t, op.from, op.to) : t;
        return renameReferences(renamed, op.table, (fk) => ({ ...fk, referencedColumns: renameIn(fk.referencedColumns, op.from, op.to) }));
      }),
    );
  },
  alterColumn: (op, e) => {
    e.column(e.table(op.table), op.column);
    e.updateTable(op.table, (t) => ({
      ...t,
      columns: t.columns.map((c) => (c.name === op.column ? applyColumnChanges(c, op.changes) : c)),
    }));
  },
  createIndex: (op, e) => {
    e.requireColumns(e.table(op.table), op.index.columns);
    addTo(e, op.table, "indexes", op.index);
  },
  dropIndex: (op, e) => removeFrom(e, op.table, "indexes", op.name),
  renameIndex: (op, e) => {
    const index = (e.table(op.table).indexes ?? []).find((i) => i.name === op.from) ?? e.fail(`index "${op.from}" does not exist`);
    removeFrom(e, op.table, "indexes", op.from);
    addTo(e, op.table, "indexes", { ...index, name: op.to });
  },
  createUnique: (op, e) => {
    e.requireColumns(e.table(op.table), op.unique.columns);
    addTo(e, op.table, "uniques", op.unique);
  },
  dropUnique: (op, e) => removeFrom(e, op.table, "uniques", op.name),
  createPrimaryKey: (op, e) => {
    const table = e.table(op.table);
    if (table.primaryKey) e.fail(`"${op.table}" already has a primary key`);
    e.requireColumns(table, op.primaryKey.columns);
    e.updateTable(op.table, (t) => ({ ...t, primaryKey: op.primaryKey }));
  },
  dropPrimaryKey: (op, e) => {
    if (!e.table(op.table).primaryKey) e.fail(`"${op.table}" has no primary key`);
    e.updateTable(op.table, (t) => {
      const { primaryKey: _dropped, ...rest } = t;
      return rest;
    });
  },
  createForeignKey: (op, e) => {
    const table = e.table(op.table);
    e.requireColumns(table, op.foreignKey.columns);
    e.requireReferenceTarget(op.foreignKey, table);
    addTo(e, op.table, "foreignKeys", op.foreignKey);
  },
  dropForeignKey: (op, e) => removeFrom(e, op.table, "foreignKeys", op.name),
  createCheck: (op, e) => addTo(e, op.table, "checks", op.check),
  dropCheck: (op, e) => removeFrom(e, op.table, "checks", op.name),
  createExclusion: (op, e) => addTo(e, op.table, "exclusions", op.exclusion),
  dropExclusion: (op, e) => removeFrom(e, op.table, "exclusions", op.name),
  createEnum: (op, e) => {
    if (e.enumValues(op.name)) e.fail(`enum "${op.name}" already exists`);
    e.setEnums([...e.result().enums, { name: op.name, values: [...op.values] }]);
  },
  alterEnum: (op, e) => {
    if (!e.enumValues(op.name)) e.fail(`enum "${op.name}" does not exist`);
    e.setEnums(e.result().enums.map((en) => (en.name === op.name ? { name: op.name, values: [...op.values] } : en)));
    e.syncEnumColumns(op.name, op.values);
  },
  dropEnum: (op, e) => {
    if (!e.enumValues(op.name)) e.fail(`enum "${op.name}" does not exist`);
    const user = e.result().tables.find((t) => t.columns.some((c) => c.enumName === op.name));
    if (user) e.fail(`enum "${op.name}" is still used by "${user.name}"`);
    e.setEnums(e.result().enums.filter((en) => en.name !== op.name));
  },
  fillNulls: (op, e) => {
    e.table(op.table);
  },
  createView: (op, e) => {
    if (e.view(op.view.name)) e.fail(`view "${op.view.name}" already exists`);
    e.setViews([...(e.result().views ?? []), { ...op.view }]);
  },
  dropView: (op, e) => {
    if (!e.view(op.name)) e.fail(`view "${op.name}" does not exist`);
    e.setViews((e.result().views ?? []).filter((v) => v.name !== op.name));
  },
  execute: () => undefined,
  bulkInsert: (op, e) => {
    e.table(op.table);
  },
};

/** The schema after `op`. Does not modify `schema`. */
export function applyOp(schema: Schema, op: Op): Schema {
  const editor = new SchemaEditor(schema, op);
  (appliers[op.kind] as (o: Op, e: SchemaEditor) => void)(op, editor);
  return editor.result();
}

/** The schema after every op of `ops`, in order. */
export function applyOps(schema: Schema, ops: readonly Op[]): Schema {
  return ops.reduce(applyOp, schema);
}
