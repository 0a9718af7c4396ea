/**
 * What a comparison needs from the entities, as plain data: the target
 * schema and the few facts about the entity metadata that findings read
 * (single-table inheritance, trees, concurrent indexes). Plain data, so that
 * the model cache (src/model/cache.ts) can keep it and a command that finds
 * its inputs unchanged compares without loading the entities.
 */
import type { DataSource } from "typeorm";
import type { Dialect } from "../dialects/dialect";
import type { Schema } from "../schema/types";
import { modelNamespaces, schemaFromMetadata, tableMetadatas, type TruncatedName } from "./index";

/** A table whose rows say which entity they are (`@TableInheritance` + `@ChildEntity`). */
export interface DeclaredInheritance {
  /** The table as the entity names it (TypeORM's `tableName`). */
  table: string;
  column: string;
  /** The discriminator values of the parent and every child entity. */
  values: string[];
  /** Those of the child entities alone. */
  childValues: string[];
}

/** A tree entity's bookkeeping: the columns and closure table TypeORM's tree queries read. */
export interface DeclaredTree {
  table: string;
  type: "adjacency-list" | "closure-table" | "nested-set" | "materialized-path";
  /** The single primary column, when there is one. */
  id?: string;
  closure?: { table: string; ancestor: string; descendant: string };
  materializedPath?: string;
  nestedSet?: { left: string; right: string };
}

export interface DeclaredModel {
  /** The schema the entities declare, managed tables only, in the dialect's canonical form. */
  schema: Schema;
  /** Entity names the server will store shortened. */
  truncated: TruncatedName[];
  /** The non-default namespaces the entities and options name. */
  namespaces: string[];
  /** Indexes declared `@Index({ concurrent: true })`. */
  concurrentIndexes: string[];
  inheritance: DeclaredInheritance[];
  trees: DeclaredTree[];
}

/** The declared model of `dataSource`, whose metadata is built; `includeTable` chooses the managed tables. */
export function declaredModelOf(dataSource: DataSource, dialect: Dialect, includeTable: (name: string) => boolean): DeclaredModel {
  const truncated: TruncatedName[] = [];
  const schema = schemaFromMetadata(dataSource, dialect, { includeTable, onTruncatedName: (name) => truncated.push(name) });
  const metadatas = tableMetadatas(dataSource);
  const inheritance: DeclaredInheritance[] = [];
  const trees: DeclaredTree[] = [];
  for (const m of metadatas) {
    const column = m.discriminatorColumn?.databaseName;
    if (m.inheritancePattern === "STI" && column) {
      const valuesOf = (list: typeof metadatas) => list.map((e) => e.discriminatorValue).filter((v): v is string => v !== undefined);
      inheritance.push({ table: m.tableName, column, values: valuesOf([m, ...m.childEntityMetadatas]), childValues: valuesOf(m.childEntityMetadatas) });
    }
    if (m.treeType) {
      const tree: DeclaredTree = { table: m.tableName, type: m.treeType };
      if (m.primaryColumns.length === 1) tree.id = m.primaryColumns[0].databaseName;
      const junction = m.treeType === "closure-table" ? m.closureJunctionTable : undefined;
      if (junction) {
        tree.closure = { table: junction.tableName, ancestor: junction.ancestorColumns[0].databaseName, descendant: junction.descendantColumns[0].databaseName };
      }
      if (m.materializedPathColumn) tree.materializedPath = m.materializedPathColumn.databaseName;
      if (m.nestedSetLeftColumn && m.nestedSetRightColumn) tree.nestedSet = { left: m.nestedSetLeftColumn.databaseName, right: m.nestedSetRightColumn.databaseName };
      trees.push(tree);
    }
  }
  return {
    schema,
    truncated,
    namespaces: modelNamespaces(dataSource),
    concurrentIndexes: [...new Set(metadatas.flatMap((m) => m.indices.filter((i) => i.isConcurrent).map((i) => i.name)))].sort(),
    inheritance,
    trees,
  };
}
