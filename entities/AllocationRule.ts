import { Check, Column, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from "typeorm";
import { Account } from "./Account";

/** Splits postings on a source account across target accounts by percentage. */
@Entity({ name: "allocation_rules" })
@Index("ix_allocation_rules_source_priority", ["sourceAccount", "priority"])
@Check("ck_allocation_rules_percentage", "percentage > 0 AND percentage <= 100")
export class AllocationRule {
  @PrimaryGeneratedColumn({ primaryKeyConstraintName: "pk_allocation_rules" })
  id: number;

  @Column({ type: "varchar", length: 80 })
  name: string;

  @ManyToOne(() => Account, { nullable: false, onDelete: "CASCADE" })
  @JoinColumn({ name: "source_account_id", foreignKeyConstraintName: "fk_allocation_rules_source" })
  sourceAccount: Account;

  @ManyToOne(() => Account, { nullable: false, onDelete: "CASCADE" })
  @JoinColumn({ name: "target_account_id", foreignKeyConstraintName: "fk_allocation_rules_target" })
  targetAccount: Account;

  @Column({ type: "decimal", precision: 5, scale: 2 })
  percentage: string;

  @Column({ type: "int", default: 0 })
  priority: number;
}
