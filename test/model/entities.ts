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
