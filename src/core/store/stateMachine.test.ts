import assert from "node:assert/strict";
import {
  IllegalTransitionError,
  RUN_STATUSES,
  WORKSTREAM_STATUSES,
  allowedRunMoves,
  allowedWorkstreamMoves,
  assertRunTransition,
  assertWorkstreamTransition,
  type RunStatus,
  type WorkstreamStatus,
} from "./stateMachine";

/** The documented table (docs/state-machine.md); the test pins every pair against it. */
const EXPECTED_WORKSTREAM: Record<WorkstreamStatus, WorkstreamStatus[]> = {
  pending: ["started", "blocked", "failed", "cancelled"],
  started: ["editing", "failed", "cancelled"],
  editing: ["ready_for_static", "static_check", "runtime_tests", "done", "failed", "cancelled"],
  ready_for_static: ["static_check", "runtime_tests", "done", "failed", "cancelled"],
  static_check: ["editing", "runtime_tests", "done", "failed", "cancelled"],
  runtime_tests: ["editing", "static_check", "done", "failed", "cancelled"],
  done: [],
  failed: [],
  blocked: ["cancelled"],
  cancelled: [],
};
const EXPECTED_RUN: Record<RunStatus, RunStatus[]> = {
  pending: ["running", "failed", "cancelled"],
  running: ["succeeded", "failed", "partial", "cancelled"],
  succeeded: [],
  failed: [],
  partial: [],
  cancelled: [],
};

describe("store state machine", () => {
  for (const from of WORKSTREAM_STATUSES) {
    for (const to of WORKSTREAM_STATUSES) {
      const legal = EXPECTED_WORKSTREAM[from].includes(to);
      it(`workstream ${from} → ${to} is ${legal ? "allowed" : "forbidden"}`, () => {
        if (legal) assert.doesNotThrow(() => assertWorkstreamTransition("ws-1", from, to));
        else {
          assert.throws(
            () => assertWorkstreamTransition("ws-1", from, to),
            (error: unknown) =>
              error instanceof IllegalTransitionError &&
              error.message.includes(`ws-1: ${from} → ${to}`) &&
              error.from === from &&
              error.to === to,
          );
        }
      });
    }
  }

  for (const from of WORKSTREAM_STATUSES) {
    const retryable = from === "failed" || from === "blocked" || from === "cancelled";
    it(`retry from ${from} is ${retryable ? "allowed (to pending only)" : "forbidden"}`, () => {
      for (const to of WORKSTREAM_STATUSES) {
        const legal = retryable && to === "pending";
        if (legal) assert.doesNotThrow(() => assertWorkstreamTransition("ws-1", from, to, true));
        else assert.throws(() => assertWorkstreamTransition("ws-1", from, to, true), IllegalTransitionError);
      }
    });
  }

  it("explains that leaving failed for pending needs a retry", () => {
    assert.throws(() => assertWorkstreamTransition("ws-1", "failed", "pending"), /needs an explicit retry/);
  });

  it("names the final state when nothing can follow", () => {
    assert.throws(() => assertWorkstreamTransition("ws-1", "done", "editing"), /final state/);
  });

  for (const from of RUN_STATUSES) {
    for (const to of RUN_STATUSES) {
      const legal = EXPECTED_RUN[from].includes(to);
      it(`run ${from} → ${to} is ${legal ? "allowed" : "forbidden"}`, () => {
        if (legal) assert.doesNotThrow(() => assertRunTransition("r1", from, to));
        else assert.throws(() => assertRunTransition("r1", from, to), IllegalTransitionError);
      });
    }
  }

  it("exposes the same tables it enforces", () => {
    for (const from of WORKSTREAM_STATUSES)
      assert.deepEqual([...allowedWorkstreamMoves(from)], EXPECTED_WORKSTREAM[from]);
    for (const from of RUN_STATUSES) assert.deepEqual([...allowedRunMoves(from)], EXPECTED_RUN[from]);
  });
});
