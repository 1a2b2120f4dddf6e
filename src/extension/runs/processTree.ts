/**
 * The processes below a pid. The CLI starts each tool in a process group of its own, so stopping the
 * CLI's group alone could leave a tool behind; Cancel uses this to reach every descendant.
 */
import { execFileSync } from "node:child_process";
import { readdirSync, readFileSync } from "node:fs";

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

/** Every live descendant of `root` (children, grandchildren, ...). */
export function descendantsOf(root: number): number[] {
  const parents = parentsFromProc() ?? parentsFromPs();
  const children = new Map<number, number[]>();
  for (const [pid, ppid] of parents) children.set(ppid, [...(children.get(ppid) ?? []), pid]);
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

/** True while `pid` exists and is not a zombie (exited, waiting for a parent to reap it). */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    return stat.slice(stat.lastIndexOf(")") + 2, stat.lastIndexOf(")") + 3) !== "Z";
  } catch {
    return true;
  }
}
