import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { existsSync, readdirSync } from "node:fs";
import path from "node:path";
import { openStore } from "../../src/node/store";
import { FIXTURES, bundleScript, integrityCheck, makeTempDir } from "./support";

interface ChildResult {
  acked: Map<number, number>;
  stderr: string;
}

/** Runs the writer and kills it with SIGKILL `killAfterMs` after it reported ready (or at once if negative). */
function runAndKill(script: string, file: string, label: string, killAfterMs: number): Promise<ChildResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [script, file, label, "30", "16384"], {
      stdio: ["ignore", "pipe", "pipe"],
    });
    const acked = new Map<number, number>();
    let buffered = "";
    let stderr = "";
    const kill = (): void => void child.kill("SIGKILL");
    if (killAfterMs < 0) setTimeout(kill, -killAfterMs);
    child.stdout.setEncoding("utf8").on("data", (chunk: string) => {
      buffered += chunk;
      const lines = buffered.split("\n");
      buffered = lines.pop() ?? "";
      for (const line of lines) {
        const [kind, id, i] = line.split(" ");
        if (kind === "ready" && killAfterMs >= 0) setTimeout(kill, killAfterMs);
        if (kind === "ack") acked.set(Number(id), Number(i));
      }
    });
    child.stderr.setEncoding("utf8").on("data", (chunk: string) => (stderr += chunk));
    child.on("error", reject);
    child.on("exit", (_code, signal) => {
      if (signal !== "SIGKILL") reject(new Error(`writer ended without being killed: ${stderr}`));
      else resolve({ acked, stderr });
    });
  });
}

describe("state store: kill -9 at a random moment @slow", function () {
  this.timeout(120_000);
  let temp: ReturnType<typeof makeTempDir>;
  let script: string;

  before(() => {
    temp = makeTempDir("wsp-crash-");
    script = bundleScript(path.join(FIXTURES, "writer.ts"), temp.dir);
  });
  after(() => temp.remove());

  it("keeps every acknowledged event and a sound file over 50 kills", async () => {
    const file = path.join(temp.dir, "state", "pipeline.db");
    const everyAcked = new Map<number, string>();
    let killedWhileOpening = 0;
    for (let round = 0; round < 50; round++) {
      // Every fifth round dies during start-up (open, create, migrate); the rest mid-write, often mid-checkpoint.
      const killAfter =
        round % 5 === 4 ? -Math.floor(Math.random() * 120) - 1 : Math.floor(Math.random() * 80);
      const result = await runAndKill(script, file, `round-${round}`, killAfter);
      if (result.acked.size === 0) killedWhileOpening++;
      for (const [id, i] of result.acked) everyAcked.set(id, `"round-${round}":${i}`);

      if (!existsSync(file)) continue;
      assert.equal(await integrityCheck(file), "ok", `integrity after round ${round}`);
      const reader = await openStore({ path: file, readOnly: true });
      try {
        const events = new Map<number, string>();
        let after = 0;
        for (;;) {
          const batch = await reader.eventsAfter(after, { limit: 5000 });
          for (const event of batch)
            events.set(
              event.id,
              `${JSON.stringify(event.payload?.writer)}:${JSON.stringify(event.payload?.i)}`,
            );
          if (batch.length < 5000) break;
          after = batch.at(-1)?.id ?? after;
        }
        for (const [id, what] of everyAcked)
          assert.equal(events.get(id), what, `acknowledged event ${id} (${what}) after round ${round}`);
      } finally {
        await reader.close();
      }
    }
    assert.ok(
      everyAcked.size > 500,
      `enough writes were acknowledged to mean something (${everyAcked.size})`,
    );
    assert.ok(killedWhileOpening < 50);
    // The next writer sweeps temp and staging files that killed writers left behind.
    await (await openStore({ path: file })).close();
    assert.deepEqual(readdirSync(path.dirname(file)).sort(), ["pipeline.db", "pipeline.db.journal.ndjson"]);
  });
});
