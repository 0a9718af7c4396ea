import fc from "fast-check";
import { RevisionGraph, type RevisionNode } from "../../src/revisions";
import { ids, rowsChain } from "./helpers";

/** Random acyclic histories: revision i may revise and depend on earlier revisions only. */
const histories = fc
  .array(
    fc.record({
      parents: fc.uniqueArray(fc.nat(30), { maxLength: 2 }),
      dep: fc.option(fc.nat(30), { nil: undefined }),
    }),
    { minLength: 1, maxLength: 12 },
  )
  .map((specs): RevisionNode[] =>
    specs.map((spec, i) => {
      const earlier = (n: number): string | undefined => (i === 0 ? undefined : `r${n % i}`);
      const parents = [...new Set(spec.parents.map(earlier).filter((p): p is string => p !== undefined))];
      const dep = spec.dep === undefined ? undefined : earlier(spec.dep);
      return {
        revision: `r${i}`,
        downRevisions: parents,
        branchLabels: [],
        dependsOn: dep !== undefined && !parents.includes(dep) ? [dep] : [],
      };
    }),
  );

describe("plans on random histories", () => {
  it("upgrade heads from nothing applies each revision once, after its parents and dependencies", () => {
    fc.assert(
      fc.property(histories, (nodes) => {
        const g = new RevisionGraph(nodes);
        const steps = g.planUpgrade([], "heads");
        const order = ids(steps);
        expect([...order].sort()).toEqual([...g.ids].sort());
        for (const id of order) {
          for (const parent of g.parents(id)) expect(order.indexOf(parent)).toBeLessThan(order.indexOf(id));
        }
        expect(rowsChain([], steps)).toEqual(g.tipsOf(new Set(g.ids)));
      }),
    );
  });

  it("downgrade base from the heads removes everything, dependants first, ending with no rows", () => {
    fc.assert(
      fc.property(histories, (nodes) => {
        const g = new RevisionGraph(nodes);
        const top = g.normalizeHeads(g.heads());
        const steps = g.planDowngrade(top, "base");
        const order = ids(steps);
        expect(order).toHaveLength(g.size);
        for (const id of order) {
          for (const parent of g.parents(id)) expect(order.indexOf(parent)).toBeGreaterThan(order.indexOf(id));
        }
        expect(rowsChain(top, steps)).toEqual([]);
      }),
    );
  });

  it("from any applied state, upgrade heads reaches the same rows and never re-applies", () => {
    fc.assert(
      fc.property(histories, fc.array(fc.nat(30), { maxLength: 3 }), (nodes, picks) => {
        const g = new RevisionGraph(nodes);
        const current = [...new Set(picks.map((p) => g.ids[p % g.size]))];
        const applied = g.applied(current);
        const steps = g.planUpgrade(current, "heads");
        expect(ids(steps).some((id) => applied.has(id))).toBe(false);
        expect(rowsChain(g.normalizeHeads(current), steps)).toEqual(g.tipsOf(new Set(g.ids)));
      }),
    );
  });
});
