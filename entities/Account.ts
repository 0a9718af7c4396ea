import { Column, CreateDateColumn, Entity, JoinColumn, ManyToOne, OneToMany, PrimaryGeneratedColumn, Unique } from "typeorm";
import { LedgerTransaction } from "./LedgerTransaction";

export enum AccountKind {
  Asset = "asset",
  Liability = "liability",
  Equity = "equity",
  Revenue = "revenue",
  Expense = "expense",
}

/** A logical account of the chart of accounts (not a bank account). */
@Entity({ name: "accounts" })
@Unique("uq_accounts_code", ["code"])
export class Account {
  @PrimaryGeneratedColumn({ primaryKeyConstraintName: "pk_accounts" })
  id: number;

  @Column({ type: "varchar", length: 32 })
  code: string;

  @Column({ type: "varchar", length: 120 })
  name: string;

  @Column({ type: "simple-enum", enum: AccountKind, enumName: "account_kind" })
  kind: AccountKind;

  @Column({ type: "varchar", length: 3, default: "EUR" })
  currency: string;

  @ManyToOne(() => Account, { nullable: true, onDelete: "SET NULL" })
  @JoinColumn({ name: "parent_id", foreignKeyConstraintName: "fk_accounts_parent" })
  parent: Account | null;

  @Column({ name: "is_active", default: true })
  isActive: boolean;

  @CreateDateColumn({ name: "created_at" })
  createdAt: Date;

  @OneToMany(() => LedgerTransaction, (t) => t.debitAccount)
  debits: LedgerTransaction[];
}
