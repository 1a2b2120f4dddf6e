/**
 * The integration gate: the repository-wide command from config/merge_queue.yaml, then the
 * acceptance tests of every workstream merged so far, run in the integration worktree through the
 * same sandbox as any tool. Stops at the first failing command.
 */
import { UserError } from "../../core/errors";
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
  let ran = 0;
  for (const gate of commands) {
    const { argv } = acceptanceArgv(gate.command);
    if (argv.length === 0) continue;
    ran += 1;
    const result = await runCommand(gate.wsId === undefined ? "gate" : `acceptance:${gate.wsId}`, argv, {
      cwd: worktree,
      env: { ...settings.env, ...context.env },
      timeoutSec: context.timeoutSec,
      signal: context.signal,
      ...(sandbox ? { sandbox } : {}),
    });
    if (!result.success)
      return {
        passed: false,
        failed: gate,
        excerpt: extractFailureExcerpt(`${result.stdout}\n${result.stderr}\n${result.reason ?? ""}`),
        durationMs: Date.now() - started,
        commands: ran,
      };
  }
  return { passed: true, excerpt: "", durationMs: Date.now() - started, commands: ran };
}
