import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import path from "node:path";
import { load } from "js-yaml";
import { parseRegistry, parseToolVersion } from "./registry";
import { routeCapability } from "./routing";
import { type AiToolRegistry } from "./types";

const shipped = (): unknown =>
  load(readFileSync(path.join(__dirname, "../../../config/ai_tools.yaml"), "utf8"));

function shippedRegistry(): AiToolRegistry {
  const result = parseRegistry(shipped());
  assert.deepEqual(result.problems, []);
  return result.registry!;
}

describe("AI tool registry", () => {
  it("accepts the shipped registry with the six agents", () => {
    const registry = shippedRegistry();
    assert.deepEqual(
      registry.tools.map((tool) => tool.id),
      ["aider", "codex", "claude-code", "gemini", "qwen-code", "opencode"],
    );
    assert.deepEqual(registry.tools.find((tool) => tool.id === "claude-code")!.detect, {
      command: "claude",
      args: ["--version"],
    });
    assert.equal(registry.tools[0].profile, "aider");
  });

  it("parses each agent's real --version output with its pattern", () => {
    const registry = shippedRegistry();
    const pattern = (id: string) => registry.tools.find((tool) => tool.id === id)!.version.pattern;
    assert.equal(parseToolVersion("aider 0.86.1\n", pattern("aider")), "0.86.1");
    assert.equal(parseToolVersion("codex-cli 0.169.0\n", pattern("codex")), "0.169.0");
    assert.equal(parseToolVersion("2.1.197 (Claude Code)\n", pattern("claude-code")), "2.1.197");
    assert.equal(parseToolVersion("0.61.0\n", pattern("gemini")), "0.61.0");
    assert.equal(parseToolVersion("0.15.10\n", pattern("qwen-code")), "0.15.10");
    assert.equal(parseToolVersion("1.18.33\n", pattern("opencode")), "1.18.33");
    assert.equal(parseToolVersion("command not found", pattern("opencode")), undefined);
  });

  it("reports schema and routing problems with JSON pointers", () => {
    const data = shipped() as { routing: Record<string, { primary: string; fallbacks?: string[] }> };
    data.routing.error_fix = { primary: "jules", fallbacks: ["aider", "aider"] };
    data.routing.code_review = { primary: "qwen-code" };
    const result = parseRegistry(data);
    assert.equal(result.registry, undefined);
    assert.deepEqual(
      result.problems.map((problem) => problem.pointer),
      ["/routing/error_fix/fallbacks"],
      "duplicate fallbacks are a schema error (uniqueItems)",
    );
    data.routing.error_fix = { primary: "jules", fallbacks: ["aider"] };
    assert.deepEqual(
      parseRegistry(data).problems.map((problem) => `${problem.pointer} ${problem.message}`),
      [
        '/routing/error_fix/primary names unknown tool "jules"',
        '/routing/code_review/primary tool "qwen-code" does not have capability "code_review"',
      ],
    );
    assert.match(parseRegistry({ version: 1, tools: {} }).problems[0].message, /routing|fewer than 1/);
  });

  it("routes to the primary, falls back in order when it is missing, and empties when none is installed", () => {
    const registry = shippedRegistry();
    const installed =
      (...ids: string[]) =>
      (id: string) =>
        ids.includes(id);
    assert.deepEqual(routeCapability(registry, "error_fix", installed("aider", "codex", "claude-code")), [
      "aider",
      "codex",
      "claude-code",
    ]);
    assert.deepEqual(routeCapability(registry, "error_fix", installed("claude-code", "codex")), [
      "codex",
      "claude-code",
    ]);
    assert.deepEqual(routeCapability(registry, "code_review", installed("aider")), []);
    // No route for the capability: every installed tool that declares it, in registry order.
    assert.deepEqual(
      routeCapability({ ...registry, routing: {} }, "refactor", installed("opencode", "aider")),
      ["aider", "opencode"],
    );
  });
});
