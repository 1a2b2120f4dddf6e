/**
 * The dependency graph between workstream ids, numbered: one node per distinct id, so the
 * algorithms below run over typed arrays instead of maps keyed by strings.
 */

export class DependencyGraph {
  /** Node number by id. */
  readonly nodes = new Map<string, number>();
  /** Id by node number. */
  readonly ids: readonly string[];
  /** Edges of node n (to the nodes it depends on) are targets[starts[n]] up to targets[starts[n + 1]]. */
  readonly starts: Int32Array;
  readonly targets: Int32Array;
  /** The node of each position of the ids given, duplicates included. */
  readonly nodeAt: Int32Array;
  /** The position that defines each node: the first with its id. */
  readonly definedAt: Int32Array;

  /**
   * `ids[i]` depends on `dependencies[i]`. The first occurrence of an id defines its node;
   * dependencies on ids that are not in `ids` are left out.
   */
  constructor(ids: readonly string[], dependencies: readonly (readonly string[])[]) {
    this.nodeAt = new Int32Array(ids.length);
    const definedAt = new Int32Array(ids.length);
    let size = 0;
    let edges = 0;
    for (let position = 0; position < ids.length; position++) {
      const id = ids[position];
      let node = this.nodes.get(id);
      if (node === undefined) {
        node = size++;
        this.nodes.set(id, node);
        definedAt[node] = position;
        edges += dependencies[position].length;
      }
      this.nodeAt[position] = node;
    }
    // Without duplicate ids (the usual case) nodes are positions, and the lists given serve as they are.
    const distinct = size === ids.length;
    this.definedAt = distinct ? definedAt : definedAt.slice(0, size);
    this.ids = distinct ? ids : Array.from(this.definedAt, (position) => ids[position]);
    this.starts = new Int32Array(size + 1);
    const targets = new Int32Array(edges);
    let used = 0;
    for (let node = 0; node < size; node++) {
      for (const dependency of dependencies[this.definedAt[node]]) {
        const target = this.nodes.get(dependency);
        if (target !== undefined) targets[used++] = target;
      }
      this.starts[node + 1] = used;
    }
    this.targets = used === edges ? targets : targets.slice(0, used);
  }

  get size(): number {
    return this.ids.length;
  }

  /** The ids `id` depends on directly, in their depends_on order. */
  dependenciesOf(id: string): string[] {
    const node = this.nodes.get(id);
    if (node === undefined) return [];
    const found: string[] = [];
    for (let edge = this.starts[node]; edge < this.starts[node + 1]; edge++)
      found.push(this.ids[this.targets[edge]]);
    return found;
  }
}

/**
 * Every dependency cycle, one per strongly connected component: the shortest cycle through the
 * component's smallest id, starting and ending there (`[a, b, c, a]`), plus all the component's members.
 */
export function findCycles(graph: DependencyGraph): { path: string[]; members: string[] }[] {
  const cycles: { path: string[]; members: string[] }[] = [];
  for (const component of cyclicComponents(graph)) {
    const members = component.map((node) => graph.ids[node]).sort();
    cycles.push({ path: shortestCycle(graph, members[0], new Set(members)), members });
  }
  return cycles.sort((a, b) => (a.path[0] < b.path[0] ? -1 : 1));
}

function shortestCycle(graph: DependencyGraph, start: string, inside: ReadonlySet<string>): string[] {
  const previous = new Map<string, string>();
  const queue = [start];
  for (let head = 0; head < queue.length; head++) {
    const node = queue[head];
    for (const next of graph.dependenciesOf(node).sort()) {
      if (!inside.has(next)) continue;
      if (next === start) {
        const path = [start];
        for (
          let step: string | undefined = node;
          step !== undefined && step !== start;
          step = previous.get(step)
        )
          path.splice(1, 0, step);
        path.push(start);
        return path;
      }
      if (!previous.has(next)) {
        previous.set(next, node);
        queue.push(next);
      }
    }
  }
  return [start, start];
}

/**
 * The strongly connected components that hold a cycle: two members or more, or one that depends on
 * itself. Tarjan's algorithm, iterative so a 10,000-long chain cannot overflow the stack.
 */
function cyclicComponents(graph: DependencyGraph): number[][] {
  const { size, starts, targets } = graph;
  const unvisited = -1;
  const index = new Int32Array(size).fill(unvisited);
  const low = new Int32Array(size);
  const onStack = new Uint8Array(size);
  const stack = new Int32Array(size);
  // The depth-first path: node and the position of its next edge to follow.
  const pathNodes = new Int32Array(size);
  const pathEdges = new Int32Array(size);
  const components: number[][] = [];
  let stackTop = 0;
  let counter = 0;
  let depth = 0;
  const enter = (node: number): void => {
    index[node] = low[node] = counter++;
    stack[stackTop++] = node;
    onStack[node] = 1;
    pathNodes[depth] = node;
    pathEdges[depth++] = starts[node];
  };
  for (let root = 0; root < size; root++) {
    if (index[root] !== unvisited) continue;
    enter(root);
    while (depth > 0) {
      const node = pathNodes[depth - 1];
      const edge = pathEdges[depth - 1];
      if (edge < starts[node + 1]) {
        pathEdges[depth - 1] = edge + 1;
        const target = targets[edge];
        if (index[target] === unvisited) enter(target);
        else if (onStack[target] === 1 && index[target] < low[node]) low[node] = index[target];
        continue;
      }
      depth--;
      if (depth > 0) {
        const parent = pathNodes[depth - 1];
        if (low[node] < low[parent]) low[parent] = low[node];
      }
      if (low[node] === index[node]) {
        // The component is the stack down to `node`; most are `node` alone, with no cycle.
        let bottom = stackTop - 1;
        while (stack[bottom] !== node) bottom--;
        if (bottom < stackTop - 1 || dependsOnItself(graph, node))
          components.push(Array.from(stack.subarray(bottom, stackTop)));
        for (let member = bottom; member < stackTop; member++) onStack[stack[member]] = 0;
        stackTop = bottom;
      }
    }
  }
  return components;
}

function dependsOnItself(graph: DependencyGraph, node: number): boolean {
  for (let edge = graph.starts[node]; edge < graph.starts[node + 1]; edge++)
    if (graph.targets[edge] === node) return true;
  return false;
}

/** Answers "is one of these ordered after the other?", memoising each node's transitive dependencies. */
export class Ordering {
  /** By node: everything it depends on, transitively, sorted. */
  private readonly closures = new Map<number, Int32Array>();
  /** Scratch for the walks: which node a walk has seen, stamped with that walk's number. */
  private readonly seen: Int32Array;
  private walk = 0;
  /** Scratch for the walks: the nodes found so far, and the ones still to follow. */
  private readonly found: Int32Array;
  private readonly pending: Int32Array;

  constructor(private readonly graph: DependencyGraph) {
    this.seen = new Int32Array(graph.size);
    this.found = new Int32Array(graph.size);
    this.pending = new Int32Array(graph.size + 1); // a cycle brings the start back once
  }

  /** True when `a` depends on `b` or `b` on `a`, directly or transitively. */
  ordered(a: string, b: string): boolean {
    const nodeA = this.graph.nodes.get(a);
    const nodeB = this.graph.nodes.get(b);
    if (nodeA === undefined || nodeB === undefined) return false;
    return includes(this.closureOf(nodeA), nodeB) || includes(this.closureOf(nodeB), nodeA);
  }

  /** Every node `node` depends on, transitively. */
  private closureOf(node: number): Int32Array {
    const known = this.closures.get(node);
    if (known) return known;
    const { starts, targets } = this.graph;
    const { seen, found, pending } = this;
    const stamp = ++this.walk;
    let count = 0;
    let top = 0;
    pending[top++] = node;
    while (top > 0) {
      const next = pending[--top];
      for (let edge = starts[next]; edge < starts[next + 1]; edge++) {
        const target = targets[edge];
        if (seen[target] === stamp) continue;
        seen[target] = stamp;
        found[count++] = target;
        const inherited = this.closures.get(target);
        if (inherited === undefined) pending[top++] = target;
        else
          for (const member of inherited)
            if (seen[member] !== stamp) {
              seen[member] = stamp;
              found[count++] = member;
            }
      }
    }
    const closure = found.slice(0, count).sort();
    this.closures.set(node, closure);
    return closure;
  }
}

/** Binary search in a sorted list of nodes. */
function includes(sorted: Int32Array, node: number): boolean {
  let [low, high] = [0, sorted.length];
  while (low < high) {
    const middle = (low + high) >>> 1;
    if (sorted[middle] < node) low = middle + 1;
    else high = middle;
  }
  return low < sorted.length && sorted[low] === node;
}
