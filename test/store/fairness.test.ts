import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { writeFileSync } from "node:fs";
import path from "node:path";
import { openStore } from "../../src/node/store";
import { FIXTURES, bundleScript, makeTempDir } from "./support";

/** Runs a paced writer; resolves with its write count once `ready` was seen and it exited. */
function pacedWriter(script: string, args: string[], onReady: () => void = () => undefined): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [script, ...args], { stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    let ready = false;
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => {
      stdout += chunk;
      if (!ready && stdout.startsWith("ready\n")) {
        ready = true;
        onReady();
      }
    });
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
    child.on("error", reject);
    child.on("exit", (code) => {
      const writes = /writes (\d+)/.exec(stdout);
      if (code !== 0 || !writes) reject(new Error(`writer exited ${String(code)}: ${stderr}`));
      else resolve(Number(writes[1]));
    });
  });
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
