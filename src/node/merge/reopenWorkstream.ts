/**
 * Reopening a workstream the merge queue sent back: a run of its own on the current integration
 * head, whose first step lays the old work on and runs one FIX for the reason (see reopenFix.ts),
 * bounded by the workstream's breakers like any FIX.
 */
import { type LoadedBundle } from "../../core/bundle/types";
import { type ReopenReason } from "../../core/merge/reopen";
import { type Store, type WorkstreamStatus } from "../../core/store";
import { keepEarlierWork } from "../git";
import { executeRun } from "../orchestrator/executor";
import { type EventListener } from "../orchestrator/recorder";
import { type OrchestratorSettings } from "../orchestrator/types";

export interface ReopenRequest {
  wsId: string;
  /** The commit the reopened run starts from: the integration head. */
  head: string;
  /** The workstream's old branch tip. */
  source: string;
  reason: ReopenReason;
  count: number;
}

export async function reopenWorkstream(
  context: {
    settings: OrchestratorSettings;
    store: Store;
    bundles: readonly LoadedBundle[];
    signal: AbortSignal;
    onEvent?: EventListener;
    queueRunId: string;
  },
  request: ReopenRequest,
): Promise<{ runId: string; status: WorkstreamStatus; keptAt: string }> {
  const keptAt = await keepEarlierWork(context.settings.repoRoot, request.wsId, request.source);
  const result = await executeRun(
    { ...context.settings, baseRef: request.head },
    {
      store: context.store,
      runId: `${context.queueRunId}-reopen-${request.count}-${request.wsId}`,
      uniqueRunId: true,
      bundles: context.bundles,
      selected: [request.wsId],
      maxParallel: 1,
      continueOnFailure: false,
      signal: context.signal,
      reopen: new Map([
        [request.wsId, { source: request.source, reason: request.reason, count: request.count }],
      ]),
      ...(context.onEvent ? { onEvent: context.onEvent } : {}),
    },
  );
  return { runId: result.run_id, status: result.workstreams[0]?.final_status ?? "failed", keptAt };
}
