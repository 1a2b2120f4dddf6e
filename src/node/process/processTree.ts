/**
 * Finding and stopping whole process trees: the door's only walker and killer. A tool may start shells
 * and helpers in new process groups or sessions, so a group kill is not always enough. A tree is found
 * two ways: the descendants of a root (parent links from /proc, or `ps` without it), and, for tagged
 * runs, every process carrying the run's tag variable in its environment (Linux only).
 */
import { execFileSync } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";
import { procState, groupAlive, processRunning } from "./processAlive";

/** The environment variable whose value tags every process of one run (see RunProcessOptions.runTag). */
export const runTagVariable = "WSP_AGENT_RUN_TAG";

/**
 * The environment variable that names, in every tool process a workstream starts, the wsp run it
 * belongs to: `wsp resume` finds what a killed orchestrator left running by it (see killRunProcesses).
 */
export const runIdVariable = "WSP_RUN_ID";

/** Each process's parent, read from /proc; undefined where there is no /proc. */
function parentsFromProc(): Map<number, number> | undefined {
  let entries: string[];
  try {
    entries = readdirSync("/proc");
  } catch {
    return undefined;
  }
  const parents = new Map<number, number>();
  for (const entry of entries) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      // Fields after the parenthesised command name: state, ppid, ...
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
      parents.set(Number(entry), Number(fields[1]));
    } catch {
      // exited while we looked
    }
  }
  return parents;
}

function parentsFromPs(): Map<number, number> {
  const parents = new Map<number, number>();
  const output = execFileSync("ps", ["-A", "-o", "pid=,ppid="], { encoding: "utf8" });
  for (const line of output.split("\n")) {
    const [pid, ppid] = line.trim().split(/\s+/).map(Number);
    if (pid !== undefined && ppid !== undefined && Number.isFinite(pid)) parents.set(pid, ppid);
  }
  return parents;
}

function childrenByParent(parents: ReadonlyMap<number, number>): Map<number, number[]> {
  const children = new Map<number, number[]>();
  for (const [pid, ppid] of parents) children.set(ppid, [...(children.get(ppid) ?? []), pid]);
  return children;
}

/** Every live descendant of `root` (children, grandchildren, ...), zombies included. */
export function descendantsOf(root: number): number[] {
  const children = childrenByParent(parentsFromProc() ?? parentsFromPs());
  const found: number[] = [];
  const queue = [root];
  while (queue.length > 0) {
    for (const child of children.get(queue.shift()!) ?? []) {
      found.push(child);
      queue.push(child);
    }
  }
  return found;
}

function carriesTag(pid: number, tag: string, variable = runTagVariable): boolean {
  try {
    return readFileSync(`/proc/${pid}/environ`, "utf8").split("\0").includes(`${variable}=${tag}`);
  } catch {
    return false;
  }
}

/**
 * Live processes below `root` or carrying `tag`, with their descendants (the root itself included),
 * zombies left out. Empty without /proc: there only the group kill applies.
 */
export function processTree(root: number | undefined, tag: string, variable = runTagVariable): number[] {
  const parents = parentsFromProc();
  if (parents === undefined) return [];
  const children = childrenByParent(parents);
  const found = new Set<number>();
  const visit = (pid: number): void => {
    if (found.has(pid)) return;
    found.add(pid);
    for (const child of children.get(pid) ?? []) visit(child);
  };
  if (root !== undefined && parents.has(root)) visit(root);
  for (const pid of parents.keys()) if (pid !== process.pid && carriesTag(pid, tag, variable)) visit(pid);
  return [...found].filter((pid) => (procState(pid) ?? "Z") !== "Z");
}

function signal(pid: number, name: NodeJS.Signals): void {
  try {
    process.kill(pid, name);
  } catch {
    // already gone, or not a group leader
  }
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Kills a run's processes at once: SIGTERM to the root's group and to the whole tree (descendants and
 * tagged), SIGKILL to whatever is left after `graceMs`.
 */
export async function killProcessTree(
  root: number | undefined,
  tag: string,
  graceMs = 2000,
  variable = runTagVariable,
): Promise<void> {
  if (root !== undefined) signal(-root, "SIGTERM");
  const found = processTree(root, tag, variable);
  // The common case after a tool ends normally: nothing left. One look at /proc says so; the loops
  // below would look twice more.
  if (found.length === 0 && root === undefined) return;
  for (const pid of found) signal(pid, "SIGTERM");
  const deadline = Date.now() + graceMs;
  while (Date.now() < deadline && processTree(root, tag, variable).length > 0) await pause(50);
  if (root !== undefined) signal(-root, "SIGKILL");
  // A SIGKILLed process can take a while to exit on a busy machine (a large native CLI with many
  // threads): wait until the tree is really gone, so "timed out" never leaves a process running.
  for (let round = 0; round < 60; round++) {
    const left = processTree(root, tag, variable);
    if (left.length === 0) return;
    for (const pid of left) signal(pid, "SIGKILL");
    await pause(50);
  }
}

/**
 * Stops every process still tagged with `runId` (runIdVariable) and what they started: the tools a
 * killed orchestrator left behind, which would otherwise keep writing into worktrees a resumed run
 * commits. Returns how many were found. Linux only (it reads /proc); elsewhere it finds none.
 */
export async function killRunProcesses(runId: string, graceMs = 2000): Promise<number> {
  const found = processTree(undefined, runId, runIdVariable).length;
  if (found > 0) await killProcessTree(undefined, runId, graceMs, runIdVariable);
  return found;
}

/**
 * Stops a process that stops its own children in order (the wsp CLI): SIGTERM to its group only, so
 * it can end its tools and record that; SIGKILL after `graceMs` to whatever is left of the group, of
 * its descendants and of their groups. Returns false when the group was already gone.
 */
export async function stopProcessGroup(leader: number, graceMs: number): Promise<boolean> {
  // Remember the descendants now: once the leader dies they are re-parented and no longer found below it.
  const descendants = new Set(descendantsOf(leader));
  try {
    process.kill(-leader, "SIGTERM");
  } catch {
    return false;
  }
  const deadline = Date.now() + graceMs;
  const anyAlive = () => groupAlive(leader) || [...descendants].some(processRunning);
  while (anyAlive() && Date.now() < deadline) {
    for (const pid of descendantsOf(leader)) descendants.add(pid);
    await pause(50);
  }
  if (anyAlive()) {
    for (const target of [-leader, ...[...descendants].map((pid) => -pid), ...descendants])
      signal(target, "SIGKILL");
  }
  return true;
}
