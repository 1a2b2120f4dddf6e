import { strict as assert } from "node:assert";
import { readFileSync } from "node:fs";
import path from "node:path";
import { run } from "../../src/cli/commands/run";
import { bundle, createWorkspace, ensureBuilt, type Workspace } from "./support";

describe("orchestrator: STATIC through the wsp check quality gate @slow", function () {
  this.timeout(90_000);
  let ws: Workspace | undefined;
  before(() => ensureBuilt());
  afterEach(() => ws?.remove());

  it("fails STATIC on the gate's issues, feeds them to the FIX prompt, and passes after the fix", async () => {
    ws = createWorkspace([
      bundle("ws-config", {
        tool: "scripted",
        files_scope: ["src/settings.json"],
        files_create: ["src/settings.json"],
        static_tools: ["wsp-check"],
        acceptance_tests: [`node -e "require('./src/settings.json')"`],
        scripted_edits: {
          edit: [{ path: "src/settings.json", write: '{ "retries": 3, }\n' }],
          fix: [[{ path: "src/settings.json", write: '{ "retries": 3 }\n' }]],
        },
      }),
    ]);
    const io = ws.io();
    const code = await run("ws-config", { runId: "r-gate" }, io);
    const output = JSON.parse(io.stdout) as { final_status: string; steps: { step_name: string }[] };
    assert.equal(code, 0, io.stderr);
    assert.equal(output.final_status, "done");

    const fixPrompt = readFileSync(
      path.join(ws.root, ".worktrees", ".prompts", "ws-config", "r-gate-fix-1.txt"),
      "utf8",
    );
    assert.match(fixPrompt, /src\/settings\.json:1:\d+: error \w+: Invalid JSON/);
    assert.equal(ws.git("show", "workstream/ws-config:src/settings.json"), '{ "retries": 3 }\n');
  });
});
