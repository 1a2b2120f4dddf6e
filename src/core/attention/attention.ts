/**
 * Who waits on a person: from each workstream's latest store row, the events that say why it
 * stopped, and its review state, the workstreams a person must act on before anything moves.
 * Pure: the editor reads the store and hands the rows and events in.
 */
import { type ReviewState } from "../merge/review";
import { type EventRow, type WorkstreamRow } from "../store";

/** Events that make a failure a person's call rather than something to retry blindly. */
export const JUDGEMENT_EVENTS = ["breaker_trip", "scope_violation", "tamper"] as const;
/** The merge queue's verdict that it reopened a workstream past its limit. */
export const QUEUE_GAVE_UP = "queue_gave_up";

export type JudgementCause = "breaker" | "scope" | "tamper" | "queue_gave_up";

export type AttentionItem =
  | { kind: "awaiting_review"; wsId: string; runId: string; reason: string }
  | { kind: "needs_judgement"; wsId: string; runId: string; cause: JudgementCause; reason: string }
  | { kind: "blocked"; wsId: string; runId: string; blockedBy: string[]; reason: string };

export type AttentionKind = AttentionItem["kind"];

export interface AttentionInput {
  /** The workstreams the bundles define; rows of others (deleted bundles) are ignored. */
  workstreams: readonly string[];
  /** Each workstream's latest row, across runs. */
  latest: ReadonlyMap<string, WorkstreamRow>;
  /** Review state per workstream (absent: not done, or not known). */
  reviews: ReadonlyMap<string, ReviewState>;
  /**
   * Judgement events (breaker_trip, scope_violation, tamper) of the latest rows' runs, and the
   * queue's queue_gave_up events of any run; other events are ignored.
   */
  events: readonly EventRow[];
}

const KIND_ORDER: Record<AttentionKind, number> = { awaiting_review: 0, needs_judgement: 1, blocked: 2 };

function text(value: unknown): string | undefined {
  return typeof value === "string" && value !== "" ? value : undefined;
}

function judgementOf(event: EventRow): { cause: JudgementCause; reason: string } | undefined {
  const payload = event.payload ?? {};
  switch (event.type) {
    case "breaker_trip":
      return {
        cause: "breaker",
        reason: `breaker ${text(payload.breaker) ?? "tripped"}: ${text(payload.reason) ?? "limit reached"}`,
      };
    case "scope_violation": {
      const paths = Array.isArray(payload.paths) ? payload.paths.filter((p) => typeof p === "string") : [];
      return {
        cause: "scope",
        reason: `changed files outside its scope: ${paths.join(", ") || "(unnamed)"}`,
      };
    }
    case "tamper": {
      const findings = Array.isArray(payload.findings)
        ? payload.findings.filter((f) => typeof f === "string").join("; ")
        : "";
      return { cause: "tamper", reason: `a tool tampered with the repository: ${findings || "(no detail)"}` };
    }
    default:
      return undefined;
  }
}

/** Why a failed row needs a person, from its own run's events (the newest one says most). */
function failureJudgement(
  row: WorkstreamRow,
  events: readonly EventRow[],
): { cause: JudgementCause; reason: string } | undefined {
  const own = events
    .filter((event) => event.runId === row.runId && event.wsId === row.wsId)
    .sort((a, b) => b.id - a.id);
  for (const event of own) {
    const judgement = judgementOf(event);
    if (judgement) return judgement;
  }
  const error = text(row.metadata?.error);
  if (error?.startsWith("tamper:")) return { cause: "tamper", reason: error };
  return undefined;
}

/** The queue gave up on it after its latest row ended: no run since has settled it. */
function queueGaveUp(row: WorkstreamRow, events: readonly EventRow[]): string | undefined {
  const gaveUp = events
    .filter(
      (event) => event.type === QUEUE_GAVE_UP && event.wsId === row.wsId && event.timestamp >= row.updatedAt,
    )
    .sort((a, b) => b.id - a.id)[0];
  if (!gaveUp) return undefined;
  return text(gaveUp.payload?.reason) ?? "the merge queue reopened it more often than its limit";
}

/** Dependencies whose latest row is not done: what a blocked workstream waits for. */
function blockers(row: WorkstreamRow, latest: ReadonlyMap<string, WorkstreamRow>): string[] {
  return row.dependsOn.filter((dependency) => latest.get(dependency)?.status !== "done");
}

/** Every workstream that waits on a person, awaiting review first, then failures, then blocked. */
export function attentionItems(input: AttentionInput): AttentionItem[] {
  const items: AttentionItem[] = [];
  for (const wsId of new Set(input.workstreams)) {
    const row = input.latest.get(wsId);
    if (!row) continue;
    const { runId } = row;
    const gaveUp = queueGaveUp(row, input.events);
    if (gaveUp !== undefined) {
      items.push({ kind: "needs_judgement", wsId, runId, cause: "queue_gave_up", reason: gaveUp });
      continue;
    }
    if (row.status === "done" && input.reviews.get(wsId) === "awaiting_review") {
      items.push({
        kind: "awaiting_review",
        wsId,
        runId,
        reason: "done; awaits your review",
      });
    } else if (row.status === "failed") {
      const judgement = failureJudgement(row, input.events);
      if (judgement) items.push({ kind: "needs_judgement", wsId, runId, ...judgement });
    } else if (row.status === "blocked") {
      const blockedBy = blockers(row, input.latest);
      const reason = blockedBy.length > 0 ? `blocked by ${blockedBy.join(", ")}` : "blocked by a dependency";
      items.push({ kind: "blocked", wsId, runId, blockedBy, reason });
    }
  }
  return items.sort((a, b) => KIND_ORDER[a.kind] - KIND_ORDER[b.kind] || a.wsId.localeCompare(b.wsId));
}

/** A stable key per item: the same wait on the same run is the same item. */
export function attentionKey(item: AttentionItem): string {
  return `${item.kind}:${item.wsId}:${item.runId}`;
}

/**
 * What to tell the person when items arrive: one sentence for all of them, or undefined when
 * nothing new arrived since `before` (the keys of the items already shown).
 */
export function arrivalNotice(
  before: ReadonlySet<string>,
  now: readonly AttentionItem[],
): string | undefined {
  const arrived = now.filter((item) => !before.has(attentionKey(item)));
  if (arrived.length === 0) return undefined;
  if (arrived.length === 1) {
    const [item] = arrived as [AttentionItem];
    const what =
      item.kind === "awaiting_review"
        ? "awaits your review"
        : item.kind === "blocked"
          ? `is ${item.reason}`
          : `needs you: ${item.reason}`;
    return `${item.wsId} ${what}.`;
  }
  return `${arrived.length} workstreams need you: ${arrived.map((item) => item.wsId).join(", ")}.`;
}
