/**
 * Review before merge: a done workstream whose bundle or config requires review waits for a person's
 * decision on exactly the commit it finished with. Decisions are `review_decision` events on the
 * workstream's run, so the CLI, the editor and imported journals all read one record.
 */
import { type EventRow, type JsonObject, type WorkstreamRow } from "../store";
import { type ReviewPolicy } from "./queueSettings";

export const REVIEW_EVENT = "review_decision";

export type ReviewDecision = "approved" | "changes_requested";

export type ReviewState = "not_done" | "not_required" | "awaiting_review" | ReviewDecision;

/** The commit a done row finished with, if it recorded one. */
export function finishedCommit(row: WorkstreamRow | undefined): string | undefined {
  const commit = row?.metadata?.commit;
  return typeof commit === "string" ? commit : undefined;
}

export function reviewPayload(decision: ReviewDecision, commit: string, comment?: string): JsonObject {
  return { decision, commit, ...(comment !== undefined ? { comment } : {}) };
}

/**
 * Where a workstream stands: its latest row, the policy that applies to it, and the review events of
 * that row's run (any order). Only a decision on the finished commit counts; the newest one wins.
 */
export function reviewState(
  row: WorkstreamRow | undefined,
  policy: ReviewPolicy,
  events: readonly EventRow[],
): ReviewState {
  if (row?.status !== "done") return "not_done";
  const commit = finishedCommit(row);
  const decisions = events
    .filter(
      (event) =>
        event.type === REVIEW_EVENT &&
        event.runId === row.runId &&
        event.wsId === row.wsId &&
        event.payload?.commit === commit,
    )
    .sort((a, b) => a.id - b.id);
  const last = decisions.at(-1)?.payload?.decision;
  if (last === "approved" || last === "changes_requested") return last;
  return policy === "required" ? "awaiting_review" : "not_required";
}

/** Whether the merge queue may take it. */
export function mayEnterQueue(state: ReviewState): boolean {
  return state === "approved" || state === "not_required";
}
