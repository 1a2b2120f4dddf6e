import assert from "node:assert/strict";
import { parseAgentOutput } from "./index";
import { estimateCost, priceFor, withCostEstimate } from "./prices";
import { type AgentProcessOutcome } from "./types";

const ok = (stdout: string, extra: Partial<AgentProcessOutcome> = {}): AgentProcessOutcome => ({
  exitCode: 0,
  stdout,
  stderr: "",
  ...extra,
});
const lines = (...events: unknown[]): string =>
  events.map((event) => JSON.stringify(event)).join("\n") + "\n";

describe("agent output parsers", () => {
  describe("codex (exec --json)", () => {
    it("sums turn usage and takes the last agent message", () => {
      const result = parseAgentOutput(
        "codex",
        ok(
          lines(
            { type: "thread.started", thread_id: "t" },
            {
              type: "item.completed",
              item: { type: "file_change", changes: [{ path: "a.js", kind: "update" }] },
            },
            { type: "item.completed", item: { type: "agent_message", text: "Done." } },
            {
              type: "turn.completed",
              usage: { input_tokens: 2400, cached_input_tokens: 400, output_tokens: 160 },
            },
          ),
        ),
      );
      assert.deepEqual(result, {
        success: true,
        finalMessage: "Done.",
        tokens: { input: 2400, output: 160, cached: 400 },
        costIsEstimate: false,
      });
    });

    it("fails with the turn's error message and exit 1", () => {
      const result = parseAgentOutput(
        "codex",
        ok(
          lines(
            { type: "error", message: "bad" },
            { type: "turn.failed", error: { message: "unexpected status 400" } },
          ),
          {
            exitCode: 1,
          },
        ),
      );
      assert.equal(result.success, false);
      assert.equal(result.reason, "codex turn failed: unexpected status 400");
    });

    it("explains a bare non-zero exit from stderr", () => {
      const result = parseAgentOutput("codex", {
        exitCode: 2,
        stdout: "",
        stderr: "warning\nerror: unknown flag --x\n",
      });
      assert.equal(result.reason, "codex exited with code 2: warning\nerror: unknown flag --x");
    });

    it("reports our timeout before anything else", () => {
      const result = parseAgentOutput("codex", {
        exitCode: null,
        timedOut: true,
        timeoutMs: 8000,
        stdout: "",
        stderr: "",
      });
      assert.equal(result.reason, "timed out after 8 s; the process tree was killed");
    });
  });

  describe("claude (-p --output-format json)", () => {
    const resultObject = {
      type: "result",
      subtype: "success",
      is_error: false,
      api_error_status: null,
      result: "Edited.",
      total_cost_usd: 0.01278,
      usage: {
        input_tokens: 3000,
        cache_creation_input_tokens: 0,
        cache_read_input_tokens: 600,
        output_tokens: 240,
      },
      modelUsage: { "claude-sonnet-4-5": { inputTokens: 3000, outputTokens: 240, costUSD: 0.01278 } },
      permission_denials: [],
    };

    it("reads cost, tokens (cache reads included in input) and model", () => {
      assert.deepEqual(parseAgentOutput("claude", ok(JSON.stringify(resultObject))), {
        success: true,
        finalMessage: "Edited.",
        tokens: { input: 3600, output: 240, cached: 600 },
        costUsd: 0.01278,
        costIsEstimate: false,
        model: "claude-sonnet-4-5",
      });
    });

    it("treats permission denials as failure although it exited 0 with subtype success", () => {
      const denied = {
        ...resultObject,
        permission_denials: [
          { tool_name: "Edit", tool_use_id: "a", tool_input: {} },
          { tool_name: "Edit", tool_use_id: "b", tool_input: {} },
        ],
      };
      const result = parseAgentOutput("claude", ok(JSON.stringify(denied)));
      assert.equal(result.success, false);
      assert.match(result.reason ?? "", /^claude refused 2 tool call\(s\) for lack of permission \(Edit\)/);
    });

    it("reports the API status of an error result", () => {
      const failed = {
        ...resultObject,
        is_error: true,
        api_error_status: 500,
        result: "API Error: 500 overloaded",
      };
      const result = parseAgentOutput("claude", ok(JSON.stringify(failed), { exitCode: 1 }));
      assert.equal(
        result.reason,
        "claude reported an error (model API answered HTTP 500): API Error: 500 overloaded",
      );
    });

    it("finds the result at the end of stream-json output", () => {
      const stream = lines(
        { type: "system", subtype: "init" },
        { type: "assistant", message: {} },
        resultObject,
      );
      assert.equal(parseAgentOutput("claude", ok(stream)).finalMessage, "Edited.");
    });
  });

  describe("gemini (-p --output-format json)", () => {
    it("sums token stats over models", () => {
      const output = {
        session_id: "s",
        response: "Done.",
        stats: {
          models: {
            "gemini-2.5-flash": { tokens: { prompt: 2400, candidates: 150, thoughts: 10, cached: 400 } },
          },
        },
      };
      assert.deepEqual(parseAgentOutput("gemini", ok(JSON.stringify(output, null, 2))), {
        success: true,
        finalMessage: "Done.",
        tokens: { input: 2400, output: 160, cached: 400 },
        costIsEstimate: false,
        model: "gemini-2.5-flash",
      });
    });

    it("reads the HTTP status of an API error from the JSON on stderr", () => {
      const stderr = `YOLO mode is enabled.\n${JSON.stringify({ session_id: "s", error: { type: "Error", message: "bad request", code: 400 } })}\n`;
      const result = parseAgentOutput("gemini", { exitCode: 144, stdout: "", stderr });
      assert.equal(result.reason, "gemini failed: model API answered HTTP 400: bad request");
    });

    it("decodes the HTTP status from the exit code when nothing else says", () => {
      assert.equal(
        parseAgentOutput("gemini", { exitCode: 173, stdout: "", stderr: "" }).reason,
        "gemini failed: model API answered HTTP 429",
      );
    });

    it("names its own exit codes, like the untrusted folder", () => {
      assert.match(
        parseAgentOutput("gemini", { exitCode: 55, stdout: "", stderr: "" }).reason ?? "",
        /--skip-trust/,
      );
    });
  });

  describe("qwen (-p --output-format json)", () => {
    const messages = (result: Record<string, unknown>): string =>
      JSON.stringify([
        { type: "system", subtype: "init" },
        { type: "result", subtype: "success", is_error: false, ...result },
      ]);

    it("reads the result record at the end of the array", () => {
      const result = parseAgentOutput(
        "qwen",
        ok(
          messages({
            result: "Done.",
            usage: { input_tokens: 10, output_tokens: 2, cache_read_input_tokens: 4 },
            permission_denials: [],
          }),
        ),
      );
      assert.deepEqual(result, {
        success: true,
        finalMessage: "Done.",
        tokens: { input: 10, output: 2, cached: 4 },
        costIsEstimate: false,
      });
    });

    it("treats an API error reported as a successful result as failure", () => {
      const result = parseAgentOutput(
        "qwen",
        ok(messages({ result: "[API Error: 400 scripted refusal]", usage: {} })),
      );
      assert.equal(result.success, false);
      assert.equal(result.reason, "qwen failed: model API answered HTTP 400: scripted refusal");
    });
  });

  describe("opencode (run --format json)", () => {
    const step = (input: number, cost: number): unknown => ({
      type: "step_finish",
      part: { tokens: { input, output: 80, reasoning: 0, cache: { read: 200, write: 0 } }, cost },
    });

    it("sums steps and keeps a reported cost", () => {
      const result = parseAgentOutput(
        "opencode",
        ok(
          lines(
            { type: "step_start" },
            step(1000, 0.01),
            { type: "text", part: { text: "Done." } },
            step(1000, 0.02),
          ),
        ),
      );
      assert.deepEqual(result, {
        success: true,
        finalMessage: "Done.",
        tokens: { input: 2400, output: 160, cached: 400 },
        costUsd: 0.03,
        costIsEstimate: false,
      });
    });

    it("counts a zero cost with tokens as unreported", () => {
      assert.equal(parseAgentOutput("opencode", ok(lines(step(1000, 0)))).costUsd, undefined);
    });

    it("reports an API error event with its status", () => {
      const error = {
        type: "error",
        error: { name: "APIError", data: { message: "scripted refusal", statusCode: 400 } },
      };
      const result = parseAgentOutput("opencode", ok(lines(error), { exitCode: 1 }));
      assert.equal(
        result.reason,
        "opencode reported an error: model API answered HTTP 400: scripted refusal",
      );
    });
  });

  describe("price table", () => {
    const table = {
      models: {
        "gpt-5": { input: 1.25, cachedInput: 0.125, output: 10 },
        "gpt-5-mini": { input: 0.25, output: 2 },
      },
    };

    it("prices by exact name, else by the longest prefix", () => {
      assert.equal(priceFor(table, "gpt-5-mini-2025"), table.models["gpt-5-mini"]);
      assert.equal(priceFor(table, "gpt-5.5"), table.models["gpt-5"]);
      assert.equal(priceFor(table, "claude"), undefined);
    });

    it("charges cached input at the cached price", () => {
      const cost = estimateCost(table.models["gpt-5"], {
        input: 1_000_000,
        cached: 400_000,
        output: 100_000,
      });
      assert.equal(cost.toFixed(4), (0.6 * 1.25 + 0.4 * 0.125 + 0.1 * 10).toFixed(4));
    });

    it("estimates only when the CLI reported no cost, and says so", () => {
      const base = {
        success: true,
        finalMessage: "",
        tokens: { input: 1_000_000, output: 0 },
        costIsEstimate: false,
      };
      assert.deepEqual(withCostEstimate(base, "gpt-5.5", table), {
        ...base,
        costUsd: 1.25,
        costIsEstimate: true,
      });
      assert.equal(withCostEstimate({ ...base, costUsd: 2 }, "gpt-5.5", table).costUsd, 2);
    });
  });
});
