import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from "typeorm";

/** Who changed what; on PostgreSQL a trigger on ledger_transactions writes it. */
@Entity({ name: "audit_log" })
@Index("ix_audit_log_table_row", ["tableName", "rowId"])
export class AuditLog {
  @PrimaryGeneratedColumn({ primaryKeyConstraintName: "pk_audit_log" })
  id: number;

  @Column({ name: "table_name", type: "varchar", length: 64 })
  tableName: string;

  @Column({ name: "row_id", type: "varchar", length: 64 })
  rowId: string;

  @Column({ type: "varchar", length: 16 })
  action: string;

  @Column({ type: "text", nullable: true })
  payload: string | null;

  @CreateDateColumn({ name: "created_at" })
  createdAt: Date;
}
