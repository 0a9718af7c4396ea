/**
 * Rewrites a diff's ops in the portable vocabulary, so the revision file runs
 * on every dialect: target columns take the portable form read from the
 * entity metadata (src/model/portable.ts); columns only the database knows
 * (what an alterColumn had before, what a downgrade re-creates) take the first
 * portable form this dialect renders exactly as they are. An op that keeps a
 * dialect spelling (no portable form, or a feature of this dialect alone) is
 * marked with the dialect, and the emitter writes it as `op.only(...)`.
 */
import { onlyAddsValues } from "../compare/compare";
import { deepEqual } from "../compare/similarity";
import { explainFill } from "../compare/describe";
import type { Diff, Step } from "../compare/types";
import type { DeclaredUniques, PortableIndex } from "../model/portable";
import {
  PORTABLE_PROPERTIES,
  PORTABLE_TYPES,
  PORTABLE_VALUE_TYPE_PROPERTIES,
  portableFillSql,
  type PortableColumn,
  type PortableDefault,
  type PortableResolver,
  type PortableType,
  type PortableValueType,
} from "../ops/portable";
import { defaultEnumName } from "../model/columns";
import { applyColumnChanges } from "../ops/reverse";
import type { ColumnChanges, DialectName, Op, OpOf } from "../ops/types";
import { besides, splitQualified } from "../schema/qualified";
import type { Column, Index, Table, Unique } from "../schema/types";

/** The order candidates are tried in for a column without a hint: date roles before a plain DateTime with a now default. */
const CANDIDATE_ORDER: readonly PortableType[] = [
  "String",
  "Text",
  "Integer",
  "SmallInteger",
  "BigInteger",
  "Decimal",
  "Float",
  "Double",
  "Boolean",
  "Date",
  "Time",
  "CreateDate",
  "UpdateDate",
  "DeleteDate",
  "DateTime",
  "Uuid",
  "Json",
  "Enum",
  ...PORTABLE_TYPES,
];

function unquote(sql: string): string | undefined {
  const m = /^'((?:[^']|'')*)'$/.exec(sql.trim());
  return m ? m[1]!.replace(/''/g, "'") : undefined;
}

function defaultCandidates(sql: string | undefined): Array<PortableDefault | undefined> {
  if (sql === undefined) return [undefined];
  const text = unquote(sql);
  const number = Number(text ?? sql);
  const out: Array<PortableDefault | undefined> = [];
  if (text !== undefined) out.push(text);
  if (sql.trim() !== "" && Number.isFinite(number)) out.push(number);
  out.push(true, false, { fn: "now" }, { fn: "uuid" }, undefined);
  return out;
}

export class PortableWriter {
  constructor(
    private readonly index: PortableIndex,
    private readonly resolver: PortableResolver,
    private readonly dialect: DialectName,
    private readonly uniques: DeclaredUniques = new Map(),
    /** The columns as the applied revisions last stated them: the form of a column the entities no longer declare. */
    private readonly stated: PortableIndex = new Map(),
  ) {}

  /**
   * The declared unique constraint a unique index stands for, where the
   * dialect keeps unique constraints as indexes (MySQL): the file states the
   * constraint, which each dialect stores its own way.
   */
  private uniqueOf(table: string, index: Index): Unique | undefined {
    if (!index.unique || !portableIndexes([index])) return undefined;
    const declared = this.uniques.get(table)?.find((u) => u.indexName === index.name && deepEqual(u.columns, index.columns));
    return declared && { name: declared.name, columns: [...declared.columns] };
  }

  /** `table` with the unique indexes that are declared unique constraints stated as constraints. */
  private withUniques(table: Table): Table {
    const found = (table.indexes ?? []).map((i) => this.uniqueOf(table.name, i));
    if (!found.some((u) => u)) return table;
    return {
      ...table,
      indexes: (table.indexes ?? []).filter((_, n) => !found[n]),
      uniques: [...(table.uniques ?? []), ...found.filter((u): u is Unique => u !== undefined)],
    };
  }

  /** By the comparer's own equality: what it finds equal converges (an array is its items, whatever made it). */
  private renders(portable: PortableColumn, column: Column): boolean {
    return deepEqual(this.resolver.column(portable), column);
  }

  /** The portable form of `column` of `table`, or undefined when it has none on this dialect. */
  column(table: string, column: Column): PortableColumn | undefined {
    // The entities' form, else the form the applied revisions stated (the column as it is before a change).
    const hints = [this.index.get(table)?.get(column.name), this.stated.get(table)?.get(column.name)].filter((h): h is PortableColumn => h !== undefined);
    const rendered = hints.find((h) => this.renders(h, column));
    if (rendered) return rendered;
    const hint = hints[0];
    // Enum values without a hint (a column the entities no longer have, read from a MySQL or SQLite database, where
    // "Enum" and "String" render alike): an enum in the entities, so the file keeps PostgreSQL's type for it.
    const preferred = hint ? [hint.type] : column.enumValues ? ["Enum" as const] : [];
    const types = [...new Set([...preferred, ...CANDIDATE_ORDER])];
    for (const type of types) {
      for (const precision of new Set([column.precision, undefined])) {
        for (const dflt of defaultCandidates(column.default)) {
          const candidate: PortableColumn = { name: column.name, type, nullable: column.nullable === true };
          if (column.length !== undefined) candidate.length = column.length;
          if (precision !== undefined) candidate.precision = precision;
          if (precision !== undefined && column.scale !== undefined) candidate.scale = column.scale;
          if (dflt !== undefined) candidate.default = dflt;
          if (column.autoIncrement) candidate.autoIncrement = true;
          if (column.enumValues) candidate.enumValues = [...column.enumValues];
          const enumName = column.enumName ?? hints.find((h) => h.enumName)?.enumName ?? (hint ? undefined : besides(table, defaultEnumName(splitQualified(table).name, column.name)));
          if (type === "Enum" && enumName) candidate.enumName = enumName;
          if (column.comment) candidate.comment = column.comment;
          if (this.renders(candidate, column)) return candidate;
        }
      }
    }
    return undefined;
  }

  private table(declared: Table): Table | undefined {
    const table = this.withUniques(declared);
    if (!portableIndexes(table.indexes) || (table.foreignKeys ?? []).some((fk) => fk.deferrable) || table.withoutRowid) return undefined;
    const columns = table.columns.map((c) => this.column(table.name, c));
    if (columns.some((c) => c === undefined)) return undefined;
    return { ...table, columns: columns as unknown as Column[] };
  }

  private alter(op: Extract<Op, { kind: "alterColumn" }>): Op | undefined {
    if (!op.existing || op.using) return undefined;
    const before = this.column(op.table, op.existing);
    const after = this.column(op.table, applyColumnChanges(op.existing, op.changes));
    if (!before || !after) return undefined;
    const changes: Record<string, unknown> = {};
    for (const key of PORTABLE_PROPERTIES) {
      if (!deepEqual(before[key], after[key])) changes[key] = after[key] === undefined ? null : after[key];
    }
    if (Object.keys(changes).length === 0) return undefined;
    return { ...op, changes: changes as ColumnChanges, existing: before as unknown as Column };
  }

  /**
   * A fill with the portable default of the column it fills (the column the
   * alterColumn after it makes NOT NULL), so each dialect writes the value its
   * own way: SQLite's `1` is no boolean to PostgreSQL.
   */
  private fill(op: OpOf<"fillNulls">, filled: ReadonlyMap<string, Column>): Op | undefined {
    const target = filled.get(columnKey(op.table, op.column));
    const column = target && this.column(op.table, target);
    if (column?.default === undefined || column.default === null) return undefined;
    const valueType = Object.fromEntries(PORTABLE_VALUE_TYPE_PROPERTIES.filter((key) => column[key] !== undefined).map((key) => [key, column[key]])) as PortableValueType;
    const portable: OpOf<"fillNulls"> = { ...op, value: column.default, valueType };
    return portableFillSql(portable, valueType, this.resolver) === op.value ? portable : undefined;
  }

  /** `op` in the portable vocabulary, or undefined when it must keep this dialect's spelling. */
  op(op: Op, filled: ReadonlyMap<string, Column> = new Map()): Op | undefined {
    switch (op.kind) {
      case "fillNulls":
        return this.fill(op, filled);
      case "createTable": {
        const table = this.table(op.table);
        return table && { ...op, table };
      }
      case "dropTable": {
        if (!op.existing) return op;
        const existing = this.table(op.existing);
        return existing && { ...op, existing };
      }
      case "addColumn": {
        const column = this.column(op.table, op.column);
        return column && { ...op, column: column as unknown as Column };
      }
      case "dropColumn": {
        if (!op.existing) return op;
        const existing = this.column(op.table, op.existing);
        return existing && { ...op, existing: existing as unknown as Column };
      }
      case "alterColumn":
        return this.alter(op);
      case "createIndex": {
        const unique = this.uniqueOf(op.table, op.index);
        if (unique) return { kind: "createUnique", table: op.table, unique };
        return portableIndexes([op.index]) ? op : undefined;
      }
      case "dropIndex": {
        const unique = op.existing && this.uniqueOf(op.table, op.existing);
        if (unique) return { kind: "dropUnique", table: op.table, name: unique.name, existing: unique };
        return !op.existing || portableIndexes([op.existing]) ? op : undefined;
      }
      // A materialized view exists where autogenerate found it (PostgreSQL); the SQL of any view is written as is,
      // and is this dialect's alone when it quotes identifiers (a QueryBuilder view is rendered by the driver).
      case "createView":
        return op.view.materialized || quotesIdentifiers(op.view.definition) ? undefined : op;
      case "dropView":
        return op.materialized ? undefined : op;
      default:
        return op;
    }
  }

  /**
   * A unique index renamed to (or from) the index a declared unique constraint
   * is stored as: one index to MySQL, an index and a constraint elsewhere, so
   * the file drops the one and creates the other, each stored its own way.
   * The rename kept the definition, so the declared unique gives the columns.
   */
  private renamedUnique(op: Extract<Op, { kind: "renameIndex" }>): [Op, Op] | undefined {
    const declared = (name: string) => this.uniques.get(op.table)?.find((u) => u.indexName === name);
    const to = declared(op.to);
    const from = declared(op.from);
    if (!to === !from) return undefined;
    const columns = [...(to ?? from)!.columns];
    const index: (name: string) => Index = (name) => ({ name, columns, unique: true });
    if (to) {
      return [
        { kind: "dropIndex", table: op.table, name: op.from, existing: index(op.from) },
        { kind: "createUnique", table: op.table, unique: { name: to.name, columns } },
      ];
    }
    return [
      { kind: "dropUnique", table: op.table, name: from!.name, existing: { name: from!.name, columns } },
      { kind: "createIndex", table: op.table, index: index(op.to) },
    ];
  }

  step(step: Step, filled: ReadonlyMap<string, Column> = new Map()): Step[] {
    const pair = step.op.kind === "renameIndex" ? this.renamedUnique(step.op) : undefined;
    if (pair) {
      return [
        { ...step, op: pair[0], detected: `${step.detected} (dropped here, re-created below)` },
        { ...step, op: pair[1], detected: `${step.detected} (re-created)` },
      ];
    }
    const op = this.op(step.op, filled);
    if (!op) return [{ ...step, dialects: [this.dialect] }];
    return [op.kind === "fillNulls" && step.op.kind === "fillNulls" ? explainedAgain(step, step.op, op) : { ...step, op }];
  }

  private steps(steps: readonly Step[]): Step[] {
    const filled = filledColumns(steps);
    return withEnumTypes(this.withEnumValues(steps.flatMap((s) => this.step(s, filled))));
  }

  diff(diff: Diff): Diff {
    return { ...diff, upgrade: this.steps(diff.upgrade), downgrade: this.steps(diff.downgrade) };
  }

  /**
   * An enum's values change in a named type on PostgreSQL (alterEnum, nothing
   * elsewhere) and in each column on MySQL and SQLite (alterColumn of
   * enumValues, nothing on PostgreSQL). A diff has one form, from the dialect
   * it was computed on; the portable file states both, so either runs.
   */
  private withEnumValues(steps: Step[]): Step[] {
    const changes = enumValueChanges(steps);
    if (changes.size === 0) return steps;
    const touched = new Set(steps.flatMap((s) => touchedColumns(s.op)));
    const altered = new Set(steps.flatMap((s) => (s.op.kind === "alterColumn" && !s.dialects ? [`${s.op.table}.${s.op.column}`] : [])));
    const stated = new Set(steps.flatMap((s) => (s.op.kind === "alterEnum" ? [s.op.name] : [])));
    // Where PostgreSQL's comparer puts the type change: added values before the columns use them, removed
    // ones after the columns (their defaults included) stop using them.
    const enumAt = new Map<string, number>();
    steps.forEach((step, n) => {
      const op = step.op;
      if (op.kind !== "alterColumn" || step.dialects || !isPortableEnum(op.existing)) return;
      const change = changes.get(op.existing.enumName!);
      if (!change || stated.has(change.name)) return;
      if (!enumAt.has(change.name) || !onlyAddsValues(change.existing, change.values)) enumAt.set(change.name, n);
    });
    const out: Step[] = [];
    for (const [n, step] of steps.entries()) {
      const op = step.op;
      if (op.kind === "alterColumn" && !step.dialects && isPortableEnum(op.existing)) {
        const change = changes.get(op.existing.enumName!);
        const typeChange = change && enumAt.get(change.name) === n ? alterEnumStep(change) : undefined;
        if (typeChange && onlyAddsValues(change!.existing, change!.values)) out.push(typeChange);
        // The column holds the values from before the type change (a downgrade's `existing` is the upgraded
        // column, whose values the diff only saw in the type).
        const stated = change && { ...op, changes: { ...op.changes, enumValues: [...change.values] }, existing: { ...op.existing, enumValues: [...change.existing] } };
        out.push(stated && !("enumValues" in op.changes) ? { ...step, op: stated } : step);
        if (typeChange && !onlyAddsValues(change!.existing, change!.values)) out.push(typeChange);
        continue;
      }
      out.push(step);
      if (op.kind !== "alterEnum") continue;
      // The columns of this type that no other step alters: each changes its values alone.
      for (const [table, columns] of this.index) {
        for (const column of columns.values()) {
          const key = `${table}.${column.name}`;
          if (column.type !== "Enum" || column.enumName !== op.name || touched.has(key) || touched.has(`${table}.*`) || altered.has(key)) continue;
          const existing = { ...column, enumValues: [...op.existing] } as unknown as Column;
          out.push({
            op: { kind: "alterColumn", table, column: column.name, changes: { enumValues: [...op.values] }, existing },
            detected: `Detected changed enum values of column '${key}'`,
            reasons: [`enum ${op.name}: ${op.existing.join(", ")} -> ${op.values.join(", ")}`],
          });
        }
      }
    }
    return out;
  }
}

function columnKey(table: string, column: string): string {
  return `${table}\0${column}`;
}

/** The columns the fills among `steps` fill: each as the alterColumn that makes it NOT NULL leaves it. */
function filledColumns(steps: readonly Step[]): Map<string, Column> {
  const fills = new Set(steps.flatMap(({ op }) => (op.kind === "fillNulls" ? [columnKey(op.table, op.column)] : [])));
  const out = new Map<string, Column>();
  for (const { op } of steps) {
    if (op.kind !== "alterColumn" || !op.existing || !fills.has(columnKey(op.table, op.column))) continue;
    out.set(columnKey(op.table, op.column), applyColumnChanges(op.existing, op.changes));
  }
  return out;
}

/** A fill's step with its explanation in the portable value, keeping any other lines the step gathered. */
function explainedAgain(step: Step, before: OpOf<"fillNulls">, after: OpOf<"fillNulls">): Step {
  const was = explainFill(before);
  const now = explainFill(after);
  const review = [...(now.review ?? []), ...(step.review ?? []).filter((line) => !(was.review ?? []).includes(line))];
  return { ...step, op: after, detected: now.detected, reasons: now.reasons, review };
}

interface EnumValueChange {
  name: string;
  values: string[];
  existing: string[];
  /** A changed default uses an added value (PostgreSQL then recreates the type, see the alterEnum op). */
  recreate: boolean;
}

function isPortableEnum(column: Column | undefined): column is Column {
  return column !== undefined && (column.type as string) === "Enum" && column.enumName !== undefined && column.enumValues !== undefined;
}

/** The enum value changes a step list states, by type name: from alterEnum ops, or from portable alterColumn ops. */
function enumValueChanges(steps: readonly Step[]): Map<string, EnumValueChange> {
  const out = new Map<string, EnumValueChange>();
  for (const { op, dialects } of steps) {
    if (op.kind === "alterEnum") {
      out.set(op.name, { name: op.name, values: op.values, existing: op.existing, recreate: op.recreate === true });
      continue;
    }
    if (op.kind !== "alterColumn" || dialects || !isPortableEnum(op.existing)) continue;
    const name = op.existing.enumName!;
    const values = op.changes.enumValues;
    const dflt = (op.changes as { default?: unknown }).default;
    const known = out.get(name);
    if (values) {
      const added = values.filter((v) => !op.existing!.enumValues!.includes(v));
      const recreate = typeof dflt === "string" && added.includes(dflt);
      out.set(name, { name, values, existing: op.existing.enumValues!, recreate: recreate || known?.recreate === true });
    } else if (known && typeof dflt === "string" && !known.existing.includes(dflt)) {
      known.recreate = true;
    }
  }
  return out;
}

function alterEnumStep(change: EnumValueChange): Step {
  return {
    op: { kind: "alterEnum", name: change.name, values: [...change.values], existing: [...change.existing], ...(change.recreate ? { recreate: true } : {}) },
    detected: `Detected changed enum '${change.name}'`,
    reasons: [`${change.existing.join(", ")} -> ${change.values.join(", ")}`],
  };
}

/** `table.column` keys (`table.*` for a whole table) of what an op creates or drops: those take their values from the op. */
function touchedColumns(op: Op): string[] {
  switch (op.kind) {
    case "createTable":
      return [`${op.table.name}.*`];
    case "dropTable":
      return [`${op.table}.*`];
    case "addColumn":
      return [`${op.table}.${op.column.name}`];
    case "dropColumn":
      return [`${op.table}.${op.column}`];
    default:
      return [];
  }
}

/** The enum types (name -> values) of the portable enum columns among `columns`. */
function enumTypes(columns: ReadonlyArray<Column | undefined>): Map<string, string[]> {
  const out = new Map<string, string[]>();
  for (const c of columns) {
    if (c && (c.type as string) === "Enum" && c.enumName !== undefined && c.enumValues !== undefined) out.set(c.enumName, [...c.enumValues]);
  }
  return out;
}

/** Portable enum types an op creates and drops. */
function enumUse(op: Op): { creates: Map<string, string[]>; drops: Map<string, string[]> } {
  const none = new Map<string, string[]>();
  switch (op.kind) {
    case "createTable":
      return { creates: enumTypes(op.table.columns), drops: none };
    case "addColumn":
      return { creates: enumTypes([op.column]), drops: none };
    case "dropTable":
      return { creates: none, drops: enumTypes(op.existing?.columns ?? []) };
    case "dropColumn":
      return { creates: none, drops: enumTypes([op.existing]) };
    case "alterColumn": {
      // A column becoming an enum, or ceasing to be one (MySQL and SQLite see no type to create or drop).
      const before = enumTypes([op.existing]);
      const after = enumTypes([op.existing && applyColumnChanges(op.existing, op.changes)]);
      const only = (a: Map<string, string[]>, b: Map<string, string[]>) => new Map([...a].filter(([name]) => !b.has(name)));
      return { creates: only(after, before), drops: only(before, after) };
    }
    default:
      return { creates: none, drops: none };
  }
}

/**
 * PostgreSQL keeps enum values in a named type, which a file generated on
 * MySQL or SQLite never creates (their comparers see no type): the type is
 * created before the first portable column that needs it and dropped after the
 * last one goes, as TypeORM's PostgresQueryRunner does. createEnum and dropEnum
 * run nothing on the other dialects.
 */
function withEnumTypes(steps: Step[]): Step[] {
  const handled = new Set(steps.flatMap((s) => (s.op.kind === "createEnum" || s.op.kind === "dropEnum" ? [s.op.name] : [])));
  const out: Step[] = [];
  for (const step of steps) {
    const use = step.dialects ? { creates: new Map<string, string[]>(), drops: new Map<string, string[]>() } : enumUse(step.op);
    for (const [name, values] of use.creates) {
      if (handled.has(name)) continue;
      handled.add(name);
      out.push({ op: { kind: "createEnum", name, values }, detected: `Detected added enum '${name}'`, reasons: [`used by a column in the models (${values.join(", ")})`] });
    }
    out.push(step);
    for (const [name, values] of use.drops) {
      if (handled.has(name)) continue;
      handled.add(name);
      out.push({ op: { kind: "dropEnum", name, existing: values }, detected: `Detected removed enum '${name}'`, reasons: ["no column uses it any more"] });
    }
  }
  return out;
}

/**
 * Whether `sql` quotes an identifier outside its string literals: `"` is an
 * identifier on PostgreSQL and SQLite and a string on MySQL, a backquote an
 * identifier on MySQL and SQLite and an error on PostgreSQL.
 */
function quotesIdentifiers(sql: string): boolean {
  return /[`"]/.test(sql.replace(/'(?:[^']|'')*'/g, "''"));
}

/** Index features one dialect alone has: partial predicates (not MySQL), methods, MySQL's FULLTEXT/SPATIAL, PostgreSQL's NULLS FIRST/LAST (DESC is everywhere). */
function portableIndexes(indexes: readonly Index[] | undefined): boolean {
  return (indexes ?? []).every((i) => !i.where && !i.using && !i.fulltext && !i.spatial && !i.order?.some((o) => /NULLS/i.test(o)));
}
