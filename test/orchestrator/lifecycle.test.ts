import { strict as assert } from "node:assert";
import { spawn } from "node:child_process";
import { existsSync, readFileSync, rmSync, utimesSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { createInterface } from "node:readline";
import { run } from "../../src/cli/commands/run";
import { resume } from "../../src/cli/commands/resume";
import { merge } from "../../src/cli/commands/merge";
import {
  worktreeList,
  worktreePrune,
  worktreeRemove,
  type WorktreeEntry,
} from "../../src/cli/commands/worktree";
import { bundle, createWorkspace, ensureBuilt, REPO, type Workspace } from "./support";

describe("orchestrator lifecycle: kill -9 and resume, merge, worktrees @slow", function () {
  this.timeout(60_000);
  before(ensureBuilt);
  let ws: Workspace | undefined;
  afterEach(() => ws?.remove());

  it("resumes a run whose orchestrator was killed with -9 mid-EDIT", async () => {
    const pidFile = path.join(tmpdir(), `standin-kill-${process.pid}-${Date.now()}`);
    ws = createWorkspace(
      [bundle("ws-a"), bundle("ws-b", { depends_on: ["ws-a"], files_scope: ["src/math.js"] })],
      {},
      { STANDIN_SCENARIO: "slow", STANDIN_SLEEP_MS: "800", STANDIN_PIDFILE: pidFile },
    );
    const child = spawn(
      process.execPath,
      [path.join(REPO, "dist", "cli.js"), "run", "--all", "--run-id", "killed", "--events", "ndjson"],
      {
        cwd: ws.root,
        env: ws.env,
        stdio: ["ignore", "pipe", "pipe"],
      },
    );
    const seen: string[] = [];
    await new Promise<void>((resolve, reject) => {
      const lines = createInterface({ input: child.stdout });
      lines.on("line", (line) => {
        const event = JSON.parse(line) as { type: string; step?: string; ws_id?: string };
        seen.push(event.type);
        if (event.type === "step_start" && event.step === "edit" && event.ws_id === "ws-a") {
          child.kill("SIGKILL");
          resolve();
        }
      });
      child.on("exit", () => reject(new Error(`orchestrator exited before EDIT: ${seen.join(",")}`)));
    });
    await new Promise((resolve) => child.once("exit", resolve));
    // The stand-in outlives a SIGKILLed orchestrator (its own process group); stop it as a user would.
    await new Promise((resolve) => setTimeout(resolve, 200));
    for (const pid of existsSync(pidFile)
      ? readFileSync(pidFile, "utf8").trim().split("\n").map(Number)
      : []) {
      try {
        process.kill(pid, "SIGKILL");
      } catch {
        // already gone
      }
    }
    const before = await ws.openStore();
    assert.equal((await before.getRun("killed")).status, "running");
    assert.equal((await before.getWorkstream("killed", "ws-a")).status, "editing");
    await before.close();

    const io = ws.io();
    const code = await resume("killed", {}, io);
    assert.equal(code, 0, io.stderr);
    assert.match(io.stderr, /ws-a was left editing; restarting it/);
    const store = await ws.openStore();
    try {
      assert.equal((await store.getRun("killed")).status, "succeeded");
      assert.equal((await store.getWorkstream("killed", "ws-a")).status, "done");
      assert.equal((await store.getWorkstream("killed", "ws-b")).status, "done");
      const attempts = (await store.listStepAttempts("killed", "ws-a")).map((a) => `${a.step}:${a.status}`);
      assert.equal(attempts[0], "edit:failed", "the interrupted EDIT is closed as failed");
      assert.ok(attempts.slice(1).every((a) => a.endsWith(":success")));
      const moves = (
        await store.eventsAfter(0, { runId: "killed", wsId: "ws-a", types: ["status_changed"] })
      ).map((e) => e.payload!.to);
      assert.ok(moves.includes("cancelled") && moves.includes("pending"), JSON.stringify(moves));
      assert.equal((await store.eventsAfter(0, { runId: "killed", types: ["run_resumed"] })).length, 1);
    } finally {
      await store.close();
      rmSync(pidFile, { force: true });
    }
  });

  it("merges done branches in dependency order, and on a conflict leaves the base untouched naming the files", async () => {
    const write = (text: string) => ({ edit: [{ path: "src/math.js", write: text }] });
    ws = createWorkspace([
      bundle("ws-first", {
        tool: "scripted",
        static_tools: [],
        acceptance_tests: [],
        scripted_edits: write("first\n"),
      }),
      bundle("ws-second", {
        tool: "scripted",
        static_tools: [],
        acceptance_tests: [],
        scripted_edits: write("second\n"),
      }),
      bundle("ws-extra", {
        tool: "scripted",
        static_tools: [],
        acceptance_tests: [],
        files_scope: ["src/extra.js"],
        scripted_edits: { edit: [{ path: "src/extra.js", write: "extra\n" }] },
      }),
    ]);
    // ws-first and ws-second overlap on purpose (a validation error): the override runs them anyway.
    for (const id of ["ws-first", "ws-second", "ws-extra"])
      assert.equal(await run(id, { runId: `r-${id}`, ignoreValidationErrors: true }, ws.io()), 0);
    const mainBefore = ws.git("rev-parse", "main").trim();
    const conflicted = ws.io();
    assert.equal(await merge(undefined, { all: true, atomic: true }, conflicted), 1);
    const report = JSON.parse(conflicted.stdout) as {
      merged: boolean;
      conflict: { branch: string; files: string[] };
    };
    assert.deepEqual(report.conflict.files, ["src/math.js"]);
    assert.equal(ws.git("rev-parse", "main").trim(), mainBefore, "base untouched");
    assert.equal(ws.git("status", "--porcelain", "--untracked-files=no"), "");

    const single = ws.io();
    assert.equal(await merge("ws-extra", { atomic: true }, single), 0, single.stderr);
    assert.equal(
      readFileSync(path.join(ws.root, "src/extra.js"), "utf8"),
      "extra\n",
      "the checkout moved with the base",
    );
    assert.match(ws.git("log", "-1", "--format=%s", "main"), /wsp: merge ws-extra \(run r-ws-extra\)/);
  });

  it("lists and prunes orphan worktrees and branches", async () => {
    ws = createWorkspace([bundle("ws-kept")], {}, { STANDIN_SCENARIO: "same-error" });
    assert.equal(await run("ws-kept", { runId: "r1" }, ws.io()), 1);
    ws.git("branch", "workstream/ws-ghost", "main");
    const list = ws.io();
    await worktreeList({ json: true }, list);
    const entries = JSON.parse(list.stdout) as WorktreeEntry[];
    const kept = entries.find((e) => e.ws_id === "ws-kept")!;
    assert.equal(kept.orphan, true);
    assert.ok(kept.worktree?.endsWith(path.join(".worktrees", "ws-kept")));
    assert.equal(entries.find((e) => e.ws_id === "ws-ghost")!.why, "no bundle with this id");
    assert.ok(kept.disk_bytes > 0, "a kept worktree's own disk use is listed");
    const text = ws.io();
    await worktreeList({}, text);
    assert.match(text.stdout, /^total: [\d.]+ [KMG]?B in 1 worktree\(s\), shared folders not counted$/m);

    const retained = ws.io();
    await worktreePrune({ branches: true }, retained);
    assert.ok(
      existsSync(path.join(ws.root, ".worktrees", "ws-kept")),
      "kept for keep_failed_days (7) by default",
    );
    assert.equal((JSON.parse(retained.stdout) as { kept: unknown[] }).kept.length, 1);
    const prune = ws.io();
    await worktreePrune({ branches: true, olderThan: "0" }, prune);
    assert.equal(existsSync(path.join(ws.root, ".worktrees", "ws-kept")), false);
    assert.equal(ws.git("branch", "--list", "workstream/ws-ghost").trim(), "");
    assert.notEqual(
      ws.git("branch", "--list", "workstream/ws-kept").trim(),
      "",
      "a branch with a bundle stays",
    );
  });

  it("prunes by age, and removes one worktree on request", async () => {
    ws = createWorkspace(
      [bundle("ws-old"), bundle("ws-new", { files_scope: ["README.md"] })],
      {},
      { STANDIN_SCENARIO: "same-error" },
    );
    assert.equal(await run(undefined, { all: true, continue: true, runId: "r-age" }, ws.io()), 1);
    const twoDaysAgo = new Date(Date.now() - 2 * 86_400_000);
    utimesSync(path.join(ws.root, ".worktrees", "ws-old"), twoDaysAgo, twoDaysAgo);
    const prune = ws.io();
    await worktreePrune({ olderThan: "1d" }, prune);
    assert.equal(existsSync(path.join(ws.root, ".worktrees", "ws-old")), false);
    assert.ok(existsSync(path.join(ws.root, ".worktrees", "ws-new")));
    await assert.rejects(worktreePrune({ olderThan: "soon" }, ws.io()), /--older-than takes an age like 7d/);
    const remove = ws.io();
    assert.equal(await worktreeRemove("ws-new", {}, remove), 0);
    assert.match(remove.stdout, /^removed .*ws-new \(.* freed; branch workstream\/ws-new kept\)$/m);
    assert.equal(existsSync(path.join(ws.root, ".worktrees", "ws-new")), false);
    await assert.rejects(worktreeRemove("ws-new", {}, ws.io()), /ws-new has no worktree/);
  });
});
