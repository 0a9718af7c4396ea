/**
 * What each op costs on PostgreSQL, by the documentation of the version in use:
 * the ALTER TABLE reference (lock levels per subcommand; which changes rewrite
 * the table and which only scan it) and "Explicit Locking" (what each lock
 * level blocks). See test/dialects/cost.test.ts for the cited cases.
 */
import type { Op, OpHandlers, OpOf } from "../../ops/types";
import type { Column } from "../../schema/types";
import { applyColumnChanges } from "../../ops/reverse";
import { atLeast, cappedCountSql, countedRows, metadataOnly, type CostContext, type OpCost, type TableRows } from "../cost";
import type { Queryable } from "../dialect";
import { quoteIdentifier } from "./quote";
import { canonicalColumn } from "./grammar";

/** Lock levels and what they block (Explicit Locking, Table 13.2 "Conflicting Lock Modes"). */
const ACCESS_EXCLUSIVE = { lock: "ACCESS EXCLUSIVE", blocksReads: true, blocksWrites: true };
const SHARE = { lock: "SHARE", blocksReads: false, blocksWrites: true };
const SHARE_ROW_EXCLUSIVE = { lock: "SHARE ROW EXCLUSIVE", blocksReads: false, blocksWrites: true };
const SHARE_UPDATE_EXCLUSIVE = { lock: "SHARE UPDATE EXCLUSIVE", blocksReads: false, blocksWrites: false };
const ROW_EXCLUSIVE = { lock: "ROW EXCLUSIVE", blocksReads: false, blocksWrites: false };

/** Functions whose value differs per row: a default calling one is evaluated for every existing row. */
const VOLATILE_FUNCTIONS = /\b(random|gen_random_uuid|uuid_generate_v[14]|uuid_generate_v1mc|clock_timestamp|timeofday|nextval|txid_current|setseed)\s*\(/i;

export function isVolatileDefault(expression: string | undefined): boolean {
  return expression !== undefined && VOLATILE_FUNCTIONS.test(expression);
}

function exclusive(table: string, notes: string[], extra: Partial<OpCost> = {}): OpCost {
  return metadataOnly(table, ACCESS_EXCLUSIVE.lock, notes, { ...ACCESS_EXCLUSIVE, ...extra });
}

/** Why adding `column` rewrites the table, or undefined when existing rows get its value from the catalog. */
function addColumnRewrite(column: Column, ctx: CostContext): string | undefined {
  if (column.generated?.stored) return "a stored generated column is computed for every row";
  if (column.autoIncrement) return "a serial column takes nextval() for every row";
  if (column.identity) return "an identity column takes a sequence value for every row";
  if (isVolatileDefault(column.default)) return `the volatile default ${column.default} is evaluated for every row`;
  if (column.default !== undefined && !atLeast(ctx.server, 11)) return "before PostgreSQL 11 a column with a default fills every row";
  return undefined;
}

const TEXT_FAMILY = new Set(["character varying", "text"]);

/**
 * Whether the type change is binary-coercible, so no rewrite (ALTER TABLE,
 * Notes: "if the USING clause does not change the column contents and the old
 * type is either binary coercible to the new type ..., a table rewrite is not
 * needed"): a longer or unlimited varchar, varchar to text, a numeric with
 * more precision and the same scale.
 */
function binaryCoercible(before: Column, after: Column): boolean {
  if (Boolean(before.array) !== Boolean(after.array) || before.enumName !== after.enumName) return false;
  if (before.type === after.type) {
    if (before.type === "numeric") {
      return before.scale === after.scale && (after.precision === undefined || (before.precision !== undefined && after.precision >= before.precision));
    }
    if (before.length === after.length) return before.precision === after.precision && before.scale === after.scale;
    return TEXT_FAMILY.has(after.type) && (after.length === undefined || (before.length !== undefined && after.length > before.length));
  }
  return TEXT_FAMILY.has(before.type) && after.type === "text";
}

const TYPE_KEYS = ["type", "length", "precision", "scale", "array", "enumName"] as const;

function alterColumn(op: OpOf<"alterColumn">, ctx: CostContext): OpCost {
  const keys = Object.keys(op.changes) as Array<keyof typeof op.changes>;
  const notes: string[] = [];
  let rewrite = false;
  let scan = false;
  const existing = op.existing ?? ctx.table?.columns.find((c) => c.name === op.column);
  if (TYPE_KEYS.some((k) => keys.includes(k)) || keys.includes("collation")) {
    if (!existing) {
      rewrite = true;
      notes.push("type change (rewrite unless binary-coercible; the column before is unknown)");
    } else {
      const before = canonicalColumn(existing);
      const after = canonicalColumn(applyColumnChanges(existing, op.changes));
      const typeChanged = TYPE_KEYS.some((k) => JSON.stringify(before[k]) !== JSON.stringify(after[k]));
      if (typeChanged && (op.using !== undefined || !binaryCoercible(before, after))) {
        rewrite = true;
        notes.push("SET DATA TYPE rewrites the table and its indexes");
      } else if (typeChanged) {
        notes.push("binary-coercible type change: no rewrite");
      }
      if (before.collation !== after.collation) notes.push("a new collation rebuilds the column's indexes");
    }
  }
  if (op.changes.generated?.stored) {
    rewrite = true;
    notes.push("a stored generated column is computed for every row");
  }
  if (op.changes.nullable === false) {
    scan = true;
    notes.push(
      atLeast(ctx.server, 12)
        ? "SET NOT NULL scans the table (skipped when a validated CHECK (col IS NOT NULL) exists)"
        : "SET NOT NULL scans the table",
    );
  }
  const onlyComment = keys.every((k) => k === "comment");
  if (onlyComment) return metadataOnly(op.table, SHARE_UPDATE_EXCLUSIVE.lock, ["COMMENT ON"], SHARE_UPDATE_EXCLUSIVE);
  if (!rewrite && !scan && notes.length === 0) notes.push("catalog only");
  return exclusive(op.table, notes, { rewrite, scan });
}

function createIndex(op: OpOf<"createIndex">, ctx: CostContext): OpCost {
  if (op.concurrently) {
    return metadataOnly(op.table, SHARE_UPDATE_EXCLUSIVE.lock, ["CREATE INDEX CONCURRENTLY scans the table twice; writes go on"], {
      ...SHARE_UPDATE_EXCLUSIVE,
      scan: true,
      transaction: { inTransaction: "refused", rule: "CREATE INDEX CONCURRENTLY cannot run inside a transaction block" },
    });
  }
  const notes = ["CREATE INDEX scans the table; writes wait until it is built"];
  if (ctx.transactional) notes.push("CONCURRENTLY would let writes go on (needs transactional = false)");
  return metadataOnly(op.table, SHARE.lock, notes, { ...SHARE, scan: true });
}

/**
 * Safe mode's UNIQUE / PRIMARY KEY (CREATE UNIQUE INDEX CONCURRENTLY, then
 * ADD CONSTRAINT ... USING INDEX): the build holds SHARE UPDATE EXCLUSIVE
 * (writes go on), the attach ACCESS EXCLUSIVE for a catalog change only.
 */
function builtConcurrently(table: string, what: string): OpCost {
  return metadataOnly(table, SHARE_UPDATE_EXCLUSIVE.lock, [`CREATE UNIQUE INDEX CONCURRENTLY scans the table twice; writes go on; ${what} USING INDEX then takes ACCESS EXCLUSIVE for an instant`], {
    ...SHARE_UPDATE_EXCLUSIVE,
    scan: true,
    transaction: { inTransaction: "refused", rule: "CREATE INDEX CONCURRENTLY cannot run inside a transaction block" },
  });
}

/**
 * Safe mode's foreign key or check (ADD ... NOT VALID, then VALIDATE
 * CONSTRAINT): VALIDATE scans under SHARE UPDATE EXCLUSIVE, so writes go on;
 * each statement must commit on its own (the revision is non-transactional).
 */
function validatedSeparately(table: string, notes: string[], extra: Partial<OpCost> = {}): OpCost {
  return metadataOnly(table, SHARE_UPDATE_EXCLUSIVE.lock, notes, { ...SHARE_UPDATE_EXCLUSIVE, scan: true, ...extra });
}

function foreignKey(op: OpOf<"createForeignKey">): OpCost {
  const others = op.foreignKey.referencedTable === op.table ? [] : [op.foreignKey.referencedTable];
  if (op.online) return validatedSeparately(op.table, ["ADD FOREIGN KEY NOT VALID, then VALIDATE scans the table while writes go on"], { alsoLocks: others });
  return metadataOnly(op.table, SHARE_ROW_EXCLUSIVE.lock, ["ADD FOREIGN KEY scans the table to validate it (NOT VALID + VALIDATE avoids the long lock)"], {
    ...SHARE_ROW_EXCLUSIVE,
    scan: true,
    alsoLocks: others,
  });
}

function alterEnum(op: OpOf<"alterEnum">, ctx: CostContext): OpCost {
  const kept = op.values.filter((v) => op.existing.includes(v));
  const onlyAdded = !op.recreate && kept.length === op.existing.length && kept.every((v, i) => v === op.existing[i]);
  if (!onlyAdded) {
    return metadataOnly(undefined, ACCESS_EXCLUSIVE.lock, [`recreating type ${op.name} rewrites every table with a column of it`], {
      ...ACCESS_EXCLUSIVE,
      rewrite: true,
    });
  }
  const rule = atLeast(ctx.server, 12)
    ? "ALTER TYPE ... ADD VALUE: the new value cannot be used until the transaction has committed"
    : "ALTER TYPE ... ADD VALUE cannot run inside a transaction block before PostgreSQL 12";
  return metadataOnly(undefined, undefined, ["ADD VALUE: catalog only"], {
    transaction: { inTransaction: atLeast(ctx.server, 12) ? "restricted" : "refused", rule },
  });
}

const handlers: OpHandlers<OpCost, CostContext> = {
  createTable: (op) =>
    metadataOnly(op.table.name, undefined, ["new table"], {
      alsoLocks: (op.table.foreignKeys ?? []).map((f) => f.referencedTable).filter((t) => t !== op.table.name),
    }),
  dropTable: (op) => exclusive(op.table, ["DROP TABLE"]),
  renameTable: (op) => exclusive(op.from, ["RENAME: catalog only"]),
  addColumn: (op, ctx) => {
    const why = addColumnRewrite(op.column, ctx);
    return exclusive(op.table, [why ? `ADD COLUMN rewrites the table: ${why}` : "ADD COLUMN: catalog only"], { rewrite: why !== undefined });
  },
  dropColumn: (op) => exclusive(op.table, ["DROP COLUMN: catalog only (space is reclaimed by later rewrites)"]),
  renameColumn: (op) => exclusive(op.table, ["RENAME COLUMN: catalog only"]),
  alterColumn,
  fillNulls: (op) =>
    metadataOnly(op.table, ROW_EXCLUSIVE.lock, ["UPDATE scans the table and locks the rows it changes"], { ...ROW_EXCLUSIVE, scan: true }),
  createIndex,
  dropIndex: (op) => exclusive(op.table, ["DROP INDEX (CONCURRENTLY would not block reads)"]),
  renameIndex: (op, ctx) =>
    atLeast(ctx.server, 12)
      ? metadataOnly(op.table, SHARE_UPDATE_EXCLUSIVE.lock, ["ALTER INDEX RENAME: catalog only"], SHARE_UPDATE_EXCLUSIVE)
      : exclusive(op.table, ["ALTER INDEX RENAME: catalog only"]),
  createUnique: (op) => op.online ? builtConcurrently(op.table, "ADD UNIQUE") : exclusive(op.table, ["ADD UNIQUE builds its index, scanning the table (CREATE UNIQUE INDEX CONCURRENTLY + USING INDEX avoids it)"], { scan: true }),
  dropUnique: (op) => exclusive(op.table, ["DROP CONSTRAINT"]),
  createPrimaryKey: (op) => op.online ? builtConcurrently(op.table, "ADD PRIMARY KEY") : exclusive(op.table, ["ADD PRIMARY KEY builds its index, scanning the table"], { scan: true }),
  dropPrimaryKey: (op) => exclusive(op.table, ["DROP CONSTRAINT"]),
  createForeignKey: foreignKey,
  dropForeignKey: (op) => exclusive(op.table, ["DROP CONSTRAINT"]),
  createCheck: (op) => op.online ? validatedSeparately(op.table, ["ADD CHECK NOT VALID, then VALIDATE scans the table while writes go on"]) : exclusive(op.table, ["ADD CHECK scans the table to validate it (NOT VALID + VALIDATE avoids the long lock)"], { scan: true }),
  dropCheck: (op) => exclusive(op.table, ["DROP CONSTRAINT"]),
  // ALTER TABLE ... ADD table_constraint other than a foreign key: ACCESS EXCLUSIVE; EXCLUDE builds its index over every row.
  createExclusion: (op) => exclusive(op.table, ["ADD EXCLUDE builds its index, scanning the table"], { scan: true }),
  dropExclusion: (op) => exclusive(op.table, ["DROP CONSTRAINT"]),
  createEnum: () => metadataOnly(undefined, undefined, ["CREATE TYPE"]),
  alterEnum,
  dropEnum: () => metadataOnly(undefined, undefined, ["DROP TYPE"]),
  createView: (op) =>
    metadataOnly(undefined, undefined, [op.view.materialized ? "CREATE MATERIALIZED VIEW runs its query once, reading the tables it selects from" : "CREATE VIEW: catalog only"]),
  dropView: () => metadataOnly(undefined, undefined, ["DROP VIEW: catalog only"]),
  execute: () => metadataOnly(undefined, undefined, ["raw SQL: not analysed"], { known: false }),
  bulkInsert: (op) => metadataOnly(op.table, ROW_EXCLUSIVE.lock, ["INSERT"], ROW_EXCLUSIVE),
};

export function classify(op: Op, ctx: CostContext): OpCost {
  return (handlers[op.kind] as (o: Op, c: CostContext) => OpCost)(op, ctx);
}

/**
 * Live row counts: `pg_class.reltuples` (the planner's estimate) where
 * ANALYZE or VACUUM has set it, else a capped count for tables of a few
 * megabytes (reltuples is -1 before the first ANALYZE since PostgreSQL 14, 0 before).
 */
export async function tableRows(db: Queryable, tables: readonly string[]): Promise<Map<string, TableRows>> {
  const result = new Map<string, TableRows>();
  if (tables.length === 0) return result;
  const rows = await db.query<{ name: string; estimate: number | string; bytes: number | string }>(
    `SELECT c.relname AS name, c.reltuples AS estimate, pg_relation_size(c.oid) AS bytes
       FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'p') AND c.relname = ANY($1)`,
    [[...tables]],
  );
  for (const row of rows) {
    const estimate = Number(row.estimate);
    const bytes = Number(row.bytes);
    if (estimate > 0) result.set(row.name, { rows: Math.round(estimate), estimated: true });
    else if (bytes === 0) result.set(row.name, { rows: 0, estimated: false });
    else if (bytes <= SMALL_TABLE_BYTES) result.set(row.name, countedRows((await db.query<{ n: unknown }>(cappedCountSql(quoteIdentifier(row.name))))[0]?.n));
  }
  return result;
}

/** Counting a table this small is cheap. */
const SMALL_TABLE_BYTES = 64 * 1024 * 1024;
