/**
 * Orchestrator behaviours that used to be shown with a Codex stand-in, now with the real Codex CLI
 * against the scripted model server: the error-signature breaker, and kill -9 of the orchestrator while
 * Codex waits on its model, then `wsp resume`. (The aider stand-in keeps the same scenarios in
 * test/orchestrator, since aider cannot be installed here.)
 */
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { readFileSync, readdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { resume } from "../../src/cli/commands/resume";
import { run } from "../../src/cli/commands/run";
import { runTagVariable } from "../../src/node/process/processTree";
import { bundle, createWorkspace, ensureBuilt, REPO, type Workspace } from "../orchestrator/support";
import { type ModelServer, startModelServer } from "./support/modelServer";
import { cliEndpoint } from "./support/runCli";
import { editSteps, finalText } from "./support/scenarios";
import { installedCli } from "./support/tools";

/** Live processes of agent runs (they carry a run tag) whose environment also holds `marker`. */
function taggedProcesses(marker: string): number[] {
  return readdirSync("/proc")
    .filter((name) => /^\d+$/.test(name))
    .filter((pid) => {
      try {
        const state = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]?.[0];
        const environ = readFileSync(`/proc/${pid}/environ`, "utf8");
        return environ.includes(`${runTagVariable}=`) && environ.includes(marker) && state !== "Z";
      } catch {
        return false;
      }
    })
    .map(Number);
}

async function until(condition: () => boolean, what: string, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe("orchestrator behaviours with the real Codex CLI @slow", function () {
  this.timeout(90_000);
  let server: ModelServer;
  let ws: Workspace | undefined;
  before(async () => {
    ensureBuilt();
    server = await startModelServer();
  });
  after(() => server.close());
  afterEach(() => {
    ws?.remove();
    ws = undefined;
  });

  function workspace(bundles: Record<string, unknown>[]): Workspace {
    const created = createWorkspace(bundles, {}, { OPENAI_API_KEY: "dummy" });
    const file = path.join(created.root, "config", "tool_profiles.json");
    const profiles = JSON.parse(readFileSync(file, "utf8")) as Record<string, unknown>;
    profiles.codex = {
      kind: "edit",
      command: installedCli("codex").bin,
      timeout_sec: 60,
      agent: {
        cli: "codex",
        model: cliEndpoint.codex.model,
        base_url: server.origin + cliEndpoint.codex.apiPath,
        isolation: "private",
        retries: 0,
      },
    };
    writeFileSync(file, JSON.stringify(profiles, null, 2));
    created.commitAll("real codex profile");
    return created;
  }

  const mathEdit = (id: string, oldText: string, newText: string) =>
    editSteps("codex", {
      root: path.join(ws!.root, ".worktrees", id),
      file: "src/math.js",
      oldText,
      newText,
    });

  it("trips the error-signature breaker when Codex's FIX leaves the same failure", async () => {
    ws = workspace([bundle("ws-stuck", { tool: "codex" })]);
    server.setScript({
      steps: [
        ...mathEdit("ws-stuck", "  return 0;", "  return a * 10;"),
        { kind: "text", text: finalText },
        // The FIX turn: the model answers without changing anything, so the same test fails again.
        { kind: "text", text: "I believe it is correct." },
      ],
    });
    const io = ws.io();
    assert.equal(await run("ws-stuck", { runId: "r-stuck" }, io), 1);
    const store = await ws.openStore();
    try {
      const trips = await store.eventsAfter(0, { runId: "r-stuck", types: ["breaker_trip"] });
      assert.deepEqual(
        trips.map((trip) => [trip.payload?.breaker, trip.payload?.step]),
        [["error_signature", "runtime"]],
      );
      assert.deepEqual(
        (await store.listStepAttempts("r-stuck", "ws-stuck")).map((a) => `${a.step}:${a.status}`),
        ["edit:success", "static:success", "runtime:failed", "fix:success", "runtime:failed"],
      );
      const errors = await store.listErrors({ runId: "r-stuck" });
      assert.deepEqual(
        errors.map((error) => error.count),
        [2],
      );
    } finally {
      await store.close();
    }
    assert.match(
      server.mainRequests()[2]?.body ? JSON.stringify(server.mainRequests()[2]?.body) : "",
      /FIX attempt 1/,
    );
  });

  it("resumes a run whose orchestrator was killed with -9 while Codex waited on its model", async () => {
    ws = workspace([bundle("ws-a", { tool: "codex" })]);
    server.setScript({ steps: [{ kind: "stall" }] });
    const child = spawn(
      process.execPath,
      [path.join(REPO, "dist", "cli.js"), "run", "--all", "--run-id", "killed"],
      { cwd: ws.root, env: ws.env, stdio: "ignore" },
    );
    await until(() => server.mainRequests().length === 1, "Codex to reach its model");
    child.kill("SIGKILL");
    await new Promise((resolve) => child.once("exit", resolve));
    // In the sandbox Codex dies with the orchestrator that started it (--die-with-parent): nothing is
    // left for a user to stop, and nothing can write into the worktree resume will use.
    const marker = `PWD=${path.join(ws.root, ".worktrees", "ws-a")}`;
    await until(() => taggedProcesses(marker).length === 0, "Codex to die with the orchestrator", 2000);

    server.setScript({
      steps: [...mathEdit("ws-a", "  return 0;", "  return a + b;"), { kind: "text", text: finalText }],
    });
    const io = ws.io();
    assert.equal(await resume("killed", {}, io), 0, io.stderr);
    assert.match(io.stderr, /ws-a was left editing; restarting it/);
    assert.match(ws.git("show", "workstream/ws-a:src/math.js"), /return a \+ b/);
    const store = await ws.openStore();
    try {
      assert.equal((await store.getRun("killed")).status, "succeeded");
      const attempts = (await store.listStepAttempts("killed", "ws-a")).map((a) => `${a.step}:${a.status}`);
      assert.equal(attempts[0], "edit:failed", "the interrupted EDIT is closed as failed");
      assert.ok(
        attempts.slice(1).every((a) => a.endsWith(":success")),
        attempts.join(" "),
      );
    } finally {
      await store.close();
    }
  });
});
