/**
 * "Nothing changed" matrix (STYLE.md #9): for every column type TypeORM's
 * driver lists as supported on a dialect — plain, nullable, with length /
 * precision / scale where the type takes them, and as a PostgreSQL array —
 * and for every kind of default, autogenerate on an empty database, upgrade
 * through our runner, and autogenerate again: it must find nothing.
 *
 * One table per type (or per default), all in one revision for speed; the
 * second diff is computed once and asserted per table, so a failure names
 * the type. The list of types is read from TypeORM's driver at run time, so a
 * type added by a TypeORM upgrade shows up here as a new test.
 */
import { DataSource, EntitySchema, type DataSourceOptions, type EntitySchemaColumnOptions } from "typeorm";
import { diffDatabaseWithModels } from "../../src/autogenerate";
import type { Diff, Step } from "../../src/compare/types";
import { getDialect } from "../../src/dialects";
import { closeFormatter } from "../../src/emit";
import type { DialectName, Op } from "../../src/ops/types";
import type { Schema } from "../../src/schema/types";
import { createTestDatabase, describeEachDialect, type TestDatabase } from "../support/databases";
import { autogenerate, introspect, managed, migrate, open, type Entities } from "./harness";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

jest.mock("../../src/config/loader", () => require("../support/jest-loading").loaderForJest());

afterAll(() => closeFormatter());

/** The MySQL-family test server is MariaDB: use TypeORM's "mariadb" driver, as a MariaDB user would. */
function optionsFor(db: TestDatabase): DataSourceOptions {
  return db.dialect === "mysql" ? ({ ...db.options, type: "mariadb" } as DataSourceOptions) : db.options;
}

/**
 * Types left out, with the reason. Everything else in the driver's
 * `supportedDataTypes` (plus TypeORM's portable simple-* types) is tested.
 */
const EXCLUDED: Record<DialectName, Record<string, string>> = {
  postgres: {
    geometry: "needs the PostGIS extension, not installed on the test server",
    geography: "needs the PostGIS extension, not installed on the test server",
    vector: "needs the pgvector extension, not installed on the test server",
    halfvec: "needs the pgvector extension, not installed on the test server",
  },
  mysql: {
    vector: "MariaDB has VECTOR only from 11.7; the test server is 10.11",
  },
  sqlite: {},
};

/** Extensions a user would create in a hand-written first revision before using these types. */
const PG_EXTENSIONS = ["citext", "hstore", "cube", "ltree", '"uuid-ossp"'];

/** Array variants PostgreSQL or TypeORM cannot build. */
const PG_NO_ARRAY: Record<string, string> = {
  "simple-array": "TypeORM stores simple-array as text; an array of it means nothing",
  "simple-json": "TypeORM stores simple-json as text; an array of it means nothing",
  "simple-enum": "TypeORM maps simple-enum to a PostgreSQL enum; `array` applies to `enum`",
};

/** MySQL numeric types that take UNSIGNED (TypeORM 1.x has no ZEROFILL option). */
const MYSQL_NUMERIC = ["tinyint", "smallint", "mediumint", "int", "integer", "bigint", "decimal", "dec", "numeric", "fixed", "float", "double", "double precision", "real"];

const SIMPLE_TYPES = ["simple-array", "simple-json", "simple-enum"];
const ENUM_TYPES = new Set(["enum", "set", "simple-enum"]);

interface TypeLists {
  supported: string[];
  withLength: string[];
  withPrecision: string[];
  withScale: string[];
}

/** The driver's own lists, read from an uninitialized DataSource (no connection is made). */
function typeLists(db: TestDatabase): TypeLists {
  const driver = new DataSource(optionsFor(db)).driver as unknown as {
    supportedDataTypes: string[];
    withLengthColumnTypes: string[];
    withPrecisionColumnTypes: string[];
    withScaleColumnTypes: string[];
  };
  return {
    supported: [...new Set(driver.supportedDataTypes)],
    withLength: driver.withLengthColumnTypes,
    withPrecision: driver.withPrecisionColumnTypes,
    withScale: driver.withScaleColumnTypes,
  };
}

/** A table name from a type name: `double precision` -> `t_double_precision`. */
function tableFor(prefix: string, type: string): string {
  return `${prefix}_${type.replace(/[^a-z0-9]+/gi, "_")}`.toLowerCase();
}

const PRECISION_NEEDS_SCALE = ["double", "double precision", "real"];

/** Sizes that every dialect accepts for the type family (MySQL float(p,s) needs p >= s, time precision <= 6). */
function sizedVariants(type: string, lists: TypeLists): Record<string, EntitySchemaColumnOptions> {
  const variants: Record<string, EntitySchemaColumnOptions> = {};
  const base = { type: type as EntitySchemaColumnOptions["type"] };
  if (lists.withLength.includes(type)) variants.sized = { ...base, length: 20 };
  if (lists.withPrecision.includes(type) && lists.withScale.includes(type)) {
    variants.sized = { ...base, precision: 10, scale: 3 };
    // MySQL's DOUBLE takes (M,D) or nothing: `double(12)` is a syntax error there (and in TypeORM's own sync).
    if (!PRECISION_NEEDS_SCALE.includes(type)) variants.precise = { ...base, precision: 12 };
  } else if (lists.withPrecision.includes(type)) {
    variants.sized = { ...base, precision: 3 };
  }
  return variants;
}

function enumValues(type: string): Partial<EntitySchemaColumnOptions> {
  return ENUM_TYPES.has(type) ? { enum: ["a", "b", "c d"] } : {};
}

/** One entity per type: NOT NULL, nullable, sized variants, PostgreSQL arrays. */
function typeEntity(dialect: DialectName, type: string, lists: TypeLists): EntitySchema {
  const base: EntitySchemaColumnOptions = { type: type as EntitySchemaColumnOptions["type"], ...enumValues(type) };
  const columns: Record<string, EntitySchemaColumnOptions> = {
    id: { type: "int", primary: true, generated: "increment" },
    plain: { ...base },
    nul: { ...base, nullable: true },
  };
  for (const [name, options] of Object.entries(sizedVariants(type, lists))) {
    columns[name] = { ...options, ...enumValues(type) };
    columns[`${name}_nul`] = { ...options, ...enumValues(type), nullable: true };
  }
  if (dialect === "mysql" && MYSQL_NUMERIC.includes(type)) {
    columns.unsigned = { ...base, unsigned: true };
    columns.unsigned_nul = { ...base, unsigned: true, nullable: true };
  }
  if (dialect === "postgres" && !(type in PG_NO_ARRAY)) {
    columns.arr = { ...base, array: true };
    columns.arr_nul = { ...base, array: true, nullable: true };
    if (columns.sized) columns.arr_sized = { ...columns.sized, array: true };
  }
  const table = tableFor("t", type);
  return new EntitySchema({ name: table, tableName: table, columns });
}

const CT = (sql: string) => () => sql;

/** Every kind of default, per dialect: name -> column options. */
function defaultCases(dialect: DialectName): Record<string, EntitySchemaColumnOptions> {
  const common: Record<string, EntitySchemaColumnOptions> = {
    int: { type: "int", default: 42 },
    int_zero: { type: "int", default: 0 },
    int_negative: { type: "int", default: -7 },
    bigint: { type: "bigint", default: 9000000000 },
    decimal: { type: "decimal", precision: 10, scale: 2, default: 1.5 },
    decimal_negative: { type: "decimal", precision: 10, scale: 2, default: -0.25 },
    decimal_string: { type: "decimal", precision: 10, scale: 2, default: "3.10" },
    float: { type: dialect === "postgres" ? "real" : "float", default: 2.5 },
    string: { type: "varchar", length: 40, default: "hello" },
    string_quote: { type: "varchar", length: 40, default: "it's" },
    // TypeORM's own sync writes string defaults unescaped, so its users write a quote doubled.
    string_quote_doubled: { type: "varchar", length: 40, default: "it''s" },
    string_double_quote: { type: "varchar", length: 40, default: 'say "hi"' },
    string_backslash: { type: "varchar", length: 40, default: "a\\b" },
    string_empty: { type: "varchar", length: 40, default: "" },
    string_unicode: { type: "varchar", length: 40, default: "café ☕" },
    string_numeric: { type: "varchar", length: 40, default: "123" },
    string_nullable_null: { type: "varchar", length: 40, nullable: true, default: null },
    boolean_true: { type: "boolean", default: true },
    boolean_false: { type: "boolean", default: false },
    simple_enum: { type: "simple-enum", enum: ["x", "y"], default: "y" },
    simple_json: { type: "simple-json", nullable: true },
    // TypeORM's special columns: their type and default come from the driver's mappedDataTypes.
    create_date: { type: Date, createDate: true },
    update_date: { type: Date, updateDate: true },
    delete_date: { type: Date, deleteDate: true },
    version: { type: Number, version: true },
  };
  switch (dialect) {
    case "postgres":
      return {
        ...common,
        text: { type: "text", default: "long text" },
        timestamp_now: { type: "timestamp", default: CT("now()") },
        timestamp_current: { type: "timestamp", default: CT("CURRENT_TIMESTAMP") },
        timestamptz_precision: { type: "timestamptz", precision: 3, default: CT("CURRENT_TIMESTAMP(3)") },
        timestamp_now_precision: { type: "timestamp", precision: 0, default: CT("now()") },
        timestamp_localtimestamp: { type: "timestamp", default: CT("LOCALTIMESTAMP") },
        date_current: { type: "date", default: CT("CURRENT_DATE") },
        date_literal: { type: "date", default: "2020-01-31" },
        interval_literal: { type: "interval", default: CT("'1 day'") },
        uuid_gen_random: { type: "uuid", default: CT("gen_random_uuid()") },
        uuid_generate_v4: { type: "uuid", default: CT("uuid_generate_v4()") },
        uuid_generated: { type: "uuid", generated: "uuid" },
        json_object: { type: "json", default: { a: 1, b: "it's" } },
        jsonb_object: { type: "jsonb", default: { a: [1, 2] } },
        jsonb_array: { type: "jsonb", default: [] },
        enum: { type: "enum", enum: ["low", "high"], default: "low" },
        int_array: { type: "int", array: true, default: [1, 2] },
        text_array: { type: "text", array: true, default: ["a", "b c"] },
        text_array_empty: { type: "text", array: true, default: CT("'{}'") },
        numeric_expression: { type: "int", default: CT("(1 + 2)") },
      };
    case "mysql":
      return {
        ...common,
        text: { type: "text", default: "long text" },
        datetime_current: { type: "datetime", default: CT("CURRENT_TIMESTAMP") },
        datetime_precision: { type: "datetime", precision: 6, default: CT("CURRENT_TIMESTAMP(6)") },
        timestamp_precision: { type: "timestamp", precision: 3, default: CT("CURRENT_TIMESTAMP(3)") },
        datetime_on_update: { type: "datetime", precision: 6, default: CT("CURRENT_TIMESTAMP(6)"), onUpdate: "CURRENT_TIMESTAMP(6)" },
        timestamp_on_update: { type: "timestamp", default: CT("CURRENT_TIMESTAMP"), onUpdate: "CURRENT_TIMESTAMP" },
        datetime_now: { type: "datetime", default: CT("NOW()") },
        date_literal: { type: "date", default: "2020-01-31" },
        uuid_generated: { type: "uuid", generated: "uuid" },
        // TypeORM's MySQL driver writes an object default as `[object Object]`: JSON defaults are written as strings there.
        json_object: { type: "json", default: '{"a": 1}' },
        enum: { type: "enum", enum: ["low", "high"], default: "low" },
        set: { type: "set", enum: ["r", "w", "x"], default: ["r", "w"] },
        tinyint_unsigned: { type: "tinyint", unsigned: true, default: 200 },
      };
    case "sqlite":
      return {
        ...common,
        text: { type: "text", default: "long text" },
        datetime_current: { type: "datetime", default: CT("CURRENT_TIMESTAMP") },
        datetime_function: { type: "datetime", default: CT("(datetime('now'))") },
        date_literal: { type: "date", default: "2020-01-31" },
        json_object: { type: "json", default: { a: 1 } },
        expression: { type: "int", default: CT("(1 + 2)") },
      };
  }
}

function defaultEntities(dialect: DialectName): EntitySchema[] {
  return Object.entries(defaultCases(dialect)).map(([name, column]) => {
    const table = tableFor("d", name);
    return new EntitySchema({
      name: table,
      tableName: table,
      columns: { id: { type: "int", primary: true, generated: "increment" }, value: column },
    });
  });
}

/** The table an op concerns (PostgreSQL enum types are named `<table>_<column>_enum` by TypeORM). */
function tableOf(op: Op, tables: string[]): string | undefined {
  switch (op.kind) {
    case "createTable":
      return op.table.name;
    case "renameTable":
      return op.from;
    case "createEnum":
    case "alterEnum":
    case "dropEnum":
      return [...tables].sort((a, b) => b.length - a.length).find((t) => op.name.startsWith(`${t}_`));
    case "execute":
    case "createView":
    case "dropView":
      return undefined;
    default:
      return op.table;
  }
}

function stepsFor(diff: Diff, table: string, tables: string[]): string[] {
  return diff.upgrade
    .filter((s: Step) => tableOf(s.op, tables) === table)
    .map((s) => `${s.detected}${s.reasons.length ? ` (${s.reasons.join("; ")})` : ""}`);
}

interface Outcome {
  second: Diff;
  schema: Schema;
  tables: string[];
}

/** Autogenerate from empty, upgrade, introspect, autogenerate again. */
async function convergeOnce(db: TestDatabase, dialect: DialectName, entities: EntitySchema[]): Promise<Outcome> {
  const dir = mkdtempSync(join(tmpdir(), "retort-nothing-"));
  const conn = await open({ ...db, options: optionsFor(db) }, entities as Entities);
  try {
    if (dialect === "postgres") for (const ext of PG_EXTENSIONS) await conn.db.query(`CREATE EXTENSION IF NOT EXISTS ${ext}`);
    const first = await autogenerate(conn, dialect, dir, "types", null);
    expect(first.path).toBeDefined();
    await migrate(conn, dialect, dir, "heads", "up");
    const schema = await introspect(conn, dialect);
    const second = await diffDatabaseWithModels(conn, getDialect(dialect), { includeTable: managed, resolveRename: () => false });
    return { second, schema, tables: entities.map((e) => e.options.tableName!) };
  } finally {
    await conn.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Registers the shared setup and one test per case; a failed setup fails every case with its error. */
function matrix(dialect: DialectName, title: string, build: (db: TestDatabase) => Array<{ name: string; entity: EntitySchema }>): void {
  describe(title, () => {
    let db: TestDatabase;
    let outcome: Outcome | undefined;
    let setupError: unknown;
    const cases = build({ dialect, name: "", url: "", options: placeholderOptions(dialect), drop: async () => undefined });

    beforeAll(async () => {
      db = await createTestDatabase(dialect);
      try {
        outcome = await convergeOnce(db, dialect, cases.map((c) => c.entity));
      } catch (error) {
        setupError = error;
      }
    }, 120_000);
    afterAll(async () => db?.drop());

    test.each(cases.map((c) => [c.name, c.entity.options.tableName!] as const))("%s", (_name, table) => {
      if (setupError) throw setupError;
      const result = outcome!;
      const created = result.schema.tables.find((t) => t.name === table);
      expect(created).toBeDefined();
      const declared = Object.keys(cases.find((c) => c.entity.options.tableName === table)!.entity.options.columns);
      expect(created!.columns.map((c) => c.name)).toEqual(declared);
      expect(stepsFor(result.second, table, result.tables)).toEqual([]);
    });
  });
}

/** Options with only the driver type, for reading the driver's type lists before a database exists. */
function placeholderOptions(dialect: DialectName): DataSourceOptions {
  switch (dialect) {
    case "postgres":
      return { type: "postgres" };
    case "mysql":
      return { type: "mysql" };
    case "sqlite":
      return { type: "better-sqlite3", database: ":memory:" };
  }
}

describeEachDialect("autogenerate finds nothing after upgrade", (dialect) => {
  matrix(dialect, "column types", (db) => {
    const lists = typeLists(db);
    const types = [...lists.supported, ...SIMPLE_TYPES].filter((t) => !(t in EXCLUDED[dialect]));
    return types.map((type) => ({ name: type, entity: typeEntity(dialect, type, lists) }));
  });
  matrix(dialect, "defaults", () =>
    defaultEntities(dialect).map((entity) => ({ name: entity.options.tableName!.slice(2), entity })),
  );
});
