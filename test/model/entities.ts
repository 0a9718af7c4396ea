/**
 * Entities shared by the model tests: one of each kind of table TypeORM
 * creates (regular, embedded, many-to-many junction, closure table and its
 * junction, single-table inheritance), plus a view and an unsynchronized
 * entity that must not become tables.
 */
import "reflect-metadata";
import {
  EntitySchema,
  Check,
  ChildEntity,
  Column,
  CreateDateColumn,
  Entity,
  Index,
  JoinColumn,
  JoinTable,
  ManyToMany,
  ManyToOne,
  OneToOne,
  PrimaryColumn,
  PrimaryGeneratedColumn,
  TableInheritance,
  Tree,
  TreeChildren,
  TreeParent,
  Unique,
  UpdateDateColumn,
  ViewEntity,
  ViewColumn,
  VersionColumn,
  Generated,
  Exclusion,
} from "typeorm";

export enum Role {
  Admin = "admin",
  User = "user",
}

export class Audit {
  @Column({ type: "varchar", length: 50, nullable: true })
  by: string | null;

  @Column({ type: "int", default: 0 })
  revision: number;
}

@Entity("author", { comment: "people who write" })
@Unique("UQ_author_name_email", ["name", "email"])
@Check("CHK_author_age", `"age" >= 0`)
@Index("IDX_author_age", ["age"])
@Index("IDX_author_name_age", ["name", "age"], { unique: true })
export class Author {
  @PrimaryGeneratedColumn()
  id: number;

  @Column({ length: 100 })
  name: string;

  @Column({ type: "varchar", length: 200, unique: true })
  email: string;

  @Column({ type: "int", nullable: true })
  age: number | null;

  @Column({ type: "simple-enum", enum: Role, default: Role.User })
  role: Role;

  @Column(() => Audit)
  audit: Audit;

  @Column({ type: "boolean", default: true })
  active: boolean;

  @Column({ type: "text", nullable: true, comment: "shown on the profile" })
  bio: string | null;

  @Column({ type: "decimal", precision: 10, scale: 2, default: 1.5 })
  rating: string;

  @CreateDateColumn()
  createdAt: Date;

  @VersionColumn()
  version: number;
}

@Entity("tag")
export class Tag {
  @PrimaryGeneratedColumn()
  id: number;

  @Column({ type: "varchar", length: 30 })
  label: string;
}

@Entity("post")
export class Post {
  @PrimaryGeneratedColumn()
  id: number;

  @Column({ type: "varchar", length: 120, default: "untitled" })
  title: string;

  @ManyToOne(() => Author, { onDelete: "CASCADE", nullable: false })
  author: Author;

  @ManyToOne(() => Author, { nullable: true, onDelete: "SET NULL" })
  @JoinColumn({ name: "editor_id", foreignKeyConstraintName: "FK_post_editor" })
  editor: Author | null;

  @ManyToMany(() => Tag)
  @JoinTable()
  tags: Tag[];

  @UpdateDateColumn()
  updatedAt: Date;
}

@Entity("profile")
export class Profile {
  @PrimaryColumn({ type: "int", primaryKeyConstraintName: "PK_profile_custom" })
  authorId: number;

  @OneToOne(() => Author)
  @JoinColumn({ name: "authorId" })
  author: Author;

  @Column({ type: "varchar", length: 20, nullable: true })
  handle: string | null;
}

@Entity("category")
@Tree("closure-table")
export class Category {
  @PrimaryGeneratedColumn()
  id: number;

  @Column({ type: "varchar", length: 60 })
  name: string;

  @TreeChildren()
  children: Category[];

  @TreeParent()
  parent: Category | null;
}

@Entity("content")
@TableInheritance({ column: { type: "varchar", length: 20, name: "kind" } })
export class Content {
  @PrimaryGeneratedColumn()
  id: number;

  @Column({ type: "varchar", length: 80 })
  title: string;
}

@ChildEntity("photo")
export class Photo extends Content {
  @Column({ type: "int" })
  width: number;
}

@ChildEntity("note")
export class Note extends Content {
  @Column({ type: "text" })
  body: string;
}

@ViewEntity({ name: "author_names", expression: `SELECT id, name FROM author` })
export class AuthorNames {
  @ViewColumn()
  id: number;

  @ViewColumn()
  name: string;
}

@Entity("legacy", { synchronize: false })
export class Legacy {
  @PrimaryColumn({ type: "int" })
  id: number;
}

export const SHARED_ENTITIES = [Author, Tag, Post, Profile, Category, Content, Photo, Note, AuthorNames, Legacy];

@Entity("ticket")
export class Ticket {
  @PrimaryGeneratedColumn("identity", { generatedIdentity: "ALWAYS" })
  id: number;

  @Column({ type: "bigint" })
  @Generated("increment")
  n: string;
}

@Entity("hashed_doc")
export class HashedDoc {
  @PrimaryColumn({ type: "int" })
  id: number;

  @Index("IDX_hashed_body", { type: "hash" } as never)
  @Column({ type: "text" })
  body: string;
}

/** PostgreSQL: an exclusion constraint as TypeORM's synchronize creates it (a range needs no btree_gist). */
@Entity("room_booking")
@Exclusion(`USING gist ("during" WITH &&)`, { deferrable: "INITIALLY DEFERRED" })
export class RoomBooking {
  @PrimaryColumn({ type: "int" })
  id: number;

  @Column({ type: "tstzrange" })
  during: string;
}

/** One entity holding a default of every kind TypeORM accepts, per dialect. */
export function defaultsEntity(kind: "postgres" | "mysql" | "sqlite"): EntitySchema {
  const columns: Record<string, object> = {
    id: { type: kind === "postgres" ? "uuid" : "varchar", primary: true, generated: "uuid" },
    text: { type: "varchar", length: 20, default: "hello" },
    negative: { type: "int", default: -1 },
    flag: { type: "boolean", default: false },
    stamp: { type: kind === "postgres" ? "timestamp" : "datetime", default: () => "CURRENT_TIMESTAMP" },
    nothing: { type: "varchar", length: 5, nullable: true, default: null },
    // MySQL cannot give a JSON column a literal default.
    settings: { type: "json", nullable: true, default: kind === "mysql" ? undefined : { a: 1 } },
  };
  if (kind === "postgres") columns.labels = { type: "varchar", array: true, default: ["a", "b"] };
  return new EntitySchema({ name: `defaults_${kind}`, tableName: "defaults", columns } as never);
}

/** A computed column (PostgreSQL only has STORED ones). */
export function computedEntity(stored: boolean): EntitySchema {
  return new EntitySchema({
    name: "computed",
    columns: {
      id: { type: "int", primary: true, generated: "increment" },
      price: { type: "int" },
      doubled: { type: "int", nullable: true, asExpression: `price * 2`, generatedType: stored ? "STORED" : "VIRTUAL" },
    },
  });
}

/** MySQL-only column properties: unsigned, charset/collation, ON UPDATE. */
export function wideEntity(): EntitySchema {
  return new EntitySchema({
    name: "wide",
    columns: {
      id: { type: "int", primary: true, unsigned: true },
      code: { type: "varchar", length: 10, charset: "latin1", collation: "latin1_bin" },
      touched: { type: "timestamp", nullable: true, onUpdate: "CURRENT_TIMESTAMP" },
    },
  });
}

/** A partial unique index written the way TypeORM's docs write predicates (quoted identifiers). */
export function partialIndexEntity(): EntitySchema {
  return new EntitySchema({
    name: "partial_doc",
    columns: { id: { type: "int", primary: true }, slug: { type: "varchar", length: 40, nullable: true } },
    indices: [{ name: "IDX_partial_doc_slug", columns: ["slug"], unique: true, where: `"slug" IS NOT NULL` }],
  });
}

/** Column types TypeORM can declare, per dialect, for the round-trip test. */
export function typesEntity(kind: "postgres" | "mysql" | "sqlite"): EntitySchema {
  const columns: Record<string, object> = { id: { type: "int", primary: true, generated: "increment" } };
  const add = (name: string, column: object) => (columns[name] = { nullable: true, ...column });
  if (kind === "postgres") {
    add("c1", { type: "char" });
    add("c3", { type: "character", length: 3 });
    add("vnolen", { type: "varchar" });
    add("txt", { type: "text", default: "it''s" });
    add("small", { type: "smallint", default: 7 });
    add("big", { type: "bigint" });
    add("r", { type: "real" });
    add("dbl", { type: "double precision", default: 1.25 });
    add("money", { type: "numeric", precision: 12, scale: 4 });
    add("num", { type: "numeric" });
    add("day", { type: "date", default: () => "CURRENT_DATE" });
    add("clock", { type: "time" });
    add("at", { type: "timestamptz", precision: 3 });
    add("span", { type: "interval" });
    add("raw", { type: "bytea" });
    add("doc", { type: "jsonb", default: { k: [1, 2] } });
    add("ident", { type: "uuid" });
    add("addr", { type: "inet" });
    add("nums", { type: "int", array: true });
    add("cur", { type: "enum", enum: ["EUR", "USD"], enumName: "currency", default: "EUR" });
    add("curs", { type: "enum", enum: ["EUR", "USD"], enumName: "currency", array: true });
    add("sentence", { type: "varchar", length: 40, comment: "it's a comment" });
  } else if (kind === "mysql") {
    add("tiny", { type: "tinyint", default: 3 });
    add("small", { type: "smallint" });
    add("medium", { type: "mediumint" });
    add("big", { type: "bigint", unsigned: true });
    add("f", { type: "float" });
    add("dbl", { type: "double", default: 1.25 });
    add("money", { type: "decimal", precision: 12, scale: 4, default: 2 });
    add("num", { type: "decimal" });
    add("c1", { type: "char" });
    add("c3", { type: "char", length: 3 });
    add("vdefault", { type: "varchar" });
    add("txt", { type: "text" });
    add("mtxt", { type: "mediumtext" });
    add("ltxt", { type: "longtext" });
    add("raw", { type: "blob" });
    add("day", { type: "date" });
    add("clock", { type: "time" });
    add("stamp", { type: "timestamp", precision: 3, default: () => "CURRENT_TIMESTAMP(3)" });
    add("moment", { type: "datetime" });
    add("doc", { type: "json" });
    add("perms", { type: "set", enum: ["r", "w", "x"], default: ["r", "w"] });
    add("level", { type: "enum", enum: ["low", "high"], default: "low" });
    add("sentence", { type: "varchar", length: 40, comment: "it's a comment" });
  } else {
    add("i", { type: "int" });
    add("integer", { type: "integer", default: 4 });
    add("r", { type: "real", default: 1.5 });
    add("dbl", { type: "double" });
    add("num", { type: "numeric" });
    add("money", { type: "decimal", precision: 8, scale: 2 });
    add("txt", { type: "text" });
    add("raw", { type: "blob" });
    add("v10", { type: "varchar", length: 10 });
    add("c3", { type: "character", length: 3 });
    add("flag", { type: "boolean", default: true });
    add("day", { type: "date" });
    add("moment", { type: "datetime", default: () => "CURRENT_TIMESTAMP" });
    add("sj", { type: "simple-json" });
    add("sa", { type: "simple-array" });
  }
  return new EntitySchema({ name: `types_${kind}`, tableName: "types", columns } as never);
}
