/**
 * The autogenerate pipeline, shared by `revision --autogenerate`, `check`,
 * the programmatic API and the tests: introspect the live database, read the
 * entity metadata into the same model, compare.
 */
import { isDeepStrictEqual } from "node:util";
import { compare } from "./compare";
import { opTable } from "./compare/plan";
import type { Diff, Finding, RenameCandidate, RenameResolver, Step } from "./compare/types";
import type { CatalogSnapshot, Dialect, IdentifierLimit, IntrospectOptions } from "./dialects/dialect";
import { portableComparer } from "./dialects";
import { PortableWriter } from "./emit/portable";
import { configuredNamespaces, type TruncatedName } from "./model";
import { declaredModelOf, type DeclaredInheritance, type DeclaredModel, type DeclaredTree } from "./model/declared";
import { declaredUniquesOf, portableIndexOf, type DeclaredUnique, type DeclaredUniques } from "./model/portable";
import type { Revision } from "./revisions/script";
import { statedBy } from "./runner/stated";
import type { Connection } from "./runner/connection";
import { namespacesOf } from "./schema/qualified";
import type { Schema } from "./schema/types";
import { applySafeMode, runsOutsideTransaction } from "./safe";

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
  /** Safe mode: ops on existing tables in their online form (see src/safe.ts). */
  safe?: boolean;
  /**
   * The revisions applied to the database, in the order they ran: what the
   * entities no longer declare (a dropped column's definition, a unique
   * constraint the dialect stores as a unique index) is written as they
   * stated it (see src/runner/stated.ts).
   */
  applied?: () => ReadonlyArray<Revision>;
  /**
   * A catalog read started before the entities loaded (`startCatalogRead`):
   * used when it read no namespace the model does without (widened by those
   * the model adds), else the catalog is read again and its outcome, failure
   * included, is ignored.
   */
  early?: EarlyCatalogRead;
}

/** A catalog read under way, and the namespaces it reads. */
export interface EarlyCatalogRead {
  readonly namespaces: readonly string[];
  readonly snapshot: Promise<CatalogSnapshot>;
}

/**
 * Starts reading the catalog on `connection` before the entities load, so
 * that on a server the queries run while this process builds the model. The
 * namespaces are those the DataSource's options name (the model may add
 * more); the managed tables are chosen once the model is known, from the same
 * rows. Undefined where the dialect cannot read in the background (SQLite).
 */
export function startCatalogRead(connection: Connection, dialect: Dialect): EarlyCatalogRead | undefined {
  if (!dialect.snapshotCatalog) return undefined;
  const namespaces = configuredNamespaces(connection.dataSource);
  const snapshot = dialect.snapshotCatalog(connection.db, { namespaces });
  // Its failure is reported where the catalog is used, or not at all when it is not.
  snapshot.catch(() => undefined);
  return { namespaces, snapshot };
}

/**
 * The live schema: from the early read when it read no namespace the model
 * does without (the schemas the entities add are read now, alone), else read
 * now.
 */
async function liveSchema(connection: Connection, dialect: Dialect, options: IntrospectOptions & { namespaces: readonly string[] }, early?: EarlyCatalogRead): Promise<Schema> {
  const needed = options.namespaces;
  if (early && early.namespaces.every((n) => needed.includes(n))) {
    const snapshot = await early.snapshot;
    if (isDeepStrictEqual([...snapshot.namespaces].sort(), [...needed].sort())) return snapshot.schema(options.includeTable);
    if (snapshot.widen) return (await snapshot.widen(needed)).schema(options.includeTable);
  }
  // Queued behind an unused early read, on the same connection.
  return dialect.introspect(connection.db, options);
}

/** The ops that take the database behind `connection` to its DataSource's entities (its metadata built, or built here). */
export async function diffDatabaseWithModels(connection: Connection, dialect: Dialect, options: DiffOptions): Promise<Diff> {
  await connection.ensureMetadata();
  return diffDatabaseWithModel(declaredModelOf(connection.dataSource, dialect, options.includeTable), connection, dialect, options);
}

/**
 * The ops that take the database behind `connection` to `model` (the
 * entities' declared model, built now or read from the model cache). The
 * entity metadata is built only for what the model does not hold: writing
 * the ops of a revision file in the portable vocabulary.
 */
export async function diffDatabaseWithModel(model: DeclaredModel, connection: Connection, dialect: Dialect, options: DiffOptions): Promise<Diff> {
  const target = dialect.alignModel ? await dialect.alignModel(connection.db, model.schema) : model.schema;
  const modelled = new Set(target.tables.map((t) => t.name));
  const foreign = options.foreignTables ?? new Set<string>();
  const includeTable = (name: string) => options.includeTable(name) && (!foreign.has(name) || modelled.has(name));
  const namespaces = [...new Set([...namespacesOf(target), ...model.namespaces])].sort();
  const current = options.current ?? (await liveSchema(connection, dialect, { includeTable, namespaces, onQuery: options.onQuery }, options.early));
  const diff = await compare(current, target, {
    // A revision file runs on every dialect: its foreign keys make way for a change wherever one dialect needs it.
    dialect: options.portable ? portableComparer(dialect.comparer) : dialect.comparer,
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
  const concurrent = dialect.concurrentIndexes ? concurrently(diff, new Set(model.concurrentIndexes)) : diff;
  const shaped = options.safe ? applySafeMode(concurrent, dialect) : concurrent;
  const discriminators = await discriminatorFindings(model.inheritance, connection, dialect, current);
  const extra = [...(limit ? model.truncated.map((name) => truncatedNameFinding(name, limit)) : []), ...discriminators, ...treeFindings(model.trees, dialect, current)];
  const noted = extra.length > 0 ? { ...shaped, findings: [...shaped.findings, ...extra] } : shaped;
  if (!options.portable || noted.upgrade.length === 0) return noted;
  // Ops are written in the portable vocabulary wherever the entities allow, so one file serves every dialect.
  await connection.ensureMetadata();
  const resolver = await dialect.portableResolver(connection.db, connection.dataSource.options);
  const uniques = declaredUniquesOf(connection.dataSource);
  // What the entities no longer declare is written as the applied revisions stated it.
  const stated = options.applied ? await statedBy(options.applied(), dialect.name, resolver) : undefined;
  if (stated) mergeUniques(uniques, stated.uniques);
  const index = portableIndexOf(connection.dataSource, target, resolver);
  return new PortableWriter(index, resolver, dialect.name, uniques, stated?.columns).diff(noted);
}

/**
 * Single-table inheritance keeps each row's entity in a discriminator column.
 * A value no entity declares any more (a `@ChildEntity("card")` renamed to
 * "card_payment") changes no schema, yet TypeORM no longer loads those rows
 * as any entity: a REVIEW finding with the UPDATE that renames the value
 * (one DISTINCT query per single-table-inheritance table the database has).
 */
async function discriminatorFindings(inheritance: readonly DeclaredInheritance[], connection: Connection, dialect: Dialect, current: Schema): Promise<Finding[]> {
  const findings: Finding[] = [];
  for (const declaredTable of inheritance) {
    const { column, values: declared, childValues } = declaredTable;
    const table = dialect.storedName(declaredTable.table);
    if (!current.tables.some((t) => t.name === table && t.columns.some((c) => c.name === column))) continue;
    const q = dialect.quoteIdentifier;
    const rows = await connection.db.query<{ value: unknown }>(`SELECT DISTINCT ${q(column)} AS ${q("value")} FROM ${q(table)}`);
    const present = rows.map((r) => r.value).filter((v) => v !== null && v !== undefined).map(String);
    const unknown = present.filter((v) => !declared.includes(v)).sort();
    if (unknown.length === 0) continue;
    const unused = childValues.filter((v) => !present.includes(v));
    const list = declared.map((v) => dialect.quoteLiteral(v)).join(", ");
    const review = [
      `REVIEW rows of "${table}" have "${column}" ${unknown.map((v) => dialect.quoteLiteral(v)).join(", ")}, which no entity declares (declared: ${list}); TypeORM does not load them.`,
      "If a discriminator value was renamed, update the rows in this revision, e.g.:",
      ...unknown.map((v, i) => {
        const to = unknown.length === 1 && unused.length === 1 ? dialect.quoteLiteral(unused[0]) : `<new value ${i + 1}>`;
        return `  await op.execute(${JSON.stringify(`UPDATE ${q(table)} SET ${q(column)} = ${to} WHERE ${q(column)} = ${dialect.quoteLiteral(v)}`)});`;
      }),
    ];
    findings.push({ kind: "discriminator-values", table, message: `rows of "${table}" have discriminator values no entity declares: ${unknown.join(", ")}`, review });
  }
  return findings;
}

/**
 * An existing table that becomes a closure-table or materialized-path tree
 * gets empty bookkeeping (no closure rows, empty paths), which TypeORM's tree
 * queries rely on: a REVIEW finding with the SQL that makes each existing
 * row a root. A nested set's bounds depend on the tree's shape (and TypeORM
 * allows one root), so only the columns are named.
 */
function treeFindings(trees: readonly DeclaredTree[], dialect: Dialect, current: Schema): Finding[] {
  const q = dialect.quoteIdentifier;
  const findings: Finding[] = [];
  for (const tree of trees) {
    const table = current.tables.find((t) => t.name === dialect.storedName(tree.table));
    const id = tree.id;
    if (!table || !id) continue;
    const has = (column: string | undefined) => column !== undefined && table.columns.some((c) => c.name === column);
    const sql: string[] = [];
    const closure = tree.type === "closure-table" ? tree.closure : undefined;
    if (closure && !current.tables.some((t) => t.name === dialect.storedName(closure.table))) {
      sql.push(`INSERT INTO ${q(closure.table)} (${q(closure.ancestor)}, ${q(closure.descendant)}) SELECT ${q(id)}, ${q(id)} FROM ${q(table.name)}`);
    }
    const path = tree.materializedPath;
    if (tree.type === "materialized-path" && path && !has(path)) {
      sql.push(`UPDATE ${q(table.name)} SET ${q(path)} = ${dialect.concatSql(q(id), dialect.quoteLiteral("."))}`);
    }
    const left = tree.nestedSet?.left;
    const right = tree.nestedSet?.right;
    const nested = tree.type === "nested-set" && left && right && !has(left);
    if (sql.length === 0 && !nested) continue;
    const message = `"${table.name}" becomes a ${tree.type} tree: its existing rows get no tree bookkeeping, which TypeORM's tree queries read`;
    const review = [
      `REVIEW ${message}.`,
      ...(sql.length > 0
        ? ["Make each existing row a root in this revision (after the ops below create the columns and tables), e.g.:", ...sql.map((line) => `  await op.execute(${JSON.stringify(line)});`)]
        : [`Number "${left}"/"${right}" of the existing rows by hand (a nested set has one root).`]),
    ];
    findings.push({ kind: "tree-bookkeeping", table: table.name, message, review });
  }
  return findings;
}

/** Adds to the entities' uniques those `stated` holds beyond them (another index name or other columns). */
function mergeUniques(uniques: DeclaredUniques, stated: DeclaredUniques): void {
  for (const [table, found] of stated) {
    const known = uniques.get(table) ?? [];
    const held = (u: DeclaredUnique) => known.some((k) => k.indexName === u.indexName && isDeepStrictEqual(k.columns, u.columns));
    uniques.set(table, [...known, ...found.filter((u) => !held(u))]);
  }
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
export function needsNoTransaction(steps: readonly Step[], diff?: Diff): boolean {
  return steps.some((s) => s.op.kind === "createIndex" && s.op.concurrently === true) || (diff !== undefined && runsOutsideTransaction(diff));
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
