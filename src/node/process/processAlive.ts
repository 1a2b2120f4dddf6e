/** Whether processes are still there, in the three senses the callers need. */
import { readFileSync } from "node:fs";

/** Whether a process id belongs to a running process, whoever owns it (a zombie counts: its id is taken). */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** The state letter of `/proc/<pid>/stat` (R, S, Z, ...), or undefined when it cannot be read. */
export function procState(pid: number): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, "utf8");
    // The command name in parentheses may hold spaces: the state follows its closing one.
    return stat.slice(stat.lastIndexOf(")") + 2, stat.lastIndexOf(")") + 3);
  } catch {
    return undefined;
  }
}

/**
 * True while we can signal `pid` and it is not a zombie (exited, waiting for a parent to reap it):
 * whether a kill has worked yet. Without /proc, existing is enough.
 */
export function processRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch {
    return false;
  }
  return procState(pid) !== "Z";
}

/** True while any process of the group led by `pid` exists. */
export function groupAlive(pid: number): boolean {
  try {
    process.kill(-pid, 0);
    return true;
  } catch {
    return false;
  }
}
