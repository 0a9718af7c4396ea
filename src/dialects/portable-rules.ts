/**
 * What the three dialects' portable modules share: the table of portable types
 * to the dialect spelling TypeORM's normalizeType gives the matching entity
 * type, and the walk from a portable column to the raw column TypeORM's query
 * runner would write for it. Each dialect supplies its table and its
 * normalizeDefault; its canonicalColumn does the rest.
 */
import type { PortableColumn, PortableDefault, PortableFunction, PortableResolver, PortableType } from "../ops/portable";
import type { Op } from "../ops/types";
import type { Column } from "../schema/types";

/** A portable type on one dialect: TypeORM's normalized spelling and what its driver adds. */
export interface PortableTypeRule {
  type: string;
  /** The implicit length TypeORM states (MySQL varchar 255, MySQL uuid 36). */
  length?: number;
  /** The precision TypeORM gives it when none is declared (mappedDataTypes.createDatePrecision). */
  precision?: number;
  /** CreateDate/UpdateDate: the current-time default; UpdateDate on MySQL also ON UPDATE. */
  nowDefault?: boolean;
  onUpdateNow?: boolean;
  /** DeleteDate: nullable whatever is declared (mappedDataTypes.deleteDateNullable). */
  nullable?: boolean;
}

export interface PortableDialectRules {
  types: Record<PortableType, PortableTypeRule>;
  /** driver.normalizeDefault for a literal default (already known not to be a function). */
  literal(value: string | number | boolean, column: PortableColumn, rule: PortableTypeRule): string;
  /** The current-time default at a precision (driver mappedDataTypes.createDateDefault / CURRENT_TIMESTAMP(p)). */
  now(precision: number | undefined, rule: PortableTypeRule): string;
  /** The server-side uuid generator, where the dialect has one. */
  uuid?: string;
  /** A last dialect-specific touch on the raw column (MySQL's uuid length). */
  adjust?(raw: Column, column: PortableColumn): void;
  canonicalColumn(column: Column): Column;
  /** See PortableResolver.op. */
  op?(op: Op): Op;
}

export function isPortableFunction(value: PortableDefault | undefined): value is PortableFunction {
  return typeof value === "object" && value !== null && typeof (value as PortableFunction).fn === "string";
}

/** The resolver for one dialect's rules. */
export function portableResolverOf(rules: PortableDialectRules): PortableResolver {
  return {
    column(column: PortableColumn): Column {
      const rule = rules.types[column.type];
      const out: Column = { name: column.name, type: rule.type, nullable: rule.nullable || column.nullable === true };
      const length = column.length ?? rule.length;
      if (length !== undefined) out.length = length;
      const precision = column.precision ?? rule.precision;
      if (precision !== undefined) out.precision = precision;
      if (column.scale !== undefined && column.precision !== undefined) out.scale = column.scale;
      const dflt = defaultOf(column, rule, precision, rules);
      if (dflt !== undefined) out.default = dflt;
      if (rule.onUpdateNow) out.onUpdate = rules.now(precision, rule);
      if (column.autoIncrement) out.autoIncrement = true;
      if (column.enumValues) out.enumValues = column.enumValues.map(String);
      if (column.enumName !== undefined) out.enumName = column.enumName;
      if (column.comment) out.comment = column.comment;
      rules.adjust?.(out, column);
      return rules.canonicalColumn(out);
    },
    ...(rules.op ? { op: rules.op } : {}),
  };
}

function defaultOf(column: PortableColumn, rule: PortableTypeRule, precision: number | undefined, rules: PortableDialectRules): string | undefined {
  const value = column.default ?? (rule.nowDefault ? { fn: "now" as const } : undefined);
  if (value === undefined || value === null) return undefined;
  if (!isPortableFunction(value)) return rules.literal(value, column, rule);
  if (value.fn === "now") return rules.now(precision, rule);
  return rules.uuid;
}

/** A string literal with its quotes doubled (TypeORM's own quoting forgets them; see model/columns.ts). */
export function quoted(text: string): string {
  return `'${text.replaceAll("'", "''")}'`;
}
