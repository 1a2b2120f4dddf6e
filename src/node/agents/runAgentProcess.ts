/** Runs one agent CLI launch through the process door, whole output kept, for callers that parse it. */
import { randomUUID } from "node:crypto";
import { type AgentProcessOutcome } from "../../core/agents/types";
import { runProcess } from "../process/runProcess";
import { type AgentLaunch } from "./launch";

export interface AgentProcessRun extends AgentProcessOutcome {
  /** The tag every process of the run carried (see runTagVariable), for orphan checks. */
  tag: string;
  durationMs: number;
}

/** Rejects only when the CLI cannot be started. */
export async function runAgentProcess(
  launch: AgentLaunch,
  options: { timeoutMs: number; signal?: AbortSignal },
): Promise<AgentProcessRun> {
  const tag = randomUUID();
  const run = await runProcess(launch.command, launch.args, {
    cwd: launch.cwd,
    env: launch.env,
    timeoutSec: options.timeoutMs / 1000,
    runTag: tag,
    headChars: Infinity,
    ...(options.signal ? { signal: options.signal } : {}),
  });
  if (run.spawnError !== undefined) throw new Error(run.spawnError);
  return {
    tag,
    // Whatever a killed CLI managed to exit with is not its verdict.
    exitCode: run.timedOut ? null : run.exitCode,
    signal: run.signal,
    timedOut: run.timedOut,
    timeoutMs: options.timeoutMs,
    stdout: run.stdout,
    stderr: run.stderr,
    durationMs: run.durationMs,
  };
}
