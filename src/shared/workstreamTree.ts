/**
 * The Workstreams tree as plain data: grouping, dependency levels and the capability tags menus
 * match. Kept free of `vscode` so it is unit-tested in plain Node.
 */
import {
  RETRYABLE_WORKSTREAM_STATUSES,
  TERMINAL_WORKSTREAM_STATUSES,
  WORKSTREAM_STATUSES,
} from "../core/store/stateMachine";

/** What the tree needs to know of one bundle. */
export interface WorkstreamSummary {
  id: string;
  title?: string;
  tasks: string[];
  filesScope: string[];
  dependsOn: string[];
  /** Workspace-relative path of the bundle file. */
  file: string;
  /** The bundle's own review policy, when it sets one (else the merge-queue config's applies). */
  review?: "required" | "optional";
}

/** A workstream's last known run state, when a store records one. */
export interface WorkstreamRunState {
  status: string;
  hasWorktree: boolean;
  /** Why the last run failed, when the store says; a `tamper:` reason is marked apart in the tree. */
  reason?: string;
  /** The kept worktree's own disk use (see `wsp worktree list`), when it has one. */
  worktreeBytes?: number;
}

/** A failure because a tool changed what it must not (refs, hooks, config, the base checkout). */
export function isTamperFailure(state: WorkstreamRunState | undefined): boolean {
  return state?.status === "failed" && state.reason?.startsWith("tamper:") === true;
}

export type GroupBy = "status" | "level";

export interface WorkstreamGroup {
  label: string;
  workstreams: WorkstreamSummary[];
}

/** Status names that mean a run is going on: the store's unfinished states, and a run's "running". */
const RUNNING = new Set<string>([
  "running",
  ...WORKSTREAM_STATUSES.filter(
    (status) =>
      !TERMINAL_WORKSTREAM_STATUSES.includes(status) && !RETRYABLE_WORKSTREAM_STATUSES.includes(status),
  ),
]);
/** Ended without success, in the store's or the live events' words: Retry is offered. */
const FAILED = new Set<string>([...RETRYABLE_WORKSTREAM_STATUSES, "error", "breaker_tripped"]);

/** Dependency level per id: 0 without known dependencies, else one more than its deepest one; cycle members get -1. */
export function dependencyLevels(workstreams: readonly WorkstreamSummary[]): Map<string, number> {
  const byId = new Map(workstreams.map((workstream) => [workstream.id, workstream]));
  const levels = new Map<string, number>();
  const visiting = new Set<string>();
  const levelOf = (id: string): number => {
    const known = levels.get(id);
    if (known !== undefined) return known;
    if (visiting.has(id)) return -1;
    visiting.add(id);
    let level = 0;
    for (const dependency of byId.get(id)?.dependsOn ?? []) {
      if (!byId.has(dependency)) continue;
      const dependencyLevel = levelOf(dependency);
      if (dependencyLevel < 0) {
        level = -1;
        break;
      }
      level = Math.max(level, dependencyLevel + 1);
    }
    visiting.delete(id);
    levels.set(id, level);
    return level;
  };
  for (const workstream of workstreams) levelOf(workstream.id);
  return levels;
}

// One collator each instead of `localeCompare`, which builds one per call: thousands of bundles sort in a few ms.
const BY_ID = new Intl.Collator();
const BY_LABEL = new Intl.Collator(undefined, { numeric: true });

/** Groups workstreams for the tree, in a stable order (levels ascending; statuses by name). */
export function groupWorkstreams(
  workstreams: readonly WorkstreamSummary[],
  groupBy: GroupBy,
  stateOf: (id: string) => WorkstreamRunState | undefined,
): WorkstreamGroup[] {
  const groups = new Map<string, WorkstreamSummary[]>();
  const levels = groupBy === "level" ? dependencyLevels(workstreams) : undefined;
  const keyOf = (workstream: WorkstreamSummary): string => {
    if (levels) {
      const level = levels.get(workstream.id) ?? 0;
      return level < 0 ? "In a dependency cycle" : `Level ${level}`;
    }
    return stateOf(workstream.id)?.status ?? "not run";
  };
  for (const workstream of [...workstreams].sort((a, b) => BY_ID.compare(a.id, b.id))) {
    const key = keyOf(workstream);
    const members = groups.get(key);
    if (members) members.push(workstream);
    else groups.set(key, [workstream]);
  }
  return [...groups.entries()]
    .sort(([a], [b]) => BY_LABEL.compare(a, b))
    .map(([label, members]) => ({ label, workstreams: members }));
}

/** Space-separated capability tags for `contextValue`; menus match them with `viewItem =~ /tag/`. */
export function workstreamContextValue(state: WorkstreamRunState | undefined): string {
  const tags = ["workstream"];
  const status = state?.status;
  if (status !== undefined && RUNNING.has(status)) tags.push("running");
  else tags.push("runnable");
  if (status !== undefined && FAILED.has(status)) tags.push("failed");
  if (isTamperFailure(state)) tags.push("tamper");
  if (state?.hasWorktree) tags.push("has-worktree");
  return tags.join(" ");
}
