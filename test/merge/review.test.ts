import { strict as assert } from "node:assert";
import { merge } from "../../src/cli/commands/merge";
import { reviewApprove, reviewList, reviewRequestChanges } from "../../src/cli/commands/review";
import { ensureBuilt, type Workspace } from "../orchestrator/support";
import { fileAt, promptsOf, queueWorkspace, runEach, scripted } from "./support";

interface ReviewRow {
  ws_id: string;
  state: string;
}

async function states(ws: Workspace): Promise<Record<string, string>> {
  const io = ws.io();
  assert.equal(await reviewList({ json: true }, io), 0, io.stderr);
  return Object.fromEntries((JSON.parse(io.stdout) as ReviewRow[]).map((row) => [row.ws_id, row.state]));
}

describe("review before merge @slow", function () {
  this.timeout(120_000);
  before(ensureBuilt);
  let ws: Workspace | undefined;
  afterEach(() => ws?.remove());

  it("keeps a workstream that requires review out of the queue until it is approved", async () => {
    ws = queueWorkspace(
      [
        scripted("ws-free", [{ path: "src/free.js", write: "free\n" }]),
        scripted("ws-gated", [{ path: "src/gated.js", write: "gated\n" }], { review: "required" }),
      ],
      {},
      "gate: []\n",
    );
    await runEach(ws, ["ws-free", "ws-gated"]);
    assert.deepEqual(await states(ws), { "ws-free": "not_required", "ws-gated": "awaiting_review" });
    const first = ws.io();
    assert.equal(await merge(undefined, { all: true }, first), 0, first.stderr);
    assert.match(first.stderr, /ws-gated waits for review/);
    assert.equal(ws.git("ls-tree", "--name-only", "main", "src/").includes("src/gated.js"), false);

    assert.equal(await reviewApprove("ws-gated", {}, ws.io()), 0);
    assert.equal((await states(ws))["ws-gated"], "approved");
    const second = ws.io();
    assert.equal(await merge(undefined, { all: true }, second), 0, second.stderr);
    assert.equal(fileAt(ws, "main", "src/gated.js"), "gated\n");
  });

  it("turns a change request into a FIX prompt, and the new work waits for review again", async () => {
    ws = queueWorkspace(
      [
        scripted("ws-gated", [{ path: "src/gated.js", write: "draft\n" }], {
          review: "required",
          scripted_edits: {
            edit: [{ path: "src/gated.js", write: "draft\n" }],
            fix: [[{ path: "src/gated.js", write: "reviewed\n" }]],
          },
        }),
      ],
      {},
      "gate: []\n",
    );
    await runEach(ws, ["ws-gated"]);
    const io = ws.io();
    const code = await reviewRequestChanges("ws-gated", { comment: "Say 'reviewed', not 'draft'." }, io);
    assert.equal(code, 0, io.stderr);
    const prompt = promptsOf(ws, "ws-gated").find((text) => text.includes("FIX for reopened workstream"));
    assert.match(prompt ?? "", /Say 'reviewed', not 'draft'\./);
    assert.equal((await states(ws))["ws-gated"], "awaiting_review", "a new commit needs a new review");
    assert.equal(ws.git("show", "workstream/ws-gated:src/gated.js"), "reviewed\n");
  });

  it("refuses to review what is not done, naming its status", async () => {
    ws = queueWorkspace(
      [
        scripted("ws-old", [{ path: "src/old.js", write: "old\n" }]),
        scripted("ws-new", [{ path: "src/new.js", write: "new\n" }]),
      ],
      {},
      "gate: []\n",
    );
    await runEach(ws, ["ws-old"]);
    await assert.rejects(
      reviewApprove("ws-new", {}, ws.io()),
      /ws-new is not done \(latest status: never run\)/,
    );
  });
});
