/**
 * Finding and killing a whole process tree on Linux. A CLI may start shells and helpers in new process
 * groups or sessions, so a group kill is not enough: every process carrying the run's tag variable in
 * its environment, or descending from the root, is killed.
 */
import { readdirSync, readFileSync } from "node:fs";

/** The environment variable whose value tags every process of one agent run. */
export const runTagVariable = "WSP_AGENT_RUN_TAG";

function pids(): number[] {
  try {
    return readdirSync("/proc")
      .filter((name) => /^\d+$/.test(name))
      .map(Number);
  } catch {
    return []; // not Linux: only the group kill applies
  }
}

function parentOf(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    // Fields after the parenthesised command: state, ppid, ...
    const fields = stat.slice(stat.lastIndexOf(")") + 2).split(" ");
    return Number(fields[1]);
  } catch {
    return undefined;
  }
}

function carriesTag(pid: number, tag: string): boolean {
  try {
    return readFileSync(`/proc/${pid}/environ`, "utf8").split("\0").includes(`${runTagVariable}=${tag}`);
  } catch {
    return false;
  }
}

function isZombie(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2).startsWith("Z");
  } catch {
    return true;
  }
}

/** Live processes below `root` or carrying `tag` (the root itself included). */
export function processTree(root: number | undefined, tag: string): number[] {
  const all = pids();
  const children = new Map<number, number[]>();
  for (const pid of all) {
    const parent = parentOf(pid);
    if (parent !== undefined) children.set(parent, [...(children.get(parent) ?? []), pid]);
  }
  const found = new Set<number>();
  const visit = (pid: number): void => {
    if (found.has(pid)) return;
    found.add(pid);
    for (const child of children.get(pid) ?? []) visit(child);
  };
  if (root !== undefined && all.includes(root)) visit(root);
  for (const pid of all) if (pid !== process.pid && carriesTag(pid, tag)) visit(pid);
  return [...found].filter((pid) => !isZombie(pid));
}

function signal(pid: number, name: NodeJS.Signals): void {
  try {
    process.kill(pid, name);
  } catch {
    // already gone
  }
}

/** SIGTERM to the group and the tree, then SIGKILL to whatever is left after `graceMs`. */
export async function killProcessTree(root: number | undefined, tag: string, graceMs = 2000): Promise<void> {
  if (root !== undefined) signal(-root, "SIGTERM");
  for (const pid of processTree(root, tag)) signal(pid, "SIGTERM");
  const deadline = Date.now() + graceMs;
  while (Date.now() < deadline && processTree(root, tag).length > 0) {
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  if (root !== undefined) signal(-root, "SIGKILL");
  // A SIGKILLed process can take a while to exit on a busy machine (a large native CLI with many
  // threads): wait until the tree is really gone, so "timed out" never leaves a process running.
  for (let round = 0; round < 60; round++) {
    const left = processTree(root, tag);
    if (left.length === 0) return;
    for (const pid of left) signal(pid, "SIGKILL");
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
