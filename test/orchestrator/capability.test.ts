import { strict as assert } from "node:assert";
import { run } from "../../src/cli/commands/run";
import { bundle, createWorkspace, ensureBuilt, type Workspace } from "./support";

/** A registry whose primary code editor is not installed here, with the scripted editor as fallback. */
const REGISTRY = `version: 1
tools:
  claude-code:
    name: Claude Code (not installed here)
    detect: { command: wsp-test-no-such-claude, args: [--version] }
    version: { command: wsp-test-no-such-claude, args: [--version], pattern: '(\\d+\\.\\d+\\.\\d+)' }
    capabilities: [code_edit]
  scripted:
    name: Scripted editor
    detect: { command: node, args: [--version] }
    version: { command: node, args: [--version], pattern: 'v(\\d+\\.\\d+\\.\\d+)' }
    capabilities: [code_edit]
routing:
  code_edit: { primary: claude-code, fallbacks: [scripted] }
`;

const SUM = "function add(a, b) {\n  return a + b;\n}\nmodule.exports = { add };\n";

describe("orchestrator: a bundle that names a capability instead of a tool @slow", function () {
  this.timeout(60_000);
  let ws: Workspace | undefined;
  before(() => ensureBuilt());
  afterEach(() => ws?.remove());

  it("routes to the first installed tool of the capability and audits the invocation", async () => {
    ws = createWorkspace(
      [
        bundle("ws-routed", {
          tool: "claude-code",
          capability: "code_edit",
          scripted_edits: { edit: [{ path: "src/math.js", write: SUM }] },
        }),
      ],
      { "config/ai_tools.yaml": REGISTRY },
    );
    const io = ws.io();
    const code = await run("ws-routed", { runId: "r-routed" }, io);
    const output = JSON.parse(io.stdout) as {
      final_status: string;
      steps: { step_name: string; details: Record<string, unknown> }[];
    };
    assert.equal(code, 0, io.stderr);
    assert.equal(output.final_status, "done");
    assert.equal(output.steps.find((step) => step.step_name === "edit")?.details.tool, "scripted");

    const store = await ws.openStore();
    try {
      const audits = (await store.eventsAfter(0, { runId: "r-routed" })).filter(
        (event) => event.type === "aim_invocation",
      );
      assert.equal(audits.length, 1);
      assert.deepEqual(
        {
          tool: audits[0].payload?.tool_id,
          capability: audits[0].payload?.capability,
          candidates: audits[0].payload?.candidates,
          success: audits[0].payload?.success,
        },
        { tool: "scripted", capability: "code_edit", candidates: ["scripted"], success: true },
      );
    } finally {
      await store.close();
    }
  });

  it("fails with a clear reason when nothing installed serves the capability", async () => {
    ws = createWorkspace([bundle("ws-unserved", { tool: "claude-code", capability: "code_review" })], {
      "config/ai_tools.yaml": REGISTRY,
    });
    const io = ws.io();
    const code = await run("ws-unserved", { runId: "r-unserved" }, io);
    const output = JSON.parse(io.stdout) as { final_status: string };
    assert.equal(code, 1);
    assert.equal(output.final_status, "failed");
    const store = await ws.openStore();
    try {
      const workstream = await store.getWorkstream("r-unserved", "ws-unserved");
      assert.match(
        JSON.stringify(workstream.metadata),
        /no installed edit tool serves capability 'code_review'/,
      );
    } finally {
      await store.close();
    }
  });
});
