/**
 * Reads what the attention rules need from the store (latest rows, review decisions, the events that
 * say why a workstream stopped) and applies them. Read-only: the editor calls it on its reader.
 */
import {
  attentionItems,
  JUDGEMENT_EVENTS,
  QUEUE_GAVE_UP,
  type AttentionItem,
} from "../../core/attention/attention";
import { type ReviewPolicy } from "../../core/merge/queueSettings";
import { REVIEW_EVENT, reviewState, type ReviewState } from "../../core/merge/review";
import { type EventRow, type Store } from "../../core/store";
import { latestRows } from "../merge/latestRows";

/** A workstream the bundles define, with the review policy its bundle sets (if any). */
export interface AttentionWorkstream {
  id: string;
  review?: ReviewPolicy;
}

const EVENT_LIMIT = 10_000;

export async function readAttention(
  store: Store,
  workstreams: readonly AttentionWorkstream[],
  configuredReview: ReviewPolicy,
): Promise<AttentionItem[]> {
  const latest = await latestRows(store);
  const reviews = new Map<string, ReviewState>();
  const events: EventRow[] = await store.eventsAfter(0, { types: [QUEUE_GAVE_UP], limit: EVENT_LIMIT });
  for (const workstream of workstreams) {
    const row = latest.get(workstream.id);
    if (row?.status === "done") {
      const decisions = await store.eventsAfter(0, {
        runId: row.runId,
        wsId: row.wsId,
        types: [REVIEW_EVENT],
        limit: EVENT_LIMIT,
      });
      reviews.set(workstream.id, reviewState(row, workstream.review ?? configuredReview, decisions));
    } else if (row?.status === "failed") {
      events.push(
        ...(await store.eventsAfter(0, {
          runId: row.runId,
          wsId: row.wsId,
          types: [...JUDGEMENT_EVENTS],
          limit: EVENT_LIMIT,
        })),
      );
    }
  }
  return attentionItems({ workstreams: workstreams.map((w) => w.id), latest, reviews, events });
}
