/**
 * The autogenerate fixture harness. A case is a folder under
 * test/autogen/fixtures/ with a `case.ts` describing two entity sets (v1, v2)
 * and optional seed rows. For each dialect it supports, the harness:
 *
 *  1. autogenerates v1 on an empty database and upgrades (our own DDL, not TypeORM's sync);
 *  2. asserts autogenerate on v1 is now empty (convergence);
 *  3. seeds rows, snapshots the schema;
 *  4. autogenerates v2, checks the emitted ops/REVIEW comments, upgrades;
 *  5. asserts autogenerate on v2 is empty (convergence) and the rows survived;
 *  6. builds v2 fresh in a second database and compares the two schemas the
 *     way `check` compares: an evolved database and a fresh one must be
 *     indistinguishable (catches a change that was only flagged, never applied);
 *  7. downgrades one revision and asserts the schema equals the v1 snapshot.
 */
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DataSource, type DataSourceOptions, type EntitySchema, type NamingStrategyInterface } from "typeorm";
import { diffDatabaseWithModels, globalNotes } from "../../src/autogenerate";
import { compare } from "../../src/compare";
import type { Diff, RenameCandidate } from "../../src/compare/types";
import { getDialect } from "../../src/dialects";
import { writeRevisionFile } from "../../src/emit";
import type { DialectName, OpKind } from "../../src/ops/types";
import { ScriptDirectory } from "../../src/revisions/script";
import { appliedRevisions } from "../../src/runner/stated";
import { connect, type Connection } from "../../src/runner/connection";
import { Runner } from "../../src/runner/runner";
import { modelNamespaces } from "../../src/model";
import type { Schema } from "../../src/schema/types";
import { createTestDatabase, type TestDatabase } from "../support/databases";

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Entities = Array<EntitySchema<any> | (new () => unknown)>;

export interface AutogenCase {
  /** Entities before and after; a function when spellings differ per dialect. */
  v1: Entities | ((dialect: DialectName) => Entities);
  v2: Entities | ((dialect: DialectName) => Entities);
  /** Dialects the case runs on (default all three). */
  dialects?: DialectName[];
  /** Hand-written SQL run after v1 is upgraded and seeded: what no entity can declare (e.g. a DESC index). */
  sqlAfterV1?: (dialect: DialectName) => string[];
  /** Rows inserted after v1 (table -> rows). */
  seed?: Record<string, Array<Record<string, unknown>>>;
  /** Rows inserted after the v2 upgrade, before `expectRows` is checked (e.g. without their generated key, to see where a sequence continues). */
  insertAfterUpgrade?: Record<string, Array<Record<string, unknown>>>;
  /** After v2, these rows must be there (table -> rows, compared on the listed keys, as strings). Default: every seeded table still has its row count. */
  expectRows?: Record<string, Array<Record<string, unknown>>>;
  /** The rows of `expectRows` must also be there after the downgrade (their listed keys only). */
  rowsSurviveDowngrade?: boolean;
  /** After the downgrade, these rows must be there instead (a change the downgrade undoes in the rows too, e.g. a renamed enum value). */
  expectRowsAfterDowngrade?: Record<string, Array<Record<string, unknown>>>;
  /** False when v2 legitimately loses seeded data (a dropped column or table). Default true. */
  keepsData?: boolean;
  /** Renames to declare, as `--rename` would (`table.old=table.new`, `old=new`). */
  renames?: string[];
  /** Op kinds that must appear in the v2 upgrade (e.g. alterColumn rather than drop + add); a function when they differ per dialect. */
  expectOps?: OpKind[] | ((dialect: DialectName) => OpKind[]);
  /** Op kinds that must NOT appear in the v2 upgrade. */
  forbidOps?: OpKind[] | ((dialect: DialectName) => OpKind[]);
  /** Whether the v2 upgrade must carry a `REVIEW` comment (destructive change, rename candidate...); a function when it differs per dialect. */
  expectReview?: boolean | RegExp | ((dialect: DialectName) => boolean | RegExp | undefined);
  /** Exact number of steps of these kinds in the v2 upgrade (e.g. one alterColumn among many columns). */
  expectOpCounts?: Partial<Record<OpKind, number>>;
  /** The v2 diff's findings (REVIEW lines, also when there is no op) must match. */
  expectFindings?: RegExp;
  /** v2 describes the same schema in other words: autogenerate must say "No changes detected" (nothing to upgrade or downgrade). */
  expectNoChanges?: boolean;
  /** A custom naming strategy for both versions' DataSource. */
  namingStrategy?: NamingStrategyInterface;
  /** The downgrade re-adds a dropped column that was not the last one: ADD COLUMN appends it, so compare columns by name (on every dialect, or on those listed). */
  columnOrderMayChange?: boolean | DialectName[];
  /**
   * A known gap (listed in README "Known limits"): on these dialects the
   * evolved database still differs from a fresh build of v2; the harness
   * asserts it does, so fixing the gap makes the case say so.
   */
  evolvedDiffersFromFresh?: { dialects: DialectName[]; reason: string };
}

const VERSION_TABLE = "retort_version";
export const managed = (name: string) => name !== VERSION_TABLE && name !== `${VERSION_TABLE}_history` && name !== "typeorm_metadata";

export function entitiesFor(spec: AutogenCase["v1"], dialect: DialectName): Entities {
  return typeof spec === "function" ? spec(dialect) : spec;
}

function opKindsFor(spec: AutogenCase["expectOps"], dialect: DialectName): OpKind[] {
  return typeof spec === "function" ? spec(dialect) : (spec ?? []);
}

function parseRenames(specs: string[] = []): RenameCandidate[] {
  return specs.map((s) => {
    if (s.startsWith("enum:")) {
      const [from, to] = s.slice("enum:".length).split("=");
      return { kind: "enumValue", from, to };
    }
    const [from, to] = s.split("=");
    if (from.includes(".")) {
      const [table, a] = from.split(".");
      return { kind: "column", table, from: a, to: to.split(".")[1] };
    }
    return { kind: "table", from, to };
  });
}

function renameResolver(specs: string[] = []) {
  const declared = parseRenames(specs);
  return (c: RenameCandidate) =>
    declared.some((d) => d.kind === c.kind && d.from === c.from && d.to === c.to && (d.kind !== "column" || d.table === c.table));
}

export async function open(db: TestDatabase, entities: Entities, namingStrategy?: NamingStrategyInterface): Promise<Connection> {
  const options = { ...db.options, entities, synchronize: false, logging: false, ...(namingStrategy ? { namingStrategy } : {}) } as DataSourceOptions;
  return connect(new DataSource(options));
}

/** The live schema, with the schemas the connection's entities name (PostgreSQL). */
export async function introspect(conn: Connection, dialect: DialectName): Promise<Schema> {
  return getDialect(dialect).introspect(conn.db, { includeTable: managed, namespaces: modelNamespaces(conn.dataSource) });
}

export function describeDiff(diff: Diff): string {
  return diff.upgrade.map((s) => `${s.detected}${s.reasons.length ? ` (${s.reasons.join("; ")})` : ""}`).join("\n");
}

/** Autogenerates a revision for `conn`'s entities on top of `head`; returns the diff and the written file. */
export async function autogenerate(
  conn: Connection,
  dialect: DialectName,
  dir: string,
  message: string,
  head: string | null,
  renames?: string[],
): Promise<{ diff: Diff; path?: string; revision?: string }> {
  const diff = await diffDatabaseWithModels(conn, getDialect(dialect), {
    includeTable: managed,
    resolveRename: renameResolver(renames),
    declaredRenames: parseRenames(renames),
    portable: true,
    applied: () => (head === null ? [] : appliedRevisions(new ScriptDirectory(dir), [head])),
  });
  if (diff.upgrade.length === 0) return { diff };
  const revision = `${message.replace(/[^a-z0-9]/gi, "").slice(0, 4).padEnd(4, "x")}${Math.random().toString(16).slice(2, 10)}`;
  const path = await writeRevisionFile(dir, "{rev}_{slug}", {
    revision,
    downRevision: head,
    message,
    createdAt: new Date(),
    upgrade: diff.upgrade,
    downgrade: diff.downgrade,
    notes: globalNotes(diff),
  });
  return { diff, path, revision };
}

export async function migrate(conn: Connection, dialect: DialectName, dir: string, target: string, direction: "up" | "down"): Promise<void> {
  const scripts = new ScriptDirectory(dir);
  const runner = new Runner(conn, getDialect(dialect), scripts, { versionTable: VERSION_TABLE, transactionMode: "per-revision", log: () => undefined });
  await runner.migrate((heads) => (direction === "up" ? scripts.graph.planUpgrade(heads, target) : scripts.graph.planDowngrade(heads, target)));
}

export async function seed(conn: Connection, dialect: DialectName, rows: AutogenCase["seed"]): Promise<void> {
  for (const [table, list] of Object.entries(rows ?? {})) {
    for (const sql of await getDialect(dialect).render({ kind: "bulkInsert", table, rows: list }, conn.db)) await conn.db.query(sql);
  }
}

function normalizeValue(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  if (value instanceof Date) return value.toISOString();
  if (typeof value === "boolean") return value ? "1" : "0";
  const text = String(value);
  // Decimal columns come back as "12.50" on one dialect and 12.5 on another.
  return /^-?\d+\.\d+$/.test(text) ? String(Number(text)) : text === "true" ? "1" : text === "false" ? "0" : text;
}

export async function assertRows(conn: Connection, dialect: DialectName, testCase: AutogenCase): Promise<void> {
  // Seeded tables may be schema-qualified (`billing.invoices`).
  const quote = (n: string) =>
    n
      .split(".")
      .map((part) => getDialect(dialect).quoteIdentifier(part))
      .join(".");
  const expected =
    testCase.expectRows ??
    Object.fromEntries(Object.entries(testCase.seed ?? {}).map(([table, rows]) => [table, rows.map(() => ({}))]));
  for (const [table, rows] of Object.entries(expected)) {
    const actual = await conn.db.query<Record<string, unknown>>(`SELECT * FROM ${quote(table)}`);
    expect(actual).toHaveLength(rows.length);
    const keys = Object.keys(rows[0] ?? {});
    if (keys.length === 0) continue;
    const project = (r: Record<string, unknown>) => keys.map((k) => normalizeValue(r[k]));
    const sortKey = (values: Array<string | null>) => JSON.stringify(values);
    expect(actual.map(project).map(sortKey).sort()).toEqual(rows.map(project).map(sortKey).sort());
  }
}

function columnsByName(schema: Schema): Schema {
  const byName = (a: { name: string }, b: { name: string }) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
  return { ...schema, tables: schema.tables.map((t) => ({ ...t, columns: [...t.columns].sort(byName) })) };
}

/**
 * Builds `entities` from nothing in a second, empty database (autogenerate +
 * upgrade, our own DDL) and returns what `check` would report between the
 * evolved schema `evolved` and that fresh one.
 */
export async function diffWithFreshBuild(
  evolved: Schema,
  entities: Entities,
  dialect: DialectName,
  namingStrategy?: NamingStrategyInterface,
): Promise<string> {
  const db = await createTestDatabase(dialect);
  const dir = mkdtempSync(join(tmpdir(), "retort-fresh-"));
  try {
    const conn = await open(db, entities, namingStrategy);
    try {
      await autogenerate(conn, dialect, dir, "fresh", null);
      await migrate(conn, dialect, dir, "heads", "up");
      const fresh = await introspect(conn, dialect);
      return describeDiff(await compare(evolved, fresh, { dialect: getDialect(dialect).comparer, resolveRename: () => false }));
    } finally {
      await conn.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
    await db.drop();
  }
}

/** Runs one fixture case on one dialect against a fresh test database. */
export async function runCase(testCase: AutogenCase, dialect: DialectName, db: TestDatabase): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), "retort-autogen-"));
  try {
    // v1: generate from empty, apply, converge.
    let conn = await open(db, entitiesFor(testCase.v1, dialect), testCase.namingStrategy);
    let v1Revision: string;
    try {
      const first = await autogenerate(conn, dialect, dir, "v1", null);
      expect(first.path).toBeDefined();
      v1Revision = first.revision!;
      await migrate(conn, dialect, dir, "heads", "up");
      const again = await diffDatabaseWithModels(conn, getDialect(dialect), { includeTable: managed, resolveRename: () => false });
      expect(describeDiff(again)).toBe("");
      await seed(conn, dialect, testCase.seed);
      for (const sql of testCase.sqlAfterV1?.(dialect) ?? []) await conn.db.query(sql);
    } finally {
      await conn.close();
    }

    // v2: generate, inspect the file, apply, converge, rows kept.
    conn = await open(db, entitiesFor(testCase.v2, dialect), testCase.namingStrategy);
    try {
      const snapshotV1 = await introspect(conn, dialect);
      const second = await autogenerate(conn, dialect, dir, "v2", v1Revision, testCase.renames);
      if (testCase.expectFindings) expect(second.diff.findings.flatMap((f) => f.review).join("\n")).toMatch(testCase.expectFindings);
      if (testCase.expectNoChanges) {
        expect(describeDiff(second.diff)).toBe("");
        expect(second.path).toBeUndefined();
        await assertRows(conn, dialect, testCase);
        expect(await diffWithFreshBuild(snapshotV1, entitiesFor(testCase.v2, dialect), dialect, testCase.namingStrategy)).toBe("");
        return;
      }
      expect(second.path).toBeDefined();
      const kinds = second.diff.upgrade.map((s) => s.op.kind);
      for (const kind of opKindsFor(testCase.expectOps, dialect)) expect(kinds).toContain(kind);
      for (const kind of opKindsFor(testCase.forbidOps, dialect)) expect(kinds).not.toContain(kind);
      for (const [kind, count] of Object.entries(testCase.expectOpCounts ?? {})) expect(`${kind} x${kinds.filter((k) => k === kind).length}`).toBe(`${kind} x${count}`);
      // REVIEW expectations concern the upgrade; a downgrade that narrows back is flagged on its own.
      // The line naming the dialects a file targets (op.only) is not a REVIEW about the change itself.
      const source = readFileSync(second.path!, "utf8")
        .split("export async function downgrade")[0]
        .replace(/^\s*\/\/ REVIEW this revision targets .*$/m, "");
      const expectReview = typeof testCase.expectReview === "function" ? testCase.expectReview(dialect) : testCase.expectReview;
      if (expectReview instanceof RegExp) expect(source).toMatch(expectReview);
      else if (expectReview === true) expect(source).toContain("REVIEW");
      else if (expectReview === false) expect(source).not.toContain("REVIEW");

      await migrate(conn, dialect, dir, "heads", "up");
      const again = await diffDatabaseWithModels(conn, getDialect(dialect), { includeTable: managed, resolveRename: () => false });
      expect(describeDiff(again)).toBe("");
      await seed(conn, dialect, testCase.insertAfterUpgrade);
      if (testCase.keepsData !== false) await assertRows(conn, dialect, testCase);

      // The evolved database equals a fresh build of v2.
      const gap = testCase.evolvedDiffersFromFresh?.dialects.includes(dialect);
      const fromFresh = await diffWithFreshBuild(await introspect(conn, dialect), entitiesFor(testCase.v2, dialect), dialect, testCase.namingStrategy);
      if (gap) expect(fromFresh).not.toBe("");
      else expect(fromFresh).toBe("");

      // Round trip: downgrade -1 restores v1 exactly.
      await migrate(conn, dialect, dir, v1Revision, "down");
      const restored = await introspect(conn, dialect);
      const orderMayChange = Array.isArray(testCase.columnOrderMayChange) ? testCase.columnOrderMayChange.includes(dialect) : testCase.columnOrderMayChange;
      if (orderMayChange) expect(columnsByName(restored)).toEqual(columnsByName(snapshotV1));
      else expect(restored).toEqual(snapshotV1);
      if (testCase.rowsSurviveDowngrade) await assertRows(conn, dialect, testCase);
      if (testCase.expectRowsAfterDowngrade) await assertRows(conn, dialect, { ...testCase, expectRows: testCase.expectRowsAfterDowngrade });
    } finally {
      await conn.close();
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
