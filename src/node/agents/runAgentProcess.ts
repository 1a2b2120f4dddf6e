/** Runs one agent CLI with stdin closed, in its own process group, killing the whole tree on timeout. */
import { randomUUID } from "node:crypto";
import { spawn } from "node:child_process";
import { type AgentProcessOutcome } from "../../core/agents/types";
import { type AgentLaunch } from "./launch";
import { killProcessTree, runTagVariable } from "./processTree";

export interface AgentProcessRun extends AgentProcessOutcome {
  /** The tag every process of the run carried (see processTree.ts), for orphan checks. */
  tag: string;
  durationMs: number;
}

export async function runAgentProcess(
  launch: AgentLaunch,
  options: { timeoutMs: number; signal?: AbortSignal },
): Promise<AgentProcessRun> {
  const tag = randomUUID();
  const started = Date.now();
  // node:child_process rather than execa: execa is ESM-only and cannot be required from the CommonJS
  // the tests run under; detached puts the CLI in its own process group.
  const child = spawn(launch.command, launch.args, {
    cwd: launch.cwd,
    env: { ...launch.env, [runTagVariable]: tag },
    stdio: ["ignore", "pipe", "pipe"],
    detached: true,
  });
  const stdout: Buffer[] = [];
  const stderr: Buffer[] = [];
  child.stdout.on("data", (chunk: Buffer) => stdout.push(chunk));
  child.stderr.on("data", (chunk: Buffer) => stderr.push(chunk));
  const ended = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve, reject) => {
    child.once("error", reject);
    child.once("close", (code, signal) => resolve({ code, signal }));
  });
  let timedOut = false;
  const stop = (): void => {
    void killProcessTree(child.pid, tag);
  };
  const timer = setTimeout(() => {
    timedOut = true;
    stop();
  }, options.timeoutMs);
  options.signal?.addEventListener("abort", stop, { once: true });
  try {
    const { code, signal } = await ended;
    // The CLI may have exited and left helpers behind; they belong to this run.
    await killProcessTree(undefined, tag, 500);
    return {
      tag,
      exitCode: timedOut ? null : code,
      signal,
      timedOut,
      timeoutMs: options.timeoutMs,
      stdout: Buffer.concat(stdout).toString("utf8"),
      stderr: Buffer.concat(stderr).toString("utf8"),
      durationMs: Date.now() - started,
    };
  } finally {
    clearTimeout(timer);
    options.signal?.removeEventListener("abort", stop);
  }
}
