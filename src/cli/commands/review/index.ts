/**
 * `wsp review`: a person's say between done and merged. Decisions are store events on the
 * workstream's run (src/core/merge/review.ts), which the editor reads and the merge queue obeys.
 */
import { UserError } from "../../../core/errors";
import { finishedCommit } from "../../../core/merge/review";
import { resolveCommit, workstreamBranch } from "../../../node/git";
import { reopenWorkstream } from "../../../node/merge/reopenWorkstream";
import { recordReview, reviewStates, type WorkstreamReview } from "../../../node/merge/reviews";
import { loadMergeQueueSettings } from "../../../node/tools/mergeQueueConfig";
import { type CommandIO } from "../../io";
import {
  defaultRunId,
  loadWorkspace,
  openWorkspaceStore,
  orchestratorSettings,
  type CommonOptions,
  type Workspace,
} from "../../shared/context";

export interface ReviewOptions extends CommonOptions {
  json?: boolean;
  waiting?: boolean;
  comment?: string;
  run?: boolean;
}

async function reviewsOf(
  workspace: Workspace,
  options: ReviewOptions,
  io: CommandIO,
): Promise<WorkstreamReview[]> {
  const { review } = loadMergeQueueSettings(workspace.root);
  const store = await openWorkspaceStore(io, options.db, true);
  try {
    return await reviewStates(store, workspace.bundles, review);
  } finally {
    await store.close();
  }
}

function reviewOf(reviews: readonly WorkstreamReview[], wsId: string): WorkstreamReview {
  const review = reviews.find((r) => r.wsId === wsId);
  if (review === undefined) throw new UserError(`unknown workstream '${wsId}'`);
  if (review.state === "not_done")
    throw new UserError(
      `${wsId} is not done (latest status: ${review.row?.status ?? "never run"}); nothing to review`,
    );
  return review;
}

/** Exit code 0. */
export async function reviewList(options: ReviewOptions, io: CommandIO): Promise<number> {
  const workspace = await loadWorkspace(io, options, { overlapsBlock: false });
  const reviews = (await reviewsOf(workspace, options, io)).filter(
    (r) => r.state !== "not_done" && (options.waiting !== true || r.state === "awaiting_review"),
  );
  const rows = reviews.map((r) => ({
    ws_id: r.wsId,
    state: r.state,
    policy: r.policy,
    run_id: r.row?.runId ?? null,
    commit: finishedCommit(r.row) ?? null,
  }));
  if (options.json === true) io.out(`${JSON.stringify(rows, null, 2)}\n`);
  else if (rows.length === 0) io.out("no done workstreams to review\n");
  else
    for (const row of rows) io.out(`${row.ws_id}\t${row.state}\t(review ${row.policy}, run ${row.run_id})\n`);
  return 0;
}

/** Exit code 0 approved, 2 nothing to approve. */
export async function reviewApprove(wsId: string, options: ReviewOptions, io: CommandIO): Promise<number> {
  const workspace = await loadWorkspace(io, options, { overlapsBlock: false });
  const review = reviewOf(await reviewsOf(workspace, options, io), wsId);
  const store = await openWorkspaceStore(io, options.db);
  try {
    await recordReview(store, review, "approved", options.comment);
  } finally {
    await store.close();
  }
  io.out(`${JSON.stringify({ ws_id: wsId, decision: "approved", commit: finishedCommit(review.row) })}\n`);
  io.err(`wsp review: approved ${wsId}; wsp merge --all will take it\n`);
  return 0;
}

/** Exit code 0 recorded (and, unless --no-run, the FIX brought it back to done), 1 the FIX run failed. */
export async function reviewRequestChanges(
  wsId: string,
  options: ReviewOptions,
  io: CommandIO,
  signal: AbortSignal = new AbortController().signal,
): Promise<number> {
  const comment = options.comment?.trim() ?? "";
  if (comment === "") throw new UserError("--comment must say what should change");
  const workspace = await loadWorkspace(io, options, { overlapsBlock: false });
  const review = reviewOf(await reviewsOf(workspace, options, io), wsId);
  const store = await openWorkspaceStore(io, options.db);
  try {
    await recordReview(store, review, "changes_requested", comment);
    if (options.run === false) {
      io.out(`${JSON.stringify({ ws_id: wsId, decision: "changes_requested", ran: false })}\n`);
      return 0;
    }
    const settings = await orchestratorSettings(io, workspace, options);
    const base = review.row?.metadata?.base_commit;
    const head = typeof base === "string" ? base : await resolveCommit(workspace.root, settings.baseRef);
    const outcome = await reopenWorkstream(
      {
        settings,
        store,
        bundles: workspace.bundles,
        signal,
        queueRunId: defaultRunId().replace(/^run-/, "review-"),
      },
      {
        wsId,
        head,
        source: await resolveCommit(workspace.root, workstreamBranch(wsId)),
        reason: { kind: "review", comment },
        count: 1,
      },
    );
    io.out(
      `${JSON.stringify({ ws_id: wsId, decision: "changes_requested", ran: true, run_id: outcome.runId, final_status: outcome.status })}\n`,
    );
    return outcome.status === "done" ? 0 : 1;
  } finally {
    await store.close();
  }
}
