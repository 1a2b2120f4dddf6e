/**
 * The scheduler, pure: `planNext(dag, state)` says which workstreams to start and which to record as
 * blocked, given what is running and finished. The executor in src/node carries the actions out and
 * calls it again whenever something finishes. AND-DAG, fail closed, scope-overlap exclusion.
 */
import { UserError } from "../errors";
import { prepareScope, preparedScopesOverlap } from "./scope";

export interface DagNode {
  id: string;
  dependsOn: readonly string[];
  /** files_scope + files_create: two nodes whose scopes overlap never run at once. */
  scope: readonly string[];
}

export interface Dag {
  /** Node ids in a stable order (topological, ties by id). */
  readonly order: readonly string[];
  readonly nodes: ReadonlyMap<string, DagNode>;
  /** For each node, the nodes whose scope overlaps its own. */
  readonly conflicts: ReadonlyMap<string, ReadonlySet<string>>;
  /** Longest chain of dependents below a node (itself included): start long chains first. */
  readonly priority: ReadonlyMap<string, number>;
  /** Dependencies outside the node set and whether they are already done. */
  readonly external: ReadonlyMap<string, boolean>;
}

/**
 * `finishing`: its tools are through and only the scope check, commit and clean-up are left. It no
 * longer holds one of the N slots (which bound the tools running at once), but its dependents still
 * wait for it and nothing overlapping its scope starts beside it.
 */
export type NodeStatus = "pending" | "running" | "finishing" | "done" | "failed" | "blocked" | "cancelled";

export interface PlanState {
  status: ReadonlyMap<string, NodeStatus>;
  maxParallel: number;
  /** Set after a failure when the run should not start anything new (no `--continue`), or on cancel. */
  stopStarting?: { reason: string };
  /**
   * The status a `block` action records: "blocked" unless the run was cancelled, when the caller
   * records "cancelled". A dependent's reason then names the status its dependency really ends in.
   */
  blockedStatus?: NodeStatus;
}

export type PlanAction = { type: "start"; id: string } | { type: "block"; id: string; reason: string };

export interface Plan {
  actions: PlanAction[];
  /** True when nothing runs and nothing is left to start: the run is over. */
  finished: boolean;
}

/**
 * Builds the DAG; dependencies outside `nodes` are looked up in `externalDone` (done earlier) and
 * otherwise block their dependents. Throws a UserError on a dependency cycle.
 */
export function buildDag(nodes: readonly DagNode[], externalDone: ReadonlySet<string> = new Set()): Dag {
  const byId = new Map(nodes.map((node) => [node.id, node]));
  const external = new Map<string, boolean>();
  for (const node of nodes)
    for (const dep of node.dependsOn) if (!byId.has(dep)) external.set(dep, externalDone.has(dep));
  // Kahn's algorithm with a sorted queue, so the order is deterministic.
  const indegree = new Map(
    nodes.map((node) => [node.id, node.dependsOn.filter((dep) => byId.has(dep)).length]),
  );
  const dependents = new Map<string, string[]>(nodes.map((node) => [node.id, []]));
  for (const node of nodes) for (const dep of node.dependsOn) dependents.get(dep)?.push(node.id);
  const ready = nodes.filter((node) => indegree.get(node.id) === 0).map((node) => node.id);
  const order: string[] = [];
  while (ready.length > 0) {
    ready.sort();
    const id = ready.shift()!;
    order.push(id);
    for (const next of dependents.get(id) ?? []) {
      const left = indegree.get(next)! - 1;
      indegree.set(next, left);
      if (left === 0) ready.push(next);
    }
  }
  if (order.length !== nodes.length) {
    const stuck = nodes.filter((node) => !order.includes(node.id)).map((node) => node.id);
    throw new UserError(`dependency cycle among: ${stuck.sort().join(", ")}`);
  }
  const priority = new Map<string, number>();
  for (const id of [...order].reverse()) {
    const below = (dependents.get(id) ?? []).map((next) => priority.get(next) ?? 0);
    priority.set(id, 1 + Math.max(0, ...below));
  }
  const conflicts = new Map<string, Set<string>>(nodes.map((node) => [node.id, new Set<string>()]));
  // Compiled once per node: compiling the globs for every pair made this quadratic in picomatch compiles.
  const scopes = nodes.map((node) => prepareScope(node.scope));
  for (let i = 0; i < nodes.length; i++) {
    for (let j = i + 1; j < nodes.length; j++) {
      const a = nodes[i];
      const b = nodes[j];
      if (preparedScopesOverlap(scopes[i], scopes[j])) {
        conflicts.get(a.id)!.add(b.id);
        conflicts.get(b.id)!.add(a.id);
      }
    }
  }
  return { order, nodes: byId, conflicts, priority, external };
}

const FINISHED_BAD: ReadonlySet<NodeStatus> = new Set(["failed", "blocked", "cancelled"]);

/** The next actions: block what can never run, start what may run now. Deterministic. */
export function planNext(dag: Dag, state: PlanState): Plan {
  const status = new Map(state.status);
  const statusOf = (id: string): NodeStatus => status.get(id) ?? "pending";
  const actions: PlanAction[] = [];
  // Blocking cascades in topological order, so a whole chain below a failure is blocked at once.
  for (const id of dag.order) {
    if (statusOf(id) !== "pending") continue;
    const node = dag.nodes.get(id)!;
    let reason: string | undefined;
    for (const dep of node.dependsOn) {
      if (dag.nodes.has(dep)) {
        const depStatus = statusOf(dep);
        if (FINISHED_BAD.has(depStatus)) reason = `dependency ${dep} is ${depStatus}`;
      } else if (dag.external.get(dep) !== true) {
        reason = `dependency ${dep} is not in this run and has not been done`;
      }
      if (reason) break;
    }
    if (!reason && state.stopStarting) reason = state.stopStarting.reason;
    if (reason) {
      actions.push({ type: "block", id, reason });
      status.set(id, state.blockedStatus ?? "blocked");
    }
  }
  const running = dag.order.filter((id) => statusOf(id) === "running");
  const finishing = dag.order.filter((id) => statusOf(id) === "finishing");
  let slots = state.maxParallel - running.length;
  const candidates = dag.order
    .filter((id) => statusOf(id) === "pending")
    .filter((id) =>
      dag.nodes.get(id)!.dependsOn.every((dep) => !dag.nodes.has(dep) || statusOf(dep) === "done"),
    )
    .sort((a, b) => dag.priority.get(b)! - dag.priority.get(a)! || (a < b ? -1 : a > b ? 1 : 0));
  const busy = new Set([...running, ...finishing]);
  for (const id of candidates) {
    if (slots <= 0) break;
    const conflicts = dag.conflicts.get(id)!;
    if ([...busy].some((other) => conflicts.has(other))) continue;
    actions.push({ type: "start", id });
    status.set(id, "running");
    busy.add(id);
    slots -= 1;
  }
  const finished = dag.order.every((id) => {
    const s = statusOf(id);
    return s !== "pending" && s !== "running" && s !== "finishing";
  });
  return { actions, finished };
}
