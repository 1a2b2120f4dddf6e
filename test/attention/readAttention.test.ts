import { strict as assert } from "node:assert";
import { reviewApprove } from "../../src/cli/commands/review";
import { run } from "../../src/cli/commands/run";
import { readAttention } from "../../src/node/attention/readAttention";
import { openStore } from "../../src/node/store";
import { scripted, queueWorkspace } from "../merge/support";
import { ensureBuilt } from "../orchestrator/support";

describe("attention read from a real store", function () {
  this.timeout(90_000);
  before(ensureBuilt);

  it("a done workstream whose bundle requires review waits for one until `wsp review approve`", async () => {
    const ws = queueWorkspace(
      [
        scripted("ws-a", [{ path: "src/a.js", write: "export const a = 1;\n" }], { review: "required" }),
        scripted("ws-b", [{ path: "src/b.js", write: "export const b = 1;\n" }]),
      ],
      {},
      "review: optional\n",
    );
    try {
      for (const id of ["ws-a", "ws-b"])
        assert.equal(await run(id, { runId: `r-${id}`, ignoreValidationErrors: true }, ws.io()), 0);
      const read = async () => {
        const store = await openStore({ path: ws.dbPath, readOnly: true });
        try {
          return await readAttention(store, [{ id: "ws-a", review: "required" }, { id: "ws-b" }], "optional");
        } finally {
          await store.close();
        }
      };
      assert.deepEqual(
        (await read()).map((item) => [item.kind, item.wsId]),
        [["awaiting_review", "ws-a"]],
      );
      assert.equal(await reviewApprove("ws-a", {}, ws.io()), 0);
      assert.deepEqual(await read(), []);
    } finally {
      ws.remove();
    }
  });

  it("a breaker trip and the blocked dependent show with their reasons; the config's review policy applies", async () => {
    const ws = queueWorkspace([], {}, "review: required\n");
    try {
      const store = await openStore({ path: ws.dbPath });
      try {
        await store.seedRun({
          runId: "r1",
          workstreams: [{ wsId: "core" }, { wsId: "report", dependsOn: ["core"] }, { wsId: "docs" }],
        });
        for (const status of ["started", "editing", "failed"] as const)
          await store.updateWorkstreamStatus("r1", "core", status);
        await store.recordEvent({
          runId: "r1",
          wsId: "core",
          type: "breaker_trip",
          payload: { breaker: "max_fix_attempts", reason: "2 FIX attempts used" },
        });
        await store.updateWorkstreamStatus("r1", "report", "blocked", { reason: "core failed" });
        for (const status of ["started", "editing", "done"] as const)
          await store.updateWorkstreamStatus("r1", "docs", status, { metadata: { commit: "abc" } });
        const items = await readAttention(
          store,
          [{ id: "core" }, { id: "report" }, { id: "docs" }],
          "required",
        );
        assert.deepEqual(
          items.map((item) => [item.kind, item.wsId, item.reason]),
          [
            ["awaiting_review", "docs", "done; awaits your review"],
            ["needs_judgement", "core", "breaker max_fix_attempts: 2 FIX attempts used"],
            ["blocked", "report", "blocked by core"],
          ],
        );
      } finally {
        await store.close();
      }
    } finally {
      ws.remove();
    }
  });
});
