/** The dependency graph between workstream ids: cycles (Tarjan) and transitive ordering. */

/** Edges from each id to the ids it depends on (only ids that exist). */
export type DependencyGraph = ReadonlyMap<string, readonly string[]>;

/**
 * Every dependency cycle, one per strongly connected component: the shortest cycle through the
 * component's smallest id, starting and ending there (`[a, b, c, a]`), plus all the component's members.
 */
export function findCycles(graph: DependencyGraph): { path: string[]; members: string[] }[] {
  const cycles: { path: string[]; members: string[] }[] = [];
  for (const component of stronglyConnected(graph)) {
    const start = component.reduce((smallest, id) => (id < smallest ? id : smallest));
    const selfLoop = graph.get(start)?.includes(start) ?? false;
    if (component.length === 1 && !selfLoop) continue;
    cycles.push({ path: shortestCycle(graph, start, new Set(component)), members: [...component].sort() });
  }
  return cycles.sort((a, b) => (a.path[0]! < b.path[0]! ? -1 : 1));
}

function shortestCycle(graph: DependencyGraph, start: string, inside: ReadonlySet<string>): string[] {
  const previous = new Map<string, string>();
  const queue = [start];
  for (let head = 0; head < queue.length; head++) {
    const node = queue[head]!;
    for (const next of [...(graph.get(node) ?? [])].sort()) {
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

/** Tarjan's algorithm, iterative so a 10,000-long chain cannot overflow the stack. */
function stronglyConnected(graph: DependencyGraph): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const onStack = new Set<string>();
  const stack: string[] = [];
  const components: string[][] = [];
  let counter = 0;
  for (const root of [...graph.keys()].sort()) {
    if (index.has(root)) continue;
    const frames: { node: string; next: number }[] = [{ node: root, next: 0 }];
    index.set(root, counter);
    low.set(root, counter++);
    stack.push(root);
    onStack.add(root);
    while (frames.length > 0) {
      const frame = frames[frames.length - 1]!;
      const edges = graph.get(frame.node) ?? [];
      if (frame.next < edges.length) {
        const target = edges[frame.next++]!;
        if (!graph.has(target)) continue;
        if (!index.has(target)) {
          index.set(target, counter);
          low.set(target, counter++);
          stack.push(target);
          onStack.add(target);
          frames.push({ node: target, next: 0 });
        } else if (onStack.has(target)) {
          low.set(frame.node, Math.min(low.get(frame.node)!, index.get(target)!));
        }
        continue;
      }
      frames.pop();
      const parent = frames[frames.length - 1];
      if (parent) low.set(parent.node, Math.min(low.get(parent.node)!, low.get(frame.node)!));
      if (low.get(frame.node) === index.get(frame.node)) {
        const component: string[] = [];
        let member: string;
        do {
          member = stack.pop()!;
          onStack.delete(member);
          component.push(member);
        } while (member !== frame.node);
        components.push(component);
      }
    }
  }
  return components;
}

/** Answers "is one of these ordered after the other?", memoising each id's transitive dependencies. */
export class Ordering {
  private readonly closures = new Map<string, Set<string>>();

  constructor(private readonly graph: DependencyGraph) {}

  /** True when `a` depends on `b` or `b` on `a`, directly or transitively. */
  ordered(a: string, b: string): boolean {
    return this.dependenciesOf(a).has(b) || this.dependenciesOf(b).has(a);
  }

  /** All ids `id` depends on, transitively. */
  dependenciesOf(id: string): Set<string> {
    const known = this.closures.get(id);
    if (known) return known;
    const seen = new Set<string>();
    const queue = [...(this.graph.get(id) ?? [])];
    while (queue.length > 0) {
      const next = queue.pop()!;
      if (seen.has(next)) continue;
      seen.add(next);
      const cached = this.closures.get(next);
      if (cached) for (const inherited of cached) seen.add(inherited);
      else queue.push(...(this.graph.get(next) ?? []));
    }
    this.closures.set(id, seen);
    return seen;
  }
}
