import assert from "node:assert/strict";
import fc from "fast-check";
import { scopesOverlap } from "../orchestrator/scope";
import { type DagNode } from "../orchestrator/schedule";
import { allNeeds, buildJobGraph, type JobGraph } from "./jobGraph";

const files = ["a.js", "b.js", "c.js", "d.js", "lib/", "lib/x.js", "docs/**"];

/** A random DAG: node i may depend only on nodes before it, so there is never a cycle. */
const dagArbitrary = fc
  .integer({ min: 1, max: 12 })
  .chain((size) =>
    fc.tuple(
      ...Array.from({ length: size }, (_, index) =>
        fc.record({
          deps: fc.subarray(Array.from({ length: index }, (_unused, earlier) => earlier)),
          scope: fc.subarray(files, { minLength: 1, maxLength: 2 }),
        }),
      ),
    ),
  )
  .map((specs) =>
    specs.map((spec, index): DagNode => ({
      id: `ws-${String.fromCharCode(97 + ((index * 7) % 26))}${index}`,
      dependsOn: spec.deps.map((dep) => `ws-${String.fromCharCode(97 + ((dep * 7) % 26))}${dep}`),
      scope: spec.scope,
    })),
  );

function reaches(graph: JobGraph, from: string, to: string): boolean {
  const seen = new Set<string>();
  const stack = [from];
  while (stack.length > 0) {
    const id = stack.pop()!;
    if (id === to) return true;
    if (seen.has(id)) continue;
    seen.add(id);
    stack.push(...allNeeds(graph.edges.get(id)!));
  }
  return false;
}

function isAcyclic(graph: JobGraph): boolean {
  return graph.order.every((id) => allNeeds(graph.edges.get(id)!).every((need) => !reaches(graph, need, id)));
}

/** Plays GitHub: starts every job whose needs are all finished, finishes running jobs in a random order. */
function maxConcurrency(graph: JobGraph, pick: (count: number) => number): number {
  const finished = new Set<string>();
  const running: string[] = [];
  let most = 0;
  while (finished.size < graph.order.length) {
    for (const id of graph.order)
      if (!finished.has(id) && !running.includes(id))
        if (allNeeds(graph.edges.get(id)!).every((need) => finished.has(need))) running.push(id);
    most = Math.max(most, running.length);
    const [done] = running.splice(pick(running.length), 1);
    finished.add(done);
  }
  return most;
}

describe("buildJobGraph", () => {
  it("needs = depends_on plus one edge per overlapping pair the dependencies leave unordered", () => {
    fc.assert(
      fc.property(dagArbitrary, (nodes) => {
        const graph = buildJobGraph(nodes);
        for (const node of nodes)
          assert.deepEqual(new Set(graph.edges.get(node.id)!.dependencies), new Set(node.dependsOn));
        assert.ok(isAcyclic(graph));
        for (const a of nodes)
          for (const b of nodes) {
            if (a.id >= b.id || !scopesOverlap(a.scope, b.scope)) continue;
            // Every overlapping pair ends up ordered, one way or the other.
            assert.ok(
              reaches(graph, a.id, b.id) || reaches(graph, b.id, a.id),
              `${a.id} and ${b.id} overlap`,
            );
          }
        // Exactly the overlapping pairs the dependencies leave unordered get an edge, earlier to later.
        const dependencyOnly = buildJobGraph(nodes.map((node) => ({ ...node, scope: [] })));
        for (const a of nodes)
          for (const b of nodes) {
            const ordered = reaches(dependencyOnly, b.id, a.id) || reaches(dependencyOnly, a.id, b.id);
            const expected =
              a.id !== b.id &&
              scopesOverlap(a.scope, b.scope) &&
              !ordered &&
              graph.order.indexOf(a.id) < graph.order.indexOf(b.id);
            assert.equal(graph.edges.get(b.id)!.overlaps.includes(a.id), expected, `${a.id} -> ${b.id}`);
          }
        assert.equal(
          nodes.reduce((sum, node) => sum + graph.edges.get(node.id)!.lane.length, 0),
          0,
          "no lanes without a cap",
        );
      }),
      { numRuns: 200 },
    );
  });

  it("with a cap of N, lane edges keep at most N jobs running and never close a cycle", () => {
    fc.assert(
      fc.property(
        dagArbitrary,
        fc.integer({ min: 1, max: 4 }),
        fc.infiniteStream(fc.nat()),
        (nodes, cap, choices) => {
          const graph = buildJobGraph(nodes, cap);
          assert.ok(isAcyclic(graph));
          const uncapped = buildJobGraph(nodes);
          for (const node of nodes) {
            const own = graph.edges.get(node.id)!;
            assert.deepEqual(own.dependencies, uncapped.edges.get(node.id)!.dependencies);
            assert.deepEqual(own.overlaps, uncapped.edges.get(node.id)!.overlaps);
            assert.ok(own.lane.length <= 1);
          }
          const iterator = choices[Symbol.iterator]();
          const running = maxConcurrency(graph, (count) => iterator.next().value % count);
          assert.ok(running <= cap, `${running} jobs ran at once with a cap of ${cap}`);
        },
      ),
      { numRuns: 200 },
    );
  });

  it("refuses a dependency cycle", () => {
    assert.throws(
      () =>
        buildJobGraph([
          { id: "ws-a", dependsOn: ["ws-b"], scope: ["a.js"] },
          { id: "ws-b", dependsOn: ["ws-a"], scope: ["b.js"] },
        ]),
      /dependency cycle among: ws-a, ws-b/,
    );
  });
});
