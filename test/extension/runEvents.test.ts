import assert from "node:assert/strict";
import { formatEventLine, parseEventLine } from "../../src/extension/runs/eventLine";
import { type PanelEvent, isHostToPanel, isPanelToHost } from "../../src/shared/panelProtocol";
import { buildTimeline, filterKindOf } from "../../src/shared/timeline";

let nextId = 1;
function event(
  type: string,
  at: number,
  wsId: string | null,
  payload: Record<string, unknown> = {},
): PanelEvent {
  return {
    id: nextId++,
    ts: new Date(Date.UTC(2026, 0, 1, 0, 0, at)).toISOString(),
    type,
    runId: "r1",
    wsId,
    payload,
  };
}

describe("run events: ndjson lines, the channel's wording, the panel's timeline", () => {
  it("reads an ndjson event line, moving everything but the envelope into the payload", () => {
    const parsed = parseEventLine(
      '{"type":"step_end","ts":"2026-01-01T00:00:01.000Z","run_id":"r1","ws_id":"ws-a","id":7,"step":"static","success":false,"attempt_id":3}',
    );
    assert.deepEqual(parsed, {
      id: 7,
      ts: "2026-01-01T00:00:01.000Z",
      type: "step_end",
      runId: "r1",
      wsId: "ws-a",
      payload: { step: "static", success: false, attempt_id: 3 },
    });
    assert.equal(parseEventLine("run r1: succeeded"), undefined);
    assert.equal(parseEventLine('{"type":1}'), undefined);
    assert.equal(parseEventLine("[1,2]"), undefined);
  });

  it("words events for the run's output channel", () => {
    assert.equal(
      formatEventLine(event("step_start", 1, "ws-a", { step: "edit" })),
      "[00:00:01] ws-a  ▶ EDIT",
    );
    assert.equal(
      formatEventLine(event("step_end", 2, "ws-a", { step: "runtime", success: false })),
      "[00:00:02] ws-a  ✘ RUNTIME",
    );
    assert.equal(
      formatEventLine(event("status_changed", 3, "ws-a", { from: "runtime_tests", to: "done" })),
      "[00:00:03] ws-a  runtime_tests → done",
    );
    assert.match(
      formatEventLine(event("breaker_trip", 4, "ws-a", { breaker: "max_fix_attempts", reason: "2 FIXes" })),
      /breaker max_fix_attempts tripped: 2 FIXes$/,
    );
  });

  it("draws one bar per step attempt, FIX attempts and reruns labelled, open bars running to now", () => {
    const timeline = buildTimeline(
      [
        event("step_start", 0, "ws-a", { step: "edit", attempt_id: 1 }),
        event("step_end", 2, "ws-a", { step: "edit", success: true, attempt_id: 1 }),
        event("step_start", 2, "ws-a", { step: "runtime", attempt_id: 2, attempt: 1 }),
        event("step_end", 4, "ws-a", { step: "runtime", success: false, attempt_id: 2 }),
        event("step_start", 4, "ws-a", { step: "fix", attempt_id: 3, fix_attempt: 1 }),
        event("step_end", 5, "ws-a", { step: "fix", success: true, attempt_id: 3 }),
        event("step_start", 5, "ws-a", { step: "runtime", attempt_id: 4, attempt: 2 }),
        event("step_start", 1, "ws-b", { step: "edit", attempt_id: 5 }),
        event("breaker_trip", 3, "ws-b", { breaker: "wall_clock", reason: "600 s" }),
        event("scope_violation", 3, "ws-b", { paths: ["a.js", "b.js"] }),
      ],
      Date.UTC(2026, 0, 1, 0, 0, 10),
    );
    assert.deepEqual(timeline.lanes, ["ws-a", "ws-b"]);
    assert.deepEqual(
      timeline.bars.map((bar) => [bar.wsId, bar.label, bar.success ?? "running"]),
      [
        ["ws-a", "EDIT", true],
        ["ws-a", "RUNTIME", false],
        ["ws-a", "FIX 1", true],
        ["ws-a", "RUNTIME #2", "running"],
        ["ws-b", "EDIT", "running"],
      ],
    );
    assert.equal(timeline.end, Date.UTC(2026, 0, 1, 0, 0, 10), "open bars stretch the axis to now");
    assert.deepEqual(
      timeline.markers.map((marker) => marker.text),
      ["breaker wall_clock: 600 s", "outside scope: a.js, b.js"],
    );
  });

  it("sums tokens and cost the tools reported, and only where known", () => {
    const timeline = buildTimeline(
      [
        event("tool_run", 0, "ws-a", {
          tool_result: { usage: { input_tokens: 100, output_tokens: 20, cost_usd: 0.01 } },
        }),
        event("tool_run", 1, "ws-a", { tool_result: { usage: { total_tokens: 30, cost_usd: 0.02 } } }),
        event("tool_run", 1, "ws-b", { tool_result: { usage: {} } }),
      ],
      0,
    );
    assert.equal(timeline.usage.get("ws-a")?.tokens, 150);
    assert.ok(Math.abs((timeline.usage.get("ws-a")?.costUsd ?? 0) - 0.03) < 1e-9);
    assert.deepEqual(timeline.usage.get("ws-b"), {});
  });

  it("shows how each workstream was contained, and marks tampering and sandbox denials", () => {
    const timeline = buildTimeline(
      [
        event("workstream_start", 0, "ws-a", { sandbox: "bubblewrap 0.8.0" }),
        event("sandbox_denied", 1, "ws-a", { step: "edit", lines: ["touch: x: Read-only file system"] }),
        event("tamper", 2, "ws-a", { step: "edit", findings: ["refs changed: refs/heads/main"] }),
        event("workstream_start", 0, "ws-b", { sandbox: "off" }),
      ],
      0,
    );
    assert.equal(timeline.sandbox.get("ws-a"), "bubblewrap 0.8.0");
    assert.equal(timeline.sandbox.get("ws-b"), "off");
    assert.deepEqual(
      timeline.markers.map((marker) => [marker.kind, marker.text]),
      [
        ["sandbox_denied", "sandbox denied: touch: x: Read-only file system"],
        ["tamper", "tamper: refs changed: refs/heads/main"],
      ],
    );
    assert.equal(filterKindOf("tamper"), "problems");
    assert.equal(filterKindOf("sandbox_denied"), "problems");
    assert.match(
      formatEventLine(event("tamper", 2, "ws-a", { findings: ["refs changed: refs/heads/main"] })),
      /ws-a {2}TAMPER: refs changed: refs\/heads\/main$/,
    );
  });

  it("files events under the list's filters", () => {
    assert.equal(filterKindOf("status_changed"), "status");
    assert.equal(filterKindOf("step_end"), "steps");
    assert.equal(filterKindOf("tool_run"), "tools");
    assert.equal(filterKindOf("scope_violation"), "problems");
    assert.equal(filterKindOf("run_end"), "run");
  });

  it("accepts only protocol messages in either direction", () => {
    assert.ok(isPanelToHost({ type: "ready" }));
    assert.ok(isHostToPanel({ type: "events", runId: "r", events: [], replace: true }));
    assert.ok(!isPanelToHost({ type: "events" }));
    assert.ok(!isHostToPanel({ type: "ready" }));
    assert.ok(!isHostToPanel("init"));
    assert.ok(!isPanelToHost(null));
  });
});
