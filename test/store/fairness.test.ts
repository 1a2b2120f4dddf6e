import assert from "node:assert/strict";
import { writeFileSync } from "node:fs";
import path from "node:path";
import { openStore } from "../../src/node/store";
import { FIXTURES, bundleScript, makeTempDir, runChild } from "./support";

/** Runs a paced writer to its end; resolves with how many writes it made. */
async function pacedWriter(script: string, args: string[], onReady?: () => void): Promise<number> {
  const stdout = await runChild(script, args, onReady);
  const writes = /writes (\d+)/.exec(stdout);
  if (!writes) throw new Error(`no write count from the writer: ${stdout}`);
  return Number(writes[1]);
}

describe("state store: lock turns between writers @slow", function () {
  this.timeout(60_000);
  let temp: ReturnType<typeof makeTempDir>;
  let script: string;

  before(() => {
    temp = makeTempDir("wsp-fairness-");
    script = bundleScript(path.join(FIXTURES, "pacedWriter.ts"), temp.dir);
  });
  after(() => temp.remove());

  it("a writer in a tight loop lets a steady writer take its turns", async () => {
    const file = path.join(temp.dir, "state", "pipeline.db");
    await (await openStore({ path: file })).close();
    // The steady writer alone first: how many writes it makes when nobody competes.
    const alone = await pacedWriter(script, [file, "steady", "1000", "5"]);
    const goFile = path.join(temp.dir, "go");
    let ready = 0;
    const start = (): void => {
      if (++ready === 2) writeFileSync(goFile, "");
    };
    const [hog, steady] = await Promise.all([
      pacedWriter(script, [file, "hog", "1500", "0", goFile], start),
      pacedWriter(script, [file, "steady", "1500", "5", goFile], start),
    ]);
    const aloneRate = alone / 1000;
    const steadyRate = steady / 1500;
    assert.ok(hog > steady, `the tight loop still writes the most (${hog} against ${steady})`);
    // Before turns were fair, the steady writer got 6% of its own pace; a quarter is a loose bound.
    assert.ok(
      steadyRate >= aloneRate / 4,
      `the steady writer made ${steady} writes in 1.5 s beside the tight loop, ${alone} in 1 s alone`,
    );
  });
});
