import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, unlinkSync, writeFileSync } from "node:fs";
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

  it("clears a turn request left by a waiter that is gone, and stands back only so long for a live one", async () => {
    const file = path.join(temp.dir, "pipeline.db");
    const want = `${file}.lock.want`;
    const gone = spawnSync(process.execPath, ["-e", "0"]).pid;
    writeFileSync(want, `${gone} 0123456789ab`);
    const store = await openStore({ path: file });
    try {
      await store.recordEvent({ runId: null, wsId: null, type: "first", payload: {} });
      assert.ok(!existsSync(want), "the dead waiter's request is cleared");
      await turn();
      // A waiter that never takes its turn (it lives, but does not come back) delays a writer, not stops it.
      writeFileSync(want, `${process.pid} 0123456789ab`);
      await store.recordEvent({ runId: null, wsId: null, type: "second", payload: {} });
      assert.deepEqual(
        (await store.eventsAfter(0)).map((event) => event.type),
        ["first", "second"],
      );
      assert.ok(existsSync(want), "a live waiter's request stays for it to take");
    } finally {
      await store.close();
    }
  });
});
