import { strict as assert } from "node:assert";
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { claimFile, claimWorkstream } from "../../src/node/orchestrator/workstreamClaim";

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
    assert.deepEqual(
      readdirSync(path.dirname(claimFile(dir, "ws-a"))).sort(),
      ["ws-a.json", "ws-b.json"],
      "no staging file is left behind",
    );
  });

  it("takes over a claim whose process is gone, or that cannot be read", () => {
    const gone = spawnSync(process.execPath, ["-e", "0"]).pid;
    mkdirSync(path.dirname(claimFile(dir, "ws-a")), { recursive: true });
    writeFileSync(claimFile(dir, "ws-a"), JSON.stringify({ pid: gone, runId: "run-crashed" }));
    writeFileSync(claimFile(dir, "ws-b"), "{ torn");
    assert.ok("held" in claimWorkstream(dir, "ws-a", "run-2"));
    assert.ok("held" in claimWorkstream(dir, "ws-b", "run-2"));
  });

  it("does not release a claim that another run has taken over", () => {
    const mine = claimWorkstream(dir, "ws-a", "run-1");
    assert.ok("held" in mine);
    writeFileSync(claimFile(dir, "ws-a"), JSON.stringify({ pid: process.pid, runId: "run-2" }));
    mine.held.release();
    assert.ok(existsSync(claimFile(dir, "ws-a")));
  });
});
