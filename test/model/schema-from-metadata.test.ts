import "reflect-metadata";
import { DefaultNamingStrategy, EntitySchema, type DataSourceOptions } from "typeorm";
import type { Dialect } from "../../src/dialects/dialect";
import {
  buildMetadataOnly,
  MetadataNotBuiltError,
  schemaFromMetadata,
  unsynchronizedMetadatas,
  UnsupportedModelError,
} from "../../src/model";
import type { Schema, Table } from "../../src/schema/types";
import { DataSource } from "typeorm";
import { computedEntity, defaultsEntity, HashedDoc, SHARED_ENTITIES, Ticket, wideEntity } from "./entities";

/** A dialect whose canonical pass changes nothing, so the reader's own output is asserted. */
const identity = { canonicalTable: (t: Table) => t, autoIncrementProblem: () => undefined } as unknown as Dialect;
const naming = new DefaultNamingStrategy();

const PG: DataSourceOptions = { type: "postgres" };
const MY: DataSourceOptions = { type: "mysql", database: "app" };
const LITE: DataSourceOptions = { type: "better-sqlite3", database: ":memory:" };

async function read(options: DataSourceOptions, entities: unknown[]): Promise<Schema> {
  const ds = await buildMetadataOnly({ ...options, entities } as DataSourceOptions);
  return schemaFromMetadata(ds, identity);
}

function table(schema: Schema, name: string): Table {
  const found = schema.tables.find((t) => t.name === name);
  if (!found) throw new Error(`no table ${name} in ${schema.tables.map((t) => t.name).join(", ")}`);
  return found;
}

describe("schemaFromMetadata: table kinds (postgres)", () => {
  let schema: Schema;
  beforeAll(async () => {
    schema = await read(PG, SHARED_ENTITIES);
  });

  test("every table TypeORM creates, sorted; no view, no synchronize:false entity, no STI child table", () => {
    expect(schema.tables.map((t) => t.name)).toEqual([
      "author",
      "category",
      "category_closure",
      "content",
      "post",
      "post_tags_tag",
      "profile",
      "tag",
    ]);
  });

  test("a regular entity: columns in TypeORM's order, embedded columns prefixed, every constraint named", () => {
    expect(table(schema, "author")).toEqual({
      name: "author",
      comment: "people who write",
      columns: [
        { name: "id", type: "integer", nullable: false, autoIncrement: true },
        { name: "name", type: "character varying", length: 100, nullable: false },
        { name: "email", type: "character varying", length: 200, nullable: false },
        { name: "age", type: "integer", nullable: true },
        { name: "role", type: "enum", enumName: "author_role_enum", enumValues: ["admin", "user"], nullable: false, default: "'user'" },
        { name: "active", type: "boolean", nullable: false, default: "true" },
        { name: "bio", type: "text", nullable: true, comment: "shown on the profile" },
        // PostgresDriver.normalizeDefault quotes numbers; the dialect folds '1.5' on numeric.
        { name: "rating", type: "numeric", precision: 10, scale: 2, nullable: false, default: "'1.5'" },
        { name: "createdAt", type: "timestamp without time zone", nullable: false, default: "now()" },
        { name: "version", type: "integer", nullable: false },
        { name: "auditBy", type: "character varying", length: 50, nullable: true },
        { name: "auditRevision", type: "integer", nullable: false, default: "'0'" },
      ],
      primaryKey: { name: naming.primaryKeyName("author", ["id"]), columns: ["id"] },
      uniques: [
        { name: naming.uniqueConstraintName("author", ["email"]), columns: ["email"] },
        { name: "UQ_author_name_email", columns: ["name", "email"] },
      ],
      indexes: [
        { name: "IDX_author_name_age", columns: ["name", "age"], unique: true },
        { name: "IDX_author_age", columns: ["age"] },
      ],
      foreignKeys: [],
      checks: [{ name: "CHK_author_age", expression: `"age" >= 0` }],
    });
  });

  test("many-to-one foreign keys with TypeORM's names, an explicit name, and both actions stated", () => {
    const post = table(schema, "post");
    expect(post.columns.map((c) => c.name)).toEqual(["id", "title", "updatedAt", "authorId", "editor_id"]);
    expect(post.columns.find((c) => c.name === "authorId")).toEqual({ name: "authorId", type: "integer", nullable: false });
    expect(post.foreignKeys).toEqual([
      {
        name: naming.foreignKeyName("post", ["authorId"]),
        columns: ["authorId"],
        referencedTable: "author",
        referencedColumns: ["id"],
        onDelete: "CASCADE",
        onUpdate: "NO ACTION",
      },
      {
        name: "FK_post_editor",
        columns: ["editor_id"],
        referencedTable: "author",
        referencedColumns: ["id"],
        onDelete: "SET NULL",
        onUpdate: "NO ACTION",
      },
    ]);
  });

  test("many-to-many junction table: composite key, one index and one cascading foreign key per side", () => {
    expect(table(schema, "post_tags_tag")).toEqual({
      name: "post_tags_tag",
      columns: [
        { name: "postId", type: "integer", nullable: false },
        { name: "tagId", type: "integer", nullable: false },
      ],
      primaryKey: { name: naming.primaryKeyName("post_tags_tag", ["postId", "tagId"]), columns: ["postId", "tagId"] },
      uniques: [],
      indexes: [
        { name: naming.indexName("post_tags_tag", ["postId"]), columns: ["postId"] },
        { name: naming.indexName("post_tags_tag", ["tagId"]), columns: ["tagId"] },
      ],
      foreignKeys: [
        {
          name: naming.foreignKeyName("post_tags_tag", ["postId"]),
          columns: ["postId"],
          referencedTable: "post",
          referencedColumns: ["id"],
          onDelete: "CASCADE",
          onUpdate: "CASCADE",
        },
        {
          name: naming.foreignKeyName("post_tags_tag", ["tagId"]),
          columns: ["tagId"],
          referencedTable: "tag",
          referencedColumns: ["id"],
          onDelete: "CASCADE",
          onUpdate: "CASCADE",
        },
      ],
      checks: [],
    });
  });

  test("closure table and its closure junction table", () => {
    const category = table(schema, "category");
    expect(category.columns.map((c) => c.name)).toEqual(["id", "name", "parentId"]);
    expect(category.foreignKeys?.map((f) => [f.columns, f.referencedTable])).toEqual([[["parentId"], "category"]]);
    const closure = table(schema, "category_closure");
    expect(closure.columns).toEqual([
      { name: "id_ancestor", type: "integer", nullable: false },
      { name: "id_descendant", type: "integer", nullable: false },
    ]);
    expect(closure.primaryKey?.columns).toEqual(["id_ancestor", "id_descendant"]);
    expect(closure.foreignKeys?.map((f) => [f.columns[0], f.referencedTable, f.onDelete])).toEqual([
      ["id_ancestor", "category", "CASCADE"],
      ["id_descendant", "category", "CASCADE"],
    ]);
  });

  test("single-table inheritance: children's columns on the parent, nullable, plus an indexed discriminator", () => {
    const content = table(schema, "content");
    expect(content.columns).toEqual([
      { name: "id", type: "integer", nullable: false, autoIncrement: true },
      { name: "title", type: "character varying", length: 80, nullable: false },
      { name: "width", type: "integer", nullable: true },
      { name: "body", type: "text", nullable: true },
      { name: "kind", type: "character varying", length: 20, nullable: false },
    ]);
    expect(content.indexes).toEqual([{ name: naming.indexName("content", ["kind"]), columns: ["kind"] }]);
  });

  test("one-to-one owner whose join column is the primary key with an explicit constraint name", () => {
    const profile = table(schema, "profile");
    expect(profile.primaryKey).toEqual({ name: "PK_profile_custom", columns: ["authorId"] });
    expect(profile.foreignKeys?.map((f) => f.name)).toEqual([naming.foreignKeyName("profile", ["authorId"])]);
  });

  test("postgres enum types are listed once per name", () => {
    expect(schema.enums).toEqual([{ name: "author_role_enum", values: ["admin", "user"] }]);
  });

  test("synchronize:false entities are reported by unsynchronizedMetadatas", async () => {
    const ds = await buildMetadataOnly({ ...PG, entities: SHARED_ENTITIES } as DataSourceOptions);
    expect(unsynchronizedMetadatas(ds).map((m) => m.tableName)).toEqual(["legacy"]);
  });
});

describe("schemaFromMetadata: mysql", () => {
  let schema: Schema;
  beforeAll(async () => {
    schema = await read(MY, SHARED_ENTITIES);
  });

  test("uniques become unique indexes, checks are kept, the primary key has no name of its own", () => {
    const author = table(schema, "author");
    expect(author.uniques).toEqual([]);
    // TypeORM's own sync skips @Check on MySQL; MySQL 8.0.16+/MariaDB enforce it, so retort keeps it.
    expect(author.checks?.map((c) => c.name)).toEqual(["CHK_author_age"]);
    expect(author.primaryKey).toEqual({ columns: ["id"] });
    expect(author.indexes).toEqual([
      { name: "IDX_author_name_age", columns: ["name", "age"], unique: true },
      { name: "IDX_author_age", columns: ["age"] },
      { name: naming.indexName("author", ["email"]), columns: ["email"], unique: true },
      { name: "UQ_author_name_email", columns: ["name", "email"], unique: true },
    ]);
  });

  test("mysql spellings: inline enum, tinyint booleans, datetime(6) dates with ON UPDATE", () => {
    const author = table(schema, "author");
    const byName = (t: Table, n: string) => t.columns.find((c) => c.name === n);
    expect(byName(author, "role")).toEqual({ name: "role", type: "enum", enumValues: ["admin", "user"], nullable: false, default: "'user'" });
    expect(byName(author, "active")).toEqual({ name: "active", type: "tinyint", nullable: false, default: "1" });
    // MysqlDriver.normalizeDefault writes numbers with toFixed(scale).
    expect(byName(author, "rating")).toEqual({ name: "rating", type: "decimal", precision: 10, scale: 2, nullable: false, default: "'1.50'" });
    expect(byName(author, "createdAt")).toEqual({
      name: "createdAt",
      type: "datetime",
      precision: 6,
      nullable: false,
      default: "CURRENT_TIMESTAMP(6)",
    });
    expect(byName(table(schema, "post"), "updatedAt")).toEqual({
      name: "updatedAt",
      type: "datetime",
      precision: 6,
      nullable: false,
      default: "CURRENT_TIMESTAMP(6)",
      onUpdate: "CURRENT_TIMESTAMP(6)",
    });
    expect(schema.enums).toEqual([]);
  });
});

describe("schemaFromMetadata: sqlite", () => {
  let schema: Schema;
  beforeAll(async () => {
    schema = await read(LITE, SHARED_ENTITIES);
  });

  test("enums are bare varchar columns with their CHECK values; no comments; unnamed primary key", () => {
    const author = table(schema, "author");
    expect(author.columns.find((c) => c.name === "role")).toEqual({
      name: "role",
      type: "varchar",
      enumValues: ["admin", "user"],
      nullable: false,
      default: "'user'",
    });
    expect(author.columns.find((c) => c.name === "bio")).toEqual({ name: "bio", type: "text", nullable: true });
    expect(author.comment).toBeUndefined();
    expect(author.primaryKey).toEqual({ columns: ["id"] });
    expect(author.checks).toEqual([{ name: "CHK_author_age", expression: `"age" >= 0` }]);
    expect(author.columns.find((c) => c.name === "createdAt")?.default).toBe("datetime('now')");
    expect(author.columns.find((c) => c.name === "active")?.default).toBe("1");
  });
});

describe("schemaFromMetadata: defaults of every kind", () => {
  test("postgres", async () => {
    const t = table(await read(PG, [defaultsEntity("postgres")]), "defaults");
    expect(t.columns).toEqual([
      { name: "id", type: "uuid", nullable: false, default: "uuid_generate_v4()" },
      { name: "text", type: "character varying", length: 20, nullable: false, default: "'hello'" },
      { name: "negative", type: "integer", nullable: false, default: "'-1'" },
      { name: "flag", type: "boolean", nullable: false, default: "false" },
      { name: "stamp", type: "timestamp without time zone", nullable: false, default: "now()" },
      { name: "nothing", type: "character varying", length: 5, nullable: true },
      { name: "settings", type: "json", nullable: true, default: `'{"a":1}'` },
      { name: "labels", type: "character varying", array: true, nullable: false, default: "'{a,b}'" },
    ]);
  });

  test("postgres with the pgcrypto uuid extension uses gen_random_uuid()", async () => {
    const t = table(await read({ ...PG, uuidExtension: "pgcrypto" } as DataSourceOptions, [defaultsEntity("postgres")]), "defaults");
    expect(t.columns[0]).toEqual({ name: "id", type: "uuid", nullable: false, default: "gen_random_uuid()" });
  });

  test("mysql: uuid keys are varchar(36) filled by TypeORM, not by the server", async () => {
    const t = table(await read(MY, [defaultsEntity("mysql")]), "defaults");
    expect(t.columns).toEqual([
      { name: "id", type: "varchar", length: 36, nullable: false },
      { name: "text", type: "varchar", length: 20, nullable: false, default: "'hello'" },
      { name: "negative", type: "int", nullable: false, default: "'-1'" },
      { name: "flag", type: "tinyint", nullable: false, default: "0" },
      { name: "stamp", type: "datetime", nullable: false, default: "CURRENT_TIMESTAMP" },
      { name: "nothing", type: "varchar", length: 5, nullable: true },
      { name: "settings", type: "json", nullable: true },
    ]);
  });

  test("sqlite", async () => {
    const t = table(await read(LITE, [defaultsEntity("sqlite")]), "defaults");
    expect(t.columns).toEqual([
      { name: "id", type: "varchar", nullable: false },
      { name: "text", type: "varchar", length: 20, nullable: false, default: "'hello'" },
      { name: "negative", type: "integer", nullable: false, default: "-1" },
      { name: "flag", type: "boolean", nullable: false, default: "0" },
      { name: "stamp", type: "datetime", nullable: false, default: "CURRENT_TIMESTAMP" },
      { name: "nothing", type: "varchar", length: 5, nullable: true },
      { name: "settings", type: "json", nullable: true, default: `'{"a":1}'` },
    ]);
  });

  test.each([
    ["postgres", PG],
    ["mysql", MY],
    ["sqlite", LITE],
  ])("%s: a quote inside a string default is escaped; an already escaped body is kept", async (_name, options) => {
    const quoted = new EntitySchema({
      name: "quoted",
      columns: {
        id: { type: Number, primary: true },
        plain: { type: "varchar", length: 20, default: "O'Brien" },
        escaped: { type: "varchar", length: 20, default: "it''s" },
        empty: { type: "varchar", length: 20, default: "" },
      },
    });
    const t = table(await read(options, [quoted]), "quoted");
    expect(t.columns.slice(1).map((c) => c.default)).toEqual(["'O''Brien'", "'it''s'", "''"]);
  });
});

describe("schemaFromMetadata: generated, identity and dialect-only column properties", () => {
  test("postgres: stored generated column and identity key", async () => {
    // EntitySchema drops generatedIdentity (EntitySchemaTransformer), so the decorated form is used.
    const s = await read(PG, [computedEntity(true), Ticket]);
    expect(table(s, "computed").columns[2]).toEqual({
      name: "doubled",
      type: "integer",
      nullable: true,
      generated: { expression: `price * 2`, stored: true },
    });
    expect(table(s, "ticket").columns).toEqual([
      { name: "id", type: "integer", nullable: false, identity: "ALWAYS" },
      { name: "n", type: "bigint", nullable: false, autoIncrement: true },
    ]);
  });

  test("mysql and sqlite: virtual generated columns", async () => {
    for (const options of [MY, LITE]) {
      const t = table(await read(options, [computedEntity(false)]), "computed");
      expect(t.columns[2]).toMatchObject({ name: "doubled", nullable: true, generated: { expression: `price * 2`, stored: false } });
      expect(t.columns[2].default).toBeUndefined();
    }
  });

  test("mysql-only properties are kept on mysql and dropped where TypeORM does not write them", async () => {
    const wide = wideEntity();
    const my = table(await read(MY, [wide]), "wide");
    expect(my.columns).toEqual([
      { name: "id", type: "int", unsigned: true, nullable: false },
      { name: "code", type: "varchar", length: 10, charset: "latin1", collation: "latin1_bin", nullable: false },
      { name: "touched", type: "timestamp", nullable: true, onUpdate: "CURRENT_TIMESTAMP" },
    ]);
    const pg = table(await read(PG, [wide]), "wide");
    expect(pg.columns).toEqual([
      { name: "id", type: "integer", nullable: false },
      { name: "code", type: "character varying", length: 10, collation: "latin1_bin", nullable: false },
      { name: "touched", type: "timestamp without time zone", nullable: true },
    ]);
  });

  test("index kinds: partial and method on postgres, fulltext on mysql", async () => {
    const doc = new EntitySchema({
      name: "doc",
      columns: { id: { type: "int", primary: true }, body: { type: "text" }, slug: { type: "varchar", length: 40, nullable: true } },
      indices: [
        { name: "IDX_doc_slug_live", columns: ["slug"], unique: true, where: `"slug" IS NOT NULL` },
        { name: "IDX_doc_unsynced", columns: ["slug"], synchronize: false },
      ],
    });
    expect(table(await read(PG, [doc]), "doc").indexes).toEqual([
      { name: "IDX_doc_slug_live", columns: ["slug"], unique: true, where: `"slug" IS NOT NULL` },
    ]);
    // EntitySchema drops the index `type`; the decorator keeps it.
    expect(table(await read(PG, [HashedDoc]), "hashed_doc").indexes).toEqual([
      { name: "IDX_hashed_body", columns: ["body"], using: "hash" },
    ]);
    const fulltext = new EntitySchema({
      name: "doc",
      columns: { id: { type: "int", primary: true }, body: { type: "text" } },
      indices: [{ name: "IDX_doc_body_ft", columns: ["body"], fulltext: true }],
    });
    expect(table(await read(MY, [fulltext]), "doc").indexes).toEqual([{ name: "IDX_doc_body_ft", columns: ["body"], fulltext: true }]);
  });
});

describe("schemaFromMetadata: names", () => {
  class PrefixNaming extends DefaultNamingStrategy {
    override tableName(target: string, given: string | undefined): string {
      return `app_${given ?? target.toLowerCase()}`;
    }
    override columnName(property: string, custom: string | undefined, prefixes: string[]): string {
      return [...prefixes, custom ?? property].join("_").toLowerCase();
    }
    override primaryKeyName(table: string | { name: string }, columns: string[]): string {
      return `pk_${typeof table === "string" ? table : table.name}_${columns.join("_")}`;
    }
    override foreignKeyName(table: string | { name: string }, columns: string[]): string {
      return `fk_${typeof table === "string" ? table : table.name}_${columns.join("_")}`;
    }
  }

  const owner = new EntitySchema({
    name: "Owner",
    columns: { id: { type: "int", primary: true, generated: "increment" }, fullName: { type: "varchar", length: 40 } },
  });
  const pet = new EntitySchema<{ id: number; owner: unknown }>({
    name: "Pet",
    columns: { id: { type: "int", primary: true, generated: "increment" } },
    relations: { owner: { type: "many-to-one", target: "Owner", onDelete: "RESTRICT" } },
    checks: [{ expression: `"id" > 0` }],
    uniques: [{ columns: ["owner"], deferrable: "INITIALLY DEFERRED" }],
  });

  test("a custom naming strategy names tables, columns, keys and constraints", async () => {
    const ds = await buildMetadataOnly({ ...PG, entities: [owner, pet], namingStrategy: new PrefixNaming() } as DataSourceOptions);
    const s = schemaFromMetadata(ds, identity);
    expect(s.tables.map((t) => t.name)).toEqual(["app_owner", "app_pet"]);
    expect(table(s, "app_owner").columns.map((c) => c.name)).toEqual(["id", "fullname"]);
    const p = table(s, "app_pet");
    expect(p.primaryKey).toEqual({ name: "pk_app_pet_id", columns: ["id"] });
    expect(p.foreignKeys).toEqual([
      {
        name: "fk_app_pet_ownerid",
        columns: ["ownerid"],
        referencedTable: "app_owner",
        referencedColumns: ["id"],
        onDelete: "RESTRICT",
        onUpdate: "NO ACTION",
      },
    ]);
    expect(p.checks).toEqual([{ name: naming.checkConstraintName("app_pet", `"id" > 0`), expression: `"id" > 0` }]);
    expect(p.uniques).toEqual([
      { name: naming.uniqueConstraintName("app_pet", ["ownerid"]), columns: ["ownerid"], deferrable: "INITIALLY DEFERRED" },
    ]);
  });

  test("entity schemas and decorated classes mix; includeTable filters", async () => {
    const ds = await buildMetadataOnly({ ...LITE, entities: [owner, pet, ...SHARED_ENTITIES] } as DataSourceOptions);
    const s = schemaFromMetadata(ds, identity, { includeTable: (n) => n === "owner" || n === "tag" });
    expect(s.tables.map((t) => t.name)).toEqual(["owner", "tag"]);
  });
});

describe("schemaFromMetadata: contract", () => {
  test("every table goes through dialect.canonicalTable", async () => {
    const ds = await buildMetadataOnly({ ...LITE, entities: SHARED_ENTITIES } as DataSourceOptions);
    const seen: string[] = [];
    const tagging = { canonicalTable: (t: Table) => (seen.push(t.name), { ...t, comment: "canonical" }), autoIncrementProblem: () => undefined } as unknown as Dialect;
    const s = schemaFromMetadata(ds, tagging);
    expect(seen.sort()).toEqual(s.tables.map((t) => t.name));
    expect(s.tables.every((t) => t.comment === "canonical")).toBe(true);
  });

  test("a DataSource whose metadata was never built is refused with MetadataNotBuiltError", () => {
    const ds = new DataSource({ ...LITE, entities: SHARED_ENTITIES } as DataSourceOptions);
    expect(() => schemaFromMetadata(ds, identity)).toThrow(MetadataNotBuiltError);
  });

  test("buildMetadataOnly does not connect", async () => {
    const ds = await buildMetadataOnly({ type: "postgres", host: "203.0.113.1", entities: SHARED_ENTITIES } as DataSourceOptions);
    expect(ds.isInitialized).toBe(false);
    expect(ds.entityMetadatas.length).toBeGreaterThan(0);
  });

  test("a referential action TypeORM would write as invalid SQL is a typed error", async () => {
    const a = new EntitySchema({ name: "a", columns: { id: { type: "int", primary: true } } });
    const b = new EntitySchema<{ id: number; a: unknown }>({
      name: "b",
      columns: { id: { type: "int", primary: true } },
      relations: { a: { type: "many-to-one", target: "a", onDelete: "DEFAULT" } },
    });
    const ds = await buildMetadataOnly({ ...PG, entities: [a, b] } as DataSourceOptions);
    expect(() => schemaFromMetadata(ds, identity)).toThrow(UnsupportedModelError);
  });
});

describe("schemaFromMetadata: tables in other schemas", () => {
  const customer = new EntitySchema({
    name: "customer",
    tableName: "customers",
    columns: { id: { type: Number, primary: true, generated: "increment" } },
  });
  const invoice = new EntitySchema<Record<string, unknown>>({
    name: "invoice",
    tableName: "invoices",
    schema: "billing",
    columns: {
      id: { type: Number, primary: true, generated: "increment" },
      state: { type: "enum", enum: ["a", "b"] },
      mood: { type: "enum", enum: ["x"], enumName: "mood" },
    },
    relations: { customer: { type: "many-to-one", target: "customer" } },
  });
  const payment = new EntitySchema<Record<string, unknown>>({
    name: "payment",
    tableName: "payments",
    columns: { id: { type: Number, primary: true, generated: "increment" } },
    relations: { invoice: { type: "many-to-one", target: "invoice" } },
  });

  test("PostgreSQL: schema.table outside the default schema, for tables, referenced tables and enum types", async () => {
    const schema = await read(PG, [customer, invoice, payment]);
    expect(schema.tables.map((t) => t.name)).toEqual(["billing.invoices", "customers", "payments"]);
    const inBilling = table(schema, "billing.invoices");
    expect(inBilling.foreignKeys!.map((f) => f.referencedTable)).toEqual(["customers"]);
    expect(inBilling.columns.filter((c) => c.enumName).map((c) => c.enumName)).toEqual(["billing.invoices_state_enum", "billing.mood"]);
    expect(table(schema, "payments").foreignKeys!.map((f) => f.referencedTable)).toEqual(["billing.invoices"]);
    expect(schema.enums.map((e) => e.name)).toEqual(["billing.invoices_state_enum", "billing.mood"]);
  });

  test("PostgreSQL: the DataSource's own schema is the default until connected, so its tables stay unqualified", async () => {
    const schema = await read({ ...PG, schema: "billing" } as DataSourceOptions, [customer, invoice]);
    expect(schema.tables.map((t) => t.name)).toEqual(["customers", "invoices"]);
  });

  test("SQLite and MySQL refuse the entity, naming it and the option", async () => {
    const ledger = (options: { schema?: string; database?: string }) =>
      new EntitySchema({ name: "ledger", ...options, columns: { id: { type: Number, primary: true, generated: "increment" } } });
    await expect(read(LITE, [ledger({ schema: "billing" })])).rejects.toThrow(/^Entity ledger: it names schema "billing" \(@Entity\(\{ schema: "billing" \}\)\)/);
    await expect(read(MY, [ledger({ database: "other" })])).rejects.toThrow(/^Entity ledger: it names database "other"/);
    // TypeORM's MySQL driver ignores `schema`, and so does the model; the connection's own database is no other.
    expect((await read(MY, [ledger({ schema: "billing" })])).tables.map((t) => t.name)).toEqual(["ledger"]);
    expect((await read(MY, [ledger({ database: "app" })])).tables.map((t) => t.name)).toEqual(["ledger"]);
  });
});
