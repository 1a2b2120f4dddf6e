import { strict as assert } from "node:assert";
import { spawn } from "node:child_process";
import { existsSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { resume } from "../../src/cli/commands/resume";
import { captureIO } from "../../src/cli/io";
import { processRunning } from "../../src/node/process/processAlive";
import { processTree, runIdVariable } from "../../src/node/process/processTree";
import { integrityCheck } from "../store/support";
import { bundle, createWorkspace, ensureBuilt, REPO, type Workspace } from "./support";

const CLI = path.join(REPO, "dist", "cli.js");
const TERMINAL = ["done", "failed", "blocked", "cancelled"];
const ROUNDS: { sandbox: "auto" | "off" }[] = [
  { sandbox: "auto" },
  { sandbox: "auto" },
  { sandbox: "auto" },
  { sandbox: "auto" },
  { sandbox: "auto" },
  { sandbox: "off" },
];

/** Times of the stand-in's stamped writes (see its `slow-late` scenario) in `text`. */
function lateWrites(text: string): number[] {
  return [...text.matchAll(/late write at (\d+)/g)].map((match) => Number(match[1]));
}

/**
 * Kills `wsp run --all` with -9 at a random moment, resumes, and checks what must hold after any
 * crash: the store is sound, every workstream ends, nothing a dead tool wrote afterwards survives,
 * and no process or worktree is left over.
 */
describe("chaos: kill -9 at random moments, then resume @slow", function () {
  this.timeout(60_000);
  before(ensureBuilt);
  let ws: Workspace | undefined;
  const pidFile = path.join(tmpdir(), `standin-chaos-${process.pid}`);
  afterEach(() => {
    rmSync(pidFile, { force: true });
    ws?.remove();
  });

  for (const [round, { sandbox }] of ROUNDS.entries())
    it(`round ${round + 1} (sandbox ${sandbox})`, async () => {
      const runId = `chaos-${round}`;
      ws = createWorkspace(
        [bundle("ws-a"), bundle("ws-b", { depends_on: ["ws-a"] }), bundle("ws-c", { depends_on: ["ws-a"] })],
        {},
        {
          STANDIN_SCENARIO: "slow-late",
          STANDIN_SLEEP_MS: "300",
          STANDIN_PIDFILE: pidFile,
          PIPELINE_SANDBOX: sandbox,
        },
      );
      const child = spawn(process.execPath, [CLI, "run", "--all", "--run-id", runId], {
        cwd: ws.root,
        env: ws.env,
        stdio: "ignore",
      });
      const exited = new Promise((resolve) => child.once("exit", resolve));
      await new Promise((resolve) => setTimeout(resolve, 300 + Math.floor(Math.random() * 2500)));
      child.kill("SIGKILL");
      await exited;
      const killedAt = Date.now();

      const before = await ws.openStore();
      const started = (await before.findRun(runId)) !== undefined;
      await before.close();
      if (started) {
        const io = captureIO(ws.root, { ...ws.env, STANDIN_SCENARIO: "succeed" });
        const code = await resume(runId, {}, io).catch((error: Error) => {
          assert.match(error.message, /already finished/);
          return 0;
        });
        assert.ok(code === 0 || code === 1, io.stderr);
      }

      const store = await ws.openStore();
      try {
        if (started)
          for (const row of await store.listWorkstreams(runId))
            assert.ok(TERMINAL.includes(row.status), `${row.wsId} ended ${row.status}`);
        await store.checkpoint();
      } finally {
        await store.close();
      }
      assert.equal(await integrityCheck(ws.dbPath), "ok");

      // No write stamped after the kill, in any branch or in the base checkout.
      for (const branch of ws.git("branch", "--format=%(refname:short)").split("\n").filter(Boolean)) {
        const text = ws.git("show", `${branch}:src/math.js`);
        for (const at of lateWrites(text))
          assert.ok(at < killedAt, `${branch} holds a write made after the kill`);
      }
      // Nothing of the run is still running, and every worktree folder is one git knows.
      assert.deepEqual(processTree(undefined, runId, runIdVariable), []);
      if (existsSync(pidFile))
        for (const pid of readFileSync(pidFile, "utf8").trim().split("\n").map(Number))
          assert.equal(processRunning(pid), false, `stand-in ${pid} outlived the run`);
      const registered = ws.git("worktree", "list", "--porcelain");
      const worktrees = path.join(ws.root, ".worktrees");
      if (existsSync(worktrees))
        for (const entry of readdirSync(worktrees).filter((name) => !name.startsWith(".")))
          assert.ok(registered.includes(path.join(worktrees, entry)), `orphaned worktree ${entry}`);
    });
});
