import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import path from "node:path";
import { openStore } from "../../src/node/store";
import { FIXTURES, bundleScript, integrityCheck, makeTempDir, runChild } from "./support";

interface WriterOutput {
  acked: Map<number, number>;
  errorAcks: number;
  done: boolean;
}

async function runWriter(
  script: string,
  file: string,
  label: string,
  seconds: number,
  goFile: string,
  onReady: () => void,
): Promise<WriterOutput> {
  const stdout = await runChild(script, [file, label, String(seconds), "65536", "200", goFile], onReady);
  const output: WriterOutput = { acked: new Map(), errorAcks: 0, done: false };
  for (const line of stdout.split("\n")) {
    const [kind, id, i] = line.split(" ");
    if (kind === "ack") output.acked.set(Number(id), Number(i));
    if (kind === "err") output.errorAcks++;
    if (kind === "done") output.done = true;
  }
  return output;
}

describe("state store: two writers and a reader at once @slow", function () {
  this.timeout(120_000);
  let temp: ReturnType<typeof makeTempDir>;
  let script: string;

  before(() => {
    temp = makeTempDir("wsp-concurrency-");
    script = bundleScript(path.join(FIXTURES, "writer.ts"), temp.dir);
  });
  after(() => temp.remove());

  it("loses nothing, duplicates nothing, and the reader never goes backwards", async () => {
    const file = path.join(temp.dir, "state", "pipeline.db");
    // Create it first so the reader can open it while the writers start.
    await (await openStore({ path: file })).close();
    const reader = await openStore({ path: file, readOnly: true });
    const controller = new AbortController();
    const seen: number[] = [];
    let countsWentBack = false;
    let lastCount = 0;
    const following = (async () => {
      for await (const event of reader.followEvents({ intervalMs: 10, signal: controller.signal })) {
        seen.push(event.id);
        const count = (await reader.info()).tables.events ?? 0;
        if (count < lastCount) countsWentBack = true;
        lastCount = count;
      }
    })();

    // Both writers wait at a barrier until both are up, so a slow start of one cannot let the other
    // finish alone (the check below needs their writes to overlap).
    const goFile = path.join(temp.dir, "go");
    let readyWriters = 0;
    const onReady = () => {
      readyWriters += 1;
      if (readyWriters === 2) writeFileSync(goFile, "");
    };
    const [a, b] = await Promise.all([
      runWriter(script, file, "A", 3, goFile, onReady),
      runWriter(script, file, "B", 3, goFile, onReady),
    ]);
    assert.ok(a.done && b.done, "both writers finished and closed");
    // Let the reader catch up with the last writes, then stop it.
    const total = a.acked.size + b.acked.size;
    for (let wait = 0; wait < 200 && seen.length < total; wait++)
      await new Promise((resolve) => setTimeout(resolve, 20));
    controller.abort();
    await following;

    seen.forEach((id, index) => {
      if (index > 0) assert.ok(seen[index - 1] < id, `reader saw ${seen[index - 1]} then ${id}`);
    });
    assert.equal(countsWentBack, false, "row counts never decreased");
    const all = await reader.eventsAfter(0, { limit: 10_000_000 });
    await reader.close();
    assert.deepEqual(
      seen,
      all.map((event) => event.id),
      "the reader saw exactly the stored events, in order",
    );
    assert.equal(all.length, total, "every event is an acknowledged one, none twice");
    // The test only means something if the writers really wrote at the same time: their ids interleave.
    const idsOf = (output: WriterOutput) => [...output.acked.keys()];
    assert.ok(
      Math.min(...idsOf(a)) < Math.max(...idsOf(b)) && Math.min(...idsOf(b)) < Math.max(...idsOf(a)),
      "the two writers' events interleave",
    );
    for (const [label, output] of [
      ["A", a],
      ["B", b],
    ] as const) {
      const mine = all.filter((event) => event.payload?.writer === label).map((event) => event.payload?.i);
      assert.deepEqual(mine, [...output.acked.values()], `${label}'s events, each once, in its order`);
      for (const [id, i] of output.acked) assert.equal(all.find((event) => event.id === id)?.payload?.i, i);
    }
    const check = await openStore({ path: file, readOnly: true });
    const errors = await check.listErrors({ runId: "shared" });
    await check.close();
    assert.equal(errors.length, 1, "one deduplicated error row");
    assert.equal(errors[0]?.count, a.errorAcks + b.errorAcks, "no lost update of the shared error count");
    assert.equal(await integrityCheck(file), "ok");
  });
});
