import assert from "node:assert/strict";
import { MAX_TIMER_MS, timerDelay } from "./timers";

describe("timerDelay", () => {
  it("keeps ordinary delays and caps the ones a timer cannot hold", () => {
    assert.equal(timerDelay(1500), 1500);
    assert.equal(timerDelay(2_147_500_000), MAX_TIMER_MS);
    assert.equal(timerDelay(Infinity), MAX_TIMER_MS);
    assert.equal(timerDelay(Number.NaN), MAX_TIMER_MS);
    assert.equal(timerDelay(-5), 0);
  });
});
