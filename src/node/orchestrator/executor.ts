/**
 * Carries out the scheduler's plan: starts workstreams as `planNext` says, at most N at once,
 * records blocked ones, and on cancel stops the tools and leaves store and worktrees consistent.
 */
import { type LoadedBundle } from "../../core/bundle/types";
import { messageOf } from "../../core/errors";
import { buildDag, planNext, type NodeStatus } from "../../core/orchestrator/schedule";
import { type RunStatus, type Store, type WorkstreamRow, type WorkstreamStatus } from "../../core/store";
import { branchExists, combineCommits, resolveCommit, workstreamBranch } from "../git";
import { WorkstreamPipeline } from "./pipeline";
import { RunRecorder, type EventListener } from "./recorder";
import { RunWorktrees } from "./runWorktrees";
import { type OrchestratorSettings, type WorkstreamResult } from "./types";

export interface ExecuteOptions {
  store: Store;
  runId: string;
  /** Every bundle of the workspace (dependencies outside the selection are looked up here and in the store). */
  bundles: readonly LoadedBundle[];
  /** The workstream ids to run. */
  selected: readonly string[];
  maxParallel: number;
  /** Keep starting independent workstreams after a failure (dependents are blocked either way). */
  continueOnFailure: boolean;
  signal: AbortSignal;
  onEvent?: EventListener;
  /** Resuming: the run already exists; its rows are reconciled, not created. */
  resume?: boolean;
  /**
   * `runId` was generated, not asked for: when another run took it (two runs started within the
   * same second), the first free `<runId>-2`, `<runId>-3`… is used. The claim is one store
   * transaction, so concurrent `wsp` processes never share an id.
   */
  uniqueRunId?: boolean;
}

export interface WorkstreamOutcome extends WorkstreamResult {
  reason?: string;
}

export interface ExecuteResult {
  run_id: string;
  final_status: RunStatus;
  workstreams: WorkstreamOutcome[];
}

/** A promise the scheduling loop can wait on beside the running workstreams, resolved by `wake`. */
function wakeUpCall(): { wait: Promise<void>; wake: () => void } {
  let wake: () => void = () => undefined;
  const wait = new Promise<void>((resolve) => (wake = resolve));
  return { wait, wake };
}

function toNodeStatus(status: WorkstreamStatus): NodeStatus {
  if (status === "done" || status === "failed" || status === "blocked" || status === "cancelled")
    return status;
  return status === "pending" ? "pending" : "running";
}

/** Whether a dependency outside this run was done: a done row in an earlier run and its branch still there. */
async function doneElsewhere(store: Store, root: string, wsId: string, runId: string): Promise<boolean> {
  if (!(await branchExists(root, workstreamBranch(wsId)))) return false;
  for (const run of await store.listRuns({ limit: 100 })) {
    if (run.runId === runId) continue;
    const row = await store.findWorkstream(run.runId, wsId);
    if (row?.status === "done") return true;
  }
  return false;
}

/** Creates the run's row; returns its id (see ExecuteOptions.uniqueRunId). */
async function createRun(settings: OrchestratorSettings, options: ExecuteOptions): Promise<string> {
  const metadata = {
    pid: process.pid,
    selected: [...options.selected],
    base: settings.baseRef,
    dry_run: settings.dryRun,
  };
  for (let attempt = 1; ; attempt++) {
    const runId = attempt === 1 ? options.runId : `${options.runId}-${attempt}`;
    if (options.uniqueRunId && (await options.store.findRun(runId))) continue;
    try {
      await options.store.createRun({ runId, metadata });
      return runId;
    } catch (error) {
      // Taken between the look and the claim by another process: try the next one.
      if (!options.uniqueRunId || !(await options.store.findRun(runId))) throw error;
    }
  }
}

/** Runs the selected workstreams of one run in dependency order; resolves when all are final. */
export async function executeRun(
  settings: OrchestratorSettings,
  options: ExecuteOptions,
): Promise<ExecuteResult> {
  const { store } = options;
  const byId = new Map(options.bundles.map((loaded) => [loaded.bundle.id, loaded]));
  const selected = options.selected.map((id) => byId.get(id)!);
  const runId = options.resume ? options.runId : await createRun(settings, options);
  const recorder = new RunRecorder(store, runId);
  await recorder.init();
  if (options.onEvent) recorder.onEvent(options.onEvent);

  if (!options.resume) {
    for (const loaded of selected)
      await store.createWorkstream({
        runId,
        wsId: loaded.bundle.id,
        dependsOn: loaded.bundle.depends_on,
        metadata: { bundle_file: loaded.source.file },
      });
    await recorder.runStatus("running");
  }
  const baseCommit = await resolveCommit(settings.repoRoot, settings.baseRef);
  const rows = new Map<string, WorkstreamRow>(
    (await store.listWorkstreams(runId)).map((row) => [row.wsId, row]),
  );
  const status = new Map<string, NodeStatus>(
    selected.map(({ bundle }) => [bundle.id, toNodeStatus(rows.get(bundle.id)?.status ?? "pending")]),
  );
  const commits = new Map<string, string>();
  for (const row of rows.values())
    if (row.status === "done" && typeof row.metadata?.commit === "string")
      commits.set(row.wsId, row.metadata.commit);

  const externalDone = new Set<string>();
  for (const loaded of selected)
    for (const dep of loaded.bundle.depends_on)
      if (!status.has(dep) && (await doneElsewhere(store, settings.repoRoot, dep, runId)))
        externalDone.add(dep);
  const dag = buildDag(
    selected.map(({ bundle }) => ({
      id: bundle.id,
      dependsOn: bundle.depends_on,
      scope: [...bundle.files_scope, ...bundle.files_create],
    })),
    externalDone,
  );

  const results = new Map<string, WorkstreamOutcome>();
  const running = new Map<string, Promise<void>>();
  let stopReason: string | undefined;
  // A workstream whose tools are through hands its slot on before its commit (see NodeStatus).
  let slotFreed = wakeUpCall();

  // A ready workstream's base is final (its dependencies are done), so it is computed once.
  const bases = new Map<string, Promise<string>>();
  const baseFor = (id: string): Promise<string> => {
    let base = bases.get(id);
    if (!base) {
      const depCommits = byId
        .get(id)!
        .bundle.depends_on.map((dep) => commits.get(dep) ?? workstreamBranch(dep));
      base = settings.dryRun
        ? Promise.resolve(baseCommit)
        : combineCommits(settings.repoRoot, baseCommit, depCommits, `wsp: base for ${id} (run ${runId})`);
      base.catch(() => undefined); // reported by the workstream that needs it
      bases.set(id, base);
    }
    return base;
  };

  const worktrees = new RunWorktrees(settings, runId);
  /** Prepares worktrees for the workstreams that would start next if there were twice the slots. */
  const prepareAhead = () => {
    const lookahead = planNext(dag, { status, maxParallel: Math.max(1, options.maxParallel) * 2 });
    for (const action of lookahead.actions)
      if (action.type === "start") worktrees.prepare(action.id, () => baseFor(action.id));
  };

  const start = (id: string) => {
    const loaded = byId.get(id)!;
    status.set(id, "running");
    const preparedWorktree = worktrees.take(id);
    let removal: Promise<unknown> | undefined;
    const task = (async () => {
      let outcome: WorkstreamOutcome;
      try {
        const heldElsewhere = worktrees.claim(id);
        if (heldElsewhere !== undefined) throw new Error(heldElsewhere);
        const wsBase = await baseFor(id);
        outcome = await new WorkstreamPipeline(settings, {
          loaded,
          runId,
          baseCommit: wsBase,
          ...(preparedWorktree ? { preparedWorktree } : {}),
          recorder,
          signal: options.signal,
          onToolsDone: () => {
            if (status.get(id) !== "running") return;
            status.set(id, "finishing");
            slotFreed.wake();
          },
          deferCleanup: (cleanup) => {
            removal = cleanup;
          },
        }).run();
      } catch (error) {
        // The pipeline records its own failures; this is a failure before it could start.
        const message = messageOf(error);
        settings.log(`${id}: ${message}`);
        const row = await store.getWorkstream(runId, id);
        if (row.status !== "failed")
          await store.updateWorkstreamStatus(runId, id, "failed", {
            reason: message,
            metadata: { error: message },
          });
        await recorder.event("workstream_end", id, { final_status: "failed", error: message });
        outcome = {
          run_id: runId,
          ws_id: id,
          final_status: "failed",
          steps: [{ step_name: "prepare", success: false, details: {}, error_message: message }],
        };
      }
      // The claim lasts until the worktree is removed, or, when it is kept, until now.
      worktrees.finish(id, removal);
      results.set(id, outcome);
      const row = await store.getWorkstream(runId, id);
      if (typeof row.metadata?.commit === "string") commits.set(id, row.metadata.commit);
      status.set(id, toNodeStatus(outcome.final_status));
      if (outcome.final_status === "failed" && !options.continueOnFailure)
        stopReason ??= `not started: ${id} failed and the run stops at the first failure (use --continue)`;
    })();
    running.set(
      id,
      task.finally(() => running.delete(id)),
    );
  };

  for (;;) {
    const cancelled = options.signal.aborted;
    const stop = cancelled
      ? { reason: "the run was cancelled" }
      : stopReason
        ? { reason: stopReason }
        : undefined;
    const plan = planNext(dag, {
      status,
      maxParallel: Math.max(1, options.maxParallel),
      ...(stop ? { stopStarting: stop } : {}),
    });
    for (const action of plan.actions) {
      if (action.type === "block") {
        const to: WorkstreamStatus = cancelled ? "cancelled" : "blocked";
        await recorder.workstreamStatus(action.id, to, action.reason);
        await recorder.event("workstream_end", action.id, { final_status: to, reason: action.reason });
        status.set(action.id, to);
        results.set(action.id, {
          run_id: runId,
          ws_id: action.id,
          final_status: to,
          steps: [],
          reason: action.reason,
        });
      } else start(action.id);
    }
    if (!settings.dryRun && !stop) prepareAhead();
    if (plan.finished && running.size === 0) break;
    if (running.size > 0) {
      await Promise.race([...running.values(), slotFreed.wait]);
      slotFreed = wakeUpCall();
    }
  }

  await worktrees.settle();
  const finals = selected.map(({ bundle }) => status.get(bundle.id));
  const final: RunStatus = options.signal.aborted
    ? "cancelled"
    : finals.every((s) => s === "done")
      ? "succeeded"
      : finals.some((s) => s === "done")
        ? "partial"
        : "failed";
  await recorder.runStatus(final);
  await recorder.event("run_end", null, { final_status: final, counts: countBy(finals.map(String)) });
  const workstreams = selected.map(
    ({ bundle }) =>
      results.get(bundle.id) ?? {
        run_id: runId,
        ws_id: bundle.id,
        final_status: rows.get(bundle.id)?.status ?? "pending",
        steps: [],
      },
  );
  return { run_id: runId, final_status: final, workstreams };
}

function countBy(values: string[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const value of values) counts[value] = (counts[value] ?? 0) + 1;
  return counts;
}
