import { strict as assert } from "node:assert";
import { existsSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { run } from "../../src/cli/commands/run";
import { type Store } from "../../src/core/store";
import { bundle, createWorkspace, type Workspace } from "./support";

interface RunOutput {
  run_id: string;
  ws_id: string;
  final_status: string;
  steps: {
    step_name: string;
    success: boolean;
    error_message: string | null;
    details: Record<string, unknown>;
  }[];
}

async function runOne(
  ws: Workspace,
  id: string,
  extra: Record<string, unknown> = {},
): Promise<{ code: number; output: RunOutput; stderr: string }> {
  const io = ws.io();
  const code = await run(id, { runId: `r-${id}`, ...extra }, io);
  return { code, output: JSON.parse(io.stdout) as RunOutput, stderr: io.stderr };
}

async function withStore<T>(ws: Workspace, use: (store: Store) => Promise<T>): Promise<T> {
  const store = await ws.openStore();
  try {
    return await use(store);
  } finally {
    await store.close();
  }
}

/**
 * Orchestrator scenarios with the aider STAND-IN (test/orchestrator/fixtures): aider is Python-only and
 * not installable here. The same scenarios with the real codex, claude, gemini, qwen and opencode
 * binaries live in test/agents (wspRun.test.ts), which runs them against a scripted model server.
 */
describe("orchestrator scenarios with the aider stand-in @slow", function () {
  this.timeout(60_000);
  let ws: Workspace | undefined;
  afterEach(() => ws?.remove());

  it("aider: succeeds, commits on the workstream branch and removes the worktree", async () => {
    ws = createWorkspace([bundle("ws-ok", { tool: "aider" })], {}, { STANDIN_SCENARIO: "succeed" });
    const { code, output } = await runOne(ws, "ws-ok");
    assert.equal(code, 0);
    assert.equal(output.final_status, "done");
    assert.deepEqual(
      output.steps.map((s) => s.step_name),
      ["edit", "static", "runtime", "scope", "commit"],
    );
    assert.match(ws.git("show", "workstream/ws-ok:src/math.js"), /return a \+ b/);
    assert.match(ws.git("log", "-1", "--format=%B", "workstream/ws-ok"), /Workstream: ws-ok\nRun: r-ws-ok/);
    assert.equal(existsSync(path.join(ws.root, ".worktrees", "ws-ok")), false);
    assert.match(
      readFileSync(path.join(ws.root, "src/math.js"), "utf8"),
      /return 0/,
      "the base checkout is untouched",
    );
    await withStore(ws, async (store) => {
      assert.equal((await store.getWorkstream("r-ws-ok", "ws-ok")).status, "done");
      assert.equal((await store.getRun("r-ws-ok")).status, "succeeded");
      const attempts = await store.listStepAttempts("r-ws-ok", "ws-ok");
      assert.deepEqual(
        attempts.map((a) => `${a.step}:${a.status}`),
        ["edit:success", "static:success", "runtime:success", "scope:success"],
      );
      const types = (await store.eventsAfter(0, { runId: "r-ws-ok" })).map((e) => e.type);
      for (const type of [
        "status_changed",
        "step_start",
        "step_end",
        "tool_run",
        "workstream_end",
        "run_end",
      ])
        assert.ok(types.includes(type), type);
    });
  });

  it("breaks a test, then fixes it from the FIX prompt's failure output", async () => {
    const log = path.join(tmpdir(), `standin-${process.pid}-${Date.now()}.log`);
    ws = createWorkspace(
      [bundle("ws-fix", { tool: "aider" })],
      {},
      // Bare: the stand-in logs its prompts outside the worktree, which the sandbox would not allow.
      { STANDIN_SCENARIO: "break-then-fix", STANDIN_LOG: log, PIPELINE_SANDBOX: "off" },
    );
    const { code, output } = await runOne(ws, "ws-fix");
    assert.equal(code, 0, JSON.stringify(output, null, 2));
    assert.equal(output.final_status, "done");
    assert.deepEqual(
      output.steps.map((s) => `${s.step_name}:${s.success}`),
      ["edit:true", "static:true", "runtime:false", "fix:true", "runtime:true", "scope:true", "commit:true"],
    );
    const prompts = readFileSync(log, "utf8");
    assert.match(prompts, /# FIX attempt 1 for workstream ws-fix \(run r-ws-fix\), step RUNTIME/);
    await withStore(ws, async (store) => {
      const attempts = await store.listStepAttempts("r-ws-fix", "ws-fix");
      assert.deepEqual(
        attempts.map((a) => `${a.step}:${a.status}`),
        [
          "edit:success",
          "static:success",
          "runtime:failed",
          "fix:success",
          "runtime:success",
          "scope:success",
        ],
      );
      const fixes = await store.eventsAfter(0, { runId: "r-ws-fix", types: ["fix_attempt"] });
      assert.equal(fixes.length, 1);
      assert.equal(fixes[0].payload!.step, "runtime");
      const errors = await store.listErrors({ runId: "r-ws-fix" });
      assert.equal(errors.length, 1);
      assert.equal(errors[0].code, "runtime_failure");
      const moves = (await store.eventsAfter(0, { runId: "r-ws-fix", types: ["status_changed"] })).map((e) =>
        JSON.stringify([e.payload!.from, e.payload!.to]),
      );
      assert.ok(moves.includes(JSON.stringify(["runtime_tests", "editing"])), moves.join(" "));
    });
    rmSync(log, { force: true });
  });

  it("fails a workstream that writes outside its scope, naming the path, and commits nothing", async () => {
    ws = createWorkspace([bundle("ws-scope", { tool: "aider" })], {}, { STANDIN_SCENARIO: "out-of-scope" });
    const { code, output } = await runOne(ws, "ws-scope");
    assert.equal(code, 1);
    assert.equal(output.final_status, "failed");
    const scope = output.steps.find((s) => s.step_name === "scope")!;
    assert.equal(scope.success, false);
    assert.match(scope.error_message!, /README\.md/);
    assert.equal(
      ws.git("rev-parse", "workstream/ws-scope"),
      ws.git("rev-parse", "main"),
      "nothing committed on the branch",
    );
    assert.ok(
      existsSync(path.join(ws.root, ".worktrees", "ws-scope", "README.md")),
      "worktree kept for inspection",
    );
    await withStore(ws, async (store) => {
      const violations = await store.eventsAfter(0, { runId: "r-ws-scope", types: ["scope_violation"] });
      assert.deepEqual(violations[0].payload!.paths, ["README.md"]);
      assert.equal((await store.getWorkstream("r-ws-scope", "ws-scope")).status, "failed");
    });
  });

  it("trips the error-signature breaker when the same error keeps coming back", async () => {
    ws = createWorkspace([bundle("ws-stuck")], {}, { STANDIN_SCENARIO: "same-error" });
    const { code, output } = await runOne(ws, "ws-stuck");
    assert.equal(code, 1);
    assert.equal(output.final_status, "failed");
    await withStore(ws, async (store) => {
      const trips = await store.eventsAfter(0, { runId: "r-ws-stuck", types: ["breaker_trip"] });
      assert.equal(trips.length, 1);
      assert.equal(trips[0].payload!.breaker, "error_signature");
      assert.equal(trips[0].payload!.step, "runtime");
      const attempts = (await store.listStepAttempts("r-ws-stuck", "ws-stuck")).map(
        (a) => `${a.step}:${a.status}`,
      );
      assert.deepEqual(attempts, [
        "edit:success",
        "static:success",
        "runtime:failed",
        "fix:success",
        "runtime:failed",
      ]);
      const errors = await store.listErrors({ runId: "r-ws-stuck" });
      assert.equal(errors.length, 1, "the same normalised error is stored once");
      assert.equal(errors[0].count, 2);
    });
  });

  it("kills a hanging agent's whole process tree at the wall-clock budget", async () => {
    const pidFile = path.join(tmpdir(), `standin-hang-${process.pid}-${Date.now()}`);
    ws = createWorkspace(
      [bundle("ws-hang", { circuit_breaker: { max_wall_clock_sec: 1.5 } })],
      {},
      // Bare, so this covers the kill of a tool no PID namespace contains (test/sandbox has the sandboxed one).
      { STANDIN_SCENARIO: "hang", STANDIN_PIDFILE: pidFile, PIPELINE_SANDBOX: "off" },
    );
    const started = Date.now();
    const { code, output } = await runOne(ws, "ws-hang");
    assert.ok(Date.now() - started < 15_000);
    assert.equal(code, 1);
    assert.equal(output.final_status, "failed");
    assert.match(output.steps[0].error_message!, /timed out/);
    const pids = readFileSync(pidFile, "utf8").trim().split("\n").map(Number);
    await new Promise((resolve) => setTimeout(resolve, 300));
    for (const pid of pids) {
      let state = "gone";
      try {
        state = readFileSync(`/proc/${pid}/stat`, "utf8").split(" ")[2]!;
      } catch {
        // gone
      }
      assert.ok(state === "gone" || state === "Z", `process ${pid} still ${state}`);
    }
    await withStore(ws, async (store) => {
      const trips = await store.eventsAfter(0, { runId: "r-ws-hang", types: ["breaker_trip"] });
      assert.equal(trips[0].payload!.breaker, "wall_clock");
    });
    rmSync(pidFile, { force: true });
  });

  it("records a dry run's plan without running any tool", async () => {
    ws = createWorkspace(
      [bundle("ws-dry", { tool: "aider" })],
      {},
      { STANDIN_SCENARIO: "hang", PIPELINE_DRY_RUN: "1" },
    );
    const { code, output } = await runOne(ws, "ws-dry");
    assert.equal(code, 0);
    assert.deepEqual(
      output.steps.map((s) => [s.step_name, s.details.dry_run]),
      [
        ["edit", true],
        ["static", true],
        ["runtime", true],
      ],
    );
    assert.equal(ws.git("branch", "--list", "workstream/*").trim(), "");
    await withStore(ws, async (store) => {
      assert.equal((await store.listStepAttempts("r-ws-dry")).length, 3);
      assert.equal((await store.eventsAfter(0, { runId: "r-ws-dry", types: ["tool_run"] })).length, 0);
    });
  });
});
