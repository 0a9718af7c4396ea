import type { Check, Deferrable, Exclusion, ForeignKey, Index, PrimaryKey, ReferentialAction, Unique } from "../schema/types";
import { tableColumns, UnsupportedModelError, type TableContext } from "./columns";

const ACTIONS: readonly ReferentialAction[] = ["NO ACTION", "RESTRICT", "CASCADE", "SET NULL", "SET DEFAULT"];

/** The primary key TypeORM writes; its name only where the database keeps one. */
export function primaryKeyOf(ctx: TableContext): PrimaryKey | undefined {
  const primary = tableColumns(ctx.metadata).filter((c) => c.isPrimary);
  if (primary.length === 0) return undefined;
  const columns = primary.map((c) => c.databaseName);
  if (!ctx.profile.namedPrimaryKey) return { columns };
  const name =
    primary[0].primaryKeyConstraintName ?? ctx.namingStrategy.primaryKeyName(ctx.typeormPath, columns);
  return { name, columns };
}

/**
 * Unique constraints: `@Unique`, `@Column({ unique: true })` and one-to-one
 * join columns. On MySQL TypeORM has already turned them into unique indexes
 * in the metadata, so this list is empty there.
 */
export function uniquesOf(ctx: TableContext): Unique[] {
  return ctx.metadata.uniques.map((u) => {
    const unique: Unique = { name: u.name, columns: u.columns.map((c) => c.databaseName) };
    const deferrable = deferrableOf(u.deferrable);
    if (ctx.profile.deferrableUniques && deferrable) unique.deferrable = deferrable;
    return unique;
  });
}

/** Indexes TypeORM creates (`synchronize: false` ones are the user's to manage and are left out). */
export function indexesOf(ctx: TableContext): Index[] {
  return ctx.metadata.indices
    .filter((i) => i.synchronize !== false)
    .map((i) => {
      const index: Index = { name: i.name, columns: i.columns.map((c) => c.databaseName) };
      if (i.isUnique) index.unique = true;
      if (ctx.profile.partialIndexes && i.where) index.where = i.where;
      if (ctx.profile.indexKinds && i.isFulltext) index.fulltext = true;
      if ((ctx.profile.indexKinds || ctx.profile.indexMethods) && i.isSpatial) index.spatial = true;
      const using = ctx.profile.indexMethods ? (i.isSpatial ? "gist" : i.type) : undefined;
      if (using && using.toLowerCase() !== "btree") index.using = using.toLowerCase();
      return index;
    });
}

/** Foreign keys with TypeORM's names; TypeORM always states both actions (default NO ACTION). */
export function foreignKeysOf(ctx: TableContext): ForeignKey[] {
  return ctx.metadata.foreignKeys.map((fk) => {
    const foreignKey: ForeignKey = {
      name: fk.name,
      columns: [...fk.columnNames],
      referencedTable: ctx.tableNameOf(fk.referencedEntityMetadata),
      referencedColumns: [...fk.referencedColumnNames],
      onDelete: actionOf(fk.onDelete, ctx, fk.name),
      onUpdate: actionOf(fk.onUpdate, ctx, fk.name),
    };
    const deferrable = deferrableOf(fk.deferrable);
    if (ctx.profile.deferrableForeignKeys && deferrable) foreignKey.deferrable = deferrable;
    return foreignKey;
  });
}

/** `@Check` constraints, where TypeORM creates them (never on MySQL). */
export function checksOf(ctx: TableContext): Check[] {
  if (!ctx.profile.checks) return [];
  return ctx.metadata.checks.map((c) => ({ name: c.name, expression: c.expression }));
}

/** `@Exclusion` constraints, where TypeORM creates them (PostgreSQL). */
export function exclusionsOf(ctx: TableContext): Exclusion[] {
  if (!ctx.profile.exclusions) return [];
  return ctx.metadata.exclusions.map((x) => {
    const exclusion: Exclusion = { name: x.name, expression: x.expression };
    const deferrable = deferrableOf(x.deferrable);
    if (deferrable) exclusion.deferrable = deferrable;
    return exclusion;
  });
}

function actionOf(action: string | undefined, ctx: TableContext, constraint: string): ReferentialAction {
  const value = (action ?? "NO ACTION").toUpperCase();
  if ((ACTIONS as readonly string[]).includes(value)) return value as ReferentialAction;
  throw new UnsupportedModelError(
    ctx.metadata.tableName,
    undefined,
    `foreign key ${constraint} has referential action "${action}", which TypeORM would write as invalid SQL; use one of ${ACTIONS.join(", ")}`,
  );
}

function deferrableOf(value: string | undefined): Deferrable | undefined {
  if (value === "INITIALLY IMMEDIATE" || value === "INITIALLY DEFERRED") return value;
  return undefined;
}
