/** Non-default PostgreSQL schemas: how the catalog queries name objects in them, and how DDL makes sure they exist. */
import { splitQualified } from "../../schema/qualified";
import { quoteIdentifier as q } from "./quote";

// The default schema (unless $2 is false: a read of more schemas beside an earlier one) and the ones the
// entities name ($1); names outside the default come back `schema.name`.
export const SCHEMA_FILTER = `n.nspname = ANY(CASE WHEN $2::boolean THEN array_prepend(current_schema()::text, $1::text[]) ELSE $1::text[] END)`;

export function qualifiedName(namespace: string, relation: string): string {
  return `CASE WHEN ${namespace}.nspname = current_schema() THEN ${relation}::text ELSE ${namespace}.nspname || '.' || ${relation} END`;
}

/**
 * A table or type in a named schema creates the schema when it is missing.
 * Nothing drops it again: a downgrade cannot tell a schema it created from one
 * that holds objects it knows nothing of, so an emptied schema stays.
 */
export function ensureSchema(name: string): string[] {
  const { namespace } = splitQualified(name);
  return namespace === undefined ? [] : [`CREATE SCHEMA IF NOT EXISTS ${q(namespace)}`];
}
