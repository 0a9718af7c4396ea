/**
 * The two producers agree on MySQL: tables TypeORM's own synchronize builds
 * from entities introspect to exactly what the entity-metadata reader
 * describes, for a spread of column kinds, keys and relations.
 */
import {
  Check,
  Column,
  CreateDateColumn,
  DataSource,
  Entity,
  Index,
  JoinTable,
  ManyToMany,
  ManyToOne,
  PrimaryColumn,
  PrimaryGeneratedColumn,
  Unique,
  UpdateDateColumn,
  VersionColumn,
  DeleteDateColumn,
} from "typeorm";
import { mysqlDialect } from "../../src/dialects/mysql";
import { schemaFromMetadata } from "../../src/model";
import { queryableOf } from "../../src/runner/connection";
import {
  createTestDatabase,
  describeEachDialect,
  type TestDatabase,
} from "../support/databases";

@Entity("authors")
class Author {
  @PrimaryGeneratedColumn() id!: number;
  @Column({ length: 100, unique: true }) name!: string;
  @ManyToMany(() => Tag) @JoinTable() tags!: Tag[];
}

@Entity("tags")
class Tag {
  @PrimaryColumn({ type: "varchar", length: 30 }) code!: string;
}

@Entity("posts")
@Unique("uq_posts_slug_author", ["slug", "author"])
@Index("idx_posts_rating_title", ["rating", "title"])
@Check("ck_posts_rating", "`rating` >= 0")
class Post {
  @PrimaryGeneratedColumn("increment", { type: "bigint", unsigned: true })
  id!: string;
  @Column() title!: string;
  @Column({ type: "varchar", length: 60 }) slug!: string;
  @Column({ type: "text", nullable: true }) body!: string | null;
  @Column({ default: 0 }) views!: number;
  @Column({ type: "decimal", precision: 10, scale: 2, default: 1.5 })
  rating!: string;
  @Column({ type: "float", nullable: true }) ratio!: number | null;
  @Column({ type: "double" }) score!: number;
  @Column({ default: true }) published!: boolean;
  @Column({ type: "enum", enum: ["draft", "live", "it's"], default: "draft" })
  state!: string;
  @Column({ type: "set", enum: ["a", "b"], default: ["a"] }) flags!: string[];
  @Column({ type: "json", nullable: true }) meta!: object | null;
  @Column("simple-array") labels!: string[];
  @Column("simple-json", { nullable: true }) extra!: object | null;
  @Column({ type: "datetime", precision: 3, nullable: true })
  publishedAt!: Date | null;
  @Column({ type: "date", default: "2020-01-01" }) day!: string;
  @Column({ type: "timestamp", default: () => "CURRENT_TIMESTAMP" })
  stamped!: Date;
  @Column({ type: "char", length: 2, comment: "ISO code" }) lang!: string;
  @Column({ type: "varchar", length: 20, charset: "latin1", nullable: true })
  legacy!: string | null;
  @Column({
    type: "varchar",
    length: 20,
    collation: "utf8mb4_bin",
    nullable: true,
  })
  exact!: string | null;
  @Column({ type: "int", unsigned: true, default: 5 }) weight!: number;
  @Column({ type: "uuid", nullable: true }) ref!: string | null;
  @Column({
    type: "int",
    asExpression: "`views` + 1",
    generatedType: "VIRTUAL",
    nullable: true,
  })
  viewsPlus!: number;
  @CreateDateColumn() createdAt!: Date;
  @UpdateDateColumn() updatedAt!: Date;
  @DeleteDateColumn() deletedAt!: Date | null;
  @VersionColumn() version!: number;
  @Index() @Column({ type: "varchar", length: 10, nullable: true }) code!:
    string | null;
  @ManyToOne(() => Author, { onDelete: "CASCADE", nullable: false })
  author!: Author;
  @ManyToOne(() => Post, { nullable: true, onDelete: "SET NULL" })
  parent!: Post | null;
}

describeEachDialect(
  "mysql convergence with TypeORM synchronize",
  () => {
    let testDb: TestDatabase;
    let dataSource: DataSource;

    beforeAll(async () => {
      testDb = await createTestDatabase("mysql");
      // MariaDB users declare "mariadb": TypeORM then writes generated columns without NULL/NOT NULL, which MariaDB requires.
      dataSource = new DataSource({
        ...testDb.options,
        type: "mariadb",
        entities: [Author, Tag, Post],
        synchronize: true,
        logging: false,
      } as never);
      await dataSource.initialize();
      // TypeORM's synchronize never writes @Check on MySQL; retort keeps declared checks
      // (MySQL 8.0.16+ and MariaDB enforce them), so add it the way retort's createCheck would.
      for (const sql of await mysqlDialect.render({
        kind: "createCheck",
        table: "posts",
        check: { name: "ck_posts_rating", expression: "`rating` >= 0" },
      })) {
        await dataSource.query(sql);
      }
    });

    afterAll(async () => {
      if (dataSource?.isInitialized) await dataSource.destroy();
      await testDb?.drop();
    });

    it("introspects to exactly what the entity metadata describes", async () => {
      const runner = dataSource.createQueryRunner();
      try {
        // typeorm_metadata is TypeORM's bookkeeping for generated columns, not an entity table.
        const current = await mysqlDialect.introspect(queryableOf(runner), {
          includeTable: (t) => t !== "typeorm_metadata",
        });
        const target = schemaFromMetadata(dataSource, mysqlDialect);
        expect(current.tables.map((t) => t.name)).toEqual(
          target.tables.map((t) => t.name),
        );
        for (const table of target.tables) {
          expect(current.tables.find((t) => t.name === table.name)).toEqual(
            table,
          );
        }
      } finally {
        await runner.release();
      }
    });
  },
  ["mysql"],
);
