import assert from "node:assert/strict";
import { cpSync, existsSync, readFileSync } from "node:fs";
import path from "node:path";
import { captureIO } from "../../src/cli/io";
import { validate } from "../../src/cli/commands/validate";
import { openStore } from "../../src/node/store";
import { loadSqlJs } from "../../src/node/store/sqlJs";
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

  it("records the run and all its workstreams in one transaction, so a kill leaves all or none", async () => {
    const io = captureIO(temp.dir);
    assert.equal(await validate({ runId: "r-1" }, io), 0, io.stderr);
    const file = path.join(temp.dir, "state", "pipeline.db");
    const store = await openStore({ path: file, readOnly: true });
    const count = (await store.listWorkstreams("r-1")).length;
    await store.close();
    assert.ok(count > 1, "the example has several bundles");
    // A new store starts at sequence 0; the writer's close folds everything into the file.
    assert.equal(await journalSeq(file), 1, `one transaction for the run and its ${count} workstreams`);
  });

  it("takes the store from --db, over $PIPELINE_DB_PATH", async () => {
    const io = captureIO(temp.dir, { PIPELINE_DB_PATH: "env/pipeline.db" });
    assert.equal(await validate({ runId: "r-2", db: "flag/pipeline.db" }, io), 0, io.stderr);
    assert.ok(io.stderr.includes(path.join(temp.dir, "flag", "pipeline.db")), io.stderr);
    const store = await openStore({ path: path.join(temp.dir, "flag", "pipeline.db"), readOnly: true });
    try {
      assert.equal((await store.getRun("r-2")).status, "pending");
    } finally {
      await store.close();
    }
    assert.ok(!existsSync(path.join(temp.dir, "env", "pipeline.db")));
  });
});

async function journalSeq(file: string): Promise<number> {
  const SQL = await loadSqlJs();
  const db = new SQL.Database(readFileSync(file));
  try {
    return Number(db.exec("SELECT value FROM schema_meta WHERE key = 'journal_seq'")[0]?.values[0]?.[0]);
  } finally {
    db.close();
  }
}
