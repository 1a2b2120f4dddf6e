/**
 * Spawns the bundled `wsp` CLI (dist/cli.js). Under VS Code desktop `process.execPath` is Electron,
 * which runs a Node script only with ELECTRON_RUN_AS_NODE=1; under code-server it is node, which
 * ignores that variable, so setting it always covers both. Each CLI gets its own process group
 * (detached), so Cancel can stop it and every tool it started at once.
 */
import path from "node:path";
import { stopProcessGroup } from "../../node/process/processTree";
import { type ChildProcess, spawnProcess } from "../../node/process/spawnProcess";

export interface CliProcess {
  readonly child: ChildProcess;
  /** Resolves with the exit code (or null after a signal) once the process has exited. */
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** SIGTERM to the whole process group, SIGKILL after `graceMs` if anything is still there. */
  stop(graceMs?: number): Promise<void>;
}

export interface CliSpawnOptions {
  extensionPath: string;
  cwd: string;
  args: string[];
  env?: NodeJS.ProcessEnv;
  onStdoutLine?: (line: string) => void;
  onStderr?: (text: string) => void;
}

/** The CLI script inside the installed extension. */
export function cliScript(extensionPath: string): string {
  return path.join(extensionPath, "dist", "cli.js");
}

export function spawnCli(options: CliSpawnOptions): CliProcess {
  const child = spawnProcess(
    {
      command: process.execPath,
      args: [cliScript(options.extensionPath), ...options.args],
      cwd: options.cwd,
      env: { ...process.env, ...options.env, ELECTRON_RUN_AS_NODE: "1", NO_COLOR: "1" },
    },
    { ownGroup: true },
  );
  let pending = "";
  child.stdout?.setEncoding("utf8");
  child.stdout?.on("data", (chunk: string) => {
    pending += chunk;
    let newline = pending.indexOf("\n");
    while (newline >= 0) {
      const line = pending.slice(0, newline);
      pending = pending.slice(newline + 1);
      if (line.trim() !== "") options.onStdoutLine?.(line);
      newline = pending.indexOf("\n");
    }
  });
  child.stderr?.setEncoding("utf8");
  child.stderr?.on("data", (chunk: string) => options.onStderr?.(chunk));
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.on("error", (error) => {
      options.onStderr?.(`could not start ${cliScript(options.extensionPath)}: ${error.message}\n`);
      resolve({ code: -1, signal: null });
    });
    child.on("close", (code, signal) => {
      if (pending.trim() !== "") options.onStdoutLine?.(pending);
      pending = "";
      resolve({ code, signal });
    });
  });
  const stop = async (graceMs = 1200): Promise<void> => {
    const pid = child.pid;
    if (pid === undefined || child.exitCode !== null || child.signalCode !== null) return;
    if (await stopProcessGroup(pid, graceMs)) await exited;
  };
  return { child, exited, stop };
}
