/**
 * Every identifier a table declares, for the servers that limit their length:
 * listed with what they name (for messages) and the namespace in which two
 * of them must differ, and rewritten all at once where the server keeps a
 * shorter name than the one declared.
 */
import { qualify, splitQualified } from "./qualified";
import type { Table } from "./types";

export interface DeclaredName {
  /** For messages: `table "users"`, `column "users.email"`, `index "IDX_..."`. */
  what: string;
  name: string;
  /**
   * Names in the same namespace must stay distinct: PostgreSQL relations
   * (tables, indexes, unique and primary-key constraints) and types (each
   * table has a row type of its name) share one per schema; columns and
   * other constraints have one per table.
   */
  namespace: string;
}

/** The identifiers `table` declares (not the ones it only refers to, such as a foreign key's columns). */
export function declaredNames(table: Table): DeclaredName[] {
  const t = table.name;
  // A schema-qualified name is limited part by part; relations are distinct per schema.
  const relation = (qualified: string) => `relation ${splitQualified(qualified).namespace ?? ""}`;
  const names: DeclaredName[] = [{ what: `table "${t}"`, name: splitQualified(t).name, namespace: relation(t) }];
  for (const c of table.columns) {
    names.push({ what: `column "${t}.${c.name}"`, name: c.name, namespace: `column ${t}` });
    if (c.enumName !== undefined) {
      names.push({ what: `enum type "${c.enumName}" of "${t}.${c.name}"`, name: splitQualified(c.enumName).name, namespace: relation(c.enumName) });
    }
  }
  if (table.primaryKey?.name) names.push({ what: `primary key "${table.primaryKey.name}" of "${t}"`, name: table.primaryKey.name, namespace: relation(t) });
  for (const u of table.uniques ?? []) names.push({ what: `unique constraint "${u.name}" of "${t}"`, name: u.name, namespace: relation(t) });
  for (const i of table.indexes ?? []) names.push({ what: `index "${i.name}" of "${t}"`, name: i.name, namespace: relation(t) });
  for (const f of table.foreignKeys ?? []) names.push({ what: `foreign key "${f.name}" of "${t}"`, name: f.name, namespace: `constraint ${t}` });
  for (const c of table.checks ?? []) names.push({ what: `check constraint "${c.name}" of "${t}"`, name: c.name, namespace: `constraint ${t}` });
  return names;
}

/** `table` with every identifier it declares or refers to passed through `rename`. */
export function renameIdentifiers(table: Table, rename: (name: string) => string): Table {
  const list = (names: string[]) => names.map(rename);
  const qualified = (name: string) => {
    const parts = splitQualified(name);
    return qualify(parts.namespace === undefined ? undefined : rename(parts.namespace), rename(parts.name));
  };
  const out: Table = {
    ...table,
    name: qualified(table.name),
    columns: table.columns.map((c) => (c.enumName === undefined ? { ...c, name: rename(c.name) } : { ...c, name: rename(c.name), enumName: qualified(c.enumName) })),
  };
  if (table.primaryKey) {
    out.primaryKey = { ...table.primaryKey, columns: list(table.primaryKey.columns) };
    if (table.primaryKey.name !== undefined) out.primaryKey.name = rename(table.primaryKey.name);
  }
  if (table.uniques) out.uniques = table.uniques.map((u) => ({ ...u, name: rename(u.name), columns: list(u.columns) }));
  if (table.indexes) out.indexes = table.indexes.map((i) => ({ ...i, name: rename(i.name), columns: list(i.columns) }));
  if (table.foreignKeys) {
    out.foreignKeys = table.foreignKeys.map((f) => ({
      ...f,
      name: rename(f.name),
      columns: list(f.columns),
      referencedTable: qualified(f.referencedTable),
      referencedColumns: list(f.referencedColumns),
    }));
  }
  if (table.checks) out.checks = table.checks.map((c) => ({ ...c, name: rename(c.name) }));
  return out;
}
