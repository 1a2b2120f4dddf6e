import { DependencyGraph, findCycles } from "./graph";
import { where, type Finding } from "./findings";
import { type ScopedEntry } from "./overlaps";

/** Rules 3–5: duplicates, unknown dependencies and cycles, with the graph they were computed on. */
export function graphFindings(scoped: readonly ScopedEntry[]): {
  graph: DependencyGraph;
  findings: Finding[];
} {
  const findings: Finding[] = [];
  const graph = new DependencyGraph(
    scoped.map((item) => item.id),
    scoped.map((item) => item.dependsOn),
  );
  // The first definition of an id is its node; later ones are duplicates of it.
  const definition = (node: number): ScopedEntry => scoped[graph.definedAt[node]];
  let duplicated: Map<string, ScopedEntry[]> | undefined;
  if (graph.size < scoped.length)
    for (let position = 0; position < scoped.length; position++) {
      const item = scoped[position];
      const first = definition(graph.nodeAt[position]);
      if (first === item) continue;
      duplicated ??= new Map();
      (duplicated.get(item.id) ?? duplicated.set(item.id, [first]).get(item.id)!).push(item);
    }
  for (const [id, owners] of duplicated ?? [])
    for (const owner of owners) {
      const elsewhere = owners
        .filter((other) => other !== owner)
        .map((other) => (other.index === null ? other.uri : `${other.uri} [${other.index}]`));
      findings.push({
        ...where(owner),
        path: ["id"],
        type: "duplicate",
        severity: "error",
        message: `Duplicate id "${id}": also defined in ${elsewhere.join(", ")}.`,
      });
    }
  for (const item of scoped) {
    const { dependsOn } = item;
    for (let position = 0; position < dependsOn.length; position++) {
      const dependency = dependsOn[position];
      if (!graph.nodes.has(dependency))
        findings.push({
          ...where(item),
          path: ["depends_on", position],
          type: "dependency",
          severity: "error",
          message: `Unknown dependency "${dependency}": no bundle in the workstreams directory has this id.`,
        });
    }
  }
  for (const cycle of findCycles(graph)) {
    const text = cycle.path.join(" → ");
    for (const member of cycle.members) {
      const item = definition(graph.nodes.get(member)!);
      const step = cycle.path.indexOf(member);
      const next = step >= 0 ? cycle.path[step + 1] : undefined;
      const position = next === undefined ? -1 : item.dependsOn.indexOf(next);
      findings.push({
        ...where(item),
        path: position >= 0 ? ["depends_on", position] : ["depends_on"],
        type: "cycle",
        severity: "error",
        id: member,
        message: `Dependency cycle: ${text}.`,
      });
    }
  }
  return { graph, findings };
}
