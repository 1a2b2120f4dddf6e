import { strict as assert } from "node:assert";
import { spawnSync } from "node:child_process";
import fc from "fast-check";
import { gateScript, readGateScript } from "../../src/core/merge/gateScript";

function runScript(commands: { argv: string[]; viaShell: boolean }[]) {
  const result = spawnSync("sh", ["-c", gateScript(commands, 30)], { encoding: "utf8" });
  return readGateScript(result.stdout, result.stderr, result.status);
}

describe("a gate's commands as one script", () => {
  it("runs every command when all pass, each on its own", () => {
    const outcome = runScript([
      { argv: ["sh", "-c", "echo one"], viaShell: true },
      { argv: ["true"], viaShell: false },
    ]);
    assert.equal(outcome.started, 2);
    assert.equal(outcome.failed, undefined);
  });

  it("stops at the first failure and gives that command's own output and status", () => {
    const outcome = runScript([
      { argv: ["sh", "-c", "echo noise from the first"], viaShell: true },
      { argv: ["sh", "-c", "echo out; echo broken >&2; exit 3"], viaShell: true },
      { argv: ["sh", "-c", "echo never"], viaShell: true },
    ]);
    assert.deepEqual(outcome.failed, { index: 1, status: 3, timedOut: false });
    assert.equal(outcome.started, 2);
    assert.equal(outcome.stdout, "out\n");
    assert.equal(outcome.stderr, "broken\n");
  });

  it("passes any argument through the shell unchanged", () => {
    fc.assert(
      fc.property(fc.string({ unit: "grapheme-ascii" }), (word) => {
        const clean = word.replace(/\0/g, "");
        const outcome = runScript([{ argv: ["printf", "%s", clean], viaShell: false }]);
        assert.equal(outcome.failed, undefined);
        assert.equal(outcome.stdout, clean);
      }),
      { numRuns: 50 },
    );
  });

  it("reports a timeout as such", () => {
    const script = gateScript([{ argv: ["sleep", "5"], viaShell: false }], 1);
    const result = spawnSync("sh", ["-c", script], { encoding: "utf8" });
    assert.deepEqual(readGateScript(result.stdout, result.stderr, result.status).failed, {
      index: 0,
      status: 124,
      timedOut: true,
    });
  });
});
