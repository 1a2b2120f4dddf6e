/**
 * One workstream's turn at the gate: the candidate, then as gateVerdict.ts says, the candidate again
 * and the head without it, until the verdict is clear. Every run is a `gate_result` event; a flake
 * keeps its first failure in a `gate_flaky` event.
 */
import { type LoadedBundle } from "../../core/bundle/types";
import { nextGateStep, type GateRun, type GateVerdict } from "../../core/merge/gateVerdict";
import { type RunRecorder } from "../orchestrator/recorder";
import { type OrchestratorSettings } from "../orchestrator/types";
import { runGate, type GateCommand, type GateResult } from "./gate";
import { type IntegrationWorktree } from "./integrationWorktree";

export interface GateSequenceContext {
  settings: OrchestratorSettings;
  worktree: IntegrationWorktree;
  recorder: RunRecorder;
  timeoutSec: number;
  signal: AbortSignal;
  /** The gate's commands once these workstreams are merged. */
  commandsFor: (merged: readonly string[]) => GateCommand[];
}

/** The config's gate, then each merged workstream's acceptance tests (each command once). */
export function gateCommands(
  gate: readonly string[],
  bundles: readonly LoadedBundle[],
  merged: readonly string[],
): GateCommand[] {
  const commands: GateCommand[] = gate.map((command) => ({ command }));
  const seen = new Set(commands.map((c) => c.command));
  for (const id of merged)
    for (const command of bundles.find((loaded) => loaded.bundle.id === id)?.bundle.acceptance_tests ?? [])
      if (!seen.has(command)) {
        seen.add(command);
        commands.push({ command, wsId: id });
      }
  return commands;
}

export async function gateUntilClear(
  context: GateSequenceContext,
  turn: { id: string; candidate: string; head: string; merged: readonly string[] },
): Promise<{ verdict: GateVerdict; runs: GateResult[] }> {
  const runs: GateRun[] = [];
  const results: GateResult[] = [];
  for (;;) {
    const step = nextGateStep(runs);
    if ("verdict" in step) {
      if (step.verdict === "flaky")
        await context.recorder.event("gate_flaky", turn.id, {
          commit: turn.candidate,
          first_failure: { command: results[0].failed?.command ?? null, excerpt: results[0].excerpt },
        });
      return { verdict: step.verdict, runs: results };
    }
    const onCandidate = step.run === "candidate";
    const commit = onCandidate ? turn.candidate : turn.head;
    await context.worktree.checkOut(commit);
    const result = await runGate(
      {
        settings: context.settings,
        worktree: context.worktree.path,
        timeoutSec: context.timeoutSec,
        overlays: context.worktree.environment.overlays,
        env: context.worktree.environment.env,
        signal: context.signal,
      },
      context.commandsFor(onCandidate ? [...turn.merged, turn.id] : turn.merged),
    );
    runs.push({ target: step.run, passed: result.passed });
    results.push(result);
    await context.recorder.event("gate_result", turn.id, {
      target: step.run,
      commit,
      attempt: runs.length,
      passed: result.passed,
      failed_command: result.failed?.command ?? null,
      excerpt: result.excerpt,
      duration_ms: result.durationMs,
    });
    // A cancelled gate is red for no reason of the workstream's: stop before any verdict.
    if (context.signal.aborted) throw new Error("cancelled");
  }
}
