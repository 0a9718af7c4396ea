import {
  AmbiguousWalkError,
  MultipleHeadsError,
  NotOnBranchError,
  RevisionRangeError,
  UnknownRevisionError,
  parseTarget,
  resolveDowngradeTarget,
  resolveUpgradeTarget,
} from "../../src/revisions";
import { caught, chain, diamond, forked, graph } from "./helpers";

describe("parseTarget", () => {
  it.each([
    ["head", { symbol: "head" }],
    ["heads", { symbol: "heads" }],
    ["ae10@head", { branch: "ae10", symbol: "head" }],
    ["pay@base", { branch: "pay", symbol: "base" }],
    ["-2", { relative: -2 }],
    ["+3", { relative: 3 }],
    ["abc1+3", { symbol: "abc1", relative: 3 }],
    ["abc1-1", { symbol: "abc1", relative: -1 }],
    ["lbl@-1", { branch: "lbl", relative: -1 }],
    ["lbl@abc1+2", { branch: "lbl", symbol: "abc1", relative: 2 }],
    ["  head  ", { symbol: "head" }],
  ])("reads %p", (raw, expected) => {
    const parsed = parseTarget(raw);
    expect({ branch: parsed.branch, symbol: parsed.symbol, relative: parsed.relative }).toEqual({
      branch: undefined,
      symbol: undefined,
      relative: undefined,
      ...expected,
    });
  });
});

describe("upgrade targets", () => {
  const g = forked(); // t1 - t2 - x1(x) - x2 - x3 ; t2 - y1(y) - y2

  it("heads gives every head", () => {
    expect(resolveUpgradeTarget(g, [], "heads")).toEqual(["x3", "y2"]);
  });

  it("head with several heads is a MultipleHeadsError listing them and pointing at heads/merge", () => {
    const error = caught(() => resolveUpgradeTarget(g, [], "head")) as MultipleHeadsError;
    expect(error).toBeInstanceOf(MultipleHeadsError);
    expect(error.heads).toEqual(["x3", "y2"]);
    expect(error.target).toBe("head");
    expect(error.message).toContain("retort heads");
    expect(error.message).toContain("retort merge");
  });

  it("label@head and label@heads pick the branch's head", () => {
    expect(resolveUpgradeTarget(g, [], "x@head")).toEqual(["x3"]);
    expect(resolveUpgradeTarget(g, [], "y@heads")).toEqual(["y2"]);
  });

  it("a revision id can stand for the branch before @", () => {
    expect(resolveUpgradeTarget(g, [], "x2@head")).toEqual(["x3"]);
  });

  it("a label on a shared trunk matches every head above it", () => {
    const trunk = graph(
      { revision: "r0", downRevisions: [], branchLabels: ["core"], dependsOn: [] },
      { revision: "r1", downRevisions: ["r0"], branchLabels: [], dependsOn: [] },
      { revision: "r2", downRevisions: ["r0"], branchLabels: [], dependsOn: [] },
    );
    expect(() => resolveUpgradeTarget(trunk, [], "core@head")).toThrow(MultipleHeadsError);
  });

  it("label@rev resolves a revision on that branch", () => {
    expect(resolveUpgradeTarget(g, [], "x@x2")).toEqual(["x2"]);
    expect(resolveUpgradeTarget(g, [], "x@t1")).toEqual(["t1"]);
  });

  it("label@rev refuses a revision of another branch", () => {
    expect(() => resolveUpgradeTarget(g, [], "y@x2")).toThrow(NotOnBranchError);
  });

  it("an unknown branch is reported as a branch", () => {
    const error = caught(() => resolveUpgradeTarget(g, [], "nolabel@head")) as UnknownRevisionError;
    expect(error).toBeInstanceOf(UnknownRevisionError);
    expect(error.kind).toBe("branch");
    expect(error.message).toContain("retort branches");
  });

  it("base is no revision", () => {
    expect(resolveUpgradeTarget(g, [], "base")).toEqual([]);
  });

  it("+1 from nothing is the first revision", () => {
    expect(resolveUpgradeTarget(g, [], "+1")).toEqual(["t1"]);
  });

  it("+N walking into a branch point without a label is ambiguous", () => {
    const error = caught(() => resolveUpgradeTarget(g, ["t1"], "+2")) as AmbiguousWalkError;
    expect(error).toBeInstanceOf(AmbiguousWalkError);
    expect(error.candidates).toEqual(["x1", "y1"]);
    expect(error.from).toBe("t2");
  });

  it("label@+N chooses the branch at a branch point", () => {
    expect(resolveUpgradeTarget(g, ["t2"], "x@+1")).toEqual(["x1"]);
    expect(resolveUpgradeTarget(g, ["t2"], "y@+2")).toEqual(["y2"]);
  });

  it("label@+N starts below the branch when only another branch is applied", () => {
    expect(resolveUpgradeTarget(g, ["y2"], "x@+1")).toEqual(["x1"]);
  });

  it("+N from several current heads is a MultipleHeadsError", () => {
    const error = caught(() => resolveUpgradeTarget(g, ["x3", "y2"], "+1")) as MultipleHeadsError;
    expect(error).toBeInstanceOf(MultipleHeadsError);
    expect(error.heads).toEqual(["x3", "y2"]);
  });

  it("+N past the head is a RevisionRangeError", () => {
    const error = caught(() => resolveUpgradeTarget(g, ["x1"], "+3")) as RevisionRangeError;
    expect(error).toBeInstanceOf(RevisionRangeError);
    expect(error.target).toBe("+3");
    expect(error.message).toContain("fewer than 3");
  });

  it("-N as an upgrade target is a RevisionRangeError", () => {
    expect(() => resolveUpgradeTarget(g, ["x3"], "-1")).toThrow(RevisionRangeError);
  });

  it("REV+N and REV-N walk from a named revision", () => {
    expect(resolveUpgradeTarget(g, [], "x1+1")).toEqual(["x2"]);
    expect(resolveUpgradeTarget(g, [], "x3-2")).toEqual(["x1"]);
    expect(resolveUpgradeTarget(g, [], "x@t2+1")).toEqual(["x1"]);
  });

  it("REV-N reaching below the first revision is base, one more is too far", () => {
    expect(resolveUpgradeTarget(g, [], "x3-5")).toEqual([]);
    expect(() => resolveUpgradeTarget(g, [], "x3-6")).toThrow(RevisionRangeError);
  });

  it("REV+N across a branch point without a label is ambiguous", () => {
    expect(() => resolveUpgradeTarget(g, [], "t2+1")).toThrow(AmbiguousWalkError);
  });

  it("head of an empty history is base", () => {
    expect(resolveUpgradeTarget(graph(), [], "head")).toEqual([]);
    expect(resolveUpgradeTarget(graph(), [], "heads")).toEqual([]);
  });

  it("a prefix works as a target", () => {
    const long = graph(...chain("3f2a9c1b7d4e", "8be61d0cc541"));
    expect(resolveUpgradeTarget(long, [], "8be6")).toEqual(["8be61d0cc541"]);
    expect(resolveUpgradeTarget(long, [], "3f2a+1")).toEqual(["8be61d0cc541"]);
  });
});

describe("downgrade targets", () => {
  const g = forked();

  it("-1 from one head is its parent, limited to that head's line", () => {
    expect(resolveDowngradeTarget(g, ["x3"], "-1")).toEqual({ target: "x2", branch: "x3" });
  });

  it("-1 from several heads without a label is a MultipleHeadsError", () => {
    const error = caught(() => resolveDowngradeTarget(g, ["x3", "y2"], "-1")) as MultipleHeadsError;
    expect(error).toBeInstanceOf(MultipleHeadsError);
    expect(error.heads).toEqual(["x3", "y2"]);
  });

  it("label@-N picks the head on that branch", () => {
    expect(resolveDowngradeTarget(g, ["x3", "y2"], "x@-1")).toEqual({ target: "x2", branch: "x" });
    expect(resolveDowngradeTarget(g, ["x3", "y2"], "y@-2")).toEqual({ target: "t2", branch: "y" });
  });

  it("-N reaching exactly below the first revision is base", () => {
    expect(resolveDowngradeTarget(g, ["x1"], "-3").target).toBeNull();
  });

  it("-N further than base is a RevisionRangeError", () => {
    const error = caught(() => resolveDowngradeTarget(g, ["x1"], "-4")) as RevisionRangeError;
    expect(error).toBeInstanceOf(RevisionRangeError);
    expect(error.message).toContain("'base'");
  });

  it("-1 with nothing applied is a RevisionRangeError", () => {
    expect(() => resolveDowngradeTarget(g, [], "-1")).toThrow(RevisionRangeError);
  });

  it("+1 as a downgrade target is a RevisionRangeError", () => {
    expect(() => resolveDowngradeTarget(g, ["t1"], "+1")).toThrow(RevisionRangeError);
  });

  it("REV+N is allowed as an absolute downgrade target", () => {
    expect(resolveDowngradeTarget(g, ["x3"], "t1+1").target).toBe("t2");
  });

  it("heads as a downgrade target needs a single head", () => {
    expect(() => resolveDowngradeTarget(g, ["x3", "y2"], "heads")).toThrow(MultipleHeadsError);
    const line = graph(...chain("a", "b"));
    expect(resolveDowngradeTarget(line, ["b"], "heads").target).toBe("b");
  });

  it("base and label@base", () => {
    expect(resolveDowngradeTarget(g, ["x3"], "base")).toEqual({ target: null, branch: undefined });
    expect(resolveDowngradeTarget(g, ["x3"], "x@base")).toEqual({ target: null, branch: "x" });
  });

  it("-N through a merge point is ambiguous", () => {
    const error = caught(() => resolveDowngradeTarget(diamond(), ["d"], "-2")) as AmbiguousWalkError;
    expect(error).toBeInstanceOf(AmbiguousWalkError);
    expect(error.candidates).toEqual(["b1", "b2"]);
  });

  it("an unknown revision in the version table is reported as such", () => {
    const error = caught(() => resolveDowngradeTarget(g, ["deadbeef"], "-1")) as UnknownRevisionError;
    expect(error).toBeInstanceOf(UnknownRevisionError);
    expect(error.kind).toBe("current");
    expect(error.message).toContain("version table");
  });
});
