/** `wsp merge --all` (the queue): done, approved workstreams through the merge queue. */
import { UserError } from "../../../core/errors";
import { mayEnterQueue } from "../../../core/merge/review";
import { branchExists, workstreamBranch } from "../../../node/git";
import { runMergeQueue } from "../../../node/merge/queue";
import { reviewStates } from "../../../node/merge/reviews";
import { loadMergeQueueSettings } from "../../../node/tools/mergeQueueConfig";
import { type CommandIO } from "../../io";
import { defaultRunId, openWorkspaceStore, orchestratorSettings, type Workspace } from "../../shared/context";
import { eventPrinter } from "../../shared/events";
import { type MergeOptions } from "./index";

function reopenCount(metadata: Record<string, unknown> | null | undefined): number {
  const reopened = metadata?.reopened;
  if (typeof reopened !== "object" || reopened === null) return 0;
  const count = (reopened as Record<string, unknown>).count;
  return typeof count === "number" ? count : 0;
}

/** Exit code: 0 everything queued merged and the base moved to it, 1 something was left or stopped. */
export async function mergeQueue(
  workspace: Workspace,
  only: string | undefined,
  options: MergeOptions,
  io: CommandIO,
  signal: AbortSignal,
): Promise<number> {
  const queue = loadMergeQueueSettings(workspace.root);
  const settings = await orchestratorSettings(io, workspace, { ...options, dryRun: false });
  const store = await openWorkspaceStore(io, options.db);
  try {
    const reviews = await reviewStates(store, workspace.bundles, queue.review);
    if (only !== undefined) {
      const review = reviews.find((r) => r.wsId === only);
      if (review === undefined) throw new UserError(`unknown workstream '${only}'`);
      if (review.state === "not_done")
        throw new UserError(`${only} is not done (latest status: ${review.row?.status ?? "never run"})`);
    }
    const chosen = reviews.filter((r) => only === undefined || r.wsId === only);
    const awaiting = chosen.filter((r) => r.state === "awaiting_review" || r.state === "changes_requested");
    const ready = chosen.filter((r) => mayEnterQueue(r.state));
    for (const review of ready)
      if (!(await branchExists(workspace.root, workstreamBranch(review.wsId))))
        throw new UserError(
          `branch ${workstreamBranch(review.wsId)} of done workstream ${review.wsId} is gone`,
        );
    const mode = options.events === "ndjson" ? "ndjson" : io.isTTY ? "progress" : "none";
    const onEvent = eventPrinter(io, mode);
    const report = await runMergeQueue({
      settings,
      queue,
      store,
      bundles: workspace.bundles,
      selected: ready.map((r) => r.wsId),
      reopenedBefore: new Map(ready.map((r) => [r.wsId, reopenCount(r.row?.metadata)])),
      runId: defaultRunId().replace(/^run-/, "merge-"),
      signal,
      ...(onEvent ? { onEvent } : {}),
    });
    const result = {
      ...report,
      awaiting_review: awaiting.map((r) => ({ ws_id: r.wsId, state: r.state })),
    };
    if (mode !== "ndjson") io.out(`${JSON.stringify(result, null, 2)}\n`);
    for (const left of report.left) io.err(`wsp merge: ${left.ws_id} not merged: ${left.reason}\n`);
    for (const waiting of report.waiting)
      io.err(`wsp merge: ${waiting.ws_id} waits for ${waiting.waits_for.join(", ")}\n`);
    for (const r of awaiting) io.err(`wsp merge: ${r.wsId} waits for review (${r.state})\n`);
    if (report.stopped !== undefined) io.err(`wsp merge: the queue stopped: ${report.stopped}\n`);
    const clean = report.stopped === undefined && report.left.length === 0 && report.waiting.length === 0;
    return clean ? 0 : 1;
  } finally {
    await store.close();
  }
}
