/**
 * The portable vocabulary on MySQL/MariaDB, by MysqlDriver's rules
 * (normalizeType, normalizeDefault, getColumnLength, mappedDataTypes). Uuid
 * is MariaDB's native type from 10.7 (TypeORM's uuidColumnTypeSuported),
 * otherwise a varchar: 36 long for a generated uuid, 255 for a plain one.
 */
import type { PortableResolver } from "../../ops/portable";
import { typeorm } from "../../config/typeorm";
import type { Op } from "../../ops/types";
import type { Unique } from "../../schema/types";
import type { ConstraintNaming, PortableDriverOptions, Queryable } from "../dialect";
import { portableResolverOf, quoted, type PortableDialectRules } from "../portable-rules";
import { canonicalColumn } from "./grammar";

export function mysqlPortableRules(nativeUuid: boolean, naming?: () => ConstraintNaming | undefined): PortableDialectRules {
  return {
    types: {
      SmallInteger: { type: "smallint" },
      Integer: { type: "int" },
      BigInteger: { type: "bigint" },
      Decimal: { type: "decimal" },
      Float: { type: "float" },
      Double: { type: "double" },
      Boolean: { type: "tinyint" },
      String: { type: "varchar", length: 255 },
      Text: { type: "text" },
      Date: { type: "date" },
      Time: { type: "time" },
      DateTime: { type: "datetime" },
      DateTimeTz: { type: "datetime" },
      CreateDate: { type: "datetime", precision: 6, nowDefault: true },
      UpdateDate: { type: "datetime", precision: 6, nowDefault: true, onUpdateNow: true },
      DeleteDate: { type: "datetime", precision: 6, nullable: true },
      Uuid: { type: nativeUuid ? "uuid" : "varchar" },
      Json: { type: "json" },
      SimpleJson: { type: "text" },
      SimpleArray: { type: "text" },
      Enum: { type: "enum" },
      Blob: { type: "blob" },
    },
    literal: (value, column) => {
      if (typeof value === "boolean") return value ? "1" : "0";
      if (typeof value === "number" && column.type !== "Enum") return `'${value.toFixed(column.scale)}'`;
      return quoted(String(value));
    },
    now: (precision) => (precision ? `CURRENT_TIMESTAMP(${precision})` : "CURRENT_TIMESTAMP"),
    adjust(raw, column) {
      if (column.type === "Uuid" && !nativeUuid && column.length === undefined) {
        raw.length = typeof column.default === "object" && column.default !== null ? 36 : 255;
      }
      if (column.type === "Enum") delete raw.enumName;
    },
    canonicalColumn,
    op: (op) => (naming ? uniqueAsIndex(op, naming) : op),
  };
}

/**
 * MySQL keeps a unique constraint as a unique index, and TypeORM names one
 * declared without a name by namingStrategy.indexName (EntityMetadataBuilder),
 * where the other drivers use uniqueConstraintName: a unique constraint under
 * its default constraint name takes its default index name here.
 */
function uniqueAsIndex(op: Op, naming: () => ConstraintNaming | undefined): Op {
  const rename = (table: string, unique: Unique): Unique => {
    const strategy = naming();
    if (!strategy || unique.name !== strategy.uniqueConstraintName(table, unique.columns)) return unique;
    return { ...unique, name: strategy.indexName(table, unique.columns) };
  };
  switch (op.kind) {
    case "createUnique":
      return { ...op, unique: rename(op.table, op.unique) };
    case "dropUnique":
      return op.existing ? { ...op, name: rename(op.table, op.existing).name, existing: rename(op.table, op.existing) } : op;
    case "createTable":
      return op.table.uniques?.length ? { ...op, table: { ...op.table, uniques: op.table.uniques.map((u) => rename(op.table.name, u)) } } : op;
    case "dropTable":
      return op.existing?.uniques?.length
        ? { ...op, existing: { ...op.existing, uniques: op.existing.uniques.map((u) => rename(op.table, u)) } }
        : op;
    default:
      return op;
  }
}

/** The DataSource's naming strategy, else TypeORM's default (loaded only when a unique constraint asks). */
function namingOf(driver: PortableDriverOptions | undefined): () => ConstraintNaming | undefined {
  let strategy: ConstraintNaming | undefined = driver?.namingStrategy;
  return () => {
    if (strategy) return strategy;
    try {
      strategy = new (typeorm().DefaultNamingStrategy)() as unknown as ConstraintNaming;
    } catch {
      // No TypeORM to ask (offline SQL outside a project): the name stays as written.
    }
    return strategy;
  };
}

const nativeUuidOf = new WeakMap<Queryable, Promise<boolean>>();

/**
 * MariaDB 10.7+ has a uuid type, which TypeORM's "mariadb" driver uses (its
 * "mysql" driver never does); offline (no server) it is a varchar. Asked once
 * per connection.
 */
function hasNativeUuid(db: Queryable | undefined, driverType: string | undefined): Promise<boolean> {
  if (!db || driverType !== "mariadb") return Promise.resolve(false);
  let known = nativeUuidOf.get(db);
  if (!known) nativeUuidOf.set(db, (known = askNativeUuid(db)));
  return known;
}

async function askNativeUuid(db: Queryable): Promise<boolean> {
  const rows = await db.query<{ v: string }>("SELECT VERSION() AS v");
  const version = String(rows[0]?.v ?? "");
  const maria = /^(\d+)\.(\d+)\.\d+.*mariadb/i.exec(version);
  return maria !== null && (Number(maria[1]) > 10 || (Number(maria[1]) === 10 && Number(maria[2]) >= 7));
}

export async function portableResolver(db?: Queryable, driver?: PortableDriverOptions): Promise<PortableResolver> {
  return portableResolverOf(mysqlPortableRules(await hasNativeUuid(db, driver?.type), namingOf(driver)));
}
