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
import { bundle, createWorkspace, ensureBuilt, REPO } from "../orchestrator/support";

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
      const runResult = spawnSync(
        process.execPath,
        [path.join(REPO, "dist", "cli.js"), "run", "ws-a", "--dry-run"],
        {
          cwd: ws.root,
          env: ws.env,
          encoding: "utf8",
          timeout: 20_000,
        },
      );
      assert.equal(runResult.status, 2, runResult.stderr);
      assert.match(runResult.stderr, /config\/tool_profiles\.json: is not a regular file/);
      const validate = spawnSync(
        process.execPath,
        [path.join(REPO, "dist", "cli.js"), "validate", "--json"],
        {
          cwd: ws.root,
          env: ws.env,
          encoding: "utf8",
          timeout: 20_000,
        },
      );
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
      const result = spawnSync(process.execPath, [path.join(REPO, "dist", "cli.js"), "run", "ws-a"], {
        cwd: ws.root,
        env: ws.env,
        encoding: "utf8",
        timeout: 20_000,
      });
      assert.equal(result.status, 2, result.stderr);
      assert.match(result.stderr, /config\/sandbox\.yaml: is not a regular file/);
    } finally {
      ws.remove();
    }
  });
});
