import { postgresDialect } from "../../src/dialects/postgres";
import { opCalls } from "../../src/ops/calls";
import type { OpOf } from "../../src/ops/types";
import { col, diff, idCol, ops, schema, table } from "./fixtures";

const status = (values: string[], dflt?: string) =>
  col("status", "enum", { enumName: "status", enumValues: values, nullable: false, ...(dflt ? { default: dflt } : {}) });

describe("an enum value added and used as a default in the same revision", () => {
  it("recreates the type (PostgreSQL refuses a value added by ADD VALUE in the same transaction)", async () => {
    const d = await diff(
      schema([table("t", [idCol(), status(["draft", "live"], "'draft'")])], [{ name: "status", values: ["draft", "live"] }]),
      schema([table("t", [idCol(), status(["pending", "draft", "live"], "'pending'")])], [{ name: "status", values: ["pending", "draft", "live"] }]),
    );
    expect(ops(d)[0]).toEqual({ kind: "alterEnum", name: "status", values: ["pending", "draft", "live"], existing: ["draft", "live"], recreate: true });
    expect(ops(d)[1]).toMatchObject({ kind: "alterColumn", changes: { default: "'pending'" } });
    // The downgrade removes the value: a rebuild anyway, no flag needed.
    expect(d.downgrade.map((s) => s.op).find((o) => o.kind === "alterEnum")).toEqual({
      kind: "alterEnum",
      name: "status",
      values: ["draft", "live"],
      existing: ["pending", "draft", "live"],
    });
  });

  it("keeps ADD VALUE when no default uses the new value", async () => {
    const d = await diff(
      schema([table("t", [idCol(), status(["draft"], "'draft'")])], [{ name: "status", values: ["draft"] }]),
      schema([table("t", [idCol(), status(["draft", "live"], "'draft'")])], [{ name: "status", values: ["draft", "live"] }]),
    );
    expect(ops(d)).toEqual([{ kind: "alterEnum", name: "status", values: ["draft", "live"], existing: ["draft"] }]);
  });

  it("round-trips through the op call and renders a rebuild on PostgreSQL", async () => {
    const op: OpOf<"alterEnum"> = { kind: "alterEnum", name: "status", values: ["draft", "live"], existing: ["draft"], recreate: true };
    const args = opCalls.alterEnum.toArgs(op);
    expect(args).toEqual(["status", ["draft", "live"], { existing: ["draft"], recreate: true }]);
    expect((opCalls.alterEnum.fromArgs as (...a: unknown[]) => unknown)(...args)).toEqual(op);

    const sql = await postgresDialect.render(op);
    expect(sql[0]).toBe('ALTER TYPE "status" RENAME TO "status_old"');
    expect(sql[1]).toBe(`CREATE TYPE "status" AS ENUM ('draft', 'live')`);
    expect(sql[sql.length - 1]).toBe('DROP TYPE "status_old"');
    expect(await postgresDialect.render({ ...op, recreate: undefined })).toEqual([`ALTER TYPE "status" ADD VALUE 'live' AFTER 'draft'`]);
  });
});

describe("a column moved to another enum type (PostgreSQL)", () => {
  const existing = { name: "status", type: "enum", nullable: false, default: "'draft'", enumName: "post_status", enumValues: ["draft"] };

  it("converts through text, with the default dropped around the type change", async () => {
    expect(
      await postgresDialect.render({ kind: "alterColumn", table: "posts", column: "status", changes: { enumName: "publication_status" }, existing }),
    ).toEqual([
      'ALTER TABLE "posts" ALTER COLUMN "status" DROP DEFAULT',
      'ALTER TABLE "posts" ALTER COLUMN "status" TYPE "publication_status" USING "status"::text::"publication_status"',
      `ALTER TABLE "posts" ALTER COLUMN "status" SET DEFAULT 'draft'`,
    ]);
  });

  it("is created first and the old type dropped last", async () => {
    const status = (enumName: string) => col("status", "enum", { enumName, enumValues: ["draft"] });
    const d = await diff(
      schema([table("posts", [idCol(), status("post_status")])], [{ name: "post_status", values: ["draft"] }]),
      schema([table("posts", [idCol(), status("publication_status")])], [{ name: "publication_status", values: ["draft"] }]),
    );
    expect(d.upgrade.map((s) => s.op.kind)).toEqual(["createEnum", "alterColumn", "dropEnum"]);
    expect(d.downgrade.map((s) => s.op.kind)).toEqual(["createEnum", "alterColumn", "dropEnum"]);
  });
});

test("an integer column becoming an enum on PostgreSQL is cast through text (there is no integer-to-enum cast)", async () => {
  const existing = { name: "c2", type: "integer", nullable: false };
  const sql = await postgresDialect.render({
    kind: "alterColumn",
    table: "alpha",
    column: "c2",
    changes: { type: "enum", enumName: "alpha_c2_enum", enumValues: ["a", "c", "e"] },
    existing,
  });
  expect(sql).toContain('ALTER TABLE "alpha" ALTER COLUMN "c2" TYPE "alpha_c2_enum" USING "c2"::text::"alpha_c2_enum"');
});
