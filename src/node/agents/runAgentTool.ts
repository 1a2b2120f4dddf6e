/**
 * Runs a tool profile that names a real agent CLI (`"agent": {"cli": ...}`): the launch adapter builds
 * its argv, environment and settings, the process runner enforces the timeout, and the CLI's own parser
 * decides success, tokens and cost (estimated from config/model_prices.json when the CLI reports none).
 */
import { randomUUID } from "node:crypto";
import { existsSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { parseAgentOutput, type PriceTable } from "../../core/agents";
import { type AgentProfileSettings } from "../../core/agents/profile";
import { fillArguments, type PlaceholderValues, type ToolProfile } from "../../core/orchestrator/profiles";
import { type ToolUsage } from "../../core/orchestrator/usage";
import { runProcess } from "../process/runProcess";
import { commandLine, type ToolRunOptions, type ToolRunResult } from "../tools/toolRun";
import { buildAgentLaunch } from "./launch";
import { loadPriceTable } from "./prices";

const text = (value: PlaceholderValues[string]): string | undefined =>
  typeof value === "string" ? value : undefined;

/** A directory of this run only, next to its prompt file (outside the worktree, so never in its diff). */
function stateDirFor(values: PlaceholderValues): string {
  const promptFile = text(values.prompt_file);
  if (promptFile === undefined) return mkdtempSync(path.join(tmpdir(), "wsp-agent-"));
  return path.join(path.dirname(promptFile), `${path.basename(promptFile, path.extname(promptFile))}.agent`);
}

/** The workspace's config/model_prices.json, else the one shipped with wsp (next to dist/). */
function pricesFor(values: PlaceholderValues): PriceTable | undefined {
  const workspace = text(values.main_repo);
  const cli = text(values.wsp_cli);
  const candidates = [
    ...(workspace !== undefined ? [path.join(workspace, "config", "model_prices.json")] : []),
    ...(cli !== undefined ? [path.resolve(path.dirname(cli), "..", "config", "model_prices.json")] : []),
  ];
  const file = candidates.find((candidate) => existsSync(candidate));
  return file === undefined ? undefined : loadPriceTable(file);
}

export async function runAgentTool(
  profile: ToolProfile,
  agent: AgentProfileSettings,
  options: ToolRunOptions,
): Promise<ToolRunResult> {
  const where = `tool profile '${profile.id}'`;
  const values: PlaceholderValues = { ...profile.defaults, ...options.values };
  const fill = (template: string | undefined): string | undefined =>
    template === undefined ? undefined : fillArguments([template], values, where).join(" ");
  const model = fill(agent.model) ?? text(values.model_name);
  const baseUrl = fill(agent.base_url);
  const cwd = path.resolve(options.cwd, fill(profile.working_dir) ?? ".");
  const profileEnv = Object.fromEntries(
    Object.entries(profile.env).map(([key, value]) => [key, fill(value) ?? ""]),
  );
  const stateDir = stateDirFor(values);
  const launch = buildAgentLaunch({
    cli: agent.cli,
    bin: fill(profile.command) ?? agent.cli,
    prompt: text(values.prompt) ?? "",
    cwd,
    ...(model !== undefined ? { model } : {}),
    ...(baseUrl !== undefined ? { baseUrl } : {}),
    ...(agent.api_key_env !== undefined ? { apiKeyEnv: agent.api_key_env } : {}),
    ...(agent.retries !== undefined ? { retries: agent.retries } : {}),
    stateDir,
    isolation: agent.isolation,
    offline: agent.offline,
    baseEnv: { ...options.env, ...profileEnv },
  });
  const limit = profile.timeout_sec;
  const timeoutSec =
    options.remainingSec === undefined ? limit : Math.min(limit, Math.max(0.1, options.remainingSec));
  const run = await runProcess(launch.command, launch.args, {
    cwd: launch.cwd,
    env: launch.env,
    timeoutSec,
    // Helpers that left the CLI's process group (new sessions) still carry the tag: none may outlive the run.
    runTag: randomUUID(),
    ...(options.signal ? { signal: options.signal } : {}),
    ...(options.onOutput ? { onOutput: options.onOutput } : {}),
    // The CLI keeps its session, temp files and (private isolation) its home in its state folder.
    ...(options.sandbox
      ? {
          sandbox: {
            ...options.sandbox,
            extraWritable: [...(options.sandbox.extraWritable ?? []), stateDir],
          },
        }
      : {}),
  });
  const prices = pricesFor(values);
  const parsed = parseAgentOutput(
    agent.cli,
    {
      exitCode: run.exitCode,
      signal: run.signal,
      timedOut: run.timedOut,
      timeoutMs: timeoutSec * 1000,
      stdout: run.stdout,
      stderr: run.stderr,
    },
    {
      ...(model !== undefined ? { model } : {}),
      ...(prices !== undefined ? { prices } : {}),
    },
  );
  const reason = run.spawnError
    ? `could not start: ${run.spawnError}`
    : run.cancelled
      ? "cancelled"
      : parsed.reason;
  const usage: ToolUsage = {
    input_tokens: parsed.tokens.input,
    output_tokens: parsed.tokens.output,
    ...(parsed.costUsd !== undefined ? { cost_usd: parsed.costUsd } : {}),
    ...(parsed.costIsEstimate ? { cost_is_estimate: true } : {}),
  };
  return {
    tool_id: profile.id,
    command_line: commandLine(run.command, run.args),
    exit_code: run.exitCode,
    timed_out: run.timedOut,
    cancelled: run.cancelled,
    success: parsed.success && !run.cancelled && run.spawnError === undefined,
    ...(reason !== undefined ? { reason } : {}),
    stdout: run.stdout,
    stderr: run.stderr,
    started_at: run.startedAt,
    completed_at: run.endedAt,
    duration_ms: run.durationMs,
    usage,
  };
}
