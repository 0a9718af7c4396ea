import { compare } from "../../src/compare/compare";
import { genericComparerDialect, type ComparerDialect } from "../../src/compare/dialect";
import type { Diff, RenameCandidate, RenameResolver } from "../../src/compare/types";
import type { Op } from "../../src/ops/types";
import type { Column, EnumType, Schema, Table } from "../../src/schema/types";

export function col(name: string, type: string, extra: Partial<Column> = {}): Column {
  return { name, type, nullable: true, ...extra };
}

export function idCol(): Column {
  return { name: "id", type: "integer", nullable: false };
}

export function table(name: string, columns: Column[], extra: Partial<Table> = {}): Table {
  return { name, columns, ...extra };
}

export function schema(tables: Table[], enums: EnumType[] = []): Schema {
  return { tables, enums };
}

/** A resolver that answers from a fixed list and records every question. */
export function fixedResolver(accept: (c: RenameCandidate) => boolean): RenameResolver & { asked: RenameCandidate[] } {
  const asked: RenameCandidate[] = [];
  const resolver = ((c: RenameCandidate) => {
    asked.push(c);
    return accept(c);
  }) as RenameResolver & { asked: RenameCandidate[] };
  resolver.asked = asked;
  return resolver;
}

export async function diff(
  current: Schema,
  target: Schema,
  options: { resolveRename?: RenameResolver; dialect?: ComparerDialect } = {},
): Promise<Diff> {
  return compare(current, target, {
    dialect: options.dialect ?? genericComparerDialect,
    resolveRename: options.resolveRename ?? (() => false),
  });
}

export function ops(d: Diff): Op[] {
  return d.upgrade.map((s) => s.op);
}

export function kinds(d: Diff): string[] {
  return d.upgrade.map((s) => s.op.kind);
}

function sortNamed<T extends { name: string }>(list: T[] | undefined): T[] | undefined {
  if (!list || list.length === 0) return undefined;
  return [...list].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/**
 * A comparable form: tables, columns and table items sorted by name, empty
 * lists removed, primary-key names dropped (the comparer ignores them).
 */
export function normalize(s: Schema): unknown {
  const tables = sortNamed(s.tables) ?? [];
  return {
    enums: sortNamed(s.enums) ?? [],
    tables: tables.map((t) => {
      const out: Record<string, unknown> = { name: t.name, columns: sortNamed(t.columns) };
      if (t.primaryKey) out.primaryKey = t.primaryKey.columns;
      for (const key of ["indexes", "uniques", "foreignKeys", "checks"] as const) {
        const items = sortNamed(t[key] as Array<{ name: string }> | undefined);
        if (items) out[key] = items;
      }
      if (t.comment !== undefined) out.comment = t.comment;
      return JSON.parse(JSON.stringify(out));
    }),
  };
}
