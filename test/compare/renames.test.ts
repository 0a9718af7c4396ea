import { applyOps } from "../../src/compare/apply";
import { parseRenames } from "../../src/cli/autogenerate";
import { compare, UnmatchedRenameError } from "../../src/compare/compare";
import { genericComparerDialect } from "../../src/compare/dialect";
import type { RenameCandidate } from "../../src/compare/types";
import type { Column, Table } from "../../src/schema/types";
import { col, diff, fixedResolver, idCol, kinds, normalize, ops, schema, table } from "./fixtures";

const tz = col("tz", "character varying", { length: 64 });
const timezone = col("timezone", "character varying", { length: 64 });

function users(...columns: Column[]): Table {
  return table("users", [idCol(), ...columns], { primaryKey: { name: "PK_users", columns: ["id"] } });
}

describe("column renames", () => {
  it("asks the resolver about a dropped and an added column of the same shape", async () => {
    const resolver = fixedResolver(() => true);
    const d = await diff(schema([users(tz)]), schema([users(timezone)]), { resolveRename: resolver });
    expect(resolver.asked).toEqual([{ kind: "column", table: "users", from: "tz", to: "timezone" }]);
    expect(ops(d)).toEqual([{ kind: "renameColumn", table: "users", from: "tz", to: "timezone" }]);
    expect(d.upgrade[0].detected).toBe("Detected renamed column 'users.tz' to 'users.timezone'");
    expect(d.downgrade.map((s) => s.op)).toEqual([{ kind: "renameColumn", table: "users", from: "timezone", to: "tz" }]);
    expect(d.findings).toEqual([]);
  });

  it("a declined rename is a drop and an add with the ready rename line on the add, and a finding", async () => {
    const d = await diff(schema([users(tz)]), schema([users(timezone)]), { resolveRename: () => false });
    expect(kinds(d)).toEqual(["addColumn", "dropColumn"]);
    const review = d.upgrade[0].review ?? [];
    expect(review[0]).toContain('"users.tz" was dropped and "users.timezone" added');
    expect(review).toContain('  await op.renameColumn("users", "tz", "timezone");');
    expect(d.findings.map((f) => f.kind)).toEqual(["rename-candidate", "destructive"]);
    expect(d.findings[0].message).toContain('"users.tz" -> "users.timezone"');
  });

  it("an accepted rename with another difference is renameColumn then alterColumn on the new name", async () => {
    const d = await diff(schema([users(tz)]), schema([users({ ...timezone, nullable: false })]), { resolveRename: () => true });
    expect(ops(d)).toEqual([
      { kind: "renameColumn", table: "users", from: "tz", to: "timezone" },
      { kind: "alterColumn", table: "users", column: "timezone", changes: { nullable: false }, existing: timezone },
    ]);
  });

  it("columns of different types are not candidates", async () => {
    const resolver = fixedResolver(() => true);
    const d = await diff(schema([users(col("a", "integer"))]), schema([users(col("b", "text"))]), { resolveRename: resolver });
    expect(resolver.asked).toEqual([]);
    expect(kinds(d)).toEqual(["addColumn", "dropColumn"]);
  });

  it("columns of the same type but different lengths are not candidates", async () => {
    const resolver = fixedResolver(() => true);
    await diff(schema([users(tz)]), schema([users({ ...timezone, length: 32 })]), { resolveRename: resolver });
    expect(resolver.asked).toEqual([]);
  });

  it("pairs each dropped column with at most one added column, best name match first", async () => {
    const resolver = fixedResolver(() => false);
    await diff(
      schema([users(col("first", "text"), col("last", "text"))]),
      schema([users(col("first_name", "text"), col("last_name", "text"), col("middle", "text"))]),
      { resolveRename: resolver },
    );
    // Dice similarity: first/first_name 8/13 beats last/last_name 6/11.
    expect(resolver.asked).toEqual([
      { kind: "column", table: "users", from: "first", to: "first_name" },
      { kind: "column", table: "users", from: "last", to: "last_name" },
    ]);
  });

  it("prefers the candidate with more equal properties over a closer name", async () => {
    const resolver = fixedResolver(() => true);
    const d = await diff(
      schema([users(col("old", "text", { nullable: false }))]),
      schema([users(col("older", "text"), col("renamed", "text", { nullable: false }))]),
      { resolveRename: resolver },
    );
    expect(resolver.asked).toEqual([{ kind: "column", table: "users", from: "old", to: "renamed" }]);
    expect(kinds(d)).toEqual(["renameColumn", "addColumn"]);
  });

  it("waits for an asynchronous resolver", async () => {
    const d = await diff(schema([users(tz)]), schema([users(timezone)]), {
      resolveRename: () => new Promise((resolve) => setTimeout(() => resolve(true), 5)),
    });
    expect(kinds(d)).toEqual(["renameColumn"]);
  });

  it("renaming an indexed column leaves the index alone", async () => {
    const before = { ...users(tz), indexes: [{ name: "IDX_tz", columns: ["tz"] }] };
    const after = { ...users(timezone), indexes: [{ name: "IDX_tz", columns: ["timezone"] }] };
    const d = await diff(schema([before]), schema([after]), { resolveRename: () => true });
    expect(kinds(d)).toEqual(["renameColumn"]);
  });

  it("renaming a referenced column keeps foreign keys pointing at it", async () => {
    const parent = (key: string) => table("parent", [{ name: key, type: "integer", nullable: false }], { primaryKey: { columns: [key] } });
    const child = (key: string) =>
      table("child", [idCol(), col("parent_id", "integer")], {
        foreignKeys: [{ name: "FK_c_p", columns: ["parent_id"], referencedTable: "parent", referencedColumns: [key], onDelete: "NO ACTION", onUpdate: "NO ACTION" }],
      });
    const d = await diff(schema([child("pid"), parent("pid")]), schema([child("key"), parent("key")]), { resolveRename: () => true });
    expect(kinds(d)).toEqual(["renameColumn"]);
  });
});

describe("table renames", () => {
  const customers = (name: string) =>
    table(name, [idCol(), col("email", "text")], { indexes: [{ name: "IDX_email", columns: ["email"] }] });

  it("a dropped and an added table with the same columns are a candidate; yes gives renameTable", async () => {
    const resolver = fixedResolver(() => true);
    const d = await diff(schema([customers("customer")]), schema([customers("clients")]), { resolveRename: resolver });
    expect(resolver.asked).toEqual([{ kind: "table", from: "customer", to: "clients" }]);
    expect(ops(d)).toEqual([{ kind: "renameTable", from: "customer", to: "clients" }]);
    expect(d.upgrade[0].detected).toBe("Detected renamed table 'customer' to 'clients'");
  });

  it("the rest of the difference between the renamed tables follows as steps on the new name", async () => {
    const target = { ...customers("clients"), columns: [...customers("clients").columns, col("phone", "text")] };
    const d = await diff(schema([customers("customer")]), schema([target]), { resolveRename: () => true });
    expect(ops(d)).toEqual([
      { kind: "renameTable", from: "customer", to: "clients" },
      { kind: "addColumn", table: "clients", column: col("phone", "text") },
    ]);
  });

  it("a constraint dropped from a renamed table is dropped under the old name, before the rename", async () => {
    const target = { ...customers("clients"), indexes: undefined };
    const d = await diff(schema([customers("customer")]), schema([target]), { resolveRename: () => true });
    expect(ops(d)).toEqual([
      { kind: "dropIndex", table: "customer", name: "IDX_email", existing: { name: "IDX_email", columns: ["email"] } },
      { kind: "renameTable", from: "customer", to: "clients" },
    ]);
    expect(normalize(applyOps(schema([customers("customer")]), ops(d)))).toEqual(normalize(schema([target])));
  });

  it("a declined table rename is createTable with the rename line, dropTable, and a finding", async () => {
    const d = await diff(schema([customers("customer")]), schema([customers("clients")]), { resolveRename: () => false });
    expect(kinds(d)).toEqual(["createTable", "dropTable"]);
    expect(d.upgrade[0].review).toContain('  await op.renameTable("customer", "clients");');
    expect(d.findings[0]).toMatchObject({ kind: "rename-candidate" });
  });

  it("tables with nothing in common are not candidates", async () => {
    const resolver = fixedResolver(() => true);
    await diff(schema([table("a", [col("x", "text")])]), schema([table("b", [col("y", "integer")])]), { resolveRename: resolver });
    expect(resolver.asked).toEqual([]);
  });

  it("a renamed table's references from other tables follow it", async () => {
    const child = (parent: string) =>
      table("orders", [idCol(), col("cid", "integer")], {
        foreignKeys: [{ name: "FK_o_c", columns: ["cid"], referencedTable: parent, referencedColumns: ["id"], onDelete: "NO ACTION", onUpdate: "NO ACTION" }],
      });
    const d = await diff(schema([child("customer"), customers("customer")]), schema([child("clients"), customers("clients")]), {
      resolveRename: () => true,
    });
    expect(kinds(d)).toEqual(["renameTable"]);
  });

  it("asks about table renames before column renames, and columns inside a renamed table too", async () => {
    const resolver = fixedResolver(() => true);
    const before = table("customer", [idCol(), col("email", "text"), col("mail2", "text")]);
    const after = table("clients", [idCol(), col("email", "text"), col("second_email", "text")]);
    const d = await diff(schema([before]), schema([after]), { resolveRename: resolver });
    expect(resolver.asked.map((c) => c.kind)).toEqual(["table", "column"]);
    expect(ops(d)).toEqual([
      { kind: "renameTable", from: "customer", to: "clients" },
      { kind: "renameColumn", table: "clients", from: "mail2", to: "second_email" },
    ]);
  });
});

describe("declared renames", () => {
  const declare = async (current: Table[], target: Table[], declaredRenames: RenameCandidate[], resolveRename = fixedResolver(() => false)) => {
    const d = await compare(schema(current), schema(target), { dialect: genericComparerDialect, resolveRename, declaredRenames });
    return { d, asked: resolveRename.asked };
  };

  it("a declared column rename applies across a type change: renameColumn then alterColumn, never asked", async () => {
    const narrow = col("nick", "character varying", { length: 32 });
    const wide = col("handle", "character varying", { length: 100 });
    const { d, asked } = await declare([users(narrow)], [users(wide)], [{ kind: "column", table: "users", from: "nick", to: "handle" }]);
    expect(asked).toEqual([]);
    expect(ops(d)).toEqual([
      { kind: "renameColumn", table: "users", from: "nick", to: "handle" },
      { kind: "alterColumn", table: "users", column: "handle", changes: { length: 100 }, existing: { ...narrow, name: "handle" } },
    ]);
    expect(d.findings).toEqual([]);
  });

  it("a declared table rename applies when the tables have little in common", async () => {
    const before = table("clients", [idCol(), col("a", "text")]);
    const after = table("customers", [idCol(), col("b", "integer"), col("c", "integer")]);
    const { d } = await declare([before], [after], [{ kind: "table", from: "clients", to: "customers" }]);
    expect(kinds(d)).toEqual(["renameTable", "addColumn", "addColumn", "dropColumn"]);
    expect(normalize(applyOps(schema([before]), ops(d)))).toEqual(normalize(schema([after])));
  });

  it("a declared rename that matches no dropped-and-added pair is an error naming it, never ignored", async () => {
    const cases: Array<[Table[], Table[], RenameCandidate, string]> = [
      [[users(tz)], [users(timezone)], { kind: "column", table: "users", from: "tzz", to: "timezone" }, 'the database has no column "users.tzz"'],
      [[users(tz)], [users(tz, timezone)], { kind: "column", table: "users", from: "tz", to: "timezone" }, 'the entities still have column "users.tz"'],
      [[users(tz)], [users(timezone)], { kind: "column", table: "users", from: "tz", to: "tmz" }, 'the entities have no column "users.tmz"'],
      [[users(tz, timezone)], [users(timezone)], { kind: "column", table: "users", from: "tz", to: "timezone" }, 'the database already has column "users.timezone"'],
      [[users(tz)], [users(timezone)], { kind: "column", table: "user", from: "tz", to: "timezone" }, 'the entities have no table "user"'],
      [[table("clients", [idCol()])], [table("customers", [idCol()])], { kind: "table", from: "client", to: "customers" }, 'the database has no table "client"'],
      [[table("clients", [idCol()])], [table("customers", [idCol()])], { kind: "table", from: "clients", to: "customer" }, 'the entities have no table "customer"'],
    ];
    for (const [current, target, rename, reason] of cases) {
      await expect(declare(current, target, [rename])).rejects.toThrow(UnmatchedRenameError);
      await expect(declare(current, target, [rename])).rejects.toThrow(`does not match a dropped and an added ${rename.kind}: ${reason}.`);
    }
  });
});

describe("enum value renames", () => {
  const status = (values: string[]) => ({ name: "status", values });
  const posts = table("posts", [idCol(), col("status", "status", { enumName: "status", enumValues: [] })]);
  const run = (before: string[], after: string[], declaredRenames: RenameCandidate[], accept = false) => {
    const resolveRename = fixedResolver(() => accept);
    const d = compare(schema([posts], [status(before)]), schema([posts], [status(after)]), { dialect: genericComparerDialect, resolveRename, declaredRenames });
    return { d, asked: resolveRename.asked };
  };

  it("a declared value rename is an alterEnum carrying it, not a removal, and nobody is asked", async () => {
    const { d, asked } = run(["draft", "live"], ["draft", "published"], [{ kind: "enumValue", from: "live", to: "published" }]);
    expect(ops(await d)).toEqual([{ kind: "alterEnum", name: "status", values: ["draft", "published"], existing: ["draft", "live"], renames: { live: "published" } }]);
    expect((await d).upgrade[0]!.destructive).toBeUndefined();
    expect((await d).upgrade[0]!.detected).toBe("Detected changed enum 'status': renamed value 'live' to 'published'");
    expect(asked).toEqual([]);
  });

  it("one value gone and one added is asked about; a yes renames, a no removes", async () => {
    const yes = run(["draft", "live"], ["draft", "published"], [], true);
    expect(ops(await yes.d)[0]).toMatchObject({ renames: { live: "published" } });
    expect(yes.asked).toEqual([{ kind: "enumValue", table: "status", from: "live", to: "published" }]);
    const no = run(["draft", "live"], ["draft", "published"], [], false);
    expect(ops(await no.d)[0]).not.toHaveProperty("renames");
    expect((await no.d).upgrade[0]!.destructive).toBe(true);
    expect((await no.d).upgrade[0]!.review!.join("\n")).toContain("--rename enum:live=published");
  });

  it("a declared value rename that fits no enum is an error naming it", async () => {
    await expect(run(["draft", "live"], ["draft", "published"], [{ kind: "enumValue", from: "lve", to: "published" }]).d).rejects.toThrow(
      "--rename enum:lve=published does not match a dropped and an added enum value: no enum has 'lve' in the database and 'published' in the entities instead.",
    );
  });
});

describe("--rename values", () => {
  it("enum:old=new declares an enum value rename; an empty side is refused", () => {
    expect(parseRenames(["enum:live=published", "users.tz=users.timezone"])).toEqual([
      { kind: "enumValue", from: "live", to: "published" },
      { kind: "column", table: "users", from: "tz", to: "timezone" },
    ]);
    expect(() => parseRenames(["enum:=published"])).toThrow("has an empty value; write enum:old=new.");
    expect(() => parseRenames(["enum:a=b", "enum:a=c"])).toThrow('names the old enum value "a" a second time');
  });
});
