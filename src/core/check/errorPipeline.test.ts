import assert from "node:assert/strict";
import { actionFor, advance, initialContext, summarise, type ErrorPipelineContext } from "./errorPipeline";
import { type Issue } from "./types";

const syntaxError: Issue = {
  tool: "shellcheck",
  path: "a.sh",
  line: 3,
  column: 1,
  code: "SC1073",
  category: "syntax",
  severity: "error",
  message: "Couldn't parse this if expression.",
};
const styleError: Issue = {
  ...syntaxError,
  tool: "prettier",
  code: "unformatted",
  category: "formatting",
  line: 0,
  column: 0,
};
const at = "2026-11-24T15:00:00.000Z";

function run(context: ErrorPipelineContext, outcomes: Parameters<typeof advance>[1][]): ErrorPipelineContext {
  return outcomes.reduce((current, outcome) => advance(current, outcome, at), context);
}

describe("error pipeline state machine", () => {
  it("goes baseline -> autofix -> recheck -> each AI tier with a recheck -> quarantine", () => {
    const failing = { kind: "check" as const, summary: summarise([syntaxError]) };
    let context = initialContext("R", "ws-a", ["a.sh"], ["codex", "claude-code"]);
    const states: string[] = [context.current_state];
    const actions: string[] = [];
    for (let step = 0; step < 10 && actionFor(context).kind !== "done"; step++) {
      const action = actionFor(context);
      actions.push(action.kind === "ai_fix" ? `ai_fix:${action.tool}` : action.kind);
      context = advance(
        context,
        action.kind === "check"
          ? failing
          : action.kind === "autofix"
            ? { kind: "autofix" }
            : { kind: "ai_fix", success: true },
        at,
      );
      states.push(context.current_state);
    }
    assert.deepEqual(states, [
      "S0_BASELINE_CHECK",
      "S0_MECHANICAL_AUTOFIX",
      "S0_MECHANICAL_RECHECK",
      "S_AI_FIX",
      "S_AI_RECHECK",
      "S_AI_FIX",
      "S_AI_RECHECK",
      "S4_QUARANTINE",
    ]);
    assert.deepEqual(actions, [
      "check",
      "autofix",
      "check",
      "ai_fix:codex",
      "check",
      "ai_fix:claude-code",
      "check",
    ]);
    assert.equal(context.final_status, "quarantined");
    assert.deepEqual(
      context.ai_attempts.map((attempt) => attempt.tool),
      ["codex", "claude-code"],
    );
    assert.equal(context.history.length, 7);
  });

  it("succeeds as soon as a check is clean, and puts the issues in the AI prompt", () => {
    const start = initialContext("R", "ws-a", ["a.sh"], ["aider"]);
    const afterBaseline = advance(start, { kind: "check", summary: summarise([syntaxError]) }, at);
    const escalated = run(afterBaseline, [
      { kind: "autofix" },
      { kind: "check", summary: summarise([syntaxError]) },
    ]);
    const action = actionFor(escalated);
    assert.equal(action.kind, "ai_fix");
    assert.match(
      action.kind === "ai_fix" ? action.prompt : "",
      /^- a\.sh:3:1: error SC1073 \(shellcheck\): Couldn't parse/m,
    );
    const done = run(escalated, [
      { kind: "ai_fix", success: true },
      { kind: "check", summary: summarise([]) },
    ]);
    assert.equal(done.current_state, "S_SUCCESS");
    assert.equal(done.final_status, "success");
    assert.deepEqual(actionFor(done), { kind: "done" });
  });

  it("quarantines at once when no AI editor is installed, and accepts style-only issues outside strict mode", () => {
    const none = run(initialContext("R", "w", ["a.sh"], [], { mechanicalAutofix: false }), [
      { kind: "check", summary: summarise([syntaxError]) },
    ]);
    assert.equal(none.current_state, "S4_QUARANTINE");
    const lenient = run(initialContext("R", "w", ["a.json"], [], { strictMode: false }), [
      { kind: "check", summary: summarise([styleError]) },
    ]);
    assert.equal(lenient.current_state, "S_SUCCESS");
  });
});
