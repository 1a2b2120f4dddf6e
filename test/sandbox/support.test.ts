/**
 * What wsp says about the sandbox: init and aim status report whether it works here, the config is
 * read with errors that name the file, and `required` refuses a machine without bubblewrap.
 */
import { strict as assert } from "node:assert";
import { execFileSync, spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { aimStatus } from "../../src/cli/commands/aim";
import { init } from "../../src/cli/commands/init";
import { run } from "../../src/cli/commands/run";
import { captureIO } from "../../src/cli/io";
import { UserError } from "../../src/core/errors";
import { sandboxSupport } from "../../src/node/process/sandbox/support";
import { loadSandboxConfig } from "../../src/node/tools/sandboxConfig";
import { createTempRepo } from "../support/tempRepo";
import { bundle, createWorkspace, ensureBuilt, REPO, STANDIN_BIN } from "../orchestrator/support";

describe("sandbox support and settings", function () {
  this.timeout(60_000);

  it("finds bubblewrap working on this machine (CI installs it)", function () {
    if (process.platform !== "linux") this.skip();
    const support = sandboxSupport();
    assert.equal(support.available, true, support.reason);
    assert.match(support.engine ?? "", /^bubblewrap \d/);
  });

  it("is reported by wsp init and wsp aim status, and init ships config/sandbox.yaml", async () => {
    const repo = createTempRepo({ "README.md": "x\n" });
    try {
      const io = captureIO(repo.root, { ...process.env });
      assert.equal(await init({}, io), 0);
      assert.match(io.stdout, /^Sandbox: (bubblewrap .*|unavailable: .*)$/m);
      assert.match(io.stdout, /created config\/sandbox\.yaml/);
      const aim = captureIO(repo.root, { ...process.env });
      assert.equal(await aimStatus({}, aim), 0);
      assert.match(aim.stdout, /^Sandbox: /m);
      const json = captureIO(repo.root, { ...process.env });
      await aimStatus({ json: true }, json);
      assert.equal(
        typeof (JSON.parse(json.stdout) as { sandbox: { available: boolean } }).sandbox.available,
        "boolean",
      );
    } finally {
      repo.remove();
    }
  });

  it("reads config/sandbox.yaml and names the file and the bad value", () => {
    const dir = mkdtempSync(path.join(tmpdir(), "wsp-sandbox-config-"));
    try {
      mkdirSync(path.join(dir, "config"));
      assert.equal(loadSandboxConfig(dir, {}).mode, "auto");
      writeFileSync(path.join(dir, "config", "sandbox.yaml"), "mode: required\nnetwork: none\n");
      assert.deepEqual(loadSandboxConfig(dir, {}), { mode: "required", network: "none", env: [] });
      assert.equal(loadSandboxConfig(dir, { PIPELINE_SANDBOX: "off" }).mode, "off");
      assert.equal(loadSandboxConfig(dir, { PIPELINE_SANDBOX: "off" }, "auto").mode, "auto");
      assert.throws(
        () => loadSandboxConfig(dir, { PIPELINE_SANDBOX: "sometimes" }),
        (error: unknown) => {
          assert.ok(error instanceof UserError);
          assert.match(error.message, /PIPELINE_SANDBOX must be one of required, auto, off/);
          return true;
        },
      );
      writeFileSync(path.join(dir, "config", "sandbox.yaml"), "mode: [\n");
      assert.throws(() => loadSandboxConfig(dir, {}), /config\/sandbox\.yaml: cannot parse: .*\(2:1\)/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("runs a sandboxed workstream whose worktrees folder lies outside the repository", async function () {
    if (process.platform !== "linux") this.skip();
    const ws = createWorkspace(
      [bundle("ws-out")],
      {},
      { STANDIN_SCENARIO: "succeed", PIPELINE_SANDBOX: "required" },
    );
    const worktrees = mkdtempSync(path.join(tmpdir(), "wsp-outside-worktrees-"));
    try {
      const io = ws.io();
      assert.equal(await run("ws-out", { runId: "r-out", worktrees }, io), 0, io.stderr + io.stdout);
      assert.match(ws.git("show", "workstream/ws-out:src/math.js"), /return a \+ b/);
    } finally {
      rmSync(worktrees, { recursive: true, force: true });
      ws.remove();
    }
  });

  it("refuses a run that requires the sandbox where bubblewrap cannot be found, with exit 2", () => {
    ensureBuilt();
    const ws = createWorkspace([bundle("ws-a")]);
    const bin = mkdtempSync(path.join(tmpdir(), "wsp-no-bwrap-"));
    try {
      for (const tool of ["git", "node"])
        symlinkSync(execFileSync("which", [tool], { encoding: "utf8" }).trim(), path.join(bin, tool));
      const result = spawnSync(
        process.execPath,
        [path.join(REPO, "dist", "cli.js"), "run", "ws-a", "--sandbox", "required"],
        {
          cwd: ws.root,
          env: { ...ws.env, PATH: bin },
          encoding: "utf8",
        },
      );
      assert.equal(result.status, 2, result.stderr);
      assert.match(
        result.stderr,
        /the sandbox is required but not available: bubblewrap \(bwrap\) is not installed/,
      );
      const auto = spawnSync(process.execPath, [path.join(REPO, "dist", "cli.js"), "run", "ws-a"], {
        cwd: ws.root,
        env: { ...ws.env, PATH: `${STANDIN_BIN}${path.delimiter}${bin}` },
        encoding: "utf8",
      });
      assert.equal(auto.status, 0, auto.stderr);
      const warnings = auto.stderr.split("\n").filter((line) => /without a sandbox/.test(line));
      assert.deepEqual(warnings, [
        "wsp: warning: tools run without a sandbox: bubblewrap (bwrap) is not installed; on Debian or Ubuntu: apt-get install bubblewrap",
      ]);
    } finally {
      rmSync(bin, { recursive: true, force: true });
      ws.remove();
    }
  });
});
