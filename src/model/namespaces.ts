import type { DataSource, EntityMetadata } from "typeorm";
import { namespaceOf, qualify } from "../schema/qualified";
import { tableMetadatas, viewMetadatas } from "./metadata";
import { ddlProfileOf } from "./profile";
import { UnsupportedModelError } from "./columns";
import type { DdlProfile } from "./profile";

const DIALECT_NAMES: Readonly<Record<DdlProfile["family"], string>> = {
  postgres: "PostgreSQL",
  mysql: "MySQL/MariaDB",
  sqlite: "SQLite",
};

/**
 * The namespace TypeORM leaves out of the SQL it writes: the search path's
 * schema (`escapePath` qualifies any other, including a DataSource-level
 * `schema` option that differs from it). Known once connected; before that,
 * the DataSource's `schema` option stands in for it.
 */
function defaultNamespace(dataSource: DataSource, option: "schema" | "database"): string | undefined {
  const driver = dataSource.driver as unknown as { searchSchema?: string; database?: string; options: { schema?: string } };
  return option === "database" ? driver.database : (driver.searchSchema ?? driver.options.schema);
}

/**
 * The entity's table as the model names it (`schema.table` outside the
 * default schema, where the dialect manages schemas), and why the entity is
 * refused when it names a namespace the dialect's tables cannot live in (the
 * name is then the bare one, for the config's include/exclude patterns).
 */
export function tableNameOf(metadata: EntityMetadata, dataSource: DataSource, profile: DdlProfile): { name: string; refusal?: UnsupportedModelError } {
  let namespace: string | undefined;
  for (const option of ["schema", "database"] as const) {
    const value = metadata[option];
    const policy = profile.namespaces[option];
    if (!policy || !value || value === defaultNamespace(dataSource, option)) continue;
    if (policy === "refused") return { name: metadata.tableName, refusal: refusal(metadata, option, value, profile) };
    namespace = value;
  }
  return { name: qualify(namespace, metadata.tableName) };
}

/** `tableNameOf`, throwing the refusal. */
export function modelTableName(metadata: EntityMetadata, dataSource: DataSource, profile: DdlProfile): string {
  const { name, refusal } = tableNameOf(metadata, dataSource, profile);
  if (refusal) throw refusal;
  return name;
}

function refusal(metadata: EntityMetadata, option: "schema" | "database", value: string, profile: DdlProfile): UnsupportedModelError {
  const declared = `@Entity({ ${option}: ${JSON.stringify(value)} })`;
  const why =
    profile.family === "sqlite"
      ? "retort manages one SQLite database file, which has no other schema or attached database: remove the option"
      : `retort manages only the connection's own database on ${DIALECT_NAMES[profile.family]}: move the entity into it, or give that database a config of its own`;
  return new UnsupportedModelError(`Entity ${metadata.name}`, undefined, `it names ${option} "${value}" (${declared}), but ${why}`);
}

/**
 * The non-default namespaces in play, which the introspector reads besides
 * the default: those the entities' tables and views live in, and the DataSource's own
 * `schema` even when no entity is left there (a table moved out of it is
 * then seen as a move).
 */
export function modelNamespaces(dataSource: DataSource): string[] {
  const profile = ddlProfileOf(dataSource);
  const names = [...tableMetadatas(dataSource), ...viewMetadatas(dataSource)].map((m) => namespaceOf(tableNameOf(m, dataSource, profile).name));
  return [...new Set([...names.filter((n): n is string => n !== undefined), ...configuredNamespaces(dataSource)])].sort();
}

/**
 * The non-default namespaces the DataSource's options alone name (its own
 * `schema` when it differs from the search path's): known once connected,
 * before the entities load.
 */
export function configuredNamespaces(dataSource: DataSource): string[] {
  const own = dataSource.driver.options as { schema?: string };
  return ddlProfileOf(dataSource).namespaces.schema === "managed" && own.schema && own.schema !== defaultNamespace(dataSource, "schema") ? [own.schema] : [];
}
