import Module from "node:module";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import * as ts from "typescript";
import type { Step } from "../../src/compare/types";
import { createOpApi } from "../../src/ops/calls";
import type { Op, OpKind, OpOf } from "../../src/ops/types";

export interface LoadedRevision {
  revision: string;
  downRevision: string | string[] | null;
  branchLabels?: string[];
  dependsOn?: string[];
  transactional?: boolean;
  upgrade(ctx: { op: unknown }): Promise<void>;
  downgrade(ctx: { op: unknown }): Promise<void>;
}

/** Transpiles a generated revision like the runtime loader would and evaluates it as a CommonJS module. */
export function loadRevisionSource(source: string, filename = "/virtual/revision.ts"): LoadedRevision {
  const { outputText } = ts.transpileModule(source, {
    compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022 },
    fileName: filename,
  });
  const mod = new Module(filename);
  (mod as unknown as { _compile(code: string, file: string): void })._compile(outputText, filename);
  return mod.exports as LoadedRevision;
}

/** Runs `upgrade` or `downgrade` with a recording `op` API and returns the ops it made. */
export async function recordOps(revision: LoadedRevision, which: "upgrade" | "downgrade"): Promise<Op[]> {
  const recorded: Op[] = [];
  const op = createOpApi(async (o) => {
    recorded.push(o);
  });
  await revision[which]({ op });
  return recorded;
}

export function step(op: Op, extra: Partial<Step> = {}): Step {
  return { op, detected: `Detected ${op.kind}`, reasons: [], ...extra };
}

export function withTempDir<T>(body: (dir: string) => Promise<T>): Promise<T> {
  const dir = mkdtempSync(join(tmpdir(), "retort-emit-"));
  return body(dir).finally(() => rmSync(dir, { recursive: true, force: true }));
}

const usersTable = {
  name: "users",
  columns: [
    { name: "id", type: "integer", autoIncrement: true },
    { name: "email", type: "varchar", length: 255, collation: "C", comment: "login \"email\"" },
    { name: "price", type: "numeric", precision: 10, scale: 2, default: "0.00" },
    { name: "tags", type: "text", array: true, nullable: true },
    { name: "total", type: "integer", generated: { expression: "price * 2", stored: true } },
    { name: "status", type: "user_status", enumName: "user_status", enumValues: ["new", "active"] },
    { name: "uid", type: "bigint", identity: "BY DEFAULT" as const, unsigned: true, zerofill: true },
    { name: "updated", type: "timestamp", default: "CURRENT_TIMESTAMP", onUpdate: "CURRENT_TIMESTAMP", charset: "utf8mb4" },
  ],
  primaryKey: { name: "users_pkey", columns: ["id"] },
  uniques: [{ name: "uq_users_email", columns: ["email"], deferrable: "INITIALLY DEFERRED" as const }],
  indexes: [{ name: "ix_users_tags", columns: ["tags"], using: "gin", where: "tags IS NOT NULL" }],
  foreignKeys: [
    { name: "fk_users_org", columns: ["org_id"], referencedTable: "orgs", referencedColumns: ["id"], onDelete: "CASCADE" as const, onUpdate: "SET NULL" as const },
  ],
  checks: [{ name: "ck_price", expression: "price >= 0" }],
  comment: "People who log in",
  withoutRowid: false,
};

const tzColumn = { name: "tz", type: "varchar", length: 64, nullable: true };
const multilineSql = "UPDATE users\n   SET note = `x` || '${y}' || E'\\n'\r\n WHERE id > 0;";

/** At least one op of every kind (a missing kind is a compile error), with optional fields both present and absent. */
export const opSamples: { [K in OpKind]: Array<OpOf<K>> } = {
  createTable: [
    { kind: "createTable", table: usersTable },
    { kind: "createTable", table: { name: "bare", columns: [{ name: "id", type: "integer" }] } },
  ],
  dropTable: [
    { kind: "dropTable", table: "users", existing: usersTable },
    { kind: "dropTable", table: "bare" },
  ],
  renameTable: [{ kind: "renameTable", from: "people", to: "users" }],
  addColumn: [{ kind: "addColumn", table: "users", column: { name: "timezone", type: "varchar", length: 64, nullable: true } }],
  dropColumn: [
    { kind: "dropColumn", table: "users", column: "tz", existing: tzColumn },
    { kind: "dropColumn", table: "users", column: "tz" },
    { kind: "dropColumn", table: "users", column: "tz", online: true },
  ],
  renameColumn: [
    { kind: "renameColumn", table: "users", from: "tz", to: "timezone" },
    { kind: "renameColumn", table: "users", from: "tz", to: "timezone", online: true },
  ],
  fillNulls: [{ kind: "fillNulls", table: "users", column: "tz", value: "'UTC'" }],
  alterColumn: [
    {
      kind: "alterColumn",
      table: "users",
      column: "tz",
      changes: { length: 128, default: null, nullable: false },
      existing: tzColumn,
      using: '"tz"::varchar(128)',
    },
    { kind: "alterColumn", table: "users", column: "tz", changes: { comment: "zone" }, existing: tzColumn },
    { kind: "alterColumn", table: "users", column: "tz", changes: { type: "text" } },
  ],
  createIndex: [
    { kind: "createIndex", table: "users", index: { name: "ix_a", columns: ["a", "b"], unique: true, where: "a > 0" } },
    { kind: "createIndex", table: "posts", index: { name: "ft_body", columns: ["body"], fulltext: true } },
    { kind: "createIndex", table: "places", index: { name: "sp_geo", columns: ["geo"], spatial: true } },
  ],
  dropIndex: [
    { kind: "dropIndex", table: "users", name: "ix_a", existing: { name: "ix_a", columns: ["a"] } },
    { kind: "dropIndex", table: "users", name: "ix_a" },
    { kind: "dropIndex", table: "users", name: "ix_a", online: true },
  ],
  renameIndex: [{ kind: "renameIndex", table: "users", from: "ix_old", to: "ix_new" }],
  createUnique: [
    { kind: "createUnique", table: "users", unique: { name: "uq_a", columns: ["a", "b"] } },
    { kind: "createUnique", table: "users", unique: { name: "uq_a", columns: ["a", "b"] }, online: true },
  ],
  dropUnique: [
    { kind: "dropUnique", table: "users", name: "uq_a", existing: { name: "uq_a", columns: ["a"], deferrable: "INITIALLY IMMEDIATE" } },
    { kind: "dropUnique", table: "users", name: "uq_a" },
    { kind: "dropUnique", table: "users", name: "uq_a", existing: { name: "uq_a", columns: ["a"] }, online: true },
    { kind: "dropUnique", table: "users", name: "uq_a", online: true },
  ],
  createPrimaryKey: [
    { kind: "createPrimaryKey", table: "users", primaryKey: { name: "pk", columns: ["a", "b"] } },
    { kind: "createPrimaryKey", table: "users", primaryKey: { columns: ["a"] }, online: true },
  ],
  dropPrimaryKey: [
    { kind: "dropPrimaryKey", table: "users", name: "pk", existing: { name: "pk", columns: ["a"] } },
    { kind: "dropPrimaryKey", table: "users", name: "pk" },
    { kind: "dropPrimaryKey", table: "users" },
  ],
  createForeignKey: [
    {
      kind: "createForeignKey",
      table: "posts",
      foreignKey: { name: "fk_p_u", columns: ["user_id"], referencedTable: "users", referencedColumns: ["id"], onDelete: "SET DEFAULT", deferrable: "INITIALLY DEFERRED" },
    },
  ],
  dropForeignKey: [
    { kind: "dropForeignKey", table: "posts", name: "fk_p_u", existing: { name: "fk_p_u", columns: ["user_id"], referencedTable: "users", referencedColumns: ["id"] } },
    { kind: "dropForeignKey", table: "posts", name: "fk_p_u" },
  ],
  createCheck: [{ kind: "createCheck", table: "users", check: { name: "ck_len", expression: "char_length(\"name\") > 0 AND note <> 'a\\b'" } }],
  dropCheck: [
    { kind: "dropCheck", table: "users", name: "ck_len", existing: { name: "ck_len", expression: "x > 0" } },
    { kind: "dropCheck", table: "users", name: "ck_len" },
  ],
  createExclusion: [
    { kind: "createExclusion", table: "bookings", exclusion: { name: "XCL_b", expression: 'USING gist ("room" WITH =, "during" WITH &&)', deferrable: "INITIALLY DEFERRED" } },
  ],
  dropExclusion: [
    { kind: "dropExclusion", table: "bookings", name: "XCL_b", existing: { name: "XCL_b", expression: 'USING gist ("during" WITH &&)' } },
    { kind: "dropExclusion", table: "bookings", name: "XCL_b" },
  ],
  createEnum: [{ kind: "createEnum", name: "mood", values: ["sad", "it's ok", "happy \"!\""] }],
  alterEnum: [{ kind: "alterEnum", name: "mood", values: ["sad", "ok", "happy"], existing: ["sad", "happy"] }],
  dropEnum: [
    { kind: "dropEnum", name: "mood", existing: ["sad"] },
    { kind: "dropEnum", name: "mood" },
  ],
  createView: [
    { kind: "createView", view: { name: "big_orders", definition: "SELECT id, total\nFROM orders WHERE note <> 'it''s'" } },
    { kind: "createView", view: { name: "totals", definition: "SELECT 1 AS one", materialized: true } },
  ],
  dropView: [
    { kind: "dropView", name: "big_orders" },
    { kind: "dropView", name: "totals", materialized: true },
  ],
  execute: [
    { kind: "execute", sql: "CREATE EXTENSION IF NOT EXISTS citext" },
    { kind: "execute", sql: multilineSql, reverse: "SELECT 1" },
    { kind: "execute", sql: { postgres: ["SELECT 1", "SELECT\n  2"], mysql: "DO 0" }, reverse: { sqlite: "SELECT 3" } },
  ],
  bulkInsert: [
    {
      kind: "bulkInsert",
      table: "accounts",
      rows: [
        { id: 1, name: "Zoë \u2028 \"q\" \\ ${x}", balance: -0.5, zero: -0, big: null, "first name": "Ann", meta: { a: [1, "two", null] } },
        { id: 2, name: "multi\nline `tick`", balance: 1e21, at: new Date("2026-01-02T03:04:05.678Z") },
      ],
    },
  ],
};

export const allSampleOps: Op[] = (Object.values(opSamples) as Op[][]).flat();
