import type { Step } from "../../src/compare/types";
import { PortableWriter } from "../../src/emit/portable";
import type { DeclaredUniques } from "../../src/model/portable";
import type { PortableResolver } from "../../src/ops/portable";

// MySQL stores a unique constraint as a unique index, so its comparer sees an index renamed where
// PostgreSQL and SQLite have an index dropped and a constraint created: the file must say the latter.
describe("PortableWriter: an index renamed into a declared unique constraint", () => {
  const uniques: DeclaredUniques = new Map([["accounts", [{ name: "UQ_t_h", columns: ["tenant", "handle"], indexName: "UQ_t_h" }]]]);
  const writer = new PortableWriter(new Map(), {} as PortableResolver, "mysql", uniques);
  const rename = (from: string, to: string): Step => ({
    op: { kind: "renameIndex", table: "accounts", from, to },
    detected: `Detected renamed index '${from}' to '${to}'`,
    reasons: [],
  });

  it("drops the index and creates the constraint (upgrade), drops the constraint and creates the index (downgrade)", () => {
    const diff = writer.diff({ upgrade: [rename("IDX_t_h", "UQ_t_h")], downgrade: [rename("UQ_t_h", "IDX_t_h")], findings: [] });
    const index = { name: "IDX_t_h", columns: ["tenant", "handle"], unique: true };
    expect(diff.upgrade.map((s) => s.op)).toEqual([
      { kind: "dropIndex", table: "accounts", name: "IDX_t_h", existing: index },
      { kind: "createUnique", table: "accounts", unique: { name: "UQ_t_h", columns: ["tenant", "handle"] } },
    ]);
    expect(diff.downgrade.map((s) => s.op)).toEqual([
      { kind: "dropUnique", table: "accounts", name: "UQ_t_h", existing: { name: "UQ_t_h", columns: ["tenant", "handle"] } },
      { kind: "createIndex", table: "accounts", index },
    ]);
    expect(diff.upgrade.every((s) => s.dialects === undefined)).toBe(true);
  });

  it("keeps a rename between two plain indexes", () => {
    const diff = writer.diff({ upgrade: [rename("IDX_a", "IDX_b")], downgrade: [rename("IDX_b", "IDX_a")], findings: [] });
    expect(diff.upgrade.map((s) => s.op.kind)).toEqual(["renameIndex"]);
    expect(diff.downgrade.map((s) => s.op.kind)).toEqual(["renameIndex"]);
  });
});

describe("PortableWriter: a column's portable form", () => {
  it("is found for an enum column whose values array another realm made (the comparer's equality, not the prototype's)", async () => {
    const { getDialect } = await import("../../src/dialects");
    const { runInNewContext } = await import("node:vm");
    const resolver = await getDialect("sqlite").portableResolver(undefined as never, undefined);
    // An entity hint that does not render as the column (NOT NULL there): the form comes from the candidates.
    const hint = { name: "grade", type: "Enum" as const, nullable: false, default: "c", enumValues: ["a", "c", "e"], enumName: "items_grade_enum" };
    const writer = new PortableWriter(new Map([["items", new Map([["grade", hint]])]]), resolver, "sqlite");
    const values = runInNewContext(`["a", "c", "e"]`) as string[];
    expect(writer.column("items", { name: "grade", type: "varchar", nullable: true, default: "'c'", enumValues: values })).toEqual({ ...hint, nullable: true });
  });
});
