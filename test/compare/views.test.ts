/**
 * The view differ on hand-built schemas: added, removed, changed, unmanaged,
 * and the drop/re-create around a change to what a view reads, in dependency
 * order, with a downgrade that mirrors it.
 */
import { applyOps } from "../../src/compare/apply";
import { opTable } from "../../src/compare/plan";
import type { Op } from "../../src/ops/types";
import type { Schema, View } from "../../src/schema/types";
import { col, diff, idCol, table } from "./fixtures";

const orders = (totalType = "integer") => table("orders", [idCol(), col("total", totalType)], { primaryKey: { columns: ["id"] } });
const big: View = { name: "big", definition: "SELECT id, total FROM orders WHERE total > 1000", reads: ["orders"] };
const count: View = { name: "big_count", definition: "SELECT count(*) AS n FROM big", reads: ["big"] };
const withViews = (views: View[], totalType?: string): Schema => ({ tables: [orders(totalType)], enums: [], ...(views.length ? { views } : {}) });
const summary = (steps: Array<{ op: Op }>) => steps.map(({ op }) => `${op.kind} ${"view" in op ? op.view.name : "name" in op ? op.name : opTable(op)}`);

describe("views", () => {
  it("creates views after tables, a view after the view it reads, and drops them in reverse", async () => {
    const d = await diff({ tables: [], enums: [] }, withViews([count, big]));
    expect(summary(d.upgrade)).toEqual(["createTable orders", "createView big", "createView big_count"]);
    expect(summary(d.downgrade)).toEqual(["dropView big_count", "dropView big", "dropTable orders"]);
  });

  it("finds nothing when the recorded definitions match", async () => {
    expect((await diff(withViews([big, count]), withViews([big, count]))).upgrade).toEqual([]);
  });

  it("replaces a changed view and the view reading it, with the old and new SQL as reasons", async () => {
    const changed = { ...big, definition: "SELECT id, total FROM orders WHERE total > 10" };
    const d = await diff(withViews([big, count]), withViews([changed, count]));
    expect(summary(d.upgrade)).toEqual(["dropView big_count", "dropView big", "createView big", "createView big_count"]);
    expect(d.upgrade[1].reasons).toEqual([`definition: ${big.definition} -> ${changed.definition}`]);
    expect(d.upgrade[0].reasons).toEqual(['reads view "big", which this revision changes']);
    expect(d.downgrade.find((s) => s.op.kind === "createView" && s.op.view.name === "big")?.op).toEqual({ kind: "createView", view: { name: "big", definition: big.definition } });
  });

  it("drops and re-creates an unchanged view around a type change of the table it reads", async () => {
    const current = withViews([big, count]);
    const target = withViews([big, count], "bigint");
    const d = await diff(current, target);
    expect(summary(d.upgrade)).toEqual(["dropView big_count", "dropView big", "alterColumn orders", "createView big", "createView big_count"]);
    expect(summary(d.downgrade)).toEqual(["dropView big_count", "dropView big", "alterColumn orders", "createView big", "createView big_count"]);
    const strip = (s: Schema) => ({ ...s, views: s.views?.map(({ reads: _r, ...v }) => v) });
    expect(strip(applyOps(current, d.upgrade.map((s) => s.op)))).toEqual(strip(target));
  });

  it("drops a recorded view no entity declares, never an unrecorded one", async () => {
    const byHand: View = { name: "by_hand", definition: "SELECT 1", unrecorded: true };
    const current = { ...withViews([big, byHand]), unmodelled: [{ kind: "view" as const, name: "by_hand" }] };
    const d = await diff(current, withViews([]));
    expect(summary(d.upgrade)).toEqual(["dropView big"]);
    expect(d.findings.map((f) => f.kind)).toEqual(["unmodelled"]);
  });

  it("replaces an unrecorded view an entity declares, so that it is recorded", async () => {
    const byHand: View = { name: "big", definition: "SELECT orders.id, orders.total FROM orders WHERE orders.total > 1000", unrecorded: true };
    const current = { ...withViews([byHand]), unmodelled: [{ kind: "view" as const, name: "big" }] };
    const d = await diff(current, withViews([big]));
    expect(summary(d.upgrade)).toEqual(["dropView big", "createView big"]);
    expect(d.upgrade[0].reasons[0]).toMatch(/no record of its definition/);
    expect(d.findings).toEqual([]);
  });

  it("replaces a view whose materialized flag changed, dropping it as what it was", async () => {
    const d = await diff(withViews([big]), withViews([{ ...big, materialized: true }]));
    expect(d.upgrade.map((s) => s.op)).toEqual([
      { kind: "dropView", name: "big", existing: { name: "big", definition: big.definition } },
      { kind: "createView", view: { name: "big", definition: big.definition, materialized: true } },
    ]);
    expect(d.upgrade[0].reasons).toEqual(["materialized: false -> true"]);
  });
});
