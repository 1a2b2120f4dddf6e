import { strict as assert } from "node:assert";
import { spawn } from "node:child_process";
import { existsSync, writeFileSync } from "node:fs";
import path from "node:path";
import { createInterface } from "node:readline";
import { merge } from "../../src/cli/commands/merge";
import { ensureBuilt, REPO, type Workspace } from "../orchestrator/support";
import { eventsOf, fileAt, promptsOf, queueWorkspace, runEach, scripted } from "./support";

const SHARED_TEST = [
  'const test = require("node:test");',
  'const assert = require("node:assert");',
  'const { A } = require("../src/a.js");',
  'const { B } = require("../src/b.js");',
  'test("A and B stay small together", () => assert.ok(A + B < 4, `A + B = ${A + B}`));',
  "",
].join("\n");

interface QueueResult {
  merged: { ws_id: string; flaky: boolean; already_merged: boolean }[];
  left: { ws_id: string; reason: string }[];
  stopped?: string;
  base_advanced: boolean;
  final_head: string;
}

describe("the merge queue keeps the base green @slow", function () {
  this.timeout(120_000);
  before(ensureBuilt);
  let ws: Workspace | undefined;
  afterEach(() => ws?.remove());

  it("sends back the workstream that breaks a shared test together with another, and merges its fix", async () => {
    ws = queueWorkspace(
      [
        // The shared test is ws-a's acceptance test, so it runs second in the gate, after the
        // config's command: the gate names the failing command, not just the first.
        scripted("ws-a", [{ path: "src/a.js", write: "exports.A = 2;\n" }], {
          acceptance_tests: ["node --test test/shared.test.js"],
        }),
        scripted("ws-b", [{ path: "src/b.js", write: "exports.B = 2;\n" }], {
          scripted_edits: {
            edit: [{ path: "src/b.js", write: "exports.B = 2;\n" }],
            fix: [[{ path: "src/b.js", write: "exports.B = 1; // kept small: ws-a raised A\n" }]],
          },
        }),
      ],
      { "src/a.js": "exports.A = 1;\n", "src/b.js": "exports.B = 1;\n", "test/shared.test.js": SHARED_TEST },
      'gate: ["node -e 0"]\n',
    );
    await runEach(ws, ["ws-a", "ws-b"]);
    const io = ws.io();
    const code = await merge(undefined, { all: true }, io);
    const result = JSON.parse(io.stdout) as QueueResult;
    assert.equal(code, 0, io.stderr);
    assert.deepEqual(
      result.merged.map((m) => m.ws_id),
      ["ws-a", "ws-b"],
    );
    assert.equal(result.base_advanced, true);
    assert.equal(ws.git("rev-parse", "main").trim(), result.final_head);
    assert.equal(fileAt(ws, "main", "src/a.js"), "exports.A = 2;\n");
    assert.match(fileAt(ws, "main", "src/b.js"), /exports\.B = 1; \/\/ kept small/);
    // The reopened FIX was told what failed.
    const fixPrompt = promptsOf(ws, "ws-b").find((text) => text.includes("FIX for reopened workstream"));
    assert.ok(fixPrompt, "ws-b was reopened with a FIX prompt");
    assert.match(fixPrompt, /node --test test\/shared\.test\.js/);
    assert.match(fixPrompt, /A \+ B = 4/);
    const reopened = await eventsOf(ws, ["queue_reopen"]);
    assert.deepEqual(
      reopened.map((e) => [e.wsId, e.payload?.kind]),
      [["ws-b", "gate"]],
    );
    // Every commit the base passed through was gated green: ws-a alone, then both with the fix.
    const gates = await eventsOf(ws, ["gate_result"]);
    assert.ok(gates.some((e) => e.wsId === "ws-b" && e.payload?.passed === false));
    assert.equal(gates.at(-1)?.payload?.passed, true);
    assert.equal(ws.git("for-each-ref", "refs/wsp/"), "", "nothing of the queue is left behind");
  });

  it("reopens the later of two conflicting workstreams with the conflict hunks in its prompt", async () => {
    const resolved = "first line from ws-x\nsecond line from ws-y\n";
    ws = queueWorkspace(
      [
        scripted("ws-x", [{ path: "src/shared.js", write: "first line from ws-x\n" }]),
        scripted("ws-y", [{ path: "src/shared.js", write: "second line from ws-y\n" }], {
          scripted_edits: {
            edit: [{ path: "src/shared.js", write: "second line from ws-y\n" }],
            fix: [[{ path: "src/shared.js", write: resolved }]],
          },
        }),
      ],
      { "src/shared.js": "original\n" },
      "gate: []\n",
    );
    await runEach(ws, ["ws-x", "ws-y"]);
    const io = ws.io();
    assert.equal(await merge(undefined, { all: true }, io), 0, io.stderr);
    const prompt = promptsOf(ws, "ws-y").find((text) => text.includes("FIX for reopened workstream"));
    assert.ok(prompt);
    assert.match(prompt, /### src\/shared\.js, line 1/);
    assert.match(
      prompt,
      /<<<<<<< [^\n]*\n[\s\S]*first line from ws-x[\s\S]*=======[\s\S]*second line from ws-y/,
    );
    assert.equal(fileAt(ws, "main", "src/shared.js"), resolved);
    const conflicts = await eventsOf(ws, ["queue_conflict"]);
    assert.deepEqual(
      conflicts.map((e) => [e.wsId, e.payload?.files]),
      [["ws-y", ["src/shared.js"]]],
    );
  });

  it("reports a test that already fails on the base as such, and blames no workstream", async () => {
    ws = queueWorkspace(
      [scripted("ws-a", [{ path: "src/a.js", write: "exports.A = 2;\n" }])],
      { "src/a.js": "exports.A = 1;\n", "test/broken.sh": "echo 'already broken on the base' >&2\nexit 3\n" },
      'gate: ["sh test/broken.sh"]\n',
    );
    await runEach(ws, ["ws-a"]);
    const before = ws.git("rev-parse", "main").trim();
    const io = ws.io();
    assert.equal(await merge(undefined, { all: true }, io), 1);
    const result = JSON.parse(io.stdout) as QueueResult;
    assert.match(result.stopped ?? "", /already fails without ws-a/);
    assert.match(io.stderr, /no workstream is blamed/);
    assert.equal(ws.git("rev-parse", "main").trim(), before, "the base did not move");
    assert.deepEqual(await eventsOf(ws, ["queue_reopen"]), [], "nobody was reopened");
    const targets = (await eventsOf(ws, ["gate_result"])).map((e) => e.payload?.target);
    assert.deepEqual(targets, ["candidate", "candidate", "head"]);
  });

  it("merges through a gate that fails once and passes on re-run, and records the flake", async () => {
    ws = queueWorkspace(
      [scripted("ws-a", [{ path: "src/a.js", write: "exports.A = 2;\n" }])],
      { "src/a.js": "exports.A = 1;\n", ".gitignore": ".flaked\n" },
      // Fails the first time it runs in the integration worktree (the marker is ignored, so it stays).
      'gate: ["test -f .flaked || { touch .flaked; echo flaky >&2; exit 1; }"]\n',
    );
    await runEach(ws, ["ws-a"]);
    const io = ws.io();
    assert.equal(await merge(undefined, { all: true }, io), 0, io.stderr);
    const result = JSON.parse(io.stdout) as QueueResult;
    assert.deepEqual(result.merged, [
      { ws_id: "ws-a", commit: result.final_head, flaky: true, already_merged: false },
    ]);
    const flakes = await eventsOf(ws, ["gate_flaky"]);
    assert.equal(flakes.length, 1);
    assert.match(String((flakes[0].payload?.first_failure as { excerpt: string }).excerpt), /flaky/);
    const gates = await eventsOf(ws, ["gate_result"]);
    assert.deepEqual(
      gates.map((e) => e.payload?.passed),
      [false, true],
      "the first failure stays recorded",
    );
  });

  it("rebuilds on a base the user committed to meanwhile, gates again, and overwrites nothing", async () => {
    ws = queueWorkspace(
      [scripted("ws-a", [{ path: "src/a.js", write: "exports.A = 2;\n" }])],
      { "src/a.js": "exports.A = 1;\n", ".gitignore": ".waiting\n.go\n" },
      // The first gate waits for the test to commit to the base, then lets every later gate through.
      'gate: ["touch .waiting; while [ ! -f .go ]; do sleep 0.05; done"]\n',
    );
    await runEach(ws, ["ws-a"]);
    const queueDir = path.join(ws.root, ".worktrees", ".merge-queue");
    const io = ws.io();
    const merging = merge(undefined, { all: true }, io);
    for (let i = 0; i < 600 && !existsSync(path.join(queueDir, ".waiting")); i++)
      await new Promise((resolve) => setTimeout(resolve, 50));
    writeFileSync(path.join(ws.root, "USER.md"), "committed by a person while the queue ran\n");
    ws.git("add", "USER.md");
    ws.git("commit", "-q", "-m", "a person's commit");
    const userCommit = ws.git("rev-parse", "HEAD").trim();
    writeFileSync(path.join(queueDir, ".go"), "");
    assert.equal(await merging, 0, io.stderr);
    ws.git("merge-base", "--is-ancestor", userCommit, "main");
    assert.equal(fileAt(ws, "main", "USER.md"), "committed by a person while the queue ran\n");
    assert.equal(fileAt(ws, "main", "src/a.js"), "exports.A = 2;\n");
    assert.equal((await eventsOf(ws, ["base_moved"])).length, 1);
    assert.equal((await eventsOf(ws, ["gate_result"])).length, 2, "the gate ran again on the new base");
  });
});

describe("the merge queue after kill -9 @slow", function () {
  this.timeout(120_000);
  before(ensureBuilt);
  let ws: Workspace | undefined;
  afterEach(() => ws?.remove());

  it("never leaves the base half-merged, and picks up from the last green head", async () => {
    ws = queueWorkspace(
      [
        scripted("ws-one", [{ path: "src/one.js", write: "exports.one = 1;\n" }]),
        scripted("ws-two", [{ path: "src/two.js", write: "exports.two = 2;\n" }], {
          depends_on: ["ws-one"],
          acceptance_tests: ["sleep 1"],
        }),
      ],
      {},
      "gate: []\n",
    );
    await runEach(ws, ["ws-one", "ws-two"]);
    const before = ws.git("rev-parse", "main").trim();
    const child = spawn(
      process.execPath,
      [path.join(REPO, "dist", "cli.js"), "merge", "--all", "--events", "ndjson"],
      {
        cwd: ws.root,
        env: ws.env,
        stdio: ["ignore", "pipe", "pipe"],
      },
    );
    await new Promise<void>((resolve, reject) => {
      createInterface({ input: child.stdout }).on("line", (line) => {
        const event = JSON.parse(line) as { type: string; ws_id?: string };
        if (event.type === "queue_merged" && event.ws_id === "ws-one") {
          child.kill("SIGKILL");
          resolve();
        }
      });
      child.on("exit", () => reject(new Error("the queue ended before it could be killed")));
    });
    await new Promise((resolve) => child.once("exit", resolve));
    assert.equal(ws.git("rev-parse", "main").trim(), before, "the base is untouched after the kill");
    assert.equal(ws.git("status", "--porcelain", "--untracked-files=no"), "");

    const io = ws.io();
    assert.equal(await merge(undefined, { all: true }, io), 0, io.stderr);
    const result = JSON.parse(io.stdout) as QueueResult;
    assert.deepEqual(
      result.merged.map((m) => [m.ws_id, m.already_merged]),
      [
        ["ws-one", true],
        ["ws-two", false],
      ],
    );
    const starts = await eventsOf(ws, ["queue_start"]);
    assert.equal(starts.at(-1)?.payload?.resumed, true);
    assert.equal(fileAt(ws, "main", "src/one.js"), "exports.one = 1;\n");
    assert.equal(fileAt(ws, "main", "src/two.js"), "exports.two = 2;\n");
    assert.equal(ws.git("for-each-ref", "refs/wsp/"), "", "the queue's ref is dropped once all is in");
  });
});

describe("the merge queue's settings @slow", function () {
  this.timeout(120_000);
  before(ensureBuilt);
  let ws: Workspace | undefined;
  afterEach(() => ws?.remove());

  it("rebases instead of merging when the config says so, leaving a linear history", async () => {
    ws = queueWorkspace(
      [
        scripted("ws-a", [{ path: "src/a.js", write: "a\n" }]),
        scripted("ws-b", [{ path: "src/b.js", write: "b\n" }]),
      ],
      {},
      "strategy: rebase\ngate: []\n",
    );
    await runEach(ws, ["ws-a", "ws-b"]);
    const io = ws.io();
    assert.equal(await merge(undefined, { all: true }, io), 0, io.stderr);
    assert.equal(ws.git("rev-list", "--merges", "--count", "main").trim(), "0", "no merge commits");
    assert.equal(fileAt(ws, "main", "src/a.js"), "a\n");
    assert.equal(fileAt(ws, "main", "src/b.js"), "b\n");
  });

  it("moves the base after every green workstream with advance_base: each", async () => {
    ws = queueWorkspace(
      [
        scripted("ws-a", [{ path: "src/a.js", write: "a\n" }]),
        scripted("ws-b", [{ path: "src/b.js", write: "b\n" }]),
      ],
      {},
      "advance_base: each\ngate: []\n",
    );
    await runEach(ws, ["ws-a", "ws-b"]);
    assert.equal(await merge(undefined, { all: true }, ws.io()), 0);
    assert.equal((await eventsOf(ws, ["base_advanced"])).length, 2);
  });

  it("stops reopening at max_reopens and says a person must look", async () => {
    ws = queueWorkspace(
      [
        scripted("ws-x", [{ path: "src/shared.js", write: "x\n" }]),
        scripted("ws-y", [{ path: "src/shared.js", write: "y\n" }]),
      ],
      { "src/shared.js": "original\n" },
      "max_reopens: 0\ngate: []\n",
    );
    await runEach(ws, ["ws-x", "ws-y"]);
    const io = ws.io();
    assert.equal(await merge(undefined, { all: true }, io), 1);
    const result = JSON.parse(io.stdout) as QueueResult;
    assert.deepEqual(
      result.merged.map((m) => m.ws_id),
      ["ws-x"],
      "the others go on",
    );
    assert.match(
      result.left[0]?.reason ?? "",
      /conflicts with the integration head in src\/shared\.js.*max_reopens/,
    );
    assert.equal(fileAt(ws, "main", "src/shared.js"), "x\n", "the green part still lands");
    assert.deepEqual(
      (await eventsOf(ws, ["queue_gave_up"])).map((e) => e.wsId),
      ["ws-y"],
    );
  });

  it("leaves a dirty base checkout alone, and goes on from the green head once it is clean", async () => {
    ws = queueWorkspace([scripted("ws-a", [{ path: "src/a.js", write: "a\n" }])], {}, "gate: []\n");
    await runEach(ws, ["ws-a"]);
    writeFileSync(path.join(ws.root, "README.md"), "a person's unsaved edit\n");
    const dirty = ws.io();
    assert.equal(await merge(undefined, { all: true }, dirty), 1);
    assert.match((JSON.parse(dirty.stdout) as QueueResult).stopped ?? "", /uncommitted changes/);
    assert.equal(
      ws.git("status", "--porcelain", "README.md").trim(),
      "M README.md",
      "the edit is still there",
    );
    ws.git("checkout", "README.md");
    const clean = ws.io();
    assert.equal(await merge(undefined, { all: true }, clean), 0, clean.stderr);
    assert.equal(fileAt(ws, "main", "src/a.js"), "a\n");
    assert.equal((await eventsOf(ws, ["queue_start"])).at(-1)?.payload?.resumed, true);
  });

  it("keeps the earlier work of a workstream whose reopening fails, and says where", async () => {
    ws = queueWorkspace(
      [
        scripted("ws-x", [{ path: "src/shared.js", write: "x\n" }]),
        scripted("ws-y", [{ path: "src/shared.js", write: "y\n" }]),
      ],
      { "src/shared.js": "original\n" },
      "gate: []\n",
    );
    await runEach(ws, ["ws-x", "ws-y"]);
    const before = ws.git("rev-parse", "workstream/ws-y").trim();
    const io = ws.io();
    assert.equal(await merge(undefined, { all: true }, io), 1);
    const result = JSON.parse(io.stdout) as QueueResult;
    assert.match(result.left[0]?.reason ?? "", /the earlier work is kept at refs\/wsp\/earlier-work\/ws-y/);
    assert.equal(ws.git("rev-parse", "refs/wsp/earlier-work/ws-y").trim(), before);
    assert.equal(ws.git("show", "refs/wsp/earlier-work/ws-y:src/shared.js"), "y\n");
  });

  it("refuses a config it cannot read, naming the file and key", async () => {
    ws = queueWorkspace([scripted("ws-a", [{ path: "src/a.js", write: "a\n" }])], {}, "strategy: squash\n");
    await runEach(ws, ["ws-a"]);
    await assert.rejects(
      merge(undefined, { all: true }, ws.io()),
      /merge_queue\.yaml: strategy must be one of merge, rebase, got "squash"/,
    );
  });
});
