import assert from "node:assert/strict";
import { readdirSync, unlinkSync } from "node:fs";
import path from "node:path";
import { openStore } from "../../src/node/store";
import { makeTempDir } from "./support";

const turn = () => new Promise((resolve) => setImmediate(resolve));

describe("state store: the writer's lock file", () => {
  let temp: ReturnType<typeof makeTempDir>;
  beforeEach(() => (temp = makeTempDir("wsp-lock-")));
  afterEach(() => temp.remove());

  const lockFiles = (dir: string) => readdirSync(dir).filter((name) => name.includes(".lock"));

  it("keeps one staging file per writer across writes and leaves nothing behind on close", async () => {
    const file = path.join(temp.dir, "pipeline.db");
    const first = await openStore({ path: file });
    const second = await openStore({ path: file });
    try {
      for (let i = 0; i < 5; i++) {
        await first.recordEvent({ runId: null, wsId: null, type: "first", payload: { i } });
        await turn();
        await second.recordEvent({ runId: null, wsId: null, type: "second", payload: { i } });
        await turn();
      }
      const files = lockFiles(temp.dir);
      // The lock itself is released between turns of the event loop; each writer keeps its own staging file.
      assert.ok(!files.includes("pipeline.db.lock"), `lock released: ${files.join(", ")}`);
      assert.equal(files.length, 2, `one staging file per writer: ${files.join(", ")}`);
      for (const name of files)
        assert.match(name, new RegExp(`^pipeline\\.db\\.lock\\.${process.pid}\\.[0-9a-f]+$`));
      const events = await first.eventsAfter(0);
      assert.deepEqual(
        events.map((event) => `${event.type}:${JSON.stringify(event.payload?.i)}`),
        [0, 1, 2, 3, 4].flatMap((i) => [`first:${i}`, `second:${i}`]),
      );
    } finally {
      await first.close();
      await second.close();
    }
    assert.deepEqual(lockFiles(temp.dir), []);
  });

  it("writes its staging file again when it was deleted under an open writer", async () => {
    const file = path.join(temp.dir, "pipeline.db");
    const store = await openStore({ path: file });
    try {
      await store.recordEvent({ runId: null, wsId: null, type: "before", payload: {} });
      await turn();
      for (const name of lockFiles(temp.dir)) unlinkSync(path.join(temp.dir, name));
      await store.recordEvent({ runId: null, wsId: null, type: "after", payload: {} });
      await turn();
      assert.deepEqual(
        (await store.eventsAfter(0)).map((event) => event.type),
        ["before", "after"],
      );
      assert.equal(lockFiles(temp.dir).length, 1);
    } finally {
      await store.close();
    }
    assert.deepEqual(lockFiles(temp.dir), []);
  });
});
