/**
 * The job graph of an exported workflow: one job per workstream, `needs:` from `depends_on`, extra
 * edges that serialise workstreams whose scopes overlap, and, with a cap of N, edges that chain the
 * jobs into N lanes. GitHub has no limit across the jobs of one workflow (`max-parallel` only caps a
 * matrix) and its concurrency groups cancel pending members, so ordering edges are the only tool.
 */
import { buildDag, type DagNode } from "../orchestrator/schedule";

/** Why one job waits for another. Only `dependency` edges carry work; the others only order. */
export type EdgeKind = "dependency" | "overlap" | "lane";

export interface JobEdges {
  /** The jobs this one needs because its workstream builds on theirs. */
  dependencies: string[];
  /** Jobs that must finish first because their scope overlaps this one's. */
  overlaps: string[];
  /** The job before this one in its lane (with a concurrency cap). */
  lane: string[];
}

export interface JobGraph {
  /** Workstream ids in a topological order (ties by id); every edge points backwards in it. */
  order: string[];
  edges: Map<string, JobEdges>;
  /** With a cap: the lanes, each a chain of workstream ids in order. */
  lanes: string[][];
}

/**
 * Builds the graph; throws a UserError on a dependency cycle or a dependency outside `nodes`.
 * Every edge goes from an earlier workstream in one topological order to a later one, so the
 * added edges can never close a cycle.
 */
export function buildJobGraph(nodes: readonly DagNode[], maxParallel?: number): JobGraph {
  const dag = buildDag(nodes);
  const order = [...dag.order];
  const position = new Map(order.map((id, index) => [id, index]));
  const ancestors = new Map<string, Set<string>>();
  for (const id of order) {
    const own = new Set<string>();
    for (const dep of dag.nodes.get(id)!.dependsOn) {
      own.add(dep);
      for (const above of ancestors.get(dep) ?? []) own.add(above);
    }
    ancestors.set(id, own);
  }
  const edges = new Map<string, JobEdges>(
    order.map((id) => [
      id,
      { dependencies: [...dag.nodes.get(id)!.dependsOn].sort(byPosition(position)), overlaps: [], lane: [] },
    ]),
  );
  for (const id of order) {
    const earlierOverlaps = [...(dag.conflicts.get(id) ?? [])].filter(
      // Already ordered through the dependencies: no edge needed.
      (other) => position.get(other)! < position.get(id)! && !ancestors.get(id)!.has(other),
    );
    edges.get(id)!.overlaps = earlierOverlaps.sort(byPosition(position));
  }
  const lanes: string[][] = [];
  if (maxParallel !== undefined && maxParallel < order.length) {
    for (let lane = 0; lane < maxParallel; lane++) lanes.push([]);
    order.forEach((id, index) => {
      const lane = lanes[index % maxParallel];
      const previous = lane[lane.length - 1];
      const own = edges.get(id)!;
      if (previous !== undefined && !own.dependencies.includes(previous) && !own.overlaps.includes(previous))
        own.lane.push(previous);
      lane.push(id);
    });
  }
  return { order, edges, lanes };
}

/** Every job this one needs, in order: dependencies, then overlaps, then its lane predecessor. */
export function allNeeds(edges: JobEdges): string[] {
  return [...edges.dependencies, ...edges.overlaps, ...edges.lane];
}

function byPosition(position: ReadonlyMap<string, number>): (a: string, b: string) => number {
  return (a, b) => position.get(a)! - position.get(b)!;
}
