import {
  AmbiguousWalkError,
  MultipleHeadsError,
  NotAncestorError,
  RevisionRangeError,
  UnknownRevisionError,
  type Step,
} from "../../src/revisions";
import { caught, chain, diamond, forked, graph, ids, rev, rowsChain, twoRoots } from "./helpers";

const rows = (steps: readonly Step[]): string[][] => steps.map((s) => s.headsAfter);

describe("upgrade plans: linear", () => {
  const g = graph(...chain("a", "b", "c", "d"));

  it("from nothing to head runs every revision, oldest first, one row moving up", () => {
    const steps = g.planUpgrade([], "head");
    expect(ids(steps)).toEqual(["a", "b", "c", "d"]);
    expect(steps.every((s) => s.direction === "up")).toBe(true);
    expect(rows(steps)).toEqual([["a"], ["b"], ["c"], ["d"]]);
    expect(rowsChain([], steps)).toEqual(["d"]);
  });

  it("from the middle runs only what is missing", () => {
    expect(ids(g.planUpgrade(["b"], "head"))).toEqual(["c", "d"]);
  });

  it("at head there is nothing to do", () => {
    expect(g.planUpgrade(["d"], "head")).toEqual([]);
  });

  it("a target below the current revision plans nothing", () => {
    expect(g.planUpgrade(["d"], "b")).toEqual([]);
  });

  it("+2 runs two revisions", () => {
    expect(ids(g.planUpgrade(["a"], "+2"))).toEqual(["b", "c"]);
  });

  it("+5 is too far", () => {
    expect(() => g.planUpgrade(["a"], "+5")).toThrow(RevisionRangeError);
  });

  it("to an explicit revision", () => {
    const steps = g.planUpgrade([], "c");
    expect(ids(steps)).toEqual(["a", "b", "c"]);
    expect(steps[0].headsBefore).toEqual([]);
  });

  it("upgrade to base plans nothing", () => {
    expect(g.planUpgrade(["b"], "base")).toEqual([]);
  });

  it("steps carry the revision node with its doc and path", () => {
    const documented = graph(rev("a", [], { doc: "Create users", path: "migrations/a_create_users.ts" }));
    const [step] = documented.planUpgrade([], "head");
    expect(step.revision.doc).toBe("Create users");
    expect(step.revision.path).toBe("migrations/a_create_users.ts");
  });

  it("an unknown revision in the version table stops the plan", () => {
    expect(() => g.planUpgrade(["zzzz"], "head")).toThrow(UnknownRevisionError);
  });

  it("redundant rows in the version table are normalised", () => {
    const steps = g.planUpgrade(["a", "b"], "head");
    expect(ids(steps)).toEqual(["c", "d"]);
    expect(steps[0].headsBefore).toEqual(["b"]);
    expect(g.normalizeHeads(["a", "c", "b"])).toEqual(["c"]);
  });
});

describe("downgrade plans: linear", () => {
  const g = graph(...chain("a", "b", "c", "d"));

  it("to base removes everything, newest first, the row moving down then disappearing", () => {
    const steps = g.planDowngrade(["d"], "base");
    expect(ids(steps)).toEqual(["d", "c", "b", "a"]);
    expect(steps.every((s) => s.direction === "down")).toBe(true);
    expect(rows(steps)).toEqual([["c"], ["b"], ["a"], []]);
    expect(rowsChain(["d"], steps)).toEqual([]);
  });

  it("-1 goes one step down", () => {
    const steps = g.planDowngrade(["d"], "-1");
    expect(ids(steps)).toEqual(["d"]);
    expect(steps[0].headsAfter).toEqual(["c"]);
  });

  it("to a revision removes what is above it", () => {
    expect(ids(g.planDowngrade(["d"], "b"))).toEqual(["d", "c"]);
  });

  it("to the current revision plans nothing", () => {
    expect(g.planDowngrade(["d"], "d")).toEqual([]);
  });

  it("to a revision above the current one is a NotAncestorError", () => {
    const error = caught(() => g.planDowngrade(["b"], "d")) as NotAncestorError;
    expect(error).toBeInstanceOf(NotAncestorError);
    expect(error.lower).toBe("d");
    expect(error.upper).toBe("b");
    expect(error.message).toContain("retort upgrade");
  });

  it("to base with nothing applied plans nothing", () => {
    expect(g.planDowngrade([], "base")).toEqual([]);
  });

  it("-4 from the head is base, -5 is too far", () => {
    expect(ids(g.planDowngrade(["d"], "-4"))).toEqual(["d", "c", "b", "a"]);
    expect(() => g.planDowngrade(["d"], "-5")).toThrow(RevisionRangeError);
  });

  it("REV-N names a target relative to a revision", () => {
    expect(ids(g.planDowngrade(["d"], "d-2"))).toEqual(["d", "c"]);
  });
});

describe("branches", () => {
  const g = forked(); // t1 - t2 - x1(x) - x2 - x3 ; t2 - y1(y) - y2

  it("upgrade heads from nothing applies both branches; the first revision of a new branch adds a row", () => {
    const steps = g.planUpgrade([], "heads");
    expect(ids(steps)).toEqual(["t1", "t2", "y1", "y2", "x1", "x2", "x3"]);
    expect(rows(steps)).toEqual([["t1"], ["t2"], ["y1"], ["y2"], ["x1", "y2"], ["x2", "y2"], ["x3", "y2"]]);
  });

  it("upgrade head with two heads is a MultipleHeadsError", () => {
    expect(() => g.planUpgrade([], "head")).toThrow(MultipleHeadsError);
  });

  it("upgrade label@head applies that branch only", () => {
    expect(ids(g.planUpgrade([], "x@head"))).toEqual(["t1", "t2", "x1", "x2", "x3"]);
  });

  it("upgrade heads when one branch is already at its head applies only the other", () => {
    const steps = g.planUpgrade(["x3"], "heads");
    expect(ids(steps)).toEqual(["y1", "y2"]);
    expect(rows(steps)).toEqual([
      ["x3", "y1"],
      ["x3", "y2"],
    ]);
  });

  it("upgrade the other branch's head keeps this branch's row", () => {
    const steps = g.planUpgrade(["y2"], "x@head");
    expect(ids(steps)).toEqual(["x1", "x2", "x3"]);
    expect(steps[0].headsBefore).toEqual(["y2"]);
    expect(steps[0].headsAfter).toEqual(["x1", "y2"]);
  });

  it("upgrade label@+1 from the other branch starts at the branch point", () => {
    expect(ids(g.planUpgrade(["y2"], "x@+1"))).toEqual(["x1"]);
  });

  it("downgrade to the branch point removes both branches; the trunk row comes back once", () => {
    const steps = g.planDowngrade(["x3", "y2"], "t2");
    expect(ids(steps)).toEqual(["x3", "x2", "x1", "y2", "y1"]);
    expect(rows(steps)).toEqual([["x2", "y2"], ["x1", "y2"], ["y2"], ["y1"], ["t2"]]);
  });

  it("downgrade label@branchpoint removes only that branch", () => {
    const steps = g.planDowngrade(["x3", "y2"], "x@t2");
    expect(ids(steps)).toEqual(["x3", "x2", "x1"]);
    expect(rowsChain(["x3", "y2"], steps)).toEqual(["y2"]);
  });

  it("downgrade label@-1 steps down one branch", () => {
    const steps = g.planDowngrade(["x3", "y2"], "x@-1");
    expect(ids(steps)).toEqual(["x3"]);
    expect(steps[0].headsAfter).toEqual(["x2", "y2"]);
  });

  it("downgrade label@-N to the branch point stays on the branch", () => {
    expect(ids(g.planDowngrade(["x3", "y2"], "x@-3"))).toEqual(["x3", "x2", "x1"]);
  });

  it("downgrade -1 from two heads without a label is a MultipleHeadsError", () => {
    const error = caught(() => g.planDowngrade(["x3", "y2"], "-1")) as MultipleHeadsError;
    expect(error).toBeInstanceOf(MultipleHeadsError);
    expect(error.message).toContain("retort heads");
  });

  it("downgrade label@base removes that branch and keeps the shared trunk", () => {
    const steps = g.planDowngrade(["x3", "y2"], "x@base");
    expect(ids(steps)).toEqual(["x3", "x2", "x1"]);
    expect(rowsChain(["x3", "y2"], steps)).toEqual(["y2"]);
  });

  it("downgrade base removes both branches and the trunk", () => {
    const steps = g.planDowngrade(["x3", "y2"], "base");
    expect(steps).toHaveLength(7);
    expect(rowsChain(["x3", "y2"], steps)).toEqual([]);
  });

  it("downgrade below the branch point removes every branch above it", () => {
    expect(rowsChain(["x3", "y2"], g.planDowngrade(["x3", "y2"], "t1"))).toEqual(["t1"]);
  });

  it("downgrade to a revision of an unapplied branch is a NotAncestorError", () => {
    expect(() => g.planDowngrade(["x3"], "y1")).toThrow(NotAncestorError);
  });

  it("downgrade heads bookkeeping: removing a branch's first revision drops its row", () => {
    const steps = g.planDowngrade(["x1", "y2"], "x@t2");
    expect(ids(steps)).toEqual(["x1"]);
    expect(steps[0].headsAfter).toEqual(["y2"]);
  });

  it("downgrade with only one branch applied and -1 walks that branch", () => {
    expect(ids(g.planDowngrade(["y1"], "-1"))).toEqual(["y1"]);
  });
});

describe("merges", () => {
  it("upgrading through a merge replaces two rows by one", () => {
    const steps = diamond().planUpgrade([], "head");
    expect(ids(steps)).toEqual(["a", "b2", "b1", "c", "d"]);
    expect(rows(steps)).toEqual([["a"], ["b2"], ["b1", "b2"], ["c"], ["d"]]);
  });

  it("upgrading from one side of a merge applies the other side first", () => {
    const steps = diamond().planUpgrade(["b1"], "head");
    expect(ids(steps)).toEqual(["b2", "c", "d"]);
    expect(rows(steps)).toEqual([["b1", "b2"], ["c"], ["d"]]);
  });

  it("downgrading a merge brings both parents back", () => {
    const steps = diamond().planDowngrade(["d"], "b1");
    expect(ids(steps)).toEqual(["d", "c"]);
    expect(rows(steps)).toEqual([["c"], ["b1", "b2"]]);
  });

  it("downgrading below a merge to the branch point removes both sides", () => {
    const steps = diamond().planDowngrade(["c"], "a");
    expect(ids(steps)).toEqual(["c", "b1", "b2"]);
    expect(rows(steps)).toEqual([["b1", "b2"], ["b2"], ["a"]]);
  });

  it("-2 across a merge point is ambiguous", () => {
    expect(() => diamond().planDowngrade(["d"], "-2")).toThrow(AmbiguousWalkError);
  });

  it("a merge of merges collapses three rows into one", () => {
    const g = graph(
      rev("a"),
      rev("b1", "a"),
      rev("b2", "a"),
      rev("b3", "a"),
      rev("m1", ["b1", "b2"]),
      rev("m2", ["m1", "b3"]),
    );
    const steps = g.planUpgrade([], "head");
    expect(ids(steps)).toEqual(["a", "b3", "b2", "b1", "m1", "m2"]);
    expect(rows(steps)).toEqual([["a"], ["b3"], ["b2", "b3"], ["b1", "b2", "b3"], ["b3", "m1"], ["m2"]]);
    const down = g.planDowngrade(["m2"], "a");
    expect(rows(down).at(-1)).toEqual(["a"]);
    expect(ids(down)[0]).toBe("m2");
    expect(ids(down)).toHaveLength(5);
  });

  it("a merge of two independent roots", () => {
    const g = graph(rev("p1"), rev("q1"), rev("m", ["p1", "q1"]));
    const steps = g.planUpgrade(["p1"], "head");
    expect(ids(steps)).toEqual(["q1", "m"]);
    expect(rows(steps)).toEqual([["p1", "q1"], ["m"]]);
  });
});

describe("dependsOn across branches", () => {
  const g = twoRoots(); // a1(alpha) - a2 - a3 ; b1(beta) - b2 (dependsOn a2)

  it("a dependency is applied before its dependant, and its row is implied by the dependant's", () => {
    const steps = g.planUpgrade([], "beta@head");
    expect(ids(steps)).toEqual(["a1", "a2", "b1", "b2"]);
    expect(rows(steps)).toEqual([["a1"], ["a2"], ["a2", "b1"], ["b2"]]);
  });

  it("upgrading the dependant's branch fills in the missing dependency", () => {
    const steps = g.planUpgrade(["b1"], "beta@head");
    expect(ids(steps)).toEqual(["a1", "a2", "b2"]);
    expect(rows(steps)).toEqual([["a1", "b1"], ["a2", "b1"], ["b2"]]);
  });

  it("upgrade heads applies everything once", () => {
    const steps = g.planUpgrade([], "heads");
    expect([...ids(steps)].sort()).toEqual(["a1", "a2", "a3", "b1", "b2"]);
    expect(ids(steps).indexOf("a2")).toBeLessThan(ids(steps).indexOf("b2"));
    expect(rowsChain([], steps)).toEqual(["a3", "b2"]);
  });

  it("downgrading a dependency first removes what depends on it", () => {
    const steps = g.planDowngrade(["a3", "b2"], "alpha@a1");
    expect(ids(steps)).toEqual(["a3", "b2", "a2"]);
    expect(rows(steps)).toEqual([["b2"], ["a2", "b1"], ["a1", "b1"]]);
  });

  it("downgrading the dependant's branch to base leaves the dependency", () => {
    const steps = g.planDowngrade(["a3", "b2"], "beta@base");
    expect(ids(steps)).toEqual(["b2", "b1"]);
    expect(rows(steps)).toEqual([["a3", "b1"], ["a3"]]);
  });

  it("a dependency named by branch label is applied first", () => {
    const h = graph(rev("c1", [], { branchLabels: ["core"] }), rev("c2", "c1"), rev("p1", [], { dependsOn: ["core"] }));
    const steps = h.planUpgrade([], "p1");
    expect(ids(steps)).toEqual(["c1", "p1"]);
    expect(rows(steps)).toEqual([["c1"], ["p1"]]);
  });

  it("a dependency on a revision inside the same line changes nothing", () => {
    const h = graph(rev("a"), rev("b", "a"), rev("c", "b", { dependsOn: ["a"] }));
    expect(ids(h.planUpgrade([], "head"))).toEqual(["a", "b", "c"]);
  });

  it("every upgrade plan applies each revision after all its parents and dependencies", () => {
    const h = graph(
      rev("a1"),
      rev("a2", "a1"),
      rev("b1", "a1"),
      rev("b2", "b1", { dependsOn: ["a2"] }),
      rev("c1", [], { dependsOn: ["b2"] }),
      rev("m", ["a2", "c1"]),
    );
    const order = ids(h.planUpgrade([], "heads"));
    expect(order).toHaveLength(h.size);
    for (const id of order) {
      for (const parent of h.parents(id)) expect(order.indexOf(parent)).toBeLessThan(order.indexOf(id));
    }
  });
});

describe("stamp", () => {
  const line = graph(...chain("a", "b", "c", "d"));
  const g = forked();

  it("stamps head from nothing", () => {
    expect(line.planStamp([], "head")).toEqual(["d"]);
  });

  it("stamps up and down a line", () => {
    expect(line.planStamp(["b"], "d")).toEqual(["d"]);
    expect(line.planStamp(["d"], "b")).toEqual(["b"]);
  });

  it("stamps base to an empty table", () => {
    expect(line.planStamp(["d"], "base")).toEqual([]);
  });

  it("stamps relative targets", () => {
    expect(line.planStamp(["d"], "-1")).toEqual(["c"]);
    expect(line.planStamp(["b"], "+1")).toEqual(["c"]);
  });

  it("stamping another branch keeps this branch's row", () => {
    expect(g.planStamp(["x3"], "y@head")).toEqual(["x3", "y2"]);
  });

  it("stamping a revision on one branch replaces only that branch's row", () => {
    expect(g.planStamp(["x3", "y2"], "x1")).toEqual(["x1", "y2"]);
  });

  it("stamping the branch point replaces both rows", () => {
    expect(g.planStamp(["x3", "y2"], "t2")).toEqual(["t2"]);
  });

  it("stamping label@base removes only that branch's row", () => {
    expect(g.planStamp(["x3", "y2"], "x@base")).toEqual(["y2"]);
  });

  it("stamping heads", () => {
    expect(g.planStamp([], "heads")).toEqual(["x3", "y2"]);
  });

  it("refuses an unknown current revision unless purging", () => {
    expect(() => line.planStamp(["zzzz"], "head")).toThrow(UnknownRevisionError);
    expect(line.planStamp(["zzzz"], "head", { purge: true })).toEqual(["d"]);
  });

  it("purge replaces every row, even on other branches", () => {
    expect(g.planStamp(["x3"], "y1", { purge: true })).toEqual(["y1"]);
    expect(g.planStamp(["x3"], "y1")).toEqual(["x3", "y1"]);
  });

  it("stamping a dependant absorbs its dependency's row", () => {
    expect(twoRoots().planStamp(["a2"], "b2")).toEqual(["b2"]);
  });
});
