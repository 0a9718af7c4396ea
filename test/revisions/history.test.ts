import { MultipleHeadsError, NotAncestorError, RevisionRangeError, parseHistoryRange } from "../../src/revisions";
import { caught, chain, diamond, forked, graph, ids, rev } from "./helpers";

describe("history ranges", () => {
  const line = graph(...chain("a", "b", "c", "d"));
  const g = forked();

  it("without a range lists everything newest first", () => {
    expect(ids(line.history())).toEqual(["d", "c", "b", "a"]);
  });

  it("a: lists a and everything above it", () => {
    expect(ids(line.history("b:"))).toEqual(["d", "c", "b"]);
  });

  it(":b lists b and everything below it", () => {
    expect(ids(line.history(":b"))).toEqual(["b", "a"]);
  });

  it("a:b includes both ends", () => {
    expect(ids(line.history("b:c"))).toEqual(["c", "b"]);
  });

  it("base:heads is everything", () => {
    expect(ids(line.history("base:heads"))).toEqual(["d", "c", "b", "a"]);
  });

  it("a reversed range is a NotAncestorError", () => {
    const error = caught(() => line.history("c:b")) as NotAncestorError;
    expect(error).toBeInstanceOf(NotAncestorError);
    expect(error.lower).toBe("c");
    expect(error.upper).toBe("b");
  });

  it("a range without a colon is a RevisionRangeError", () => {
    expect(() => line.history("b")).toThrow(RevisionRangeError);
    expect(() => parseHistoryRange("b")).toThrow(RevisionRangeError);
  });

  it("parseHistoryRange splits the ends", () => {
    expect(parseHistoryRange("a:b")).toEqual({ lower: "a", upper: "b" });
    expect(parseHistoryRange(":b")).toEqual({ lower: undefined, upper: "b" });
    expect(parseHistoryRange("a:")).toEqual({ lower: "a", upper: undefined });
  });

  it("-N: counts down from the head", () => {
    expect(ids(line.history("-2:"))).toEqual(["d", "c", "b"]);
  });

  it(":+1 is the first revision", () => {
    expect(ids(line.history(":+1"))).toEqual(["a"]);
  });

  it("a:+1 is a and its successor", () => {
    expect(ids(line.history("b:+1"))).toEqual(["c", "b"]);
  });

  it("-N: with several heads needs a label", () => {
    expect(() => g.history("-1:")).toThrow(MultipleHeadsError);
    expect(ids(g.history("x@-1:"))).toEqual(["x3", "x2"]);
  });

  it("from a revision on one branch lists only that branch above it", () => {
    expect(ids(g.history("x1:"))).toEqual(["x3", "x2", "x1"]);
  });

  it("from the branch point lists both branches", () => {
    expect(ids(g.history("t2:"))).toEqual(["x3", "x2", "x1", "y2", "y1", "t2"]);
  });

  it("across branches is a NotAncestorError", () => {
    expect(() => g.history("y1:x3")).toThrow(NotAncestorError);
  });

  it("label@head as the upper end", () => {
    expect(ids(g.history(":y@head"))).toEqual(["y2", "y1", "t2", "t1"]);
  });

  it("current: with the version-table rows given as ids", () => {
    expect(ids(g.history({ lower: ["x2", "y1"] }))).toEqual(["x3", "x2", "y2", "y1"]);
  });

  it("an upper end given as ids", () => {
    expect(ids(g.history({ upper: ["x1", "y1"] }))).toEqual(["x1", "y1", "t2", "t1"]);
  });

  it("through a merge lists both sides", () => {
    expect(ids(diamond().history("b1:"))).toEqual(["d", "c", "b1"]);
    expect(ids(diamond().history(":c"))).toEqual(["c", "b1", "b2", "a"]);
  });

  it("of an empty history is empty", () => {
    expect(graph().history()).toEqual([]);
  });

  it("includes dependencies of the upper end", () => {
    const h = graph(rev("a1"), rev("b1", [], { dependsOn: ["a1"] }));
    expect(ids(h.history(":b1"))).toEqual(["b1", "a1"]);
  });
});
