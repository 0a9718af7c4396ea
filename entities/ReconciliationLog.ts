import { Column, Entity, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from "typeorm";
import { Account } from "./Account";

export enum ReconciliationStatus {
  Pending = "pending",
  Matched = "matched",
  Mismatch = "mismatch",
}

/** A bank statement balance compared with the ledger balance of an account. */
@Entity({ name: "reconciliation_log" })
export class ReconciliationLog {
  @PrimaryGeneratedColumn({ primaryKeyConstraintName: "pk_reconciliation_log" })
  id: number;

  @ManyToOne(() => Account, { nullable: false, onDelete: "CASCADE" })
  @JoinColumn({ name: "account_id", foreignKeyConstraintName: "fk_reconciliation_log_account" })
  account: Account;

  @Column({ name: "statement_date", type: "date" })
  statementDate: string;

  @Column({ name: "statement_balance", type: "decimal", precision: 18, scale: 2 })
  statementBalance: string;

  @Column({ name: "ledger_balance", type: "decimal", precision: 18, scale: 2 })
  ledgerBalance: string;

  @Column({ type: "simple-enum", enum: ReconciliationStatus, enumName: "reconciliation_status", default: ReconciliationStatus.Pending })
  status: ReconciliationStatus;

  @Column({ type: "text", nullable: true })
  note: string | null;
}
