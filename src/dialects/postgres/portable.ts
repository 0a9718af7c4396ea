/**
 * The portable vocabulary on PostgreSQL, by PostgresDriver's rules
 * (normalizeType, normalizeDefault, mappedDataTypes, uuidGenerator).
 */
import type { PortableResolver } from "../../ops/portable";
import { portableResolverOf, quoted, type PortableDialectRules } from "../portable-rules";
import { canonicalColumn } from "./grammar";

export const postgresPortableRules: PortableDialectRules = {
  types: {
    SmallInteger: { type: "smallint" },
    Integer: { type: "integer" },
    BigInteger: { type: "bigint" },
    Decimal: { type: "numeric" },
    // TypeORM's "float" is float8 on PostgreSQL.
    Float: { type: "double precision" },
    Double: { type: "double precision" },
    Boolean: { type: "boolean" },
    String: { type: "character varying" },
    Text: { type: "text" },
    Date: { type: "date" },
    Time: { type: "time without time zone" },
    DateTime: { type: "timestamp without time zone" },
    DateTimeTz: { type: "timestamp with time zone" },
    CreateDate: { type: "timestamp without time zone", nowDefault: true },
    UpdateDate: { type: "timestamp without time zone", nowDefault: true },
    DeleteDate: { type: "timestamp without time zone", nullable: true },
    Uuid: { type: "uuid" },
    Json: { type: "json" },
    SimpleJson: { type: "text" },
    SimpleArray: { type: "text" },
    Enum: { type: "enum" },
    Blob: { type: "bytea" },
  },
  literal: (value) => (typeof value === "boolean" ? String(value) : quoted(String(value))),
  now: () => "now()",
  uuid: "uuid_generate_v4()",
  canonicalColumn,
};

export async function portableResolver(): Promise<PortableResolver> {
  return portableResolverOf(postgresPortableRules);
}
