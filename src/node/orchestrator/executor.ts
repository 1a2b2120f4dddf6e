/**
 * Carries out the scheduler's plan: starts workstreams as `planNext` says, at most N at once,
 * records blocked ones, and on cancel stops the tools and leaves store and worktrees consistent.
 */
import { type LoadedBundle } from "../../core/bundle/types";
import { messageOf } from "../../core/errors";
import { configuredCostBudget } from "../../core/orchestrator/breakers";
import { chooseEditTool } from "../../core/orchestrator/editTool";
import { reportsCost } from "../../core/orchestrator/profiles";
import { buildDag, planNext, type NodeStatus } from "../../core/orchestrator/schedule";
import { type RunStatus, type Store, type WorkstreamRow, type WorkstreamStatus } from "../../core/store";
import { branchExists, combineCommits, resolveCommit, workstreamBranch } from "../git";
import { WorkstreamPipeline } from "./pipeline";
import { RunRecorder } from "./recorder";
import { RunWorktrees } from "./runWorktrees";
import { type OrchestratorSettings } from "./types";
import { type ExecuteOptions, type ExecuteResult, type WorkstreamOutcome } from "./executeOptions";

export { type ExecuteOptions, type ExecuteResult, type WorkstreamOutcome } from "./executeOptions";

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
  const byId = new Map(options.bundles.map((loaded) => [loaded.bundle.id, loaded]));
  const selected = options.selected.map((id) => byId.get(id)!);
  const { runId, recorder } = await openRun(settings, options, selected);
  await sayUnfedBudgets(settings, recorder, selected);
  const baseCommit = await resolveCommit(settings.repoRoot, settings.baseRef);
  // Named once per run, so a branch built on a base that has since moved can be told (wsp status: STALE).
  await recorder.event("run_base", null, { base: settings.baseRef, commit: baseCommit });
  if (!settings.dryRun) settings.log(`starting from ${settings.baseRef} at ${baseCommit.slice(0, 12)}`);
  const progress = await loadProgress(options.store, runId, selected);
  const dag = await dependencyDag(options.store, settings.repoRoot, runId, selected, progress.status);
  const execution = new RunExecution(settings, options, {
    byId,
    runId,
    recorder,
    baseCommit,
    dag,
    ...progress,
  });
  for (;;) {
    const round = execution.plan();
    await execution.carryOut(round);
    if (!settings.dryRun && round.stop === undefined) execution.prepareAhead();
    if (round.plan.finished && execution.idle) break;
    await execution.waitForProgress();
  }
  return { ...(await execution.finish(selected)), base_commit: baseCommit };
}

type Dag = ReturnType<typeof buildDag>;
type Plan = ReturnType<typeof planNext>;

/** Creates the run and its workstream rows, or, resuming, takes the run as it is; starts recording. */
async function openRun(
  settings: OrchestratorSettings,
  options: ExecuteOptions,
  selected: readonly LoadedBundle[],
): Promise<{ runId: string; recorder: RunRecorder }> {
  const { store } = options;
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
  return { runId, recorder };
}

/**
 * A cost budget whose edit tool reports no cost can never trip: say so at the start of the run
 * (stderr and a `budget_unfed` event) rather than let it look like a limit.
 */
async function sayUnfedBudgets(
  settings: OrchestratorSettings,
  recorder: RunRecorder,
  selected: readonly LoadedBundle[],
): Promise<void> {
  for (const { bundle } of selected) {
    const budget = configuredCostBudget(settings.breakers, bundle.id, bundle.circuit_breaker);
    if (budget === undefined) continue;
    const choice = chooseEditTool(bundle, settings.capabilityRoutes);
    if (!("toolId" in choice)) continue;
    const profile = settings.profiles.get(choice.toolId);
    if (profile === undefined || reportsCost(profile)) continue;
    const message = `max_cost_usd is set ($${budget}), but ${choice.toolId} reports no cost: this budget cannot hold`;
    settings.log(`${bundle.id}: ${message}`);
    await recorder.event("budget_unfed", bundle.id, {
      budget: "max_cost_usd",
      tool_id: choice.toolId,
      message,
    });
  }
}

/** Where the run stands: its rows, each selected workstream's status, and the commits of done ones. */
interface Progress {
  rows: Map<string, WorkstreamRow>;
  status: Map<string, NodeStatus>;
  commits: Map<string, string>;
}

async function loadProgress(
  store: Store,
  runId: string,
  selected: readonly LoadedBundle[],
): Promise<Progress> {
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
  return { rows, status, commits };
}

/** The selected workstreams' graph; a dependency outside the run counts as met when done elsewhere. */
async function dependencyDag(
  store: Store,
  root: string,
  runId: string,
  selected: readonly LoadedBundle[],
  status: ReadonlyMap<string, NodeStatus>,
): Promise<Dag> {
  const externalDone = new Set<string>();
  for (const loaded of selected)
    for (const dep of loaded.bundle.depends_on)
      if (!status.has(dep) && (await doneElsewhere(store, root, dep, runId))) externalDone.add(dep);
  return buildDag(
    selected.map(({ bundle }) => ({
      id: bundle.id,
      dependsOn: bundle.depends_on,
      scope: [...bundle.files_scope, ...bundle.files_create],
    })),
    externalDone,
  );
}

/** One scheduling round: what `planNext` said, and why it starts nothing new, if it does not. */
interface Round {
  plan: Plan;
  /** Read once per round: blocked workstreams are recorded cancelled when it is set. */
  cancelled: boolean;
  stop: { reason: string } | undefined;
}

/** What a run's execution starts from: the run, where it stands, and its dependency graph. */
interface OpenedRun extends Progress {
  byId: ReadonlyMap<string, LoadedBundle>;
  runId: string;
  recorder: RunRecorder;
  baseCommit: string;
  dag: Dag;
}

/** The state of a run while its workstreams are being carried out, and the steps of one round. */
class RunExecution {
  private readonly results = new Map<string, WorkstreamOutcome>();
  private readonly running = new Map<string, Promise<void>>();
  private stopReason: string | undefined;
  // A workstream whose tools are through hands its slot on before its commit (see NodeStatus).
  private slotFreed = wakeUpCall();
  // A ready workstream's base is final (its dependencies are done), so it is computed once.
  private readonly bases = new Map<string, Promise<string>>();
  private readonly worktrees: RunWorktrees;

  constructor(
    private readonly settings: OrchestratorSettings,
    private readonly options: ExecuteOptions,
    private readonly run: OpenedRun,
  ) {
    this.worktrees = new RunWorktrees(settings, run.runId);
  }

  /** No workstream is running. */
  get idle(): boolean {
    return this.running.size === 0;
  }

  /** Asks the scheduler what to do now; after a cancel or a stopping failure it starts nothing. */
  plan(): Round {
    const cancelled = this.options.signal.aborted;
    const stop = cancelled
      ? { reason: "the run was cancelled" }
      : this.stopReason
        ? { reason: this.stopReason }
        : undefined;
    const plan = planNext(this.run.dag, {
      status: this.run.status,
      maxParallel: Math.max(1, this.options.maxParallel),
      ...(stop ? { stopStarting: stop } : {}),
      // block() records "cancelled" after a cancel: dependents' reasons must say so too.
      ...(cancelled ? { blockedStatus: "cancelled" as const } : {}),
    });
    return { plan, cancelled, stop };
  }

  /** Records the blocked workstreams and starts the ready ones. */
  async carryOut({ plan, cancelled }: Round): Promise<void> {
    for (const action of plan.actions) {
      if (action.type === "block") await this.block(action.id, action.reason, cancelled);
      else this.start(action.id);
    }
  }

  /** Prepares worktrees for the workstreams that would start next if there were twice the slots. */
  prepareAhead(): void {
    const lookahead = planNext(this.run.dag, {
      status: this.run.status,
      maxParallel: Math.max(1, this.options.maxParallel) * 2,
    });
    for (const action of lookahead.actions)
      if (action.type === "start") this.worktrees.prepare(action.id, () => this.baseFor(action.id));
  }

  /** Waits until a workstream ends or hands its slot on. */
  async waitForProgress(): Promise<void> {
    if (this.running.size > 0) {
      await Promise.race([...this.running.values(), this.slotFreed.wait]);
      this.slotFreed = wakeUpCall();
    }
  }

  /** Records the run's final status and returns every selected workstream's outcome. */
  async finish(selected: readonly LoadedBundle[]): Promise<ExecuteResult> {
    const { runId, recorder, status, rows } = this.run;
    await this.worktrees.settle();
    const finals = selected.map(({ bundle }) => status.get(bundle.id));
    const final: RunStatus = this.options.signal.aborted
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
        this.results.get(bundle.id) ?? {
          run_id: runId,
          ws_id: bundle.id,
          final_status: rows.get(bundle.id)?.status ?? "pending",
          steps: [],
        },
    );
    return { run_id: runId, final_status: final, workstreams };
  }

  private async block(id: string, reason: string, cancelled: boolean): Promise<void> {
    const { recorder, status, runId } = this.run;
    const to: WorkstreamStatus = cancelled ? "cancelled" : "blocked";
    await recorder.workstreamStatus(id, to, reason);
    await recorder.event("workstream_end", id, { final_status: to, reason });
    status.set(id, to);
    this.results.set(id, {
      run_id: runId,
      ws_id: id,
      final_status: to,
      steps: [],
      reason,
    });
  }

  private start(id: string): void {
    this.run.status.set(id, "running");
    const preparedWorktree = this.worktrees.take(id, () => this.baseFor(id));
    const task = this.runWorkstream(id, preparedWorktree);
    this.running.set(
      id,
      task.finally(() => this.running.delete(id)),
    );
  }

  private async runWorkstream(id: string, preparedWorktree: ReturnType<RunWorktrees["take"]>): Promise<void> {
    const { settings } = this;
    const { store } = this.options;
    const { runId, recorder, status } = this.run;
    const loaded = this.run.byId.get(id)!;
    let removal: Promise<unknown> | undefined;
    let outcome: WorkstreamOutcome;
    try {
      const heldElsewhere = this.worktrees.claim(id);
      if (heldElsewhere !== undefined) throw new Error(heldElsewhere);
      const wsBase = await this.baseFor(id);
      const reopen = this.options.reopen?.get(id);
      outcome = await new WorkstreamPipeline(settings, {
        loaded,
        ...(reopen ? { reopen } : {}),
        runId,
        baseCommit: wsBase,
        ...(preparedWorktree ? { preparedWorktree } : {}),
        recorder,
        signal: this.options.signal,
        onToolsDone: () => {
          if (status.get(id) !== "running") return;
          status.set(id, "finishing");
          this.slotFreed.wake();
        },
        deferCleanup: (cleanup) => {
          removal = cleanup;
        },
      }).run();
    } catch (error) {
      outcome = await this.failedBeforeStart(id, error);
    }
    // The claim lasts until the worktree is removed, or, when it is kept, until now.
    this.worktrees.finish(id, removal);
    this.results.set(id, outcome);
    const row = await store.getWorkstream(runId, id);
    if (typeof row.metadata?.commit === "string") this.run.commits.set(id, row.metadata.commit);
    status.set(id, toNodeStatus(outcome.final_status));
    if (outcome.final_status === "failed" && !this.options.continueOnFailure)
      this.stopReason ??= `not started: ${id} failed and the run stops at the first failure (use --continue)`;
  }

  /** The pipeline records its own failures; this records one before it could start. */
  private async failedBeforeStart(id: string, error: unknown): Promise<WorkstreamOutcome> {
    const { store } = this.options;
    const { runId, recorder } = this.run;
    const message = messageOf(error);
    this.settings.log(`${id}: ${message}`);
    const row = await store.getWorkstream(runId, id);
    if (row.status !== "failed")
      await store.updateWorkstreamStatus(runId, id, "failed", {
        reason: message,
        metadata: { error: message },
      });
    await recorder.event("workstream_end", id, { final_status: "failed", error: message });
    return {
      run_id: runId,
      ws_id: id,
      final_status: "failed",
      steps: [{ step_name: "prepare", success: false, details: {}, error_message: message }],
    };
  }

  /** The commit a workstream starts from: the run's base plus its dependencies' work. */
  private baseFor(id: string): Promise<string> {
    const { byId, commits, baseCommit, runId } = this.run;
    let base = this.bases.get(id);
    if (!base) {
      const depCommits = byId
        .get(id)!
        .bundle.depends_on.map((dep) => commits.get(dep) ?? workstreamBranch(dep));
      base = this.settings.dryRun
        ? Promise.resolve(baseCommit)
        : combineCommits(
            this.settings.repoRoot,
            baseCommit,
            depCommits,
            `wsp: base for ${id} (run ${runId})`,
          );
      base.catch(() => undefined); // reported by the workstream that needs it
      this.bases.set(id, base);
    }
    return base;
  }
}

function countBy(values: string[]): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const value of values) counts[value] = (counts[value] ?? 0) + 1;
  return counts;
}
