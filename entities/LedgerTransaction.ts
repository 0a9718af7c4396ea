import { Check, Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn, Unique } from "typeorm";
import { Account } from "./Account";

/** One double-entry posting: `amount` moves from the credit to the debit account. */
@Entity({ name: "ledger_transactions" })
@Unique("uq_ledger_transactions_reference", ["reference"])
@Index("ix_ledger_transactions_posted_at", ["postedAt"])
@Check("ck_ledger_transactions_amount_positive", "amount > 0")
export class LedgerTransaction {
  @PrimaryGeneratedColumn({ primaryKeyConstraintName: "pk_ledger_transactions" })
  id: number;

  @Column({ type: "varchar", length: 64 })
  reference: string;

  @Column({ type: "text", nullable: true })
  description: string | null;

  @Column({ type: "decimal", precision: 18, scale: 2 })
  amount: string;

  @ManyToOne(() => Account, (a) => a.debits, { nullable: false, onDelete: "RESTRICT" })
  @JoinColumn({ name: "debit_account_id", foreignKeyConstraintName: "fk_ledger_transactions_debit" })
  debitAccount: Account;

  @ManyToOne(() => Account, { nullable: false, onDelete: "RESTRICT" })
  @JoinColumn({ name: "credit_account_id", foreignKeyConstraintName: "fk_ledger_transactions_credit" })
  creditAccount: Account;

  @CreateDateColumn({ name: "posted_at" })
  postedAt: Date;
}
