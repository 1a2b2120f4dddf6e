/**
 * The door's plain spawn, for processes that are part of wsp rather than tools it runs (the editor
 * starts the bundled CLI this way, and the CLI starts its tools through runProcess): stdin closed,
 * stdout and stderr piped, no shell.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { type ProcessLaunch } from "./toolLaunch";

export type { ChildProcess };

/** Starts `launch`; `ownGroup` makes it lead a process group of its own, so one signal reaches the group. */
export function spawnProcess(launch: ProcessLaunch, options: { ownGroup: boolean }): ChildProcess {
  return spawn(launch.command, launch.args, {
    cwd: launch.cwd,
    detached: options.ownGroup,
    stdio: ["ignore", "pipe", "pipe"],
    env: launch.env,
  });
}
