/**
 * Nothing outlives a sandboxed tool: a hostile tool (fixtures/hostileTool.cjs, test code) that
 * ignores SIGTERM and leaves a double-forked writer appending to its worktree is gone, with every
 * descendant, within 2 s of Ctrl-C or of `kill -9` of wsp itself; and `wsp resume` commits nothing
 * the dead run's tools wrote.
 */
import { strict as assert } from "node:assert";
import { type ChildProcess, spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import { existsSync, readdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { resume } from "../../src/cli/commands/resume";
import { bundle, createWorkspace, ensureBuilt, REPO, type Workspace } from "../orchestrator/support";

const HOSTILE_TOOL = path.join(__dirname, "fixtures", "hostileTool.cjs");

function survivors(marker: string): number[] {
  return readdirSync("/proc")
    .filter((name) => /^\d+$/.test(name))
    .filter((pid) => {
      try {
        const state = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1]?.[0];
        return state !== "Z" && readFileSync(`/proc/${pid}/cmdline`, "utf8").includes(marker);
      } catch {
        return false;
      }
    })
    .map(Number);
}

async function until(what: string, check: () => boolean, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

function setTool(ws: Workspace, attack: string, marker: string): void {
  const file = path.join(ws.root, "config", "tool_profiles.json");
  const profiles = JSON.parse(readFileSync(file, "utf8")) as Record<string, unknown>;
  profiles.hostile = {
    kind: "edit",
    command: "{node}",
    args: [HOSTILE_TOOL, attack, marker],
    timeout_sec: 120,
  };
  writeFileSync(file, JSON.stringify(profiles, null, 2));
}

/** A workspace whose edit tool lingers, and wsp running it in the background until the writer writes. */
async function startLingering(
  marker: string,
): Promise<{ ws: Workspace; wsp: ChildProcess; lingerFile: string }> {
  const ws = createWorkspace([
    bundle("ws-h", { tool: "hostile", files_scope: ["src/math.js", "src/linger.txt"], static_tools: [] }),
  ]);
  setTool(ws, "linger", marker);
  ws.commitAll("a lingering tool");
  const wsp = spawn(process.execPath, [path.join(REPO, "dist", "cli.js"), "run", "ws-h", "--run-id", "k"], {
    cwd: ws.root,
    env: { ...ws.env, PIPELINE_SANDBOX: "required" },
    stdio: "ignore",
  });
  const lingerFile = path.join(ws.root, ".worktrees", "ws-h", "src", "linger.txt");
  await until("the lingering writer to write", () => existsSync(lingerFile));
  return { ws, wsp, lingerFile };
}

describe("stopping a run whose tool will not stop @slow", function () {
  this.timeout(90_000);
  before(function () {
    if (process.platform !== "linux") this.skip();
    ensureBuilt();
  });

  it("kill -9 of wsp leaves no process of the tool within 2 s, and resume commits none of its writes", async () => {
    const marker = `linger-${randomUUID()}`;
    const { ws, wsp, lingerFile } = await startLingering(marker);
    try {
      assert.ok(survivors(marker).length >= 2, "the tool and its writer run");
      const killed = Date.now();
      wsp.kill("SIGKILL");
      await until("every process of the tool to be gone", () => survivors(marker).length === 0, 2000);
      assert.ok(Date.now() - killed <= 2000);
      const size = readFileSync(lingerFile, "utf8").length;
      await new Promise((resolve) => setTimeout(resolve, 500));
      assert.equal(readFileSync(lingerFile, "utf8").length, size, "something still writes into the worktree");

      setTool(ws, "none", marker);
      const io = ws.io();
      assert.equal(await resume("k", {}, io), 0, io.stderr);
      const files = ws.git("ls-tree", "-r", "--name-only", "workstream/ws-h");
      assert.ok(!files.includes("src/linger.txt"), "the dead run's write was committed");
      assert.match(ws.git("show", "workstream/ws-h:src/math.js"), /return a \+ b/);
    } finally {
      wsp.kill("SIGKILL");
      ws.remove();
    }
  });

  it("Ctrl-C stops the tool and every descendant within 2 s, and the run records the cancel", async () => {
    const marker = `linger-${randomUUID()}`;
    const { ws, wsp } = await startLingering(marker);
    try {
      const exited = new Promise<number | null>((resolve) => wsp.once("exit", (code) => resolve(code)));
      const interrupted = Date.now();
      wsp.kill("SIGINT");
      await until("every process of the tool to be gone", () => survivors(marker).length === 0, 2000);
      assert.ok(Date.now() - interrupted <= 2000);
      assert.notEqual(await exited, 0);
      const store = await ws.openStore();
      try {
        assert.equal((await store.getWorkstream("k", "ws-h")).status, "cancelled");
      } finally {
        await store.close();
      }
    } finally {
      wsp.kill("SIGKILL");
      ws.remove();
    }
  });
});
