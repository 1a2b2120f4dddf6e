/** `wsp resume <run-id>`: reconcile what a killed orchestrator left running, then carry the run on. */
import { UserError } from "../../../core/errors";
import { TERMINAL_RUN_STATUSES, type WorkstreamStatus } from "../../../core/store";
import { executeRun } from "../../../node/orchestrator/executor";
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
  try {
    const runRow = await store.getRun(runId);
    if (TERMINAL_RUN_STATUSES.includes(runRow.status))
      throw new UserError(`run ${runId} already finished (${runRow.status}); nothing to resume`);
    if (runIsLive(runRow))
      throw new UserError(
        `run ${runId} is still being run by process ${JSON.stringify(runRow.metadata?.pid)}`,
      );
    const settings = await orchestratorSettings(io, workspace, {
      ...options,
      ...(options.base === undefined && typeof runRow.metadata?.base === "string"
        ? { base: runRow.metadata.base }
        : {}),
      ...(runRow.metadata?.dry_run === true ? { dryRun: true } : {}),
    });
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
    await store.close();
  }
}
