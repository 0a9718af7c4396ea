/**
 * Create the ledger
 *
 * Revision: 1edge0000001
 * Revises:
 * Created: 2026-11-22 03:00:00 UTC
 *
 * Hand-written in the portable vocabulary: the same file builds the ledger on
 * PostgreSQL, MySQL/MariaDB and SQLite, each dialect rendering the columns the
 * way TypeORM's driver renders the entities there. Only the audit trigger is
 * per dialect (PostgreSQL alone has it).
 */
import type { MigrationContext, PortableColumn } from "typeorm-retort";

const ACCOUNT_KINDS = ["asset", "liability", "equity", "revenue", "expense"];
const RECONCILIATION_STATUSES = ["pending", "matched", "mismatch"];

const id = (): PortableColumn => ({ name: "id", type: "Integer", nullable: false, autoIncrement: true });

export const revision = "1edge0000001";
export const downRevision = null;

export async function upgrade({ op }: MigrationContext): Promise<void> {
  // The PostgreSQL enum types; nothing on MySQL (inline ENUM) and SQLite (a CHECK).
  await op.createEnum("account_kind", ACCOUNT_KINDS);
  await op.createEnum("reconciliation_status", RECONCILIATION_STATUSES);

  await op.createTable("accounts", {
    columns: [
      id(),
      { name: "code", type: "String", length: 32, nullable: false },
      { name: "name", type: "String", length: 120, nullable: false },
      { name: "kind", type: "Enum", enumName: "account_kind", enumValues: ACCOUNT_KINDS, nullable: false },
      { name: "currency", type: "String", length: 3, nullable: false, default: "EUR" },
      { name: "is_active", type: "Boolean", nullable: false, default: true },
      { name: "created_at", type: "CreateDate", nullable: false },
      { name: "parent_id", type: "Integer", nullable: true },
    ],
    primaryKey: { name: "pk_accounts", columns: ["id"] },
    uniques: [{ name: "uq_accounts_code", columns: ["code"] }],
    foreignKeys: [
      { name: "fk_accounts_parent", columns: ["parent_id"], referencedTable: "accounts", referencedColumns: ["id"], onDelete: "SET NULL" },
    ],
  });

  await op.createTable("ledger_transactions", {
    columns: [
      id(),
      { name: "reference", type: "String", length: 64, nullable: false },
      { name: "description", type: "Text", nullable: true },
      { name: "amount", type: "Decimal", precision: 18, scale: 2, nullable: false },
      { name: "posted_at", type: "CreateDate", nullable: false },
      { name: "debit_account_id", type: "Integer", nullable: false },
      { name: "credit_account_id", type: "Integer", nullable: false },
    ],
    primaryKey: { name: "pk_ledger_transactions", columns: ["id"] },
    uniques: [{ name: "uq_ledger_transactions_reference", columns: ["reference"] }],
    indexes: [{ name: "ix_ledger_transactions_posted_at", columns: ["posted_at"] }],
    checks: [{ name: "ck_ledger_transactions_amount_positive", expression: "amount > 0" }],
  });

  await op.createTable("allocation_rules", {
    columns: [
      id(),
      { name: "name", type: "String", length: 80, nullable: false },
      { name: "percentage", type: "Decimal", precision: 5, scale: 2, nullable: false },
      { name: "priority", type: "Integer", nullable: false, default: 0 },
      { name: "source_account_id", type: "Integer", nullable: false },
      { name: "target_account_id", type: "Integer", nullable: false },
    ],
    primaryKey: { name: "pk_allocation_rules", columns: ["id"] },
    indexes: [{ name: "ix_allocation_rules_source_priority", columns: ["source_account_id", "priority"] }],
    checks: [{ name: "ck_allocation_rules_percentage", expression: "percentage > 0 AND percentage <= 100" }],
  });

  await op.createTable("audit_log", {
    columns: [
      id(),
      { name: "table_name", type: "String", length: 64, nullable: false },
      { name: "row_id", type: "String", length: 64, nullable: false },
      { name: "action", type: "String", length: 16, nullable: false },
      { name: "payload", type: "Text", nullable: true },
      { name: "created_at", type: "CreateDate", nullable: false },
    ],
    primaryKey: { name: "pk_audit_log", columns: ["id"] },
    indexes: [{ name: "ix_audit_log_table_row", columns: ["table_name", "row_id"] }],
  });

  await op.createTable("reconciliation_log", {
    columns: [
      id(),
      { name: "statement_date", type: "Date", nullable: false },
      { name: "statement_balance", type: "Decimal", precision: 18, scale: 2, nullable: false },
      { name: "ledger_balance", type: "Decimal", precision: 18, scale: 2, nullable: false },
      {
        name: "status",
        type: "Enum",
        enumName: "reconciliation_status",
        enumValues: RECONCILIATION_STATUSES,
        nullable: false,
        default: "pending",
      },
      { name: "note", type: "Text", nullable: true },
      { name: "account_id", type: "Integer", nullable: false },
    ],
    primaryKey: { name: "pk_reconciliation_log", columns: ["id"] },
  });

  // Foreign keys between the new tables come after all of them exist.
  for (const [table, name, column, onDelete] of [
    ["ledger_transactions", "fk_ledger_transactions_debit", "debit_account_id", "RESTRICT"],
    ["ledger_transactions", "fk_ledger_transactions_credit", "credit_account_id", "RESTRICT"],
    ["allocation_rules", "fk_allocation_rules_source", "source_account_id", "CASCADE"],
    ["allocation_rules", "fk_allocation_rules_target", "target_account_id", "CASCADE"],
    ["reconciliation_log", "fk_reconciliation_log_account", "account_id", "CASCADE"],
  ] as const) {
    await op.createForeignKey(table, { name, columns: [column], referencedTable: "accounts", referencedColumns: ["id"], onDelete });
  }

  await op.bulkInsert("accounts", [
    { id: 1, code: "1000", name: "Cash", kind: "asset", currency: "EUR" },
    { id: 2, code: "1200", name: "Receivables", kind: "asset", currency: "EUR" },
    { id: 3, code: "2000", name: "Payables", kind: "liability", currency: "EUR" },
    { id: 4, code: "3000", name: "Owner's equity", kind: "equity", currency: "EUR" },
    { id: 5, code: "4000", name: "Revenue", kind: "revenue", currency: "EUR" },
    { id: 6, code: "6000", name: "Operating expenses", kind: "expense", currency: "EUR" },
  ]);
  // Explicit ids do not advance PostgreSQL's serial sequence (MySQL and SQLite move past them).
  await op.execute({ postgres: `SELECT setval(pg_get_serial_sequence('accounts', 'id'), 6)`, mysql: [], sqlite: [] });

  // PostgreSQL: every change to a ledger transaction leaves an audit row.
  await op.execute({
    postgres: [
      `CREATE FUNCTION ledger_audit() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO audit_log (table_name, row_id, action, payload)
  VALUES (TG_TABLE_NAME, COALESCE(NEW.id, OLD.id)::text, TG_OP, row_to_json(COALESCE(NEW, OLD))::text);
  RETURN COALESCE(NEW, OLD);
END $$`,
      `CREATE TRIGGER ledger_transactions_audit AFTER INSERT OR UPDATE OR DELETE ON ledger_transactions
  FOR EACH ROW EXECUTE FUNCTION ledger_audit()`,
    ],
    mysql: [],
    sqlite: [],
  });
}

export async function downgrade({ op }: MigrationContext): Promise<void> {
  await op.execute({
    postgres: ["DROP TRIGGER ledger_transactions_audit ON ledger_transactions", "DROP FUNCTION ledger_audit()"],
    mysql: [],
    sqlite: [],
  });
  for (const [table, name] of [
    ["reconciliation_log", "fk_reconciliation_log_account"],
    ["allocation_rules", "fk_allocation_rules_target"],
    ["allocation_rules", "fk_allocation_rules_source"],
    ["ledger_transactions", "fk_ledger_transactions_credit"],
    ["ledger_transactions", "fk_ledger_transactions_debit"],
  ] as const) {
    await op.dropForeignKey(table, name);
  }
  for (const table of ["reconciliation_log", "audit_log", "allocation_rules", "ledger_transactions", "accounts"]) {
    await op.dropTable(table);
  }
  await op.dropEnum("reconciliation_status");
  await op.dropEnum("account_kind");
}
