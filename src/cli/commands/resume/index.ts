/** `wsp resume <run-id>`: reconcile what a killed orchestrator left running, then carry the run on. */
import { UserError } from "../../../core/errors";
import { TERMINAL_RUN_STATUSES, type WorkstreamStatus } from "../../../core/store";
import { executeRun } from "../../../node/orchestrator/executor";
import { claimRun } from "../../../node/orchestrator/workstreamClaim";
import { killRunProcesses } from "../../../node/process/processTree";
import { type CommandIO } from "../../io";
import {
  loadWorkspace,
  openWorkspaceStore,
  orchestratorSettings,
  warmUpStore,
  type CommonOptions,
} from "../../shared/context";
import { eventPrinter } from "../../shared/events";
import { runIsLive } from "../../shared/liveness";
import { report } from "../run";

export interface ResumeOptions extends CommonOptions {
  jobs?: string | number;
  continue?: boolean;
  events?: string;
}

const SETTLED: readonly WorkstreamStatus[] = ["pending", "done", "failed", "blocked", "cancelled"];

export async function resume(
  runId: string,
  options: ResumeOptions,
  io: CommandIO,
  signal: AbortSignal = new AbortController().signal,
): Promise<number> {
  warmUpStore();
  const workspace = await loadWorkspace(io, options);
  const store = await openWorkspaceStore(io, options.db);
  let release: (() => void) | undefined;
  try {
    const firstLook = await store.getRun(runId);
    if (TERMINAL_RUN_STATUSES.includes(firstLook.status))
      throw new UserError(`run ${runId} already finished (${firstLook.status}); nothing to resume`);
    if (runIsLive(firstLook))
      throw new UserError(
        `run ${runId} is still being run by process ${JSON.stringify(firstLook.metadata?.pid)}`,
      );
    const runRow = firstLook;
    const settings = await orchestratorSettings(io, workspace, {
      ...options,
      ...(options.base === undefined && typeof runRow.metadata?.base === "string"
        ? { base: runRow.metadata.base }
        : {}),
      ...(runRow.metadata?.dry_run === true ? { dryRun: true } : {}),
    });
    // Take the run over atomically: of two resumes started together, exactly one gets the claim.
    const claim = claimRun(settings.worktreesDir, runId);
    if ("heldBy" in claim)
      throw new UserError(`run ${runId} is already being resumed by process ${claim.heldBy.pid}`);
    release = () => claim.held.release();
    // Read again under the claim: a resume that held it a moment ago may have finished the run.
    const current = await store.getRun(runId);
    if (TERMINAL_RUN_STATUSES.includes(current.status))
      throw new UserError(`run ${runId} already finished (${current.status}); nothing to resume`);
    // Tools the killed orchestrator started may still be running and writing into their worktrees:
    // stop them before anything of this run starts again (with the sandbox they died with it).
    const orphans = await killRunProcesses(runId);
    if (orphans > 0) io.err(`wsp: stopped ${orphans} process(es) the killed orchestrator left running\n`);
    const rows = await store.listWorkstreams(runId);
    const known = new Set(workspace.bundles.map((loaded) => loaded.bundle.id));
    const missing = rows.filter((row) => !known.has(row.wsId)).map((row) => row.wsId);
    if (missing.length > 0)
      throw new UserError(`run ${runId} has workstreams no longer in the workspace: ${missing.join(", ")}`);
    // Reconcile: the killed orchestrator's half-done workstreams are cancelled, then retried from scratch.
    for (const attempt of await store.listStepAttempts(runId))
      if (attempt.status === "running")
        await store.finishStepAttempt(attempt.id, {
          status: "failed",
          result: { reason: "the orchestrator stopped during this step" },
        });
    for (const row of rows) {
      if (SETTLED.includes(row.status)) continue;
      io.err(`wsp: ${row.wsId} was left ${row.status}; restarting it\n`);
      await store.updateWorkstreamStatus(runId, row.wsId, "cancelled", {
        reason: `orchestrator stopped while ${row.status}`,
      });
      await store.retryWorkstream(runId, row.wsId, "wsp resume");
    }
    if (runRow.status === "pending") await store.updateRunStatus(runId, "running", { reason: "wsp resume" });
    await store.recordEvent({ runId, type: "run_resumed", payload: { pid: process.pid } });
    const mode = options.events === "ndjson" ? "ndjson" : io.isTTY ? "progress" : "none";
    const onEvent = eventPrinter(io, mode);
    const jobs = Number(options.jobs ?? 1);
    if (!Number.isInteger(jobs) || jobs < 1) throw new UserError(`-j must be a positive integer`);
    const result = await executeRun(settings, {
      store,
      runId,
      bundles: workspace.bundles,
      selected: rows.map((row) => row.wsId),
      maxParallel: jobs,
      continueOnFailure: options.continue === true,
      signal,
      resume: true,
      ...(onEvent ? { onEvent } : {}),
    });
    return report(result, true, mode === "ndjson", io);
  } finally {
    try {
      await store.close();
    } finally {
      release?.();
    }
  }
}
