import type { Column } from "../schema/types";
import { ALTERABLE_PROPERTIES, type ColumnChanges } from "../ops/types";
import type { ComparerDialect } from "./dialect";
import { deepEqual } from "./similarity";

/** Column properties no op can change; a difference in them is reported, never altered. */
const UNALTERABLE: ReadonlyArray<keyof Column> = ["zerofill"];

/**
 * The properties of `to` that differ from `from`, as `alterColumn` changes
 * (`null` = the property is removed). With schema-level enum types the
 * values belong to the type and are compared there, not per column; a
 * column entering or leaving such a type gains or loses them here, so the
 * column after the change is the column the database will have.
 */
export function columnChanges(from: Column, to: Column, dialect: ComparerDialect): ColumnChanges {
  const changes: Record<string, unknown> = {};
  const enumTyped = dialect.supportsEnumTypes && from.enumName !== undefined && to.enumName !== undefined;
  for (const key of ALTERABLE_PROPERTIES) {
    if (key === "enumValues" && enumTyped) continue;
    if (deepEqual(from[key], to[key])) continue;
    changes[key] = to[key] === undefined ? null : to[key];
  }
  return changes as ColumnChanges;
}

/** The unalterable properties that differ, e.g. `enumName: mood -> feeling`. */
export function unalterableDifferences(from: Column, to: Column): string[] {
  return UNALTERABLE.filter((key) => !deepEqual(from[key], to[key])).map(
    (key) => `${key}: ${String(from[key] ?? "none")} -> ${String(to[key] ?? "none")}`,
  );
}
