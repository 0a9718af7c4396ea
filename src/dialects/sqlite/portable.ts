/**
 * The portable vocabulary on SQLite, by AbstractSqliteDriver's rules
 * (normalizeType, normalizeDefault, mappedDataTypes). Enum columns become a
 * varchar with a CHECK of their values, as TypeORM writes them.
 */
import type { PortableResolver } from "../../ops/portable";
import { portableResolverOf, quoted, type PortableDialectRules } from "../portable-rules";
import { canonicalColumn } from "./grammar";

export const sqlitePortableRules: PortableDialectRules = {
  types: {
    SmallInteger: { type: "smallint" },
    Integer: { type: "integer" },
    BigInteger: { type: "bigint" },
    Decimal: { type: "decimal" },
    Float: { type: "float" },
    Double: { type: "double precision" },
    Boolean: { type: "boolean" },
    String: { type: "varchar" },
    Text: { type: "text" },
    Date: { type: "date" },
    Time: { type: "time" },
    DateTime: { type: "datetime" },
    DateTimeTz: { type: "datetime" },
    CreateDate: { type: "datetime", nowDefault: true },
    UpdateDate: { type: "datetime", nowDefault: true },
    DeleteDate: { type: "datetime", nullable: true },
    Uuid: { type: "varchar" },
    Json: { type: "json" },
    SimpleJson: { type: "text" },
    SimpleArray: { type: "text" },
    Enum: { type: "varchar" },
    Blob: { type: "blob" },
  },
  literal: (value) => (typeof value === "boolean" ? (value ? "1" : "0") : typeof value === "number" ? String(value) : quoted(value)),
  // TypeORM's CreateDate/UpdateDate default; a plain "now" default is SQLite's CURRENT_TIMESTAMP.
  now: (_precision, rule) => (rule.nowDefault ? "datetime('now')" : "CURRENT_TIMESTAMP"),
  adjust(raw, column) {
    // SQLite has no enum name; the values go into the CHECK.
    if (column.type === "Enum") delete raw.enumName;
  },
  canonicalColumn,
};

export async function portableResolver(): Promise<PortableResolver> {
  return portableResolverOf(sqlitePortableRules);
}
