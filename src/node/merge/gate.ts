/**
 * The integration gate: the repository-wide command from config/merge_queue.yaml, then the
 * acceptance tests of every workstream merged so far, run in the integration worktree in the same
 * sandbox as any tool, stopping at the first failing command. Sandboxed, the commands run as one
 * script in one sandbox (gateScript.ts), since the gate re-runs every merged workstream's tests
 * after each merge; bare, each starts through the process door on its own.
 */
import { UserError } from "../../core/errors";
import { gateScript, readGateScript } from "../../core/merge/gateScript";
import { extractFailureExcerpt } from "../../core/orchestrator/failure";
import { acceptanceArgv } from "../orchestrator/acceptanceArgv";
import { type OrchestratorSettings } from "../orchestrator/types";
import { SandboxUnavailable, toolSandbox } from "../orchestrator/toolSandbox";
import { type OverlayMount } from "../process/sandbox/overlay";
import { runCommand } from "../tools/runProfile";

export interface GateCommand {
  command: string;
  /** The workstream whose acceptance test this is; undefined for the repository-wide gate. */
  wsId?: string;
}

export interface GateResult {
  passed: boolean;
  /** The failing command, when one failed. */
  failed?: GateCommand;
  excerpt: string;
  durationMs: number;
  commands: number;
}

export interface GateContext {
  settings: OrchestratorSettings;
  worktree: string;
  timeoutSec: number;
  overlays: readonly OverlayMount[];
  env: Record<string, string>;
  signal: AbortSignal;
}

export async function runGate(context: GateContext, commands: readonly GateCommand[]): Promise<GateResult> {
  const { settings, worktree } = context;
  const started = Date.now();
  let sandbox;
  try {
    sandbox = toolSandbox(settings.sandbox, { repoRoot: settings.repoRoot, worktree, bundle: {} }, undefined);
  } catch (error) {
    if (error instanceof SandboxUnavailable) throw new UserError(`gate: ${error.message}`);
    throw error;
  }
  if (sandbox && context.overlays.length > 0) sandbox = { ...sandbox, overlays: context.overlays };
  const runnable = commands
    .map((gate) => ({ gate, ...acceptanceArgv(gate.command) }))
    .filter(({ argv }) => argv.length > 0);
  const env = { ...settings.env, ...context.env };
  const failure = (gate: GateCommand, output: string, ran: number): GateResult => ({
    passed: false,
    failed: gate,
    excerpt: extractFailureExcerpt(output),
    durationMs: Date.now() - started,
    commands: ran,
  });
  if (sandbox !== undefined && runnable.length > 1) {
    // One sandbox for the whole gate: see gateScript.ts.
    const script = gateScript(runnable, context.timeoutSec);
    const result = await runCommand("gate", ["sh", "-c", script], {
      cwd: worktree,
      env,
      timeoutSec: context.timeoutSec * runnable.length + 30,
      signal: context.signal,
      sandbox,
    });
    const outcome = readGateScript(result.stdout, result.stderr, result.exit_code);
    if (outcome.failed === undefined && result.success)
      return { passed: true, excerpt: "", durationMs: Date.now() - started, commands: outcome.started };
    const index = Math.min(outcome.failed?.index ?? 0, runnable.length - 1);
    const why = outcome.failed?.timedOut ? `timed out after ${context.timeoutSec} s` : (result.reason ?? "");
    return failure(runnable[index].gate, `${outcome.stdout}\n${outcome.stderr}\n${why}`, outcome.started);
  }
  let ran = 0;
  for (const { gate, argv } of runnable) {
    ran += 1;
    const result = await runCommand(gate.wsId === undefined ? "gate" : `acceptance:${gate.wsId}`, argv, {
      cwd: worktree,
      env,
      timeoutSec: context.timeoutSec,
      signal: context.signal,
      ...(sandbox ? { sandbox } : {}),
    });
    if (!result.success)
      return failure(gate, `${result.stdout}\n${result.stderr}\n${result.reason ?? ""}`, ran);
  }
  return { passed: true, excerpt: "", durationMs: Date.now() - started, commands: ran };
}
