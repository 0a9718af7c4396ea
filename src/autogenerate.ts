/**
 * The autogenerate pipeline, shared by `revision --autogenerate`, `check`,
 * the programmatic API and the tests: introspect the live database, read the
 * entity metadata into the same model, compare.
 */
import { compare } from "./compare";
import { opTable } from "./compare/plan";
import type { DataSource } from "typeorm";
import type { Diff, Finding, RenameCandidate, RenameResolver, Step } from "./compare/types";
import type { Dialect, IdentifierLimit, IntrospectOptions } from "./dialects/dialect";
import { PortableWriter } from "./emit/portable";
import { schemaFromMetadata, tableMetadatas, type TruncatedName } from "./model";
import { declaredUniquesOf, portableIndexOf } from "./model/portable";
import type { Connection } from "./runner/connection";
import type { Schema } from "./schema/types";

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
  /**
   * Write columns in the portable vocabulary wherever the entities allow (what
   * a revision file gets); `check` leaves it off and reports dialect terms.
   */
  portable?: boolean;
  /** Compare against this schema instead of the live database (an empty one: a baseline that builds everything). */
  current?: Schema;
}

/** The ops that take the database behind `connection` to its DataSource's entities. */
export async function diffDatabaseWithModels(connection: Connection, dialect: Dialect, options: DiffOptions): Promise<Diff> {
  const truncated: TruncatedName[] = [];
  const target = schemaFromMetadata(connection.dataSource, dialect, {
    includeTable: options.includeTable,
    onTruncatedName: (name) => truncated.push(name),
  });
  const modelled = new Set(target.tables.map((t) => t.name));
  const foreign = options.foreignTables ?? new Set<string>();
  const includeTable = (name: string) => options.includeTable(name) && (!foreign.has(name) || modelled.has(name));
  const current = options.current ?? (await dialect.introspect(connection.db, { includeTable, onQuery: options.onQuery }));
  const diff = await compare(current, target, {
    dialect: dialect.comparer,
    resolveRename: options.resolveRename,
    // A declared name is matched as the server stores it, like the models' names.
    declaredRenames: options.declaredRenames?.map((r) => ({
      ...r,
      ...(r.table === undefined ? {} : { table: dialect.storedName(r.table) }),
      from: dialect.storedName(r.from),
      to: dialect.storedName(r.to),
    })),
  });
  const limit = dialect.identifierLimit;
  const concurrent = dialect.concurrentIndexes ? concurrently(diff, concurrentIndexNames(connection.dataSource)) : diff;
  const noted = limit ? { ...concurrent, findings: [...concurrent.findings, ...truncated.map((name) => truncatedNameFinding(name, limit))] } : concurrent;
  if (!options.portable || noted.upgrade.length === 0) return noted;
  // Ops are written in the portable vocabulary wherever the entities allow, so one file serves every dialect.
  const resolver = await dialect.portableResolver(connection.db, connection.dataSource.options);
  const uniques = declaredUniquesOf(connection.dataSource);
  return new PortableWriter(portableIndexOf(connection.dataSource, target, resolver), resolver, dialect.name, uniques).diff(noted);
}

/** Indexes declared `@Index({ concurrent: true })`. */
function concurrentIndexNames(dataSource: DataSource): Set<string> {
  return new Set(tableMetadatas(dataSource).flatMap((m) => m.indices.filter((i) => i.isConcurrent).map((i) => i.name)));
}

/**
 * Indexes added to existing tables that the entities declare concurrent are
 * built CONCURRENTLY, as TypeORM builds them; that cannot run in a
 * transaction, so the revision as a whole runs without one, and says so.
 * (An index created with its table is built with it: nothing reads the table yet.)
 */
function concurrently(diff: Diff, names: ReadonlySet<string>): Diff {
  let count = 0;
  const upgrade = diff.upgrade.map((step) => {
    if (step.op.kind !== "createIndex" || !names.has(step.op.index.name)) return step;
    count++;
    return { ...step, op: { ...step.op, concurrently: true } };
  });
  if (count === 0) return diff;
  const message = `${count} index${count === 1 ? " is" : "es are"} built CONCURRENTLY (@Index({ concurrent: true })), which cannot run inside a transaction, so this revision runs without one (transactional = false)`;
  return {
    ...diff,
    upgrade,
    findings: [
      ...diff.findings,
      { kind: "non-transactional", message, review: [`REVIEW ${message}: if a statement fails, those before it stay applied.`] },
    ],
  };
}

/** Whether a revision of these steps must be written `transactional = false`. */
export function needsNoTransaction(steps: readonly Step[]): boolean {
  return steps.some((s) => s.op.kind === "createIndex" && s.op.concurrently === true);
}

/** The server will store an entity's name shortened: compared as stored, and said so. */
function truncatedNameFinding(name: TruncatedName, limit: IdentifierLimit): Finding {
  const rule = `${limit.server} keeps the first ${limit.max} ${limit.unit} of a name`;
  return {
    kind: "name-truncated",
    message: `${name.what} (entity ${name.entity}) is stored as "${name.stored}": ${rule}`,
    table: name.table,
    review: [`REVIEW: ${name.what} (entity ${name.entity}) is stored as "${name.stored}": ${rule}; a shorter name in the entity keeps the two alike.`],
  };
}

/**
 * REVIEW lines for the top of the file: findings that no step already
 * carries above its call. A shortened name is a standing fact about the
 * models, noted only in a revision that touches its table.
 */
export function globalNotes(diff: Diff): string[] {
  const onSteps = new Set(diff.upgrade.flatMap((s) => s.review ?? []));
  const touched = new Set(diff.upgrade.map((s) => opTable(s.op)));
  return diff.findings
    .filter((f) => !f.review.every((line) => onSteps.has(line)))
    .filter((f) => f.kind !== "name-truncated" || touched.has(f.table))
    .flatMap((f) => f.review);
}
