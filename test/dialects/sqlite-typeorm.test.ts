/**
 * Tables TypeORM itself created (synchronize) go through our rebuilds and
 * come out as TypeORM wrote them: its own schema builder then sees nothing to
 * change, and the introspected schema is unchanged by a round trip.
 */
import "reflect-metadata";
import {
  Check,
  Column,
  CreateDateColumn,
  DataSource,
  Entity,
  Index,
  ManyToOne,
  PrimaryColumn,
  PrimaryGeneratedColumn,
  Unique,
} from "typeorm";
import { sqliteDialect as dialect } from "../../src/dialects/sqlite";
import { reverseOp } from "../../src/ops/reverse";
import type { Op } from "../../src/ops/types";
import { connect, type Connection } from "../../src/runner/connection";
import { createTestDatabase, type TestDatabase } from "../support/databases";

@Entity("author")
class Author {
  @PrimaryGeneratedColumn() id!: number;
  @Column({ type: "varchar", length: 50, unique: true }) name!: string;
  @Column({ type: "simple-enum", enum: ["new", "old"], default: "new" }) kind!: string;
  @CreateDateColumn() created!: Date;
  @Column({ type: "boolean", default: true }) active!: boolean;
  @Column({ type: "decimal", precision: 10, scale: 2, nullable: true }) amount!: number | null;
}

@Entity("book")
@Unique("UQ_book_title_author", ["title", "author"])
@Check("CHK_book_pages", `"pages" > 0`)
@Index("IX_book_pages", ["pages"], { where: `"pages" > 100` })
class Book {
  @PrimaryGeneratedColumn() id!: number;
  @Column({ type: "varchar" }) title!: string;
  @Column({ type: "integer", default: 1 }) pages!: number;
  @Column({ type: "integer", generatedType: "STORED", asExpression: `"pages" * 2`, nullable: true }) doubled!: number;
  @ManyToOne(() => Author, { onDelete: "CASCADE" }) author!: Author;
}

@Entity("tag")
class Tag {
  @PrimaryColumn({ type: "varchar", length: 20 }) code!: string;
  @PrimaryColumn({ type: "integer" }) scope!: number;
}

let database: TestDatabase;
let connection: Connection;

beforeEach(async () => {
  database = await createTestDatabase("sqlite");
  const dataSource = new DataSource({ ...database.options, entities: [Author, Book, Tag], synchronize: true } as never);
  connection = await connect(dataSource);
  const db = connection.db;
  await db.query(`INSERT INTO "author" ("name") VALUES ('ann'), ('ben')`);
  await db.query(`INSERT INTO "book" ("title", "pages", "authorId") VALUES ('a', 10, 1), ('b', 200, 1), ('c', 5, 2)`);
});

afterEach(async () => {
  await connection.close();
  await database.drop();
});

async function apply(op: Op): Promise<void> {
  const db = connection.db;
  await dialect.prepareSession(db);
  await db.query("BEGIN");
  try {
    for (const sql of await dialect.render(op, db)) await db.query(sql);
    await dialect.verifyBeforeCommit(db);
    await db.query("COMMIT");
  } catch (error) {
    await db.query("ROLLBACK");
    throw error;
  } finally {
    await dialect.restoreSession(db);
  }
}

/** What TypeORM's own synchronize would still do; empty means it agrees with the database. */
async function typeormPendingSql(): Promise<string[]> {
  const log = await connection.dataSource.driver.createSchemaBuilder().log();
  return log.upQueries.map((q) => q.query);
}

describe("sqlite rebuilds of TypeORM-created tables", () => {
  it("TypeORM agrees with itself before anything runs", async () => {
    expect(await typeormPendingSql()).toEqual([]);
  });

  it("introspects TypeORM's tables in canonical form", async () => {
    const schema = await dialect.introspect(connection.db);
    const author = schema.tables.find((t) => t.name === "author");
    expect(author?.columns).toEqual([
      { name: "id", type: "integer", nullable: false, autoIncrement: true },
      { name: "name", type: "varchar", length: 50, nullable: false },
      { name: "kind", type: "varchar", nullable: false, default: "'new'", enumValues: ["new", "old"] },
      { name: "created", type: "datetime", nullable: false, default: "datetime('now')" },
      { name: "active", type: "boolean", nullable: false, default: "1" },
      { name: "amount", type: "decimal", precision: 10, scale: 2, nullable: true },
    ]);
    const book = schema.tables.find((t) => t.name === "book");
    expect(book?.uniques).toEqual([{ name: "UQ_book_title_author", columns: ["title", "authorId"] }]);
    expect(book?.checks).toEqual([{ name: "CHK_book_pages", expression: '"pages" > 0' }]);
    expect(book?.indexes).toEqual([{ name: "IX_book_pages", columns: ["pages"], where: '"pages" > 100' }]);
    expect(book?.columns.find((c) => c.name === "doubled")?.generated).toEqual({ expression: '"pages" * 2', stored: true });
    expect(book?.foreignKeys?.[0]).toMatchObject({ columns: ["authorId"], referencedTable: "author", onDelete: "CASCADE", onUpdate: "NO ACTION" });
    expect(schema.tables.find((t) => t.name === "tag")?.primaryKey).toEqual({ columns: ["code", "scope"] });
  });

  const roundTrips: Array<[string, (schemaOf: (t: string) => Promise<import("../../src/schema/types").Table>) => Promise<Op>]> = [
    [
      "alterColumn default on the parent",
      async (t) => ({
        kind: "alterColumn",
        table: "author",
        column: "active",
        changes: { default: "0" },
        existing: (await t("author")).columns.find((c) => c.name === "active"),
      }),
    ],
    [
      "alterColumn enum values",
      async (t) => ({
        kind: "alterColumn",
        table: "author",
        column: "kind",
        changes: { enumValues: ["new", "old", "mid"] },
        existing: (await t("author")).columns.find((c) => c.name === "kind"),
      }),
    ],
    ["dropCheck on the child", async (t) => ({ kind: "dropCheck", table: "book", name: "CHK_book_pages", existing: (await t("book")).checks?.[0] })],
    [
      "dropForeignKey on the child",
      async (t) => {
        const fk = (await t("book")).foreignKeys?.[0];
        return { kind: "dropForeignKey", table: "book", name: fk?.name ?? "", existing: fk };
      },
    ],
    ["dropUnique on the child", async (t) => ({ kind: "dropUnique", table: "book", name: "UQ_book_title_author", existing: (await t("book")).uniques?.[0] })],
  ];

  it.each(roundTrips)("%s and its reverse leave TypeORM nothing to do, and keep the rows", async (_title, makeOp) => {
    const table = async (name: string) => {
      const found = (await dialect.introspect(connection.db)).tables.find((t) => t.name === name);
      if (!found) throw new Error(`no table ${name}`);
      return found;
    };
    const before = await dialect.introspect(connection.db);
    const op = await makeOp(table);
    await apply(op);
    expect(await dialect.introspect(connection.db)).not.toEqual(before);
    // the probe is live: TypeORM does notice the forward change
    expect((await typeormPendingSql()).length).toBeGreaterThan(0);
    await apply(reverseOp(op)!);
    expect(await dialect.introspect(connection.db)).toEqual(before);
    expect(await typeormPendingSql()).toEqual([]);
    expect(await connection.db.query(`SELECT "title", "authorId", "doubled" FROM "book" ORDER BY "id"`)).toEqual([
      { title: "a", authorId: 1, doubled: 20 },
      { title: "b", authorId: 1, doubled: 400 },
      { title: "c", authorId: 2, doubled: 10 },
    ]);
  });
});
