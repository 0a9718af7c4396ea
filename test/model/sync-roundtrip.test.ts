/**
 * The decisive test: TypeORM's own synchronize() builds a fresh database from
 * the entities, the dialect's introspector reads it back, and the result must
 * deep-equal what schemaFromMetadata says TypeORM would build.
 */
import "reflect-metadata";
import { DataSource, EntitySchema, type DataSourceOptions } from "typeorm";
import type { Dialect } from "../../src/dialects/dialect";
import { mysqlDialect } from "../../src/dialects/mysql";
import { postgresDialect } from "../../src/dialects/postgres";
import { sqliteDialect } from "../../src/dialects/sqlite";
import { schemaFromMetadata } from "../../src/model";
import type { DialectName } from "../../src/ops/types";
import { queryableOf } from "../../src/runner/connection";
import type { Schema } from "../../src/schema/types";
import { createTestDatabase, describeEachDialect, type TestDatabase } from "../support/databases";
import { computedEntity, defaultsEntity, HashedDoc, partialIndexEntity, RoomBooking, SHARED_ENTITIES, Ticket, typesEntity, wideEntity } from "./entities";

const DIALECTS: Record<DialectName, Dialect> = { postgres: postgresDialect, mysql: mysqlDialect, sqlite: sqliteDialect };

function entitiesFor(dialect: DialectName): unknown[] {
  switch (dialect) {
    case "postgres":
      return [...SHARED_ENTITIES, defaultsEntity("postgres"), typesEntity("postgres"), computedEntity(true), Ticket, HashedDoc, RoomBooking, partialIndexEntity()];
    case "mysql":
      return [...SHARED_ENTITIES, defaultsEntity("mysql"), typesEntity("mysql"), computedEntity(false), wideEntity()];
    case "sqlite":
      return [...SHARED_ENTITIES, defaultsEntity("sqlite"), typesEntity("sqlite"), computedEntity(false), partialIndexEntity()];
  }
}

/**
 * The MySQL-family test server is MariaDB, and TypeORM's "mysql" driver writes
 * NULL/NOT NULL on generated columns, which MariaDB rejects: synchronize with
 * the "mariadb" driver, as a MariaDB user would.
 */
function optionsFor(db: TestDatabase): DataSourceOptions {
  return db.dialect === "mysql" ? ({ ...db.options, type: "mariadb" } as DataSourceOptions) : db.options;
}

/** TypeORM's bookkeeping table for views and generated columns is not a model table. */
const notBookkeeping = (name: string) => name !== "typeorm_metadata";

describeEachDialect("schemaFromMetadata equals the introspected schema after TypeORM synchronize", (name) =>
  roundTrip(name, optionsFor, entitiesFor(name), entitiesTableNames(name)),
);

// TypeORM's "mysql" driver spells some things differently from "mariadb" (CURRENT_TIMESTAMP, uuid);
// generated columns are left out because it writes NULL on them, which MariaDB rejects.
describeEachDialect(
  "schemaFromMetadata equals the introspected schema after TypeORM synchronize, driver type \"mysql\"",
  (name) =>
    roundTrip(
      name,
      (db) => db.options,
      entitiesFor(name).filter((e) => !(e instanceof EntitySchema && e.options.name === "computed")),
      entitiesTableNames(name).filter((t) => t !== "computed"),
    ),
  ["mysql"],
);

function roundTrip(
  name: DialectName,
  optionsFor: (db: TestDatabase) => DataSourceOptions,
  entities: unknown[],
  tableNames: string[],
): void {
  const dialect = DIALECTS[name];
  let db: TestDatabase;
  let dataSource: DataSource;
  let target: Schema;
  let current: Schema;

  beforeAll(async () => {
    db = await createTestDatabase(name);
    dataSource = new DataSource({ ...optionsFor(db), entities, synchronize: true, logging: false } as DataSourceOptions);
    await dataSource.initialize();
    const runner = dataSource.createQueryRunner();
    try {
      current = await dialect.introspect(queryableOf(runner), { includeTable: notBookkeeping });
    } finally {
      await runner.release();
    }
    target = schemaFromMetadata(dataSource, dialect, { includeTable: notBookkeeping });
    if (name === "mysql") {
      // TypeORM's synchronize never writes @Check on MySQL; retort does (MySQL 8.0.16+ and
      // MariaDB enforce them), so here the model legitimately has checks the synced database lacks.
      target = { ...target, tables: target.tables.map(({ checks: _declared, ...table }) => table) };
    }
  });

  afterAll(async () => {
    if (dataSource?.isInitialized) await dataSource.destroy();
    await db?.drop();
  });

  test("the same tables", () => {
    expect(current.tables.map((t) => t.name)).toEqual(target.tables.map((t) => t.name));
  });

  test.each(tableNames)("table %s is identical", (tableName) => {
    const introspected = current.tables.find((t) => t.name === tableName);
    const modelled = target.tables.find((t) => t.name === tableName);
    expect(modelled).toBeDefined();
    expect(introspected).toEqual(modelled);
  });

  test("the same enum types", () => {
    expect(current.enums).toEqual(target.enums);
  });

  // The view's SQL is read back from the record TypeORM's synchronize keeps (typeorm_metadata);
  // what it reads is the server's knowledge (the model only knows `dependsOn`).
  const views = (schema: Schema) => schema.views?.map(({ reads: _reads, ...view }) => view);

  test("the same views, definitions as TypeORM recorded them", () => {
    expect(views(current)).toEqual([{ name: "author_names", definition: "SELECT id, name FROM author" }]);
    expect(views(current)).toEqual(views(target));
  });

  test("the whole schema", () => {
    expect({ tables: current.tables, enums: current.enums, views: views(current) }).toEqual({ ...target, views: views(target) });
  });
}

function entitiesTableNames(dialect: DialectName): string[] {
  const common = ["author", "category", "category_closure", "content", "post", "post_tags_tag", "profile", "tag", "defaults", "computed", "types"];
  if (dialect === "postgres") return [...common, "ticket", "hashed_doc", "partial_doc"];
  if (dialect === "mysql") return [...common, "wide"];
  return [...common, "partial_doc"];
}
