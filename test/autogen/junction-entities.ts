/**
 * Entities shared by the fixtures where a many-to-many becomes an explicit
 * junction entity (kind-many-to-many-to-junction-*): posts and tags, and the
 * junction TypeORM made for them declared as an entity of its own under the
 * same table name, with an extra column and the given column names.
 */
import { EntitySchema } from "typeorm";

export const post = (v: 1 | 2) =>
  new EntitySchema<Record<string, unknown>>({
    name: "post",
    tableName: "posts",
    columns: {
      id: { type: Number, primary: true, generated: "increment" },
      title: { type: "varchar", length: 100 },
    },
    relations:
      v === 1
        ? { tags: { type: "many-to-many", target: "tag", joinTable: true } }
        : {},
  });

export const tag = new EntitySchema<Record<string, unknown>>({
  name: "tag",
  tableName: "tags",
  columns: {
    id: { type: Number, primary: true, generated: "increment" },
    label: { type: "varchar", length: 40 },
  },
});

export const junctionEntity = (postColumn: string, tagColumn: string) =>
  new EntitySchema<Record<string, unknown>>({
    name: "post_tag",
    tableName: "posts_tags_tags",
    columns: {
      [postColumn]: { type: Number, primary: true },
      [tagColumn]: { type: Number, primary: true },
      weight: { type: "int", default: 1 },
    },
    relations: {
      post: {
        type: "many-to-one",
        target: "post",
        joinColumn: { name: postColumn },
        onDelete: "CASCADE",
        onUpdate: "CASCADE",
      },
      tag: {
        type: "many-to-one",
        target: "tag",
        joinColumn: { name: tagColumn },
        onDelete: "CASCADE",
        onUpdate: "CASCADE",
      },
    },
    indices: [{ columns: [postColumn] }, { columns: [tagColumn] }],
  });
