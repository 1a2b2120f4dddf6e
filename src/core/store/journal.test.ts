import assert from "node:assert/strict";
import { parseJournal, runStatusOf, workstreamStatusesOf } from "./journal";

const line = (fields: Record<string, unknown>): string =>
  `${JSON.stringify({ ts: "2026-01-01T00:00:00.000Z", run_id: "r1", ...fields })}\n`;

describe("parseJournal", () => {
  const text =
    line({ type: "run_status_changed", id: 1, from: "pending", to: "running" }) +
    line({ type: "status_changed", ws_id: "ws-a", id: 2, from: "pending", to: "started" }) +
    line({ type: "status_changed", ws_id: "ws-a", id: 3, from: "started", to: "done" }) +
    line({ type: "budget_unfed", ws_id: "ws-b", id: 4, budget: "max_cost_usd" }) +
    line({ type: "run_status_changed", id: 5, from: "running", to: "partial" });

  it("groups events by run, keeps payload fields and computes where the run ended", () => {
    const [run, ...others] = parseJournal(text, "j.ndjson");
    assert.equal(others.length, 0);
    assert.equal(run.runId, "r1");
    assert.deepEqual(run.events[3], {
      sourceId: 4,
      type: "budget_unfed",
      timestamp: "2026-01-01T00:00:00.000Z",
      wsId: "ws-b",
      payload: { budget: "max_cost_usd" },
    });
    assert.equal(runStatusOf(run.events), "partial");
    assert.deepEqual(
      [...workstreamStatusesOf(run.events)],
      [
        ["ws-a", "done"],
        ["ws-b", "pending"],
      ],
    );
  });

  for (const [name, bad, where] of [
    ["a cut-off last line", text.slice(0, -5), "j.ndjson:5: truncated"],
    ["an empty journal", "", "j.ndjson: the journal holds no events"],
    ["a line that is not JSON", `${text}{oops\n`, "j.ndjson:6: not a JSON line"],
    ["an id going backwards", text + line({ type: "x", id: 2 }), "j.ndjson:6: event id 2 does not follow 5"],
    ["an unknown status", line({ type: "status_changed", ws_id: "w", id: 1, to: "bogus" }), "j.ndjson:1:"],
    ["a bad time", line({ type: "x", id: 1, ts: "yesterday" }), 'j.ndjson:1: "ts" must be'],
    ["an array line", "[1]\n", "j.ndjson:1: an event must be a JSON object"],
  ] as const)
    it(`refuses ${name}, naming file and line`, () => {
      assert.throws(
        () => parseJournal(bad, "j.ndjson"),
        (error: Error) => error.message.startsWith(where),
      );
    });
});
