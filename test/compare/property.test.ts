import fc from "fast-check";
import { applyOps } from "../../src/compare/apply";
import { compare } from "../../src/compare/compare";
import { type ComparerDialect, genericComparerDialect } from "../../src/compare/dialect";
import type { Column, EnumType, ForeignKey, Index, Schema, Table, Unique } from "../../src/schema/types";
import { normalize } from "./fixtures";

const TABLES = ["a", "b", "c", "d"];
const COLUMNS = ["c1", "c2", "c3", "c4"];
const TYPES: Array<Pick<Column, "type" | "length">> = [
  { type: "integer" },
  { type: "bigint" },
  { type: "varchar", length: 32 },
  { type: "varchar", length: 64 },
  { type: "text" },
];
const ENUMS = ["mood", "size"];
const CHECKS = ["c1 IS NOT NULL", "id > 0"];

const columnSpec = fc.record({
  type: fc.nat({ max: TYPES.length - 1 }),
  nullable: fc.boolean(),
  default: fc.option(fc.constantFrom("0", "'x'"), { nil: undefined }),
});

const tableSpec = fc.record({
  present: fc.boolean(),
  columns: fc.array(fc.option(columnSpec, { nil: undefined }), { minLength: COLUMNS.length, maxLength: COLUMNS.length }),
  primaryKey: fc.boolean(),
  enumColumns: fc.subarray(ENUMS),
  indexes: fc.array(fc.record({ n: fc.nat({ max: 2 }), columns: fc.subarray(COLUMNS, { minLength: 1 }), unique: fc.boolean() }), { maxLength: 2 }),
  uniques: fc.array(fc.record({ n: fc.nat({ max: 2 }), columns: fc.subarray(COLUMNS, { minLength: 1 }) }), { maxLength: 2 }),
  foreignKey: fc.option(fc.record({ target: fc.constantFrom(...TABLES), onDelete: fc.constantFrom("NO ACTION" as const, "CASCADE" as const) }), { nil: undefined }),
  checks: fc.subarray([0, 1]),
});

type TableSpec = typeof tableSpec extends fc.Arbitrary<infer T> ? T : never;

function buildTable(name: string, spec: TableSpec, tableNames: string[], enums: EnumType[]): Table {
  const columns: Column[] = [{ name: "id", type: "integer", nullable: false }];
  spec.columns.forEach((c, i) => {
    if (!c) return;
    const column: Column = { name: COLUMNS[i], ...TYPES[c.type], nullable: c.nullable };
    if (c.default !== undefined) column.default = c.default;
    columns.push(column);
  });
  for (const e of enums.filter((en) => spec.enumColumns.includes(en.name))) {
    columns.push({ name: `e_${e.name}`, type: "enum", enumName: e.name, enumValues: [...e.values], nullable: true });
  }
  const has = (cols: string[]) => cols.every((c) => columns.some((col) => col.name === c));
  const table: Table = { name, columns };
  if (spec.primaryKey) table.primaryKey = { columns: ["id"] };
  const indexes = new Map<string, Index>();
  for (const i of spec.indexes.filter((x) => has(x.columns))) {
    indexes.set(`IDX_${name}_${i.n}`, { name: `IDX_${name}_${i.n}`, columns: i.columns, ...(i.unique ? { unique: true } : {}) });
  }
  if (indexes.size) table.indexes = [...indexes.values()].sort((x, y) => (x.name < y.name ? -1 : 1));
  const uniques = new Map<string, Unique>();
  for (const u of spec.uniques.filter((x) => has(x.columns))) uniques.set(`UQ_${name}_${u.n}`, { name: `UQ_${name}_${u.n}`, columns: u.columns });
  if (uniques.size) table.uniques = [...uniques.values()].sort((x, y) => (x.name < y.name ? -1 : 1));
  const fk = spec.foreignKey;
  if (fk && tableNames.includes(fk.target) && has(["c1"])) {
    const foreignKey: ForeignKey = { name: `FK_${name}_${fk.target}`, columns: ["c1"], referencedTable: fk.target, referencedColumns: ["id"], onDelete: fk.onDelete, onUpdate: "NO ACTION" };
    table.foreignKeys = [foreignKey];
  }
  if (spec.checks.length) table.checks = spec.checks.map((i) => ({ name: `CHK_${name}_${i}`, expression: CHECKS[i] }));
  return table;
}

function schemaArbitrary(withEnums: boolean): fc.Arbitrary<Schema> {
  const enumsArb = withEnums
    ? fc.array(fc.option(fc.shuffledSubarray(["x", "y", "z"], { minLength: 1 }), { nil: undefined }), { minLength: ENUMS.length, maxLength: ENUMS.length })
    : fc.constant([] as Array<string[] | undefined>);
  return fc
    .record({
      enums: enumsArb,
      tables: fc.array(tableSpec, { minLength: TABLES.length, maxLength: TABLES.length }),
    })
    .map(({ enums, tables }) => {
      const enumTypes: EnumType[] = [];
      enums.forEach((values, i) => values && enumTypes.push({ name: ENUMS[i], values }));
      const names = TABLES.filter((_, i) => tables[i].present);
      return {
        enums: enumTypes,
        tables: names.map((name) => buildTable(name, tables[TABLES.indexOf(name)], names, enumTypes)),
      };
    });
}

const dialects: Array<[string, ComparerDialect, boolean]> = [
  ["enum types, foreign keys split out", genericComparerDialect, true],
  ["no enum types, forward references", { ...genericComparerDialect, supportsEnumTypes: false, createTableAcceptsForwardReferences: true }, false],
];

describe.each(dialects)("property: %s", (_label, dialect, withEnums) => {
  const arb = schemaArbitrary(withEnums);

  it("upgrade turns A into B and downgrade turns it back into A", async () => {
    await fc.assert(
      fc.asyncProperty(arb, arb, fc.boolean(), async (a, b, acceptRenames) => {
        const d = await compare(a, b, { dialect, resolveRename: () => acceptRenames });
        const upgraded = applyOps(a, d.upgrade.map((s) => s.op));
        expect(normalize(upgraded)).toEqual(normalize(b));
        const downgraded = applyOps(upgraded, d.downgrade.map((s) => s.op));
        expect(normalize(downgraded)).toEqual(normalize(a));
      }),
      { numRuns: 400 },
    );
  });

  it("diff(A, A) is empty", async () => {
    await fc.assert(
      fc.asyncProperty(arb, async (a) => {
        const d = await compare(a, a, { dialect, resolveRename: () => true });
        expect(d.upgrade).toEqual([]);
        expect(d.findings).toEqual([]);
      }),
      { numRuns: 200 },
    );
  });

  it("after applying the upgrade, a new diff against B is empty (convergence)", async () => {
    await fc.assert(
      fc.asyncProperty(arb, arb, async (a, b) => {
        const d = await compare(a, b, { dialect, resolveRename: () => true });
        const again = await compare(applyOps(a, d.upgrade.map((s) => s.op)), b, { dialect, resolveRename: () => true });
        expect(again.upgrade).toEqual([]);
      }),
      { numRuns: 200 },
    );
  });
});
