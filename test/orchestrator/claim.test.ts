import { strict as assert } from "node:assert";
import { spawn, spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { claimDirectory, claimWorkstream } from "../../src/node/orchestrator/workstreamClaim";
import { bundleScript } from "../support/bundleScript";

/** A pid that no process has any more. */
function deadPid(): number {
  return spawnSync(process.execPath, ["-e", "0"]).pid;
}

describe("workstream claims", () => {
  let dir = "";
  beforeEach(() => (dir = mkdtempSync(path.join(tmpdir(), "wsp-claim-"))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it("lets one run hold a workstream at a time, and names the holder to the next", () => {
    const first = claimWorkstream(dir, "ws-a", "run-1");
    assert.ok("held" in first);
    const second = claimWorkstream(dir, "ws-a", "run-2");
    assert.deepEqual(second, { heldBy: { pid: process.pid, runId: "run-1" } });
    assert.ok("held" in claimWorkstream(dir, "ws-b", "run-2"), "another workstream is free");
    first.held.release();
    assert.ok("held" in claimWorkstream(dir, "ws-a", "run-2"), "free again once released");
    assert.deepEqual(readdirSync(claimDirectory(dir, "ws-a")), ["0.json"], "no staging file is left behind");
  });

  it("takes over a claim whose process is gone, or that cannot be read, and clears it away", () => {
    mkdirSync(claimDirectory(dir, "ws-a"), { recursive: true });
    mkdirSync(claimDirectory(dir, "ws-b"), { recursive: true });
    writeFileSync(
      path.join(claimDirectory(dir, "ws-a"), "0.json"),
      JSON.stringify({ pid: deadPid(), runId: "run-crashed" }),
    );
    writeFileSync(path.join(claimDirectory(dir, "ws-b"), "4.json"), "{ torn");
    assert.ok("held" in claimWorkstream(dir, "ws-a", "run-2"));
    assert.ok("held" in claimWorkstream(dir, "ws-b", "run-2"));
    assert.deepEqual(readdirSync(claimDirectory(dir, "ws-a")), ["1.json"]);
    assert.deepEqual(readdirSync(claimDirectory(dir, "ws-b")), ["5.json"]);
    assert.deepEqual(claimWorkstream(dir, "ws-a", "run-3"), {
      heldBy: { pid: process.pid, runId: "run-2" },
    });
  });

  it("takes over a named pipe in a claim's place without waiting on it", function () {
    if (process.platform === "win32") this.skip();
    mkdirSync(claimDirectory(dir, "ws-p"), { recursive: true });
    spawnSync("mkfifo", [path.join(claimDirectory(dir, "ws-p"), "7.json")]);
    assert.ok("held" in claimWorkstream(dir, "ws-p", "run-2"));
    assert.deepEqual(readdirSync(claimDirectory(dir, "ws-p")), ["8.json"]);
  });

  it("releases only its own claim, never the one in force after it", () => {
    const mine = claimWorkstream(dir, "ws-a", "run-1");
    assert.ok("held" in mine);
    writeFileSync(
      path.join(claimDirectory(dir, "ws-a"), "1.json"),
      JSON.stringify({ pid: process.pid, runId: "run-2" }),
    );
    mine.held.release();
    assert.deepEqual(claimWorkstream(dir, "ws-a", "run-3"), {
      heldBy: { pid: process.pid, runId: "run-2" },
    });
  });

  describe("between processes @slow", () => {
    let script = "";
    before(() => {
      const out = mkdtempSync(path.join(tmpdir(), "wsp-claimer-"));
      script = bundleScript(path.join(__dirname, "fixtures", "claimer.ts"), out);
    });
    after(() => rmSync(path.dirname(script), { recursive: true, force: true }));

    /** Starts `count` claimers at once on one workstream; resolves with each one's first answer. */
    async function raceClaimers(
      count: number,
      round: number,
    ): Promise<{ answers: string[]; stop(): Promise<void> }> {
      const goFile = path.join(dir, `go-${round}`);
      const stopFile = path.join(dir, `stop-${round}`);
      const children = Array.from({ length: count }, (_, index) =>
        spawn(process.execPath, [script, dir, "ws-a", `run-${round}-${index}`, goFile, stopFile], {
          stdio: ["ignore", "pipe", "pipe"],
        }),
      );
      const exits = children.map(
        (child) =>
          new Promise<void>((resolve, reject) => {
            let stderr = "";
            child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
            child.on("exit", (code) => (code === 0 ? resolve() : reject(new Error(`claimer: ${stderr}`))));
          }),
      );
      const lines = children.map((child) => {
        let stdout = "";
        const seen = (text: string): Promise<string> =>
          new Promise((resolve, reject) => {
            const check = (): void => {
              const line = stdout.split("\n").find((entry) => entry.startsWith(text));
              if (line !== undefined) resolve(line);
            };
            child.stdout.on("data", check);
            child.on("exit", () => (stdout.includes(text) ? check() : reject(new Error(`no "${text}"`))));
            check();
          });
        child.stdout.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk));
        return { ready: seen("ready"), answer: seen("held") };
      });
      await Promise.all(lines.map((line) => line.ready));
      writeFileSync(goFile, "");
      const answers = await Promise.all(lines.map((line) => line.answer));
      return {
        answers,
        stop: async () => {
          writeFileSync(stopFile, "");
          await Promise.all(exits);
        },
      };
    }

    it("gives a crashed run's claim to exactly one of several runs taking it over at once", async () => {
      for (let round = 0; round < 4; round++) {
        mkdirSync(claimDirectory(dir, "ws-a"), { recursive: true });
        const stale = readdirSync(claimDirectory(dir, "ws-a")).length;
        writeFileSync(
          path.join(claimDirectory(dir, "ws-a"), `${stale}.json`),
          JSON.stringify({ pid: deadPid(), runId: "run-crashed" }),
        );
        const race = await raceClaimers(6, round);
        const { answers } = race;
        try {
          const holders = answers.filter((answer) => answer === "held");
          assert.equal(holders.length, 1, `round ${round}: ${answers.join(", ")}`);
          const others = new Set(answers.filter((answer) => answer !== "held"));
          assert.equal(others.size, 1, `every other run names the same holder: ${[...others].join(", ")}`);
        } finally {
          await race.stop();
        }
        assert.ok(existsSync(claimDirectory(dir, "ws-a")));
      }
    });
  });
});
