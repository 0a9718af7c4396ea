/**
 * Entities shared by the model tests: one of each kind of table TypeORM
 * creates (regular, embedded, many-to-many junction, closure table and its
 * junction, single-table inheritance), plus a view and an unsynchronized
 * entity that must not become tables.
 */
import "reflect-metadata";
import {
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

@ViewEntity({ name: "author_names", expression: `SELECT "id", "name" FROM "author"` })
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
