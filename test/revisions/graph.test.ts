import {
  AmbiguousRevisionError,
  CycleDetectedError,
  DuplicateBranchLabelError,
  DuplicateRevisionError,
  InvalidRevisionIdError,
  MissingDownRevisionError,
  NotOnBranchError,
  RevisionError,
  RevisionGraph,
  UnknownRevisionError,
} from "../../src/revisions";
import { caught, chain, diamond, forked, graph, ids, rev, twoRoots } from "./helpers";

describe("construction and validation", () => {
  it("accepts an empty history", () => {
    const g = graph();
    expect(g.size).toBe(0);
    expect(g.heads()).toEqual([]);
    expect(g.bases()).toEqual([]);
    expect(g.walk()).toEqual([]);
  });

  it("rejects a duplicate revision id and names both files", () => {
    const error = caught(() =>
      graph(rev("a", [], { path: "m/a_one.ts" }), rev("a", [], { path: "m/a_two.ts" })),
    ) as DuplicateRevisionError;
    expect(error).toBeInstanceOf(DuplicateRevisionError);
    expect(error).toBeInstanceOf(RevisionError);
    expect(error.revision).toBe("a");
    expect(error.paths).toEqual(["m/a_one.ts", "m/a_two.ts"]);
    expect(error.message).toContain("m/a_two.ts");
  });

  it("rejects a missing down-revision, naming the revision and the missing parent", () => {
    const error = caught(() => graph(rev("a"), rev("b", "zzz"))) as MissingDownRevisionError;
    expect(error).toBeInstanceOf(MissingDownRevisionError);
    expect(error.revision).toBe("b");
    expect(error.missing).toBe("zzz");
    expect(error.reference).toBe("downRevision");
    expect(error.revisions).toEqual(["b", "zzz"]);
  });

  it("rejects a missing parent of a merge", () => {
    const error = caught(() => graph(rev("a"), rev("m", ["a", "gone"]))) as MissingDownRevisionError;
    expect(error.missing).toBe("gone");
  });

  it("rejects a dependsOn that names nothing", () => {
    const error = caught(() => graph(rev("a"), rev("b", "a", { dependsOn: ["nope"] }))) as MissingDownRevisionError;
    expect(error).toBeInstanceOf(MissingDownRevisionError);
    expect(error.reference).toBe("dependsOn");
    expect(error.missing).toBe("nope");
  });

  it("rejects a self-referencing down-revision as a cycle of one", () => {
    const error = caught(() => graph(rev("a", "a"))) as CycleDetectedError;
    expect(error).toBeInstanceOf(CycleDetectedError);
    expect(error.cycle).toEqual(["a"]);
    expect(error.message).toContain("a -> a");
  });

  it("rejects a self-dependency", () => {
    expect(() => graph(rev("a", [], { dependsOn: ["a"] }))).toThrow(CycleDetectedError);
  });

  it("rejects a dependency on one's own branch label", () => {
    expect(() => graph(rev("a", [], { branchLabels: ["l"], dependsOn: ["l"] }))).toThrow(CycleDetectedError);
  });

  it("detects a two-revision cycle", () => {
    const error = caught(() => graph(rev("a", "b"), rev("b", "a"))) as CycleDetectedError;
    expect([...error.cycle].sort()).toEqual(["a", "b"]);
  });

  it("detects a longer cycle hanging off a valid base", () => {
    const error = caught(() =>
      graph(rev("base1"), rev("c1", ["base1", "c3"]), rev("c2", "c1"), rev("c3", "c2")),
    ) as CycleDetectedError;
    expect([...error.cycle].sort()).toEqual(["c1", "c2", "c3"]);
    expect(error.message).toMatch(/c1 -> c3 -> c2 -> c1|c2 -> c1 -> c3 -> c2|c3 -> c2 -> c1 -> c3/);
  });

  it("detects a cycle made through dependsOn", () => {
    const error = caught(() =>
      graph(rev("a"), rev("b", "a", { dependsOn: ["c"] }), rev("c", [], { dependsOn: ["b"] })),
    ) as CycleDetectedError;
    expect([...error.cycle].sort()).toEqual(["b", "c"]);
  });

  it("rejects a branch label declared twice", () => {
    const error = caught(() =>
      graph(rev("a", [], { branchLabels: ["xy1"] }), rev("b", [], { branchLabels: ["xy1"] })),
    ) as DuplicateBranchLabelError;
    expect(error).toBeInstanceOf(DuplicateBranchLabelError);
    expect(error.label).toBe("xy1");
    expect(error.revisions).toEqual(["a", "b"]);
  });

  it("rejects a branch label equal to a revision id", () => {
    expect(() => graph(rev("a"), rev("b", "a", { branchLabels: ["a"] }))).toThrow(DuplicateBranchLabelError);
  });

  it.each([["a@b"], ["a-1"], ["a+1"], ["a:b"], [""], ["a b"]])("rejects the revision id %p", (id) => {
    expect(() => graph(rev(id))).toThrow(InvalidRevisionIdError);
  });

  it("does not depend on the order revisions are given in", () => {
    const nodes = [rev("a"), rev("b", "a"), rev("c1", "b"), rev("c2", "b")];
    const g1 = new RevisionGraph(nodes);
    const g2 = new RevisionGraph([...nodes].reverse());
    expect(g1.heads()).toEqual(g2.heads());
    expect(ids(g1.walk())).toEqual(ids(g2.walk()));
  });

  it("every error message is one sentence telling what to do", () => {
    const errors = [
      caught(() => graph(rev("a"), rev("a"))),
      caught(() => graph(rev("b", "zz"))),
      caught(() => graph(rev("a", "b"), rev("b", "a"))),
      caught(() => graph(rev("a", [], { branchLabels: ["l"] }), rev("b", [], { branchLabels: ["l"] }))),
      caught(() => graph(rev("a-b"))),
    ] as Error[];
    for (const error of errors) {
      expect(error.message).toMatch(/; [a-z].*\.$/);
      expect(error.message.split(". ").length).toBe(1);
    }
  });
});

describe("heads, bases, branch and merge points", () => {
  it("a linear history has one head and one base", () => {
    const g = graph(...chain("a", "b", "c"));
    expect(g.heads()).toEqual(["c"]);
    expect(g.bases()).toEqual(["a"]);
    expect(g.branchPoints()).toEqual([]);
    expect(g.mergePoints()).toEqual([]);
  });

  it("a fork has two heads, sorted by id", () => {
    const g = graph(rev("a"), rev("b", "a"), rev("zz", "b"), rev("c2", "b"));
    expect(g.heads()).toEqual(["c2", "zz"]);
    expect(g.branchPoints()).toEqual(["b"]);
  });

  it("unmerged heads: an accidental fork, not labelled branches, separate bases or a merge", () => {
    expect(graph(rev("a"), rev("b", "a"), rev("zz", "b"), rev("c2", "b")).unmergedHeads()).toEqual(["c2", "zz"]);
    expect(forked().unmergedHeads()).toEqual([]);
    expect(twoRoots().unmergedHeads()).toEqual([]);
    expect(diamond().unmergedHeads()).toEqual([]);
    // Within the labelled branch x, a fork is accidental again: x4 and x3 carry the same labels.
    const g = graph(rev("t1"), rev("x1", "t1", { branchLabels: ["x"] }), rev("x2", "x1"), rev("x3", "x2"), rev("x4", "x2"), rev("y1", "t1", { branchLabels: ["y"] }));
    expect(g.unmergedHeads()).toEqual(["x3", "x4"]);
  });

  it("a merge joins heads back into one", () => {
    const g = diamond();
    expect(g.heads()).toEqual(["d"]);
    expect(g.branchPoints()).toEqual(["a"]);
    expect(g.mergePoints()).toEqual(["c"]);
  });

  it("two roots are two bases", () => {
    const g = twoRoots();
    expect(g.bases()).toEqual(["a1", "b1"]);
    expect(g.heads()).toEqual(["a3", "b2"]);
  });

  it("a dependency does not stop its target from being a head", () => {
    const g = graph(rev("a1"), rev("b1", [], { dependsOn: ["a1"] }));
    expect(g.heads()).toEqual(["a1", "b1"]);
    expect(g.bases()).toEqual(["a1", "b1"]);
  });

  it("a merge of merges", () => {
    const g = graph(
      rev("a"),
      rev("b1", "a"),
      rev("b2", "a"),
      rev("b3", "a"),
      rev("m1", ["b1", "b2"]),
      rev("m2", ["m1", "b3"]),
    );
    expect(g.heads()).toEqual(["m2"]);
    expect(g.mergePoints()).toEqual(["m1", "m2"]);
    expect(g.branchPoints()).toEqual(["a"]);
  });

  it("parents and children list down-revisions before dependencies", () => {
    const g = twoRoots();
    expect(g.parents("b2")).toEqual(["b1", "a2"]);
    expect(g.parents("b2", { dependencies: false })).toEqual(["b1"]);
    expect(g.children("a2")).toEqual(["a3", "b2"]);
    expect(g.children("a2", { dependencies: false })).toEqual(["a3"]);
    expect(g.dependenciesOf("b2")).toEqual(["a2"]);
  });
});

describe("ancestors and descendants", () => {
  it("follow down-revisions through a merge", () => {
    const g = diamond();
    expect(g.ancestors(["d"])).toEqual(["a", "b1", "b2", "c"]);
    expect(g.ancestors(["d"], { inclusive: true })).toEqual(["a", "b1", "b2", "c", "d"]);
    expect(g.descendants(["b1"])).toEqual(["c", "d"]);
  });

  it("follow dependsOn unless told not to", () => {
    const g = twoRoots();
    expect(g.ancestors(["b2"])).toEqual(["a1", "a2", "b1"]);
    expect(g.ancestors(["b2"], { dependencies: false })).toEqual(["b1"]);
    expect(g.descendants(["a1"])).toEqual(["a2", "a3", "b2"]);
    expect(g.descendants(["a1"], { dependencies: false })).toEqual(["a2", "a3"]);
  });

  it("of several starting points are merged", () => {
    const g = forked();
    expect(g.ancestors(["x2", "y1"])).toEqual(["t1", "t2", "x1"]);
  });

  it("of a base are empty", () => {
    expect(diamond().ancestors(["a"])).toEqual([]);
  });

  it("sharesLineage is true along a line and false across a fork", () => {
    const g = forked();
    expect(g.sharesLineage("t1", "x3")).toBe(true);
    expect(g.sharesLineage("x3", "t1")).toBe(true);
    expect(g.sharesLineage("x1", "y1")).toBe(false);
    expect(g.sharesLineage("y2", "y2")).toBe(true);
  });

  it("a dependency makes lineage only when asked for", () => {
    const g = twoRoots();
    expect(g.sharesLineage("b2", "a1")).toBe(false);
    expect(g.sharesLineage("b2", "a1", true)).toBe(true);
  });
});

describe("get: ids, labels and prefixes", () => {
  const g = graph(
    rev("ae1027a6acf"),
    rev("ae10ffff001", "ae1027a6acf"),
    rev("b7c6d5e4f3", "ae10ffff001", { branchLabels: ["payments"] }),
  );

  it("finds a full id", () => {
    expect(g.get("ae1027a6acf").revision).toBe("ae1027a6acf");
  });

  it("finds a unique prefix of four or more characters", () => {
    expect(g.get("ae102").revision).toBe("ae1027a6acf");
    expect(g.get("b7c6").revision).toBe("b7c6d5e4f3");
  });

  it("refuses a prefix shorter than four characters, saying why", () => {
    const error = caught(() => g.get("b7c")) as UnknownRevisionError;
    expect(error).toBeInstanceOf(UnknownRevisionError);
    expect(error.target).toBe("b7c");
    expect(error.message).toContain("at least four characters");
  });

  it("lists the candidates of an ambiguous prefix", () => {
    const error = caught(() => g.get("ae10")) as AmbiguousRevisionError;
    expect(error).toBeInstanceOf(AmbiguousRevisionError);
    expect(error.candidates).toEqual(["ae1027a6acf", "ae10ffff001"]);
    expect(error.message).toContain("ae1027a6acf, ae10ffff001");
  });

  it("finds a revision by its branch label", () => {
    expect(g.get("payments").revision).toBe("b7c6d5e4f3");
  });

  it("reports an unknown id", () => {
    const error = caught(() => g.get("ffffffff")) as UnknownRevisionError;
    expect(error).toBeInstanceOf(UnknownRevisionError);
    expect(error.message).toContain("retort history");
  });

  it("an exact short id still matches", () => {
    const small = graph(rev("a"), rev("b", "a"));
    expect(small.get("a").revision).toBe("a");
  });

  it("find returns undefined instead of throwing", () => {
    expect(g.find("nope")).toBeUndefined();
    expect(g.find("b7c6d5e4f3")?.branchLabels).toEqual(["payments"]);
  });

  it("lookup within a branch narrows an ambiguous prefix", () => {
    const f = graph(
      rev("root"),
      rev("some_x", "root", { branchLabels: ["x"] }),
      rev("some_y", "root", { branchLabels: ["y"] }),
    );
    expect(f.lookup("some", "y")).toBe("some_y");
    expect(() => f.get("some")).toThrow(AmbiguousRevisionError);
  });

  it("lookup within a branch refuses a revision of another branch", () => {
    const error = caught(() => forked().lookup("x2", "y")) as NotOnBranchError;
    expect(error).toBeInstanceOf(NotOnBranchError);
    expect(error.revision).toBe("x2");
    expect(error.branch).toBe("y");
  });
});

describe("branch labels", () => {
  it("apply to the labelled revision and its descendants", () => {
    const g = forked();
    expect(g.labelsOf("x1")).toEqual(["x"]);
    expect(g.labelsOf("x3")).toEqual(["x"]);
    expect(g.labelsOf("y2")).toEqual(["y"]);
  });

  it("stop at the branch point below them", () => {
    const g = forked();
    expect(g.labelsOf("t2")).toEqual([]);
    expect(g.labelsOf("t1")).toEqual([]);
  });

  it("reach down to the root when there is no branch point", () => {
    const g = graph(rev("a"), rev("b", "a"), rev("c", "b", { branchLabels: ["main"] }));
    expect(g.labelsOf("a")).toEqual(["main"]);
  });

  it("both labels apply after a merge", () => {
    const g = graph(...forked().nodes, rev("m", ["x3", "y2"]));
    expect(g.labelsOf("m")).toEqual(["x", "y"]);
  });

  it("branchLabels maps each label to its revision", () => {
    expect([...forked().branchLabels()]).toEqual([
      ["x", "x1"],
      ["y", "y1"],
    ]);
  });

  it("a dependsOn may name a branch label", () => {
    const g = graph(rev("a1", [], { branchLabels: ["core"] }), rev("b1", [], { dependsOn: ["core"] }));
    expect(g.dependenciesOf("b1")).toEqual(["a1"]);
  });
});

describe("walk (newest first)", () => {
  it("a linear history runs from head to base", () => {
    expect(ids(graph(...chain("a", "b", "c")).walk())).toEqual(["c", "b", "a"]);
  });

  it("a diamond visits both sides before the branch point", () => {
    expect(ids(diamond().walk())).toEqual(["d", "c", "b1", "b2", "a"]);
  });

  it("finishes a branch down to the branch point before the next one", () => {
    const g = graph(rev("a"), rev("b1", "a"), rev("b2", "a"), rev("c1", "b1"), rev("d11", "c1"), rev("d12", "c1"));
    expect(ids(g.walk())).toEqual(["b2", "d11", "d12", "c1", "b1", "a"]);
  });

  it("puts a dependant before its dependency", () => {
    const order = ids(twoRoots().walk());
    expect(order.indexOf("b2")).toBeLessThan(order.indexOf("a2"));
    expect(order).toHaveLength(5);
  });

  it("every revision comes before all its ancestors", () => {
    const g = graph(
      rev("a1"),
      rev("a2", "a1"),
      rev("a3", "a2"),
      rev("b1", "a3"),
      rev("b2", "a3"),
      rev("cb1", "b1"),
      rev("cb2", "b2"),
      rev("e1", "cb1"),
      rev("e2", "cb1"),
      rev("merge", ["e2", "cb2"]),
      rev("dep", [], { dependsOn: ["e1"] }),
    );
    const order = ids(g.walk());
    expect(order).toHaveLength(g.size);
    for (const id of order) {
      for (const ancestor of g.ancestors([id])) {
        expect(order.indexOf(ancestor)).toBeGreaterThan(order.indexOf(id));
      }
    }
  });
});
