import { strict as assert } from "node:assert";
import fc from "fast-check";
import { nextGateStep, type GateRun, type GateTarget } from "./gateVerdict";

/** Plays the verdict logic against a gate whose outcomes per target are given in order. */
function settle(outcomes: Record<GateTarget, boolean[]>): { verdict: string; runs: GateRun[] } {
  const runs: GateRun[] = [];
  for (;;) {
    const step = nextGateStep(runs);
    if ("verdict" in step) return { verdict: step.verdict, runs };
    const passed = outcomes[step.run].shift();
    assert.notEqual(passed, undefined, `ran ${step.run} more often than scripted`);
    runs.push({ target: step.run, passed: passed! });
  }
}

describe("merge queue: what a red gate means", () => {
  it("a green candidate merges after one run", () => {
    assert.deepEqual(settle({ candidate: [true], head: [] }), {
      verdict: "green",
      runs: [{ target: "candidate", passed: true }],
    });
  });

  it("red then green on the candidate is a flake, and the head is not run", () => {
    assert.equal(settle({ candidate: [false, true], head: [] }).verdict, "flaky");
  });

  it("red twice, green on the head without it: the workstream broke the gate", () => {
    assert.equal(settle({ candidate: [false, false], head: [true] }).verdict, "broken_by_workstream");
  });

  it("red on the head without it too: the failure was already there", () => {
    assert.equal(settle({ candidate: [false, false], head: [false] }).verdict, "already_failing");
  });

  it("never runs the gate more than three times, and blames only after the head passed", () => {
    fc.assert(
      fc.property(fc.array(fc.boolean(), { minLength: 3, maxLength: 3 }), (bits) => {
        const { verdict, runs } = settle({ candidate: bits.slice(0, 2), head: bits.slice(2) });
        assert.ok(runs.length <= 3);
        if (verdict === "broken_by_workstream") assert.equal(runs.at(-1)?.passed, true);
        if (verdict === "green" || verdict === "flaky") assert.equal(runs.at(-1)?.passed, true);
      }),
    );
  });
});
