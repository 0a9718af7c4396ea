/**
 * The portable vocabulary without a database: the portable form read from an
 * entity on one dialect renders, on every dialect, exactly the column TypeORM
 * describes for the same entity there (what makes `check` clean after a file
 * generated elsewhere is applied).
 */
import { EntitySchema, type DataSourceOptions } from "typeorm";
import { getDialect } from "../../src/dialects";
import { buildMetadataOnly, schemaFromMetadata } from "../../src/model";
import { portableIndexOf } from "../../src/model/portable";
import { resolvePortableOp, type PortableColumn } from "../../src/ops/portable";
import type { DialectName } from "../../src/ops/types";

const everything = new EntitySchema({
  name: "thing",
  tableName: "things",
  columns: {
    id: { type: Number, primary: true, generated: "increment" },
    small: { type: "smallint", default: 3 },
    big: { type: "bigint", nullable: true },
    price: { type: "decimal", precision: 10, scale: 2, default: 1.25 },
    ratio: { type: "float", nullable: true },
    exact: { type: "double precision", nullable: true },
    flag: { type: Boolean, default: false },
    on: { type: "boolean", default: true },
    name: { type: String, length: 40, default: "it's" },
    anyName: { type: String },
    body: { type: "text", nullable: true },
    day: { type: "date", nullable: true },
    at: { type: "time", nullable: true },
    seen: { type: Date, nullable: true },
    ref: { type: "uuid", nullable: true },
    doc: { type: "json", nullable: true },
    meta: { type: "simple-json", nullable: true },
    tags: { type: "simple-array", nullable: true },
    state: { type: "simple-enum", enum: ["a", "b"], default: "a" },
    created: { type: Date, createDate: true },
    updated: { type: Date, updateDate: true },
    deleted: { type: Date, deleteDate: true },
    version: { type: Number, version: true },
  },
});
const keyed = new EntitySchema({
  name: "keyed",
  tableName: "keyed",
  columns: { id: { type: "uuid", primary: true, generated: "uuid" }, label: { type: String, nullable: true } },
});

const OPTIONS: Record<DialectName, DataSourceOptions> = {
  postgres: { type: "postgres" },
  mysql: { type: "mysql", database: "app" },
  sqlite: { type: "better-sqlite3", database: ":memory:" },
};
const DIALECTS: DialectName[] = ["sqlite", "postgres", "mysql"];

async function modelOn(dialect: DialectName) {
  const dataSource = await buildMetadataOnly({ ...OPTIONS[dialect], entities: [everything, keyed] } as DataSourceOptions);
  const target = schemaFromMetadata(dataSource, getDialect(dialect));
  const index = portableIndexOf(dataSource, target, await getDialect(dialect).portableResolver());
  return { target, index };
}

describe.each(DIALECTS)("portable columns read on %s", (from) => {
  test.each(DIALECTS)("render on %s as TypeORM describes the same entity there", async (to) => {
    const source = await modelOn(from);
    const there = await modelOn(to);
    const resolver = await getDialect(to).portableResolver();
    for (const table of there.target.tables) {
      const portable = source.index.get(table.name)!;
      // Every column of these entities has a portable form...
      expect([...portable.keys()].sort()).toEqual(table.columns.map((c) => c.name).sort());
      // ...and it renders as the target column on the other dialect.
      for (const column of table.columns) expect(resolver.column(portable.get(column.name)!)).toEqual(column);
    }
  });
});

test("portable defaults are values, not SQL, and a dialect spelling passes through", async () => {
  const { index } = await modelOn("sqlite");
  const things = index.get("things")!;
  expect(things.get("flag")).toEqual({ name: "flag", type: "Boolean", nullable: false, default: false });
  expect(things.get("name")).toEqual({ name: "name", type: "String", length: 40, nullable: false, default: "it's" });
  expect(things.get("created")).toEqual({ name: "created", type: "CreateDate", nullable: false });
  expect(index.get("keyed")!.get("id")).toEqual({ name: "id", type: "Uuid", nullable: false, default: { fn: "uuid" } });
  const resolver = await getDialect("postgres").portableResolver();
  const spelled = { kind: "addColumn", table: "t", column: { name: "c", type: "jsonb", nullable: true } } as const;
  expect(resolvePortableOp(spelled, resolver)).toEqual(spelled);
});

test("a portable alterColumn becomes this dialect's changes, or nothing where the types are one", async () => {
  const existing: PortableColumn = { name: "c", type: "Text", nullable: true };
  const mysql = await getDialect("mysql").portableResolver();
  const widened = resolvePortableOp(
    { kind: "alterColumn", table: "t", column: "c", changes: { type: "String", length: 80 }, existing: existing as never },
    mysql,
  );
  expect(widened).toMatchObject({ changes: { type: "varchar", length: 80 }, existing: { type: "text" } });
  const same = resolvePortableOp({ kind: "alterColumn", table: "t", column: "c", changes: { type: "SimpleJson" }, existing: existing as never }, mysql);
  expect(same).toBeUndefined();
});
