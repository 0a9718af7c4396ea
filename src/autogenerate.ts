/**
 * The autogenerate pipeline, shared by `revision --autogenerate`, `check`,
 * the programmatic API and the tests: introspect the live database, read the
 * entity metadata into the same model, compare.
 */
import { compare } from "./compare";
import type { Diff, RenameCandidate, RenameResolver } from "./compare/types";
import type { Dialect, IntrospectOptions } from "./dialects/dialect";
import { PortableWriter } from "./emit/portable";
import { schemaFromMetadata } from "./model";
import { portableIndexOf } from "./model/portable";
import type { Connection } from "./runner/connection";

export interface DiffOptions {
  /** Tables autogenerate manages (config include/exclude; never the version table). */
  includeTable: (name: string) => boolean;
  resolveRename: RenameResolver;
  /** `--rename` declarations: applied whatever the shapes of the two sides (see CompareOptions). */
  declaredRenames?: readonly RenameCandidate[];
  /** Counts catalog queries (benchmark). */
  onQuery?: IntrospectOptions["onQuery"];
  /**
   * Write columns in the portable vocabulary wherever the entities allow (what
   * a revision file gets); `check` leaves it off and reports dialect terms.
   */
  portable?: boolean;
}

/** The ops that take the database behind `connection` to its DataSource's entities. */
export async function diffDatabaseWithModels(connection: Connection, dialect: Dialect, options: DiffOptions): Promise<Diff> {
  const current = await dialect.introspect(connection.db, { includeTable: options.includeTable, onQuery: options.onQuery });
  const target = schemaFromMetadata(connection.dataSource, dialect, { includeTable: options.includeTable });
  const diff = await compare(current, target, {
    dialect: dialect.comparer,
    resolveRename: options.resolveRename,
    declaredRenames: options.declaredRenames,
  });
  if (!options.portable || diff.upgrade.length === 0) return diff;
  // Ops are written in the portable vocabulary wherever the entities allow, so one file serves every dialect.
  const resolver = await dialect.portableResolver(connection.db, connection.dataSource.options.type);
  return new PortableWriter(portableIndexOf(connection.dataSource, target, resolver), resolver, dialect.name).diff(diff);
}

/** REVIEW lines for the top of the file: findings that no step already carries above its call. */
export function globalNotes(diff: Diff): string[] {
  const onSteps = new Set(diff.upgrade.flatMap((s) => s.review ?? []));
  return diff.findings.filter((f) => !f.review.every((line) => onSteps.has(line))).flatMap((f) => f.review);
}
