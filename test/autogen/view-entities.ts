/** Entities the view fixtures share: an orders table and views over it. */
import { EntitySchema, type DataSource } from "typeorm";

export const orders = (options: { totalType?: "int" | "bigint"; note?: boolean } = {}) =>
  new EntitySchema<Record<string, unknown>>({
    name: "order",
    tableName: "orders",
    columns: {
      id: { type: Number, primary: true, generated: "increment" },
      total: { type: options.totalType ?? "int" },
      ...(options.note ? { note: { type: "varchar" as const, length: 200, nullable: true } } : {}),
    },
  });

/** A view written as SQL text. */
export const bigOrders = (threshold = 1000) =>
  new EntitySchema<Record<string, unknown>>({
    name: "bigOrder",
    tableName: "big_orders",
    type: "view",
    expression: `SELECT id, total FROM orders WHERE total > ${threshold}`,
    columns: { id: { type: Number, primary: true }, total: { type: "int" } },
  });

/**
 * A view over `big_orders`, written as a QueryBuilder (rendered by the
 * connected driver). EntitySchema has no `dependsOn`: the order comes from the
 * view's name in the rendered SQL.
 */
export const bigOrderCount = new EntitySchema<Record<string, unknown>>({
  name: "bigOrderCount",
  tableName: "big_order_count",
  type: "view",
  expression: (dataSource: DataSource) =>
    dataSource.createQueryBuilder().select("COUNT(*)", "n").from("big_orders", "b"),
  columns: { n: { type: Number, primary: true } },
});

export const seedOrders = { orders: [{ total: 5000 }, { total: 10 }, { total: 2500 }] };
