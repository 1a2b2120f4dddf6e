import assert from "node:assert/strict";
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { aimStatus } from "../../src/cli/commands/aim";
import { captureIO } from "../../src/cli/io";
import { auditAimInvocation, AIM_INVOCATION_EVENT, loadRegistry } from "../../src/node/aim";
import { openStore } from "../../src/node/store";
import { createTempDir } from "../support/tempRepo";
import { pathWithoutTools } from "./support";

const agentsDir = path.join(__dirname, "agents");

describe("wsp aim @slow", () => {
  let dir: { root: string; remove(): void };
  beforeEach(() => {
    dir = createTempDir("wsp-aim-");
  });
  afterEach(() => dir.remove());

  it("status detects tools by running their version commands, parses versions, and routes past missing ones", async () => {
    const bin = path.join(dir.root, "bin");
    mkdirSync(bin);
    const io = captureIO(dir.root, { PATH: `${agentsDir}${path.delimiter}${pathWithoutTools(bin)}` });
    assert.equal(await aimStatus({ json: true }, io), 0);
    const status = JSON.parse(io.stdout) as {
      tools: { id: string; installed: boolean; version?: string }[];
      routing: { capability: string; available: string[]; selected: string | null }[];
    };
    assert.deepEqual(
      status.tools.map((tool) => [tool.id, tool.installed, tool.version ?? null]),
      [
        ["aider", false, null],
        ["codex", true, "0.169.0"],
        ["claude-code", true, "2.1.197"],
        // On PATH but its version command fails: not installed.
        ["gemini", false, null],
        ["qwen-code", false, null],
        ["opencode", false, null],
      ],
    );
    const errorFix = status.routing.find((entry) => entry.capability === "error_fix")!;
    assert.deepEqual(errorFix.available, ["codex", "claude-code"], "aider (primary) is missing: codex first");
    assert.equal(errorFix.selected, "codex");

    const text = captureIO(dir.root, io.env);
    await aimStatus({}, text);
    assert.match(text.stdout, /^ {2}codex {8}0\.169\.0$/m);
    assert.match(text.stdout, /^ {2}aider {8}missing \(install: pipx install aider-chat\)$/m);
    assert.match(text.stdout, /error_fix +aider -> codex -> claude-code .* => codex$/m);
  });

  it("prefers the workspace's registry and names the position of a YAML error", async () => {
    mkdirSync(path.join(dir.root, "config"));
    writeFileSync(path.join(dir.root, "config", "ai_tools.yaml"), "version: 1\ntools:\n  aider: [\n");
    await assert.rejects(loadRegistry(dir.root), /config\/ai_tools\.yaml:4:1: invalid YAML/);
    writeFileSync(path.join(dir.root, "config", "ai_tools.yaml"), "version: 1\ntools: {}\nrouting: {}\n");
    await assert.rejects(loadRegistry(dir.root), /\/tools: must NOT have fewer than 1 properties/);
  });

  it("records each invocation as an audit event in the store", async () => {
    const store = await openStore({ path: path.join(dir.root, "state", "pipeline.db") });
    try {
      await auditAimInvocation(store, {
        runId: "R1",
        wsId: "ws-a",
        toolId: "codex",
        capability: "error_fix",
        routeIndex: 1,
        success: false,
        exitCode: 1,
        durationMs: 1200,
        message: "tests still failing",
      });
      const events = await store.eventsAfter(0, { runId: "R1", types: [AIM_INVOCATION_EVENT] });
      assert.equal(events.length, 1);
      assert.equal(events[0].wsId, "ws-a");
      assert.deepEqual(events[0].payload, {
        tool_id: "codex",
        capability: "error_fix",
        route_index: 1,
        success: false,
        duration_ms: 1200,
        actor: "pipeline",
        exit_code: 1,
        message: "tests still failing",
      });
    } finally {
      await store.close();
    }
  });
});
