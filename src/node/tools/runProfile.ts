/** Runs one tool profile in a worktree: placeholders filled into argv, no shell, judged by its profile. */
import path from "node:path";
import picomatch from "picomatch";
import {
  fillArguments,
  judgeToolRun,
  type PlaceholderValues,
  type ToolProfile,
} from "../../core/orchestrator/profiles";
import { extractUsage } from "../../core/orchestrator/usage";
import { runAgentTool } from "../agents/runAgentTool";
import { runProcess, type ProcessResult } from "../process/runProcess";
import { commandLine, type ToolRunOptions, type ToolRunResult } from "./toolRun";

function toResult(id: string, profile: ToolProfile | undefined, run: ProcessResult): ToolRunResult {
  const judged = profile
    ? judgeToolRun(profile, {
        exitCode: run.exitCode,
        timedOut: run.timedOut,
        cancelled: run.cancelled,
        stdout: run.stdout,
        stderr: run.stderr,
      })
    : run.timedOut
      ? { success: false, reason: "timed out" }
      : run.cancelled
        ? { success: false, reason: "cancelled" }
        : run.exitCode === 0
          ? { success: true }
          : { success: false, reason: `exit code ${String(run.exitCode)}` };
  const reason = run.spawnError ? `could not start: ${run.spawnError}` : judged.reason;
  return {
    tool_id: id,
    command_line: commandLine(run.command, run.args),
    exit_code: run.exitCode,
    timed_out: run.timedOut,
    cancelled: run.cancelled,
    success: judged.success && run.spawnError === undefined,
    ...(reason ? { reason } : {}),
    stdout: run.stdout,
    stderr: run.stderr,
    started_at: run.startedAt,
    completed_at: run.endedAt,
    duration_ms: run.durationMs,
    usage: profile ? extractUsage(run.stdout, profile.usage, run.stderr) : {},
  };
}

function timeoutFor(limitSec: number | undefined, remainingSec: number | undefined): number | undefined {
  if (remainingSec === undefined) return limitSec;
  const left = Math.max(0.1, remainingSec);
  return limitSec === undefined ? left : Math.min(limitSec, left);
}

/**
 * An argument that is exactly this expands to one argument per existing file of the workstream's
 * scope, so a checker that takes many files (e.g. `wsp check`) runs once over all of them.
 */
export const SCOPE_FILES_ARGUMENT = "{scope_files}";

/** Runs a profile (once, or once per matching scope file for `per_file` profiles, stopping at a failure). */
export async function runToolProfile(
  profile: ToolProfile,
  options: ToolRunOptions,
): Promise<ToolRunResult[]> {
  if (profile.agent !== undefined) return [await runAgentTool(profile, profile.agent, options)];
  const where = `tool profile '${profile.id}'`;
  const values: PlaceholderValues = { ...profile.defaults, ...options.values };
  const cwd = path.resolve(options.cwd, fillArguments([profile.working_dir], values, where)[0]);
  const env = {
    ...options.env,
    ...Object.fromEntries(
      Object.entries(profile.env).map(([k, v]) => [k, fillArguments([v], values, where).join(" ")]),
    ),
  };
  const command = fillArguments([profile.command], values, where)[0];
  const runOnce = async (extra: PlaceholderValues) => {
    const filled = { ...values, ...extra };
    const args = profile.args.flatMap((template) =>
      template === SCOPE_FILES_ARGUMENT
        ? [...(options.scopeFiles ?? [])]
        : fillArguments([template], filled, where),
    );
    const run = await runProcess(command, args, {
      cwd,
      env,
      timeoutSec: timeoutFor(profile.timeout_sec, options.remainingSec),
      ...(options.signal ? { signal: options.signal } : {}),
      ...(options.onOutput ? { onOutput: options.onOutput } : {}),
      ...(options.sandbox ? { sandbox: options.sandbox } : {}),
    });
    return toResult(profile.id, profile, run);
  };
  // A checker over the scope's files has nothing to do when none exist yet, like a per-file one.
  if (profile.args.includes(SCOPE_FILES_ARGUMENT) && (options.scopeFiles ?? []).length === 0) return [];
  if (profile.per_file === undefined) return [await runOnce({})];
  const matches = picomatch(profile.per_file, { dot: true, matchBase: false });
  const files = (options.scopeFiles ?? []).filter((file) => matches(file));
  const results: ToolRunResult[] = [];
  for (const file of files) {
    const result = await runOnce({ file });
    results.push(result);
    if (!result.success) break;
  }
  return results;
}

/** Runs an acceptance-test command (already split into argv) in the worktree, success on exit 0. */
export async function runCommand(
  id: string,
  argv: readonly string[],
  options: Omit<ToolRunOptions, "values" | "scopeFiles"> & { timeoutSec?: number },
): Promise<ToolRunResult> {
  const [command, ...args] = argv;
  const run = await runProcess(command, args, {
    cwd: options.cwd,
    env: options.env,
    timeoutSec: timeoutFor(options.timeoutSec, options.remainingSec),
    ...(options.signal ? { signal: options.signal } : {}),
    ...(options.onOutput ? { onOutput: options.onOutput } : {}),
    ...(options.sandbox ? { sandbox: options.sandbox } : {}),
  });
  return toResult(id, undefined, run);
}
