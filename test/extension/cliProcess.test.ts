import assert from "node:assert/strict";
import { cpSync } from "node:fs";
import path from "node:path";
import { spawnCli } from "../../src/extension/runs/cliProcess";
import { processRunning } from "../../src/node/process/processAlive";
import { descendantsOf } from "../../src/node/process/processTree";
import { createTempRepo } from "../support/tempRepo";
import { ensureBuilt } from "../orchestrator/support";

const FIXTURE = path.resolve("test/vscode/fixtures/workspace");

async function until<T>(what: string, probe: () => T | undefined, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe("the extension's CLI process: ndjson events and Cancel of the whole tree @slow", function () {
  this.timeout(60_000);
  before(() => ensureBuilt());

  it("streams a run's events line by line and stops every process of a hanging run within 2 s", async () => {
    const repo = createTempRepo({}, "wsp-ext-cli-");
    try {
      for (const folder of ["workstreams", "example", "config", "docs"])
        cpSync(path.join(FIXTURE, folder), path.join(repo.root, folder), { recursive: true });
      repo.commitAll("fixture");
      const lines: string[] = [];
      const cli = spawnCli({
        extensionPath: path.resolve("."),
        cwd: repo.root,
        args: ["run", "ws-run-hang", "--events", "ndjson"],
        onStdoutLine: (line) => lines.push(line),
      });
      const pid = cli.child.pid!;
      const tools = await until("the hanging tool and its two children", () => {
        const found = descendantsOf(pid);
        return found.length >= 3 ? found : undefined;
      });
      const started = Date.now();
      await cli.stop();
      const elapsed = Date.now() - started;
      assert.deepEqual([pid, ...tools].filter(processRunning), [], "a process survived Cancel");
      assert.ok(elapsed < 2000, `stopping took ${elapsed} ms`);
      const types = lines.map((line) => (JSON.parse(line) as { type: string }).type);
      assert.ok(types.includes("step_start"), types.join(", "));
      assert.equal(types[types.length - 1], "run_end", "the CLI recorded the run's end before exiting");
    } finally {
      repo.remove();
    }
  });
});
