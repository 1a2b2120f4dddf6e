import assert from "node:assert/strict";
import { cpSync } from "node:fs";
import path from "node:path";
import { captureIO } from "../../src/cli/io";
import { validate } from "../../src/cli/commands/validate";
import { openStore } from "../../src/node/store";
import { makeTempDir } from "./support";

const ROOT = path.join(__dirname, "..", "..");

describe("wsp validate --run-id records pending workstreams", () => {
  let temp: ReturnType<typeof makeTempDir>;
  beforeEach(() => {
    temp = makeTempDir("wsp-validate-run-");
    for (const dir of ["workstreams", "example", "docs", "config"]) {
      cpSync(path.join(ROOT, dir), path.join(temp.dir, dir), { recursive: true });
    }
  });
  afterEach(() => temp.remove());

  it("creates the run and one pending workstream per bundle, and is safe to repeat", async () => {
    const io = captureIO(temp.dir);
    assert.equal(await validate({ runId: "r-1" }, io), 0, io.stderr);
    assert.match(io.stderr, /run r-1: \d+ workstream\(s\) recorded as pending/);
    const again = captureIO(temp.dir);
    assert.equal(await validate({ runId: "r-1" }, again), 0, again.stderr);
    assert.match(again.stderr, /run r-1: 0 workstream\(s\) recorded as pending/);

    const store = await openStore({ path: path.join(temp.dir, "state", "pipeline.db"), readOnly: true });
    try {
      assert.equal((await store.getRun("r-1")).status, "pending");
      const workstreams = await store.listWorkstreams("r-1");
      assert.ok(workstreams.length > 0);
      assert.ok(workstreams.every((ws) => ws.status === "pending"));
      assert.ok(workstreams.some((ws) => ws.wsId === "ws-docs"));
    } finally {
      await store.close();
    }
  });
});
