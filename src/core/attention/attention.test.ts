import { strict as assert } from "node:assert";
import fc from "fast-check";
import { type ReviewState } from "../merge/review";
import { type EventRow, type JsonObject, type WorkstreamRow, type WorkstreamStatus } from "../store";
import {
  arrivalNotice,
  attentionItems,
  attentionKey,
  type AttentionInput,
  type AttentionItem,
} from "./attention";

function row(wsId: string, status: WorkstreamStatus, extra: Partial<WorkstreamRow> = {}): WorkstreamRow {
  return {
    runId: "run-1",
    wsId,
    status,
    dependsOn: [],
    createdAt: "2026-01-01T10:00:00.000Z",
    updatedAt: "2026-01-01T10:05:00.000Z",
    metadata: null,
    ...extra,
  };
}

let nextId = 1;
function event(type: string, wsId: string, payload: JsonObject, extra: Partial<EventRow> = {}): EventRow {
  return {
    id: nextId++,
    timestamp: "2026-01-01T10:04:00.000Z",
    runId: "run-1",
    wsId,
    type,
    payload,
    ...extra,
  };
}

function input(rows: WorkstreamRow[], extra: Partial<AttentionInput> = {}): AttentionInput {
  return {
    workstreams: rows.map((r) => r.wsId),
    latest: new Map(rows.map((r) => [r.wsId, r])),
    reviews: new Map(),
    events: [],
    ...extra,
  };
}

describe("attention: who waits on a person", () => {
  it("a done workstream awaiting review is listed; approved, optional or running ones are not", () => {
    const rows = [row("a", "done"), row("b", "done"), row("c", "done"), row("d", "runtime_tests")];
    const reviews = new Map<string, ReviewState>([
      ["a", "awaiting_review"],
      ["b", "approved"],
      ["c", "not_required"],
    ]);
    const items = attentionItems(input(rows, { reviews }));
    assert.deepEqual(
      items.map((item) => [item.kind, item.wsId]),
      [["awaiting_review", "a"]],
    );
  });

  it("a failure a person must judge names its cause: breaker, scope or tamper; a plain failure is not listed", () => {
    const rows = [row("br", "failed"), row("sc", "failed"), row("ta", "failed"), row("plain", "failed")];
    const events = [
      event("breaker_trip", "br", { breaker: "max_fix_attempts", reason: "3 FIX attempts used" }),
      event("scope_violation", "sc", { paths: ["secrets.txt"] }),
      event("tamper", "ta", { findings: ["refs/heads/main moved"] }),
    ];
    const items = attentionItems(input(rows, { events }));
    assert.deepEqual(
      items.map((item) => (item.kind === "needs_judgement" ? [item.wsId, item.cause] : [])),
      [
        ["br", "breaker"],
        ["sc", "scope"],
        ["ta", "tamper"],
      ],
    );
    assert.match(items[0].reason, /max_fix_attempts: 3 FIX attempts used/);
    assert.match(items[1].reason, /secrets\.txt/);
  });

  it("only events of the latest row's run count: an old run's breaker does not flag a new failure", () => {
    const rows = [row("a", "failed", { runId: "run-2" })];
    const events = [event("breaker_trip", "a", { breaker: "x", reason: "y" }, { runId: "run-1" })];
    assert.deepEqual(attentionItems(input(rows, { events })), []);
  });

  it("a tamper reason in the row's metadata is enough without the event", () => {
    const rows = [row("a", "failed", { metadata: { error: "tamper: hooks changed" } })];
    const [item] = attentionItems(input(rows));
    assert.equal(item?.kind === "needs_judgement" && item.cause, "tamper");
  });

  it("the queue giving up counts until a later run settles it", () => {
    const gaveUp = event(
      "queue_gave_up",
      "a",
      { reason: "conflict; not reopened again", reopened: 2 },
      { runId: "queue-1", timestamp: "2026-01-01T10:06:00.000Z" },
    );
    const [item] = attentionItems(input([row("a", "done")], { events: [gaveUp] }));
    assert.equal(item?.kind === "needs_judgement" && item.cause, "queue_gave_up");
    assert.match(item.reason, /not reopened again/);
    const rerun = row("a", "done", { runId: "run-3", updatedAt: "2026-01-01T11:00:00.000Z" });
    assert.deepEqual(attentionItems(input([rerun], { events: [gaveUp] })), []);
  });

  it("a blocked workstream names the dependencies that are not done", () => {
    const rows = [
      row("core", "failed"),
      row("extra", "done"),
      row("report", "blocked", { dependsOn: ["core", "extra"] }),
    ];
    const [item] = attentionItems(input(rows));
    assert.deepEqual(item?.kind === "blocked" && item.blockedBy, ["core"]);
    assert.equal(item?.reason, "blocked by core");
  });

  it("rows of workstreams no bundle defines are ignored", () => {
    const rows = [row("gone", "blocked")];
    assert.deepEqual(attentionItems({ ...input(rows), workstreams: [] }), []);
  });

  it("properties: at most one item per workstream, ordered by kind, only for listed workstreams with rows", () => {
    const statuses: WorkstreamStatus[] = ["done", "failed", "blocked", "pending", "cancelled", "editing"];
    const reviewStates: ReviewState[] = ["awaiting_review", "approved", "not_required", "changes_requested"];
    const arbitraryRow = fc.record({
      wsId: fc.constantFrom("a", "b", "c", "d", "e"),
      status: fc.constantFrom(...statuses),
      dependsOn: fc.subarray(["a", "b", "c", "d", "e"]),
      review: fc.constantFrom(...reviewStates),
      judged: fc.constantFrom(undefined, "breaker_trip", "scope_violation", "tamper", "queue_gave_up"),
    });
    fc.assert(
      fc.property(
        fc.array(arbitraryRow, { maxLength: 8 }),
        fc.subarray(["a", "b", "c", "d", "e"]),
        (made, listed) => {
          const rows = made.map((m) => row(m.wsId, m.status, { dependsOn: m.dependsOn }));
          const events = made.flatMap((m) =>
            m.judged ? [event(m.judged, m.wsId, {}, { timestamp: "2026-01-01T10:06:00.000Z" })] : [],
          );
          const items = attentionItems({
            workstreams: listed,
            latest: new Map(rows.map((r) => [r.wsId, r])),
            reviews: new Map(made.map((m) => [m.wsId, m.review])),
            events,
          });
          const ids = items.map((item) => item.wsId);
          assert.equal(new Set(ids).size, ids.length);
          for (const id of ids) assert.ok(listed.includes(id));
          const order = items.map((item) =>
            ["awaiting_review", "needs_judgement", "blocked"].indexOf(item.kind),
          );
          assert.deepEqual(
            order,
            [...order].sort((x, y) => x - y),
          );
        },
      ),
    );
  });
});

describe("attention: one notice per arrival", () => {
  const review: AttentionItem = { kind: "awaiting_review", wsId: "a", runId: "r1", reason: "" };
  const blocked: AttentionItem = {
    kind: "blocked",
    wsId: "b",
    runId: "r1",
    blockedBy: ["a"],
    reason: "blocked by a",
  };

  it("says nothing when nothing new arrived, even if items left", () => {
    assert.equal(arrivalNotice(new Set([attentionKey(review)]), [review]), undefined);
    assert.equal(arrivalNotice(new Set([attentionKey(review), attentionKey(blocked)]), [review]), undefined);
  });

  it("one sentence for one arrival, one sentence naming all of several", () => {
    assert.equal(arrivalNotice(new Set(), [review]), "a awaits your review.");
    assert.equal(arrivalNotice(new Set([attentionKey(review)]), [review, blocked]), "b is blocked by a.");
    assert.equal(arrivalNotice(new Set(), [review, blocked]), "2 workstreams need you: a, b.");
  });

  it("the same wait on a new run is a new arrival", () => {
    assert.equal(
      arrivalNotice(new Set([attentionKey(review)]), [{ ...review, runId: "r2" }]),
      "a awaits your review.",
    );
  });
});
