import assert from "node:assert/strict";
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { openStore } from "../../src/node/store";
import { MIGRATIONS } from "../../src/node/store/migrations";
import { CURRENT_SCHEMA_VERSION, SCHEMA_SQL } from "../../src/node/store/schemaSql";
import { loadSqlJs } from "../../src/node/store/sqlJs";
import { FIXTURES, integrityCheck, makeTempDir, sha256 } from "./support";

const ROOT = path.join(__dirname, "..", "..");

async function v0Store(file: string): Promise<void> {
  const SQL = await loadSqlJs();
  const db = new SQL.Database();
  db.run(readFileSync(path.join(FIXTURES, "schema-v0.sql"), "utf8"));
  writeFileSync(file, db.export());
  db.close();
}

describe("state store schema and migrations", () => {
  let temp: ReturnType<typeof makeTempDir>;
  beforeEach(() => (temp = makeTempDir("wsp-schema-")));
  afterEach(() => temp.remove());

  it("builds in exactly schema/schema.sql", () => {
    assert.equal(SCHEMA_SQL, readFileSync(path.join(ROOT, "schema", "schema.sql"), "utf8"));
    assert.match(SCHEMA_SQL, new RegExp(`'schema_version', '${CURRENT_SCHEMA_VERSION}'`));
  });

  it("has the indexes the views query by", async () => {
    const SQL = await loadSqlJs();
    const db = new SQL.Database();
    db.run(SCHEMA_SQL);
    const indexes =
      db.exec("SELECT tbl_name, sql FROM sqlite_master WHERE type = 'index' AND sql IS NOT NULL")[0]
        ?.values ?? [];
    db.close();
    const on = (table: string): string[] =>
      indexes.filter((row) => row[0] === table).map((row) => String(row[1]));
    assert.ok(
      on("runs").some((sql) => /created_at/.test(sql)),
      "runs by time",
    );
    assert.ok(
      on("runs").some((sql) => /\(status/.test(sql)),
      "runs by status",
    );
    assert.ok(
      on("workstreams").some((sql) => /\(run_id, status\)/.test(sql)),
      "workstreams by run and status",
    );
    assert.ok(
      on("events").some((sql) => /\(run_id, id\)/.test(sql)),
      "events by run and id",
    );
    assert.ok(
      on("errors").some((sql) => /\(signature\)/.test(sql)),
      "errors by signature",
    );
  });

  it("keeps a migration for every older version", () => {
    for (let version = 0; version < CURRENT_SCHEMA_VERSION; version++) {
      assert.ok(MIGRATIONS.some((migration) => migration.from === version && migration.to === version + 1));
    }
  });

  it("migrates the original (version 0) layout forward, keeping its data", async () => {
    const file = path.join(temp.dir, "pipeline.db");
    await v0Store(file);
    const store = await openStore({ path: file });
    try {
      const info = await store.info();
      assert.equal(info.schemaVersion, CURRENT_SCHEMA_VERSION);
      assert.deepEqual(
        (await store.listRuns()).map((run) => [run.runId, run.status]),
        [
          ["legacy-unassigned", "failed"],
          ["done-run", "succeeded"],
          ["old-run", "running"],
        ],
      );
      const wsA = await store.getWorkstream("old-run", "ws-a");
      assert.equal(wsA.status, "runtime_tests");
      assert.deepEqual(wsA.dependsOn, ["ws-0"]);
      assert.equal((await store.getWorkstream("done-run", "ws-b")).status, "done");
      assert.equal((await store.getWorkstream("legacy-unassigned", "ws-c")).status, "editing");
      assert.deepEqual(
        (await store.listStepAttempts("old-run", "ws-a")).map((row) => row.result),
        [{ exit: 0 }],
      );
      assert.deepEqual(
        (await store.listErrors({ runId: "old-run" })).map((row) => row.count),
        [3],
      );
      assert.deepEqual(
        (await store.eventsAfter(0)).map((event) => event.type),
        ["step_start", "step_end"],
      );
      // The migrated store works like a new one: workstreams are now per run.
      await store.createWorkstream({ runId: "done-run", wsId: "ws-a" });
      await store.updateWorkstreamStatus("old-run", "ws-a", "done");
      assert.equal((await store.recordEvent({ type: "run_end" })).id, 4, "ids continue after the old ones");
    } finally {
      await store.close();
    }
    assert.equal(await integrityCheck(file), "ok");
  });

  it("reads an older store read-only without touching it", async () => {
    const file = path.join(temp.dir, "pipeline.db");
    await v0Store(file);
    const before = await sha256(file);
    const reader = await openStore({ path: file, readOnly: true });
    assert.equal((await reader.getWorkstream("old-run", "ws-a")).status, "runtime_tests");
    await reader.close();
    assert.equal(await sha256(file), before);
  });
});
