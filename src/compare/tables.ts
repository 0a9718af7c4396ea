import type { ColumnChanges, Op } from "../ops/types";
import { enumRenameHint, fittingRenames } from "./enum-renames";
import type { Check, Column, Exclusion, ForeignKey, Index, Table, Unique } from "../schema/types";
import { columnChanges, unalterableDifferences } from "./columns";
import { TYPE_PROPERTIES, valueText } from "./describe";
import { applyColumnChanges } from "../ops/reverse";
import { type DiffContext, opTable, originalTable, Phase } from "./plan";
import { compareText, deepEqual } from "./similarity";

type Named = { name: string };

/** Items of two lists matched by name, then by definition (a rename). */
interface NamedDiff<T> {
  changed: Array<[T, T]>;
  renamed: Array<[T, T]>;
  dropped: T[];
  added: T[];
}

function sortByName<T extends Named>(items: readonly T[]): T[] {
  return [...items].sort((a, b) => compareText(a.name, b.name));
}

function diffNamed<T extends Named>(current: readonly T[], target: readonly T[], sameDefinition: (a: T, b: T) => boolean): NamedDiff<T> {
  const changed: Array<[T, T]> = [];
  const unmatchedCurrent: T[] = [];
  for (const item of sortByName(current)) {
    const twin = target.find((t) => t.name === item.name);
    if (!twin) unmatchedCurrent.push(item);
    else if (!sameDefinition(item, twin)) changed.push([item, twin]);
  }
  const unmatchedTarget = sortByName(target).filter((t) => !current.some((c) => c.name === t.name));
  const renamed: Array<[T, T]> = [];
  const dropped: T[] = [];
  for (const item of unmatchedCurrent) {
    const at = unmatchedTarget.findIndex((t) => sameDefinition(item, t));
    if (at < 0) dropped.push(item);
    else renamed.push([item, unmatchedTarget.splice(at, 1)[0]]);
  }
  return { changed, renamed, dropped, added: unmatchedTarget };
}

function sameApartFromName<T extends Named>(a: T, b: T): boolean {
  return deepEqual({ ...a, name: "" }, { ...b, name: "" });
}

function original<T extends Named>(list: readonly T[] | undefined, item: T): T {
  return list?.find((o) => o.name === item.name) ?? item;
}

/**
 * The value existing NULLs get when a nullable column becomes NOT NULL with
 * a default: the default, which the database only applies to new rows.
 */
function nullsToFill(current: Column, wanted: Column, changes: ColumnChanges): string | undefined {
  if (!("nullable" in changes) || wanted.nullable !== false || current.nullable === false) return undefined;
  if (wanted.generated || wanted.autoIncrement || wanted.identity) return undefined;
  return wanted.default ?? undefined;
}

/** Column adds, drops and alters of a table present on both sides (after renames). */
function diffColumns(ctx: DiffContext, current: Table, target: Table): void {
  const table = target.name;
  target.columns.forEach((column, position) => {
    if (current.columns.some((c) => c.name === column.name)) return;
    ctx.planned.push({ op: { kind: "addColumn", table, column }, phase: Phase.addColumn, key: [table, position] });
  });
  current.columns.forEach((column, position) => {
    const wanted = target.columns.find((c) => c.name === column.name);
    if (!wanted) {
      ctx.planned.push({
        op: { kind: "dropColumn", table, column: column.name, existing: column },
        phase: Phase.dropColumn,
        key: [table, position],
      });
      return;
    }
    const alter = (changes: ColumnChanges, existing: Column, at: number) => {
      const renameValues = changes.enumValues && existing.enumValues ? fittingRenames(existing.enumValues, changes.enumValues, ctx.enumValueRenames) : undefined;
      const hint = changes.enumValues && existing.enumValues ? enumRenameHint(existing.enumValues, changes.enumValues, renameValues) : undefined;
      ctx.planned.push({
        op: { kind: "alterColumn", table, column: column.name, changes, existing, ...(renameValues ? { renameValues } : {}) },
        ...(hint ? { review: hint } : {}),
        phase: Phase.alterColumn,
        key: [table, at],
      });
    };
    const changes = columnChanges(column, wanted, ctx.dialect);
    const fill = nullsToFill(column, wanted, changes);
    if (fill === undefined) {
      if (Object.keys(changes).length > 0) alter(changes, column, position);
    } else {
      const { nullable: _notNull, ...rest } = changes;
      // A value of the new type (an integer column becoming boolean is filled with `true`) needs that type first:
      // the rest changes with the column still nullable, then the fill, then the NOT NULL.
      const typeFirst = TYPE_PROPERTIES.some((key) => key in rest);
      if (typeFirst) alter(rest, column, position - 0.75);
      // Just before the NOT NULL, which would fail on the rows this fills.
      ctx.planned.push({ op: { kind: "fillNulls", table, column: column.name, value: fill }, phase: Phase.alterColumn, key: [table, position - 0.5] });
      if (typeFirst) alter({ nullable: false }, applyColumnChanges(column, rest), position);
      else alter(changes, column, position);
    }
    const unalterable = unalterableDifferences(column, wanted);
    if (unalterable.length > 0) {
      ctx.findings.push({
        kind: "unsupported",
        table,
        message: `Column "${table}.${column.name}" changed in a way no op expresses (${unalterable.join(", ")})`,
        review: [
          `REVIEW unsupported: "${table}.${column.name}" changed ${unalterable.join(", ")}; write this change by hand (op.execute).`,
        ],
      });
    }
  });
}

function diffPrimaryKey(ctx: DiffContext, current: Table, target: Table): void {
  if (deepEqual(current.primaryKey?.columns, target.primaryKey?.columns)) return;
  const before = originalTable(ctx, current.name)?.primaryKey;
  if (before) {
    ctx.planned.push({
      op: { kind: "dropPrimaryKey", table: ctx.originalTableName.get(current.name) ?? current.name, name: before.name, existing: before },
      phase: Phase.dropConstraint,
      key: [current.name, 3],
    });
  }
  if (target.primaryKey) {
    ctx.planned.push({
      op: { kind: "createPrimaryKey", table: target.name, primaryKey: target.primaryKey },
      phase: Phase.createConstraint,
      key: [target.name, 0],
    });
  }
}

/** How one kind of named table item (index, unique, foreign key, check) is dropped and created. */
interface ItemKind<T extends Named> {
  list: (table: Table) => T[] | undefined;
  noun: string;
  dropPhase: Phase;
  createPhase: Phase;
  dropRank: number;
  createRank: number;
  /** False for checks: databases rewrite their text, so the dialect judges a changed definition (diffChecks). */
  recreateWhenChanged: boolean;
  drop: (table: string, item: T) => Op;
  create: (table: string, item: T) => Op;
}

const indexKind: ItemKind<Index> = {
  list: (t) => t.indexes,
  noun: "index",
  dropPhase: Phase.dropConstraint,
  createPhase: Phase.createConstraint,
  dropRank: 1,
  createRank: 2,
  recreateWhenChanged: true,
  drop: (table, index) => ({ kind: "dropIndex", table, name: index.name, existing: index }),
  create: (table, index) => ({ kind: "createIndex", table, index }),
};

const uniqueKind: ItemKind<Unique> = {
  list: (t) => t.uniques,
  noun: "unique constraint",
  dropPhase: Phase.dropConstraint,
  createPhase: Phase.createConstraint,
  dropRank: 2,
  createRank: 1,
  recreateWhenChanged: true,
  drop: (table, unique) => ({ kind: "dropUnique", table, name: unique.name, existing: unique }),
  create: (table, unique) => ({ kind: "createUnique", table, unique }),
};

const foreignKeyKind: ItemKind<ForeignKey> = {
  list: (t) => t.foreignKeys,
  noun: "foreign key",
  dropPhase: Phase.dropForeignKey,
  createPhase: Phase.createForeignKey,
  dropRank: 0,
  createRank: 0,
  recreateWhenChanged: true,
  drop: (table, foreignKey) => ({ kind: "dropForeignKey", table, name: foreignKey.name, existing: foreignKey }),
  create: (table, foreignKey) => ({ kind: "createForeignKey", table, foreignKey }),
};

const exclusionKind: ItemKind<Exclusion> = {
  list: (t) => t.exclusions,
  noun: "exclusion constraint",
  dropPhase: Phase.dropConstraint,
  createPhase: Phase.createConstraint,
  dropRank: 2,
  createRank: 3,
  recreateWhenChanged: true,
  drop: (table, exclusion) => ({ kind: "dropExclusion", table, name: exclusion.name, existing: exclusion }),
  create: (table, exclusion) => ({ kind: "createExclusion", table, exclusion }),
};

const checkKind: ItemKind<Check> = {
  list: (t) => t.checks,
  noun: "check constraint",
  dropPhase: Phase.dropConstraint,
  createPhase: Phase.createConstraint,
  dropRank: 0,
  createRank: 3,
  recreateWhenChanged: false,
  drop: (table, check) => ({ kind: "dropCheck", table, name: check.name, existing: check }),
  create: (table, check) => ({ kind: "createCheck", table, check }),
};

/** Plans the drop of `item` (a current item, after renames) with the names the database has before the renames. */
function planDrop<T extends Named>(ctx: DiffContext, kind: ItemKind<T>, table: string, item: T, detected?: string, reasons?: string[]): void {
  const before = originalTable(ctx, table);
  const originalName = ctx.originalTableName.get(table) ?? table;
  ctx.planned.push({
    op: kind.drop(originalName, original(before ? kind.list(before) : undefined, item)),
    phase: kind.dropPhase,
    key: [table, kind.dropRank, item.name],
    ...(detected ? { detected } : {}),
    ...(reasons ? { reasons } : {}),
  });
}

function planCreate<T extends Named>(ctx: DiffContext, kind: ItemKind<T>, table: string, item: T, detected?: string, reasons?: string[]): void {
  ctx.planned.push({
    op: kind.create(table, item),
    phase: kind.createPhase,
    key: [table, kind.createRank, item.name],
    ...(detected ? { detected } : {}),
    ...(reasons ? { reasons } : {}),
  });
}

/** `onDelete: NO ACTION -> CASCADE`, one per property that differs between two definitions of an item. */
function itemReasons<T extends Named>(before: T, after: T): string[] {
  const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])] as Array<keyof T & string>;
  return keys
    .filter((key) => !deepEqual(before[key], after[key]))
    .map((key) => `${key}: ${valueText(before[key])} -> ${valueText(after[key])}`);
}

/** A changed definition under the same name: dropped, then created as the models have it. */
function planRecreate<T extends Named>(ctx: DiffContext, kind: ItemKind<T>, table: string, before: T, after: T): void {
  const reasons = itemReasons(before, after);
  planDrop(ctx, kind, table, before, `Detected changed ${kind.noun} '${before.name}' on '${table}' (dropped and re-created)`, reasons);
  planCreate(ctx, kind, table, after, `Detected changed ${kind.noun} '${after.name}' on '${table}' (re-created)`, reasons);
}

function diffItems<T extends Named>(
  ctx: DiffContext,
  kind: ItemKind<T>,
  current: Table,
  target: Table,
  sameDefinition: (a: T, b: T) => boolean = sameApartFromName,
): NamedDiff<T> {
  const table = target.name;
  const diff = diffNamed(kind.list(current) ?? [], kind.list(target) ?? [], sameDefinition);
  for (const item of diff.dropped) planDrop(ctx, kind, table, item);
  for (const item of diff.added) planCreate(ctx, kind, table, item);
  if (kind.recreateWhenChanged) for (const [before, after] of diff.changed) planRecreate(ctx, kind, table, before, after);
  return diff;
}

/** Items without a rename op (uniques, foreign keys, checks): a rename is a drop and a create, worded as a rename. */
function diffRenamableItems<T extends Named>(
  ctx: DiffContext,
  kind: ItemKind<T>,
  current: Table,
  target: Table,
  same?: (a: T, b: T) => boolean,
): NamedDiff<T> {
  const table = target.name;
  const diff = diffItems(ctx, kind, current, target, same);
  for (const [before, after] of diff.renamed) {
    const renamed = `'${before.name}' to '${after.name}' on '${table}'`;
    const reasons = [`name: ${before.name} -> ${after.name}`];
    planDrop(ctx, kind, table, before, `Detected renamed ${kind.noun} ${renamed} (dropped here, re-created below)`, reasons);
    planCreate(ctx, kind, table, after, `Detected renamed ${kind.noun} ${renamed} (re-created)`, reasons);
  }
  return diff;
}

/**
 * Indexes of the database that no entity can declare (an expression entry, a
 * sort order): TypeORM's index options have neither, so the models never
 * describe them. Unless an entity claims the name, they are listed, never dropped.
 */
function undeclarableIndexes(current: Table, target: Table): Index[] {
  const columns = new Set(current.columns.map((c) => c.name));
  const claimed = new Set((target.indexes ?? []).map((i) => i.name));
  return (current.indexes ?? []).filter(
    (index) => !claimed.has(index.name) && (index.order !== undefined || index.columns.some((entry) => !columns.has(entry))),
  );
}

function diffIndexes(ctx: DiffContext, current: Table, target: Table): void {
  const unmanaged = undeclarableIndexes(current, target);
  for (const index of unmanaged) {
    const what = `index "${index.name}" on "${target.name}" (${index.columns.map((c, i) => [c, index.order?.[i]].filter(Boolean).join(" ")).join(", ")})`;
    ctx.findings.push({
      kind: "unmodelled",
      table: target.name,
      message: `The database has ${what}, which entities cannot declare (an expression or a sort order); it is left alone`,
      review: [`REVIEW: the database has ${what}, which entities cannot declare (an expression or a sort order); autogenerate leaves it alone.`],
    });
  }
  const managed = unmanaged.length > 0 ? { ...current, indexes: current.indexes!.filter((i) => !unmanaged.includes(i)) } : current;
  const diff = diffItems(ctx, indexKind, managed, target);
  for (const [before, after] of diff.renamed) {
    ctx.planned.push({
      op: { kind: "renameIndex", table: target.name, from: before.name, to: after.name },
      phase: Phase.rename,
      key: [2, target.name, before.name],
    });
  }
}

function diffChecks(ctx: DiffContext, current: Table, target: Table): void {
  const columns = [...new Set([...current.columns, ...target.columns].map((c) => c.name))];
  const verdict = (a: Check, b: Check) => ctx.dialect.compareCheckExpressions(a.expression, b.expression, columns);
  const diff = diffRenamableItems(ctx, checkKind, current, target, (a, b) => verdict(a, b) === "same");
  for (const [before, after] of diff.changed) {
    if (verdict(before, after) === "changed") {
      planRecreate(ctx, checkKind, target.name, before, after);
      continue;
    }
    const where = `"${target.name}.${after.name}"`;
    ctx.findings.push({
      kind: "check-rewritten",
      table: target.name,
      message: `Check ${where} reads differently in the database and the models; no op emitted`,
      review: [
        `REVIEW check ${where}: the database has  ${before.expression}`,
        `the models have  ${after.expression}`,
        "The database may have rewritten the expression. If the rule really changed, rename the check or drop and re-create it by hand.",
      ],
    });
  }
}

function diffTableComment(ctx: DiffContext, current: Table, target: Table): void {
  if (current.comment === target.comment) return;
  ctx.findings.push({
    kind: "unsupported",
    table: target.name,
    message: `Comment of table "${target.name}" changed; no op changes table comments`,
    review: [`REVIEW unsupported: the comment of "${target.name}" changed; change it by hand (op.execute).`],
  });
}

/** Everything that differs in a table present on both sides (after renames). */
export function diffTable(ctx: DiffContext, current: Table, target: Table): void {
  diffColumns(ctx, current, target);
  diffPrimaryKey(ctx, current, target);
  diffIndexes(ctx, current, target);
  diffRenamableItems(ctx, uniqueKind, current, target);
  diffRenamableItems(ctx, foreignKeyKind, current, target);
  diffChecks(ctx, current, target);
  diffRenamableItems(ctx, exclusionKind, current, target);
  diffTableComment(ctx, current, target);
}

/**
 * Foreign keys that stay but that the dialect will not let live through
 * another step: a type change of a column they use (MySQL: a referenced key
 * widened to bigint, its referencing columns with it), or the drop of the
 * primary key they reference or whose index they use. Each is dropped before
 * those steps and re-created after them, and the downgrade mirrors the order.
 */
export function planForeignKeysAroundAlters(ctx: DiffContext): void {
  const at = (table: string, column: string) => `${table}\u0000${column}`;
  const altered = new Set<string>();
  const keyDropped = new Map<string, string[]>();
  for (const { op } of ctx.planned) {
    if (op.kind === "alterColumn" && ctx.dialect.foreignKeyBlocksAlter(op.changes)) altered.add(at(op.table, op.column));
    if (op.kind === "dropPrimaryKey") keyDropped.set(op.table, op.existing?.columns ?? []);
  }
  if (altered.size === 0 && keyDropped.size === 0) return;
  const rules = ctx.dialect.primaryKeyDropNeedsForeignKeysOff;
  const blocks = (table: string, originalTable: string, foreignKey: ForeignKey): boolean => {
    const used = [...foreignKey.columns.map((c) => at(table, c)), ...foreignKey.referencedColumns.map((c) => at(foreignKey.referencedTable, c))];
    if (used.some((k) => altered.has(k))) return true;
    const referencedKey = keyDropped.get(ctx.originalTableName.get(foreignKey.referencedTable) ?? foreignKey.referencedTable);
    if (rules.referencing && referencedKey && referencedKey.length > 0) return true;
    const localKey = keyDropped.get(originalTable);
    return rules.local && !!localKey && foreignKey.columns.every((c, i) => localKey[i] === c);
  };
  const alreadyPlanned = new Set(
    ctx.planned.filter((p) => p.op.kind === "dropForeignKey").map((p) => at(opTable(p.op) ?? "", "name" in p.op ? (p.op.name ?? "") : "")),
  );
  for (const target of [...ctx.target.tables].sort((a, b) => compareText(a.name, b.name))) {
    const current = ctx.renamed.tables.find((t) => t.name === target.name);
    if (!current) continue;
    const originalName = ctx.originalTableName.get(target.name) ?? target.name;
    for (const foreignKey of sortByName(target.foreignKeys ?? [])) {
      const existing = current.foreignKeys?.find((fk) => fk.name === foreignKey.name);
      if (!existing || alreadyPlanned.has(at(originalName, existing.name)) || !blocks(target.name, originalName, existing)) continue;
      const where = `'${foreignKey.name}' on '${target.name}'`;
      planDrop(ctx, foreignKeyKind, target.name, existing, `Dropped foreign key ${where} around a change of the key or columns it uses (re-created below)`);
      planCreate(ctx, foreignKeyKind, target.name, foreignKey, `Re-created foreign key ${where} after the change of the key or columns it uses`);
    }
  }
}

function withoutForeignKeys(table: Table, keep: readonly ForeignKey[]): Table {
  const next: Table = { ...table };
  if (keep.length > 0) next.foreignKeys = [...keep];
  else delete next.foreignKeys;
  return next;
}

/**
 * Orders new tables so that a table comes after the tables it references
 * (then the downgrade drops referencing tables first). Foreign keys other
 * than self-references are split out into createForeignKey steps after every
 * createTable, so new tables may reference each other in any order; when the
 * dialect accepts forward references only those closing a cycle are.
 */
function orderCreatedTables(ctx: DiffContext, tables: readonly Table[]): Array<{ table: Table; split: ForeignKey[] }> {
  const splitAll = !ctx.dialect.createTableAcceptsForwardReferences;
  const remaining = sortByName(tables).map((table) => ({
    table,
    split: splitAll ? (table.foreignKeys ?? []).filter((fk) => fk.referencedTable !== table.name) : ([] as ForeignKey[]),
  }));
  const waitsFor = (entry: (typeof remaining)[number]) =>
    (entry.table.foreignKeys ?? []).filter(
      (fk) => fk.referencedTable !== entry.table.name && !entry.split.includes(fk) && remaining.some((r) => r.table.name === fk.referencedTable),
    );
  const ordered: typeof remaining = [];
  while (remaining.length > 0) {
    let at = remaining.findIndex((entry) => waitsFor(entry).length === 0);
    if (at < 0) {
      at = 0;
      remaining[0].split.push(...waitsFor(remaining[0]));
    }
    ordered.push(remaining.splice(at, 1)[0]);
  }
  return ordered;
}

/** New tables, each with its primary key, uniques, indexes and checks; `reviews` by table name. */
export function planCreateTables(ctx: DiffContext, tables: readonly Table[], reviews: (table: string) => string[] | undefined): void {
  orderCreatedTables(ctx, tables).forEach(({ table, split }, position) => {
    const review = reviews(table.name);
    const inline = (table.foreignKeys ?? []).filter((fk) => !split.includes(fk));
    ctx.planned.push({
      op: { kind: "createTable", table: withoutForeignKeys(table, inline) },
      phase: Phase.createTable,
      key: [position],
      ...(review ? { review } : {}),
    });
    for (const fk of split) planCreate(ctx, foreignKeyKind, table.name, fk);
  });
}

/**
 * Orders dropped tables so that a table goes before the tables it references;
 * foreign keys that would still block a drop (all those between dropped
 * tables, or only those closing a cycle when the dialect accepts forward
 * references) are dropped first, separately.
 */
function orderDroppedTables(ctx: DiffContext, tables: readonly Table[]): Array<{ table: Table; split: ForeignKey[] }> {
  const splitAll = !ctx.dialect.createTableAcceptsForwardReferences;
  const remaining = sortByName(tables).map((table) => ({
    table,
    split: splitAll ? (table.foreignKeys ?? []).filter((fk) => fk.referencedTable !== table.name) : ([] as ForeignKey[]),
  }));
  const blocks = (entry: (typeof remaining)[number], name: string) =>
    entry.table.name !== name && (entry.table.foreignKeys ?? []).some((fk) => fk.referencedTable === name && !entry.split.includes(fk));
  const ordered: typeof remaining = [];
  while (remaining.length > 0) {
    let at = remaining.findIndex((candidate) => !remaining.some((other) => blocks(other, candidate.table.name)));
    if (at < 0) {
      at = 0;
      const name = remaining[0].table.name;
      for (const other of remaining) {
        if (other.table.name === name) continue;
        other.split.push(...(other.table.foreignKeys ?? []).filter((fk) => fk.referencedTable === name && !other.split.includes(fk)));
      }
    }
    ordered.push(remaining.splice(at, 1)[0]);
  }
  return ordered;
}

/** Dropped tables, referencing tables first, each recording its definition for the downgrade. */
export function planDropTables(ctx: DiffContext, tables: readonly Table[]): void {
  orderDroppedTables(ctx, tables).forEach(({ table, split }, position) => {
    for (const fk of split) planDrop(ctx, foreignKeyKind, table.name, fk);
    const kept = (table.foreignKeys ?? []).filter((fk) => !split.includes(fk));
    ctx.planned.push({
      op: { kind: "dropTable", table: table.name, existing: withoutForeignKeys(table, kept) },
      phase: Phase.dropTable,
      key: [position],
    });
  });
}
