/**
 * A configuration file that is not a regular file (a named pipe, a folder) never hangs wsp: the
 * commands that read it stop with an error naming it, and validation reads the bundles without it.
 */
import { strict as assert } from "node:assert";
import { execFileSync, spawnSync } from "node:child_process";
import { mkdirSync, rmSync } from "node:fs";
import path from "node:path";
import { readConfigText } from "../../src/node/files/configText";
import { UserError } from "../../src/core/errors";
import { bundle, createWorkspace, ensureBuilt, REPO, type Workspace } from "../orchestrator/support";

/** The built CLI in the workspace, bounded so a hang fails the test instead of stalling it. */
function wsp(ws: Workspace, ...args: string[]) {
  return spawnSync(process.execPath, [path.join(REPO, "dist", "cli.js"), ...args], {
    cwd: ws.root,
    env: ws.env,
    encoding: "utf8",
    timeout: 20_000,
  });
}

describe("hostile configuration files @slow", function () {
  this.timeout(60_000);
  before(ensureBuilt);

  it("refuses a FIFO in place of config/tool_profiles.json at once, naming it", () => {
    const ws = createWorkspace([bundle("ws-a")]);
    try {
      const profiles = path.join(ws.root, "config", "tool_profiles.json");
      rmSync(profiles);
      execFileSync("mkfifo", [profiles]);
      assert.throws(
        () => readConfigText(profiles),
        (error: unknown) => error instanceof UserError && /is not a regular file/.test(error.message),
      );
      const started = Date.now();
      const runResult = wsp(ws, "run", "ws-a", "--dry-run");
      assert.equal(runResult.status, 2, runResult.stderr);
      assert.match(runResult.stderr, /config\/tool_profiles\.json: is not a regular file/);
      const validate = wsp(ws, "validate", "--json");
      assert.ok(validate.status === 0 || validate.status === 1, validate.stderr);
      assert.ok(Date.now() - started < 15_000, "something waited on the pipe");
    } finally {
      ws.remove();
    }
  });

  it("refuses a folder in place of config/sandbox.yaml", () => {
    const ws = createWorkspace([bundle("ws-a")]);
    try {
      rmSync(path.join(ws.root, "config", "sandbox.yaml"));
      mkdirSync(path.join(ws.root, "config", "sandbox.yaml"));
      const result = wsp(ws, "run", "ws-a");
      assert.equal(result.status, 2, result.stderr);
      assert.match(result.stderr, /config\/sandbox\.yaml: is not a regular file/);
    } finally {
      ws.remove();
    }
  });
});
