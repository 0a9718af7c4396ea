/**
 * The autogenerate pipeline, shared by `revision --autogenerate`, `check`,
 * the programmatic API and the tests: introspect the live database, read the
 * entity metadata into the same model, compare.
 */
import { compare } from "./compare";
import type { Diff, RenameCandidate, RenameResolver } from "./compare/types";
import type { Dialect, IntrospectOptions } from "./dialects/dialect";
import { schemaFromMetadata } from "./model";
import type { Connection } from "./runner/connection";

export interface DiffOptions {
  /** Tables autogenerate manages (config include/exclude; never the version table). */
  includeTable: (name: string) => boolean;
  /** Tables another tool keeps (TypeORM's migrations table, ...): never compared unless an entity declares them. */
  foreignTables?: ReadonlySet<string>;
  resolveRename: RenameResolver;
  /** `--rename` declarations: applied whatever the shapes of the two sides (see CompareOptions). */
  declaredRenames?: readonly RenameCandidate[];
  /** Counts catalog queries (benchmark). */
  onQuery?: IntrospectOptions["onQuery"];
}

/** The ops that take the database behind `connection` to its DataSource's entities. */
export async function diffDatabaseWithModels(connection: Connection, dialect: Dialect, options: DiffOptions): Promise<Diff> {
  const target = schemaFromMetadata(connection.dataSource, dialect, { includeTable: options.includeTable });
  const modelled = new Set(target.tables.map((t) => t.name));
  const foreign = options.foreignTables ?? new Set<string>();
  const includeTable = (name: string) => options.includeTable(name) && (!foreign.has(name) || modelled.has(name));
  const current = await dialect.introspect(connection.db, { includeTable, onQuery: options.onQuery });
  return compare(current, target, {
    dialect: dialect.comparer,
    resolveRename: options.resolveRename,
    declaredRenames: options.declaredRenames,
  });
}

/** REVIEW lines for the top of the file: findings that no step already carries above its call. */
export function globalNotes(diff: Diff): string[] {
  const onSteps = new Set(diff.upgrade.flatMap((s) => s.review ?? []));
  return diff.findings.filter((f) => !f.review.every((line) => onSteps.has(line))).flatMap((f) => f.review);
}
