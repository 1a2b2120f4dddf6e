/**
 * `wsp run` with each real agent CLI as the EDIT tool, against the scripted model server: the profile
 * names the CLI in its `agent` block, so the launch adapter and the CLI's own output parser are used.
 * Asserts final status, step attempts, events, tokens and cost in the store.
 */
import assert from "node:assert/strict";
import { readdirSync, readFileSync, readlinkSync, writeFileSync } from "node:fs";
import { run } from "../../src/cli/commands/run";
import { type AgentCli, agentClis } from "../../src/core/agents/types";
import { runTagVariable } from "../../src/node/process/processTree";
import { bundle, createWorkspace, type Workspace } from "../orchestrator/support";
import { type ModelServer, startModelServer } from "./support/modelServer";
import { editSteps, finalText } from "./support/scenarios";
import { type ModelScript, type ScriptStep } from "./support/script";
import { cliEndpoint } from "./support/runCli";
import { installedCli } from "./support/tools";

/** The profile ids CONTRACTS.md gives the real CLIs. */
const profileId: Record<AgentCli, string> = {
  codex: "codex",
  claude: "claude-code",
  gemini: "gemini",
  qwen: "qwen-code",
  opencode: "opencode",
};
/** Wall-clock budget for the stall scenario: the CLI must start and reach the stalled turn first. */
const stallBudgetSec: Record<AgentCli, number> = { codex: 8, claude: 8, gemini: 15, qwen: 15, opencode: 25 };
const dummyKeys = { OPENAI_API_KEY: "dummy", ANTHROPIC_API_KEY: "sk-ant-dummy", GEMINI_API_KEY: "dummy" };

interface RunOutput {
  final_status: string;
  steps: { step_name: string; success: boolean; error_message: string | null }[];
}

/**
 * Live processes that carry an agent run tag and belong to this test's workspace (by working
 * directory or environment), so agent runs of other suites on the same machine do not count.
 */
function taggedProcesses(workspaceRoot: string): number[] {
  return readdirSync("/proc")
    .filter((name) => /^\d+$/.test(name))
    .filter((pid) => {
      try {
        const environ = readFileSync(`/proc/${pid}/environ`, "utf8");
        const state = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]?.[0];
        if (!environ.includes(`${runTagVariable}=`) || state === "Z") return false;
        return environ.includes(workspaceRoot) || readlinkSync(`/proc/${pid}/cwd`).startsWith(workspaceRoot);
      } catch {
        return false;
      }
    })
    .map(Number);
}

describe("wsp run with real agent CLIs @slow", function () {
  this.timeout(180_000);
  let ws: Workspace | undefined;
  let server: ModelServer;
  before(async () => (server = await startModelServer()));
  after(() => server.close());
  afterEach(() => {
    ws?.remove();
    ws = undefined;
  });

  /** A workspace whose profile for `cli` runs the installed binary against the scripted server. */
  function setUp(cli: AgentCli, steps: (root: string) => ScriptStep[], fields: Record<string, unknown> = {}) {
    ws = createWorkspace([bundle("ws-real", { tool: profileId[cli], ...fields })], {}, dummyKeys);
    const script: ModelScript = { steps: steps(`${ws.root}/.worktrees/ws-real`) };
    server.setScript(script);
    const profilesFile = `${ws.root}/config/tool_profiles.json`;
    const profiles = JSON.parse(readFileSync(profilesFile, "utf8")) as Record<string, unknown>;
    profiles[profileId[cli]] = {
      kind: "edit",
      command: installedCli(cli).bin,
      timeout_sec: 120,
      agent: {
        cli,
        model: cliEndpoint[cli].model,
        base_url: server.origin + cliEndpoint[cli].apiPath,
        isolation: "private",
        retries: 0,
        offline: true,
      },
    };
    writeFileSync(profilesFile, JSON.stringify(profiles, null, 2));
    ws.commitAll("real agent profile");
    return { ws, server };
  }

  async function runIt(workspace: Workspace): Promise<{ code: number; output: RunOutput }> {
    const io = workspace.io();
    const code = await run("ws-real", { runId: "r-real" }, io);
    return { code, output: JSON.parse(io.stdout) as RunOutput };
  }

  const lineEdit = (root: string, oldText: string, newText: string, file = "src/math.js") => ({
    root,
    file,
    oldText,
    newText,
  });

  for (const cli of agentClis) {
    describe(cli, () => {
      it("EDIT succeeds: done, committed, tokens and cost in the store", async () => {
        const { ws, server } = setUp(cli, (root) => [
          ...editSteps(cli, lineEdit(root, "  return 0;", "  return a + b;")),
          { kind: "text", text: finalText },
        ]);
        const { code, output } = await runIt(ws);

        assert.equal(code, 0, JSON.stringify(output, null, 2));
        assert.equal(output.final_status, "done");
        assert.match(ws.git("show", "workstream/ws-real:src/math.js"), /return a \+ b/);
        const store = await ws.openStore();
        try {
          const attempts = await store.listStepAttempts("r-real", "ws-real");
          assert.deepEqual(
            attempts.map((a) => `${a.step}:${a.status}`),
            ["edit:success", "static:success", "runtime:success", "scope:success"],
          );
          const toolRun = (await store.eventsAfter(0, { runId: "r-real", types: ["tool_run"] }))[0];
          const usage = (toolRun?.payload?.tool_result as { usage: Record<string, unknown> }).usage;
          const turns = server.mainRequests().length;
          assert.equal(usage.input_tokens, 1200 * turns);
          assert.equal(usage.output_tokens, 80 * turns);
          assert.ok(typeof usage.cost_usd === "number" && usage.cost_usd > 0, JSON.stringify(usage));
          assert.equal(usage.cost_is_estimate, cli === "claude" ? undefined : true);
          const start = (await store.eventsAfter(0, { runId: "r-real", types: ["workstream_start"] }))[0];
          assert.match(
            JSON.stringify(start?.payload?.sandbox),
            /^"bubblewrap /,
            "the real CLI ran in the sandbox",
          );
        } finally {
          await store.close();
        }
      });

      it("FIX loop: the test fails, the FIX prompt carries the failure, the second answer fixes it", async () => {
        const { ws, server } = setUp(cli, (root) => [
          ...editSteps(cli, lineEdit(root, "  return 0;", "  return a - b;")),
          { kind: "text", text: finalText },
          ...editSteps(cli, lineEdit(root, "  return a - b;", "  return a + b;")),
          { kind: "text", text: finalText },
        ]);
        const { code, output } = await runIt(ws);

        assert.equal(code, 0, JSON.stringify(output, null, 2));
        assert.deepEqual(
          output.steps.map((s) => `${s.step_name}:${s.success}`),
          [
            "edit:true",
            "static:true",
            "runtime:false",
            "fix:true",
            "runtime:true",
            "scope:true",
            "commit:true",
          ],
        );
        const fixTurn = server
          .mainRequests()
          .find((request) => request.step === editSteps(cli, lineEdit("", "", "")).length + 1);
        const fixBody = JSON.stringify(fixTurn?.body);
        assert.match(fixBody, /FIX attempt 1/);
        assert.match(fixBody, /AssertionError|Expected values to be strictly equal/);
        assert.match(ws.git("show", "workstream/ws-real:src/math.js"), /return a \+ b/);
      });

      it("an edit outside the scope fails and is never committed", async () => {
        const { ws } = setUp(cli, (root) => [
          ...editSteps(cli, lineEdit(root, "  return 0;", "  return a + b;")),
          ...editSteps(cli, lineEdit(root, "# sample", "# rewritten by the agent", "README.md")),
          { kind: "text", text: finalText },
        ]);
        const { code, output } = await runIt(ws);

        assert.equal(code, 1);
        assert.equal(output.final_status, "failed");
        const scope = output.steps.find((s) => s.step_name === "scope");
        assert.equal(scope?.success, false);
        assert.match(scope?.error_message ?? "", /README\.md/);
        assert.equal(ws.git("rev-parse", "workstream/ws-real"), ws.git("rev-parse", "main"));
      });

      it("a stalled model: timed out at the budget, whole process tree gone", async () => {
        const { ws, server } = setUp(cli, () => [{ kind: "stall" }], {
          circuit_breaker: { max_wall_clock_sec: stallBudgetSec[cli] },
        });
        const { code, output } = await runIt(ws);

        assert.equal(code, 1);
        assert.equal(output.final_status, "failed");
        assert.ok(server.mainRequests().length >= 1, "the CLI reached the stalled model turn");
        assert.match(output.steps[0]?.error_message ?? "", /timed out/);
        assert.deepEqual(taggedProcesses(ws.root), [], "no process of the run survives");
      });

      it("a 400 from the model: failed with a clear reason", async () => {
        const { ws } = setUp(cli, () => [
          { kind: "http_error", status: 400, message: "scripted refusal: model not allowed" },
        ]);
        const { code, output } = await runIt(ws);

        assert.equal(code, 1);
        assert.equal(output.final_status, "failed");
        assert.match(output.steps[0]?.error_message ?? "", /400|scripted refusal/);
      });
    });
  }
});
