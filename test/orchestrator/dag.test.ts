import { strict as assert } from "node:assert";
import { existsSync } from "node:fs";
import path from "node:path";
import { defaultRunId } from "../../src/cli/shared/context";
import { run } from "../../src/cli/commands/run";
import { type Store } from "../../src/core/store";
import { bundle, createWorkspace, ensureBuilt, type Workspace } from "./support";

/** A scripted workstream writing `src/<id>.txt`, whose acceptance test is `test`. */
function scripted(
  name: string,
  dependsOn: string[],
  test: string,
  scope = [`src/${name}.txt`],
): Record<string, unknown> {
  return bundle(`ws-${name}`, {
    tool: "scripted",
    static_tools: [],
    files_scope: scope,
    files_create: scope,
    depends_on: dependsOn.map((dep) => `ws-${dep}`),
    acceptance_tests: [test],
    scripted_edits: { edit: [{ path: scope[0], write: `${name}\n` }] },
  });
}

const requireFile = (file: string) => `node -e "require('fs').accessSync('${file}')"`;

async function withStore<T>(ws: Workspace, use: (store: Store) => Promise<T>): Promise<T> {
  const store = await ws.openStore();
  try {
    return await use(store);
  } finally {
    await store.close();
  }
}

interface AllOutput {
  run_id: string;
  final_status: string;
  workstreams: { ws_id: string; final_status: string; reason?: string }[];
}

describe("orchestrator DAG runs @slow", function () {
  this.timeout(60_000);
  before(ensureBuilt);
  let ws: Workspace | undefined;
  afterEach(() => ws?.remove());

  it("blocks the dependents of a failed branch of a diamond and builds on dependencies' work", async () => {
    ws = createWorkspace([
      scripted("top", [], requireFile("src/top.txt")),
      scripted("left", ["top"], 'node -e "process.exit(1)"'),
      scripted("right", ["top"], requireFile("src/top.txt")),
      scripted("bottom", ["left", "right"], requireFile("src/right.txt")),
    ]);
    const io = ws.io();
    const code = await run(undefined, { all: true, jobs: "2", continue: true, runId: "diamond" }, io);
    assert.equal(code, 1);
    const output = JSON.parse(io.stdout) as AllOutput;
    const finals = Object.fromEntries(output.workstreams.map((w) => [w.ws_id, w.final_status]));
    assert.deepEqual(finals, {
      "ws-top": "done",
      "ws-left": "failed",
      "ws-right": "done",
      "ws-bottom": "blocked",
    });
    assert.equal(output.final_status, "partial");
    assert.match(
      output.workstreams.find((w) => w.ws_id === "ws-bottom")!.reason!,
      /dependency ws-left is failed/,
    );
    assert.match(io.stderr, /run diamond: partial/);
    assert.match(ws.git("show", "workstream/ws-right:src/top.txt"), /top/, "right started from top's work");
    assert.ok(existsSync(path.join(ws.root, ".worktrees", "ws-left")), "the failed worktree is kept");
    await withStore(ws, async (store) => {
      assert.equal((await store.getWorkstream("diamond", "ws-bottom")).status, "blocked");
      assert.equal((await store.getRun("diamond")).status, "partial");
      assert.equal(
        (await store.listStepAttempts("diamond", "ws-bottom")).length,
        0,
        "a blocked workstream runs nothing",
      );
      const ends = await store.eventsAfter(0, { runId: "diamond", types: ["workstream_end"] });
      assert.deepEqual(ends.find((e) => e.wsId === "ws-bottom")!.payload, {
        final_status: "blocked",
        reason: "dependency ws-left is failed",
      });
    });
  });

  it("without --continue starts nothing new after a failure", async () => {
    ws = createWorkspace([
      scripted("a", [], 'node -e "process.exit(1)"'),
      scripted("b", [], requireFile("src/b.txt")),
    ]);
    const io = ws.io();
    assert.equal(await run(undefined, { all: true, jobs: "1", runId: "stop" }, io), 1);
    const output = JSON.parse(io.stdout) as AllOutput;
    assert.deepEqual(
      output.workstreams.map((w) => w.final_status),
      ["failed", "blocked"],
    );
    assert.equal(output.final_status, "failed");
    // ws-b's worktree was prepared while ws-a ran; it never started, so nothing of it is left.
    assert.ok(!existsSync(path.join(ws.root, ".worktrees", "ws-b")), "the prepared worktree is removed");
    assert.doesNotMatch(ws.git("branch", "--list", "workstream/*"), /ws-b/, "and it made no branch");
    assert.match(ws.git("worktree", "list"), /ws-a/);
  });

  it("never runs workstreams with overlapping scopes at once, even at -j 2", async () => {
    ws = createWorkspace([
      scripted("one", [], 'node -e "setTimeout(() => {}, 300)"', ["src/shared/one.txt"]),
      {
        ...scripted("two", [], 'node -e "setTimeout(() => {}, 300)"', ["src/shared/two.txt"]),
        files_scope: ["src/shared/**"],
      },
    ]);
    const io = ws.io();
    // Overlapping scopes are a validation error now; the override shows the scheduler still copes.
    const options = {
      all: true,
      jobs: "2",
      runId: "overlap",
      events: "ndjson",
      ignoreValidationErrors: true,
    };
    assert.equal(await run(undefined, options, io), 0);
    const events = io.stdout
      .trim()
      .split("\n")
      .map((line) => JSON.parse(line) as { type: string; ws_id?: string; run_id: string; ts: string });
    for (const event of events) {
      assert.equal(event.run_id, "overlap");
      assert.ok(!Number.isNaN(Date.parse(event.ts)));
    }
    const order = events
      .filter((e) => e.type === "workstream_start" || e.type === "workstream_end")
      .map((e) => `${e.type}:${e.ws_id}`);
    assert.deepEqual(order, [
      "workstream_start:ws-one",
      "workstream_end:ws-one",
      "workstream_start:ws-two",
      "workstream_end:ws-two",
    ]);
    assert.equal(events.at(-1)!.type, "run_end");
  });

  it("hands a slot on once a workstream's tools are through, while its dependents wait for its commit", async () => {
    ws = createWorkspace([
      scripted("first", [], requireFile("src/first.txt")),
      scripted("next", ["first"], requireFile("src/first.txt")),
      scripted("other", [], requireFile("src/other.txt")),
    ]);
    const io = ws.io();
    assert.equal(await run(undefined, { all: true, jobs: "1", runId: "slots", events: "ndjson" }, io), 0);
    const events = io.stdout
      .trim()
      .split("\n")
      .map((line) => JSON.parse(line) as { type: string; ws_id?: string; step?: string });
    const at = (type: string, id: string, step?: string) =>
      events.findIndex((e) => e.type === type && e.ws_id === id && (step === undefined || e.step === step));
    const firstToolsDone = at("step_end", "ws-first", "runtime");
    // The independent workstream takes the slot as soon as ws-first's tests pass, before its commit...
    assert.ok(at("workstream_start", "ws-other") > firstToolsDone, "one workstream's tools at a time");
    assert.ok(
      at("workstream_start", "ws-other") < at("workstream_end", "ws-first"),
      "the slot was handed on",
    );
    // ...but its dependent starts only from its commit.
    assert.ok(at("workstream_start", "ws-next") > at("workstream_end", "ws-first"));
    assert.match(ws.git("show", "workstream/ws-next:src/first.txt"), /first/);
  });

  it("gives a run started in the same second as another an id of its own", async () => {
    ws = createWorkspace([scripted("solo", [], requireFile("src/solo.txt"))]);
    const now = Date.now();
    // Both seconds the run could start in are taken already, as by runs started a moment before.
    const taken = [defaultRunId(new Date(now)), defaultRunId(new Date(now + 1000))];
    await withStore(ws, async (store) => {
      for (const runId of taken) await store.createRun({ runId });
    });
    const io = ws.io();
    assert.equal(await run("ws-solo", {}, io), 0, io.stderr);
    const runId = (JSON.parse(io.stdout) as { run_id: string }).run_id;
    assert.ok(
      taken.some((id) => runId === `${id}-2`),
      `${runId} is not a taken id with -2`,
    );
    // An id asked for is never changed: it is refused.
    await assert.rejects(run("ws-solo", { runId }, ws.io()), /already exists/);
  });

  it("refuses to run a workstream that another run is running, and leaves that run's worktree alone", async () => {
    ws = createWorkspace([bundle("ws-slow")], {}, { STANDIN_SCENARIO: "hang" });
    const controller = new AbortController();
    const firstIo = ws.io();
    const first = run("ws-slow", { runId: "first" }, firstIo, controller.signal);
    const worktree = path.join(ws.root, ".worktrees", "ws-slow");
    const marker = path.join(worktree, "src", "math.js");
    for (let waited = 0; !existsSync(marker); waited += 50) {
      assert.ok(waited < 10_000, "the first run never made its worktree");
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
    const secondIo = ws.io();
    assert.equal(await run("ws-slow", { runId: "second" }, secondIo), 1);
    const second = JSON.parse(secondIo.stdout) as {
      final_status: string;
      steps: { error_message: string }[];
    };
    assert.equal(second.final_status, "failed");
    assert.match(second.steps[0].error_message, /already being run by run first \(process \d+\)/);
    assert.ok(existsSync(marker), "the second run touched the first one's worktree");
    controller.abort();
    assert.equal(await first, 1);
    assert.equal((JSON.parse(firstIo.stdout) as { final_status: string }).final_status, "cancelled");
    // Once the first run is over, the workstream can run again.
    assert.ok(!existsSync(path.join(ws.root, ".worktrees", ".claims", "ws-slow.json")));
  });

  it("cancels: stops the tools, records the run and its workstreams cancelled, keeps the worktree", async () => {
    ws = createWorkspace(
      [bundle("ws-slow"), bundle("ws-after", { depends_on: ["ws-slow"], files_scope: ["src/other.js"] })],
      {},
      { STANDIN_SCENARIO: "hang" },
    );
    const io = ws.io();
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 1500);
    const code = await run(undefined, { all: true, runId: "cancel" }, io, controller.signal);
    assert.equal(code, 1);
    const output = JSON.parse(io.stdout) as AllOutput;
    assert.equal(output.final_status, "cancelled");
    assert.deepEqual(
      output.workstreams.map((w) => w.final_status),
      ["cancelled", "cancelled"],
    );
    assert.ok(existsSync(path.join(ws.root, ".worktrees", "ws-slow")));
    await withStore(ws, async (store) => {
      assert.equal((await store.getRun("cancel")).status, "cancelled");
      assert.equal((await store.getWorkstream("cancel", "ws-slow")).status, "cancelled");
      assert.ok(
        (await store.listStepAttempts("cancel")).every((a) => a.status !== "running"),
        "no attempt left running",
      );
    });
  });
});
