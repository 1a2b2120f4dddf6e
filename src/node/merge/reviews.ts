/** Review decisions in the store: who waits for a person, and a person's approve or request-changes. */
import { type LoadedBundle } from "../../core/bundle/types";
import { UserError } from "../../core/errors";
import { type ReviewPolicy } from "../../core/merge/queueSettings";
import {
  finishedCommit,
  REVIEW_EVENT,
  reviewPayload,
  reviewState,
  type ReviewDecision,
  type ReviewState,
} from "../../core/merge/review";
import { type Store, type WorkstreamRow } from "../../core/store";
import { latestRows } from "./latestRows";

export interface WorkstreamReview {
  wsId: string;
  policy: ReviewPolicy;
  state: ReviewState;
  row?: WorkstreamRow;
}

/** The review policy of one bundle: its own `review`, else the config's. */
export function reviewPolicyOf(loaded: LoadedBundle, configured: ReviewPolicy): ReviewPolicy {
  return loaded.bundle.review ?? configured;
}

export async function reviewStates(
  store: Store,
  bundles: readonly LoadedBundle[],
  configured: ReviewPolicy,
): Promise<WorkstreamReview[]> {
  const rows = await latestRows(store);
  const reviews: WorkstreamReview[] = [];
  for (const loaded of bundles) {
    const wsId = loaded.bundle.id;
    const row = rows.get(wsId);
    const policy = reviewPolicyOf(loaded, configured);
    const events =
      row?.status === "done"
        ? await store.eventsAfter(0, { runId: row.runId, wsId, types: [REVIEW_EVENT], limit: 10_000 })
        : [];
    reviews.push({ wsId, policy, state: reviewState(row, policy, events), ...(row ? { row } : {}) });
  }
  return reviews;
}

/** Records a person's decision on the commit the workstream finished with. */
export async function recordReview(
  store: Store,
  review: WorkstreamReview,
  decision: ReviewDecision,
  comment?: string,
): Promise<void> {
  const commit = finishedCommit(review.row);
  if (review.row?.status !== "done" || commit === undefined)
    throw new UserError(
      `${review.wsId} has no finished work to review (latest status: ${review.row?.status ?? "never run"})`,
    );
  await store.recordEvent({
    runId: review.row.runId,
    wsId: review.wsId,
    type: REVIEW_EVENT,
    payload: reviewPayload(decision, commit, comment),
  });
}
