import assert from "node:assert/strict";
import { DependencyGraph, findCycles, Ordering } from "./graph";

/** A graph from `id: dependencies` pairs. */
function graphOf(edges: Record<string, string[]>): DependencyGraph {
  return new DependencyGraph(Object.keys(edges), Object.values(edges));
}

describe("dependency graph", () => {
  it("finds only the components that hold a cycle, each from its smallest id", () => {
    const graph = graphOf({
      a: ["b"], // a leads into the b–c cycle but is not part of it
      b: ["c"],
      c: ["b", "d"],
      d: [],
      e: ["f"],
      f: ["g"],
      g: ["e", "d"],
      h: ["h"],
    });
    assert.deepEqual(findCycles(graph), [
      { path: ["b", "c", "b"], members: ["b", "c"] },
      { path: ["e", "f", "g", "e"], members: ["e", "f", "g"] },
      { path: ["h", "h"], members: ["h"] },
    ]);
  });

  it("walks a 10,000-long chain without running out of stack, cycle or not", () => {
    const ids = Array.from({ length: 10_000 }, (_, n) => `ws-${String(n).padStart(5, "0")}`);
    const chain = ids.map((_, n) => (n + 1 < ids.length ? [ids[n + 1]] : []));
    assert.deepEqual(findCycles(new DependencyGraph(ids, chain)), []);
    const loop = ids.map((_, n) => [ids[(n + 1) % ids.length]]);
    const [cycle] = findCycles(new DependencyGraph(ids, loop));
    assert.equal(cycle.members.length, 10_000);
    assert.deepEqual([cycle.path[0], cycle.path.at(-1)], [ids[0], ids[0]]);
  });

  it("keeps the first definition of a duplicate id and leaves out unknown dependencies", () => {
    const graph = new DependencyGraph(["a", "b", "a"], [["b", "nowhere"], [], ["a"]]);
    assert.equal(graph.size, 2);
    assert.deepEqual(graph.dependenciesOf("a"), ["b"]);
    assert.deepEqual(findCycles(graph), []);
  });

  it("orders two ids when either depends on the other through any path, reusing earlier answers", () => {
    const graph = graphOf({ a: [], b: ["a"], c: ["b"], d: ["c", "x"], x: [], y: ["x"] });
    const ordering = new Ordering(graph);
    assert.equal(ordering.ordered("b", "a"), true); // computes b's dependencies first
    assert.equal(ordering.ordered("d", "a"), true); // then d's, through b's known ones
    assert.equal(ordering.ordered("a", "d"), true);
    assert.equal(ordering.ordered("y", "a"), false);
    assert.equal(ordering.ordered("y", "d"), false);
    assert.equal(ordering.ordered("a", "unknown"), false);
  });
});
