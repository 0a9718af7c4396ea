/**
 * The portable vocabulary on PostgreSQL, by PostgresDriver's rules
 * (normalizeType, normalizeDefault, mappedDataTypes, uuidGenerator).
 */
import type { PortableResolver } from "../../ops/portable";
import type { PortableDriverOptions } from "../dialect";
import { portableResolverOf, quoted, type PortableDialectRules } from "../portable-rules";
import { canonicalColumn } from "./grammar";

/**
 * PostgresDriver.uuidGenerator: the DataSource option `uuidExtension:
 * "pgcrypto"` makes TypeORM write gen_random_uuid() (built into PostgreSQL
 * 13+), anything else uuid_generate_v4() from uuid-ossp. The entity model
 * reads the same getter, so a portable uuid default converges either way.
 */
export function postgresUuidGenerator(driver?: PortableDriverOptions): string {
  return driver?.uuidExtension === "pgcrypto" ? "gen_random_uuid()" : "uuid_generate_v4()";
}

export function postgresPortableRules(uuid: string): PortableDialectRules {
  return {
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
    uuid,
    canonicalColumn,
  };
}

export async function portableResolver(_db?: unknown, driver?: PortableDriverOptions): Promise<PortableResolver> {
  return portableResolverOf(postgresPortableRules(postgresUuidGenerator(driver)));
}
