/**
 * Table, view and type names outside the connection's default namespace (a
 * PostgreSQL schema other than the search path's) are written `schema.name`
 * in the model and in ops, the way TypeORM writes an entity's table path. A
 * name without a dot means the default namespace, so revision files written
 * before schemas were managed keep their meaning. TypeORM itself splits table
 * paths on the dot, so no entity's own table name can contain one.
 */

export interface QualifiedName {
  /** Undefined: the connection's default schema. */
  namespace?: string;
  name: string;
}

/** `billing.invoice` -> { namespace: "billing", name: "invoice" }; `invoice` -> { name: "invoice" }. */
export function splitQualified(qualified: string): QualifiedName {
  const dot = qualified.indexOf(".");
  if (dot <= 0 || dot === qualified.length - 1) return { name: qualified };
  return { namespace: qualified.slice(0, dot), name: qualified.slice(dot + 1) };
}

/** The name as the model writes it: qualified only outside the default namespace. */
export function qualify(namespace: string | undefined, name: string): string {
  return namespace ? `${namespace}.${name}` : name;
}

/** The namespace `qualified` lives in (undefined: the default). */
export function namespaceOf(qualified: string): string | undefined {
  return splitQualified(qualified).namespace;
}

/** `name` in the namespace of `sibling`: an index or a PostgreSQL enum type lives beside its table. */
export function besides(sibling: string, name: string): string {
  return qualify(namespaceOf(sibling), name);
}

/** The non-default namespaces a schema's tables, enum types and views live in, sorted. */
export function namespacesOf(schema: { tables: ReadonlyArray<{ name: string }>; enums?: ReadonlyArray<{ name: string }>; views?: ReadonlyArray<{ name: string }> }): string[] {
  const names = [...schema.tables, ...(schema.enums ?? []), ...(schema.views ?? [])].map((t) => namespaceOf(t.name));
  return [...new Set(names.filter((n): n is string => n !== undefined))].sort();
}
