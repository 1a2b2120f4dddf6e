/**
 * `wsp db import`: journals written by real `wsp run --events ndjson` runs, merged into a fresh
 * store twice, in the wrong order, in pieces, and truncated.
 */
import assert from "node:assert/strict";
import { readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { type TempRepo } from "../support/tempRepo";
import { createExampleRepo, wsp } from "./support";
import { openStore } from "../../src/node/store";
import { type StepAttemptRow } from "../../src/core/store";

interface ImportReport {
  run_id: string;
  outcome: string;
  events_added: number;
}

describe("wsp db import @slow", function () {
  this.timeout(120_000);
  let repo: TempRepo;
  let journals: { stock: string; pricing: string };

  before(() => {
    repo = createExampleRepo("wsp-import-");
    const run = (id: string, runId: string): string => {
      const result = wsp(["run", id, "--run-id", runId, "--events", "ndjson"], repo.root);
      assert.equal(result.status, 0, result.stderr);
      const file = path.join(repo.root, `${runId}.ndjson`);
      writeFileSync(file, result.stdout);
      return file;
    };
    // ws-pricing builds on ws-stock-core: a later run, on another "machine" in real life.
    journals = { stock: run("ws-stock-core", "remote-1"), pricing: run("ws-pricing", "remote-2") };
  });
  after(() => repo.remove());

  function importInto(
    db: string,
    ...files: string[]
  ): { status: number | null; reports: ImportReport[]; stderr: string } {
    const result = wsp(["db", "import", ...files, "--db", db], repo.root);
    return {
      status: result.status,
      reports: result.status === 0 ? (JSON.parse(result.stdout) as ImportReport[]) : [],
      stderr: result.stderr,
    };
  }

  function inspect(db: string): Record<string, number> {
    const result = wsp(["db", "inspect", "--json", "--db", db], repo.root);
    return (JSON.parse(result.stdout) as { tables: Record<string, number> }).tables;
  }

  it("imports out of order, changes nothing the second time, and lists runs as they ran", () => {
    const db = path.join(repo.root, "state", "merged.db");
    const first = importInto(db, journals.pricing, journals.stock);
    assert.equal(first.status, 0, first.stderr);
    assert.deepEqual(
      first.reports.map((r) => [r.run_id, r.outcome]),
      [
        ["remote-2", "imported"],
        ["remote-1", "imported"],
      ],
    );
    const lines = (file: string) => readFileSync(file, "utf8").trimEnd().split("\n").length;
    assert.equal(inspect(db).events, lines(journals.stock) + lines(journals.pricing));
    const before = inspect(db);

    const again = importInto(db, journals.stock, journals.pricing);
    assert.deepEqual(
      again.reports.map((r) => [r.outcome, r.events_added]),
      [
        ["unchanged", 0],
        ["unchanged", 0],
      ],
    );
    assert.deepEqual(inspect(db), before);

    // Newest first by when they ran, not by when they arrived.
    const runs = JSON.parse(wsp(["db", "runs", "--json", "--db", db], repo.root).stdout) as {
      run_id: string;
      status: string;
    }[];
    assert.deepEqual(
      runs.map((r) => [r.run_id, r.status]),
      [
        ["remote-2", "succeeded"],
        ["remote-1", "succeeded"],
      ],
    );
    const status = wsp(["status", "--json"], repo.root, { PIPELINE_DB_PATH: db });
    const rows = JSON.parse(status.stdout) as {
      workstreams: { id: string; lastRun: { runId: string; status: string } | null }[];
    };
    const byId = Object.fromEntries(rows.workstreams.map((row) => [row.id, row.lastRun]));
    assert.equal(byId["ws-stock-core"]?.runId, "remote-1");
    assert.equal(byId["ws-pricing"]?.runId, "remote-2");
    assert.equal(byId["ws-pricing"]?.status, "done");
  });

  it("takes a journal that arrives in pieces: the later copy adds only what is new", () => {
    const db = path.join(repo.root, "state", "pieces.db");
    const text = readFileSync(journals.stock, "utf8");
    const all = text.split("\n").filter(Boolean);
    const head = path.join(repo.root, "head.ndjson");
    writeFileSync(head, `${all.slice(0, 5).join("\n")}\n`);
    assert.deepEqual(
      importInto(db, head).reports.map((r) => [r.outcome, r.events_added]),
      [["imported", 5]],
    );
    assert.deepEqual(
      importInto(db, journals.stock).reports.map((r) => [r.outcome, r.events_added]),
      [["extended", all.length - 5]],
    );
    assert.equal(inspect(db).events, all.length);
  });

  it("rebuilds the run's workstream and step attempts as the local store has them", async () => {
    const db = path.join(repo.root, "state", "steps.db");
    const text = readFileSync(journals.pricing, "utf8");
    const all = text.split("\n").filter(Boolean);
    // In two pieces: a step started in the first and finished in the second is still one attempt.
    const head = path.join(repo.root, "pricing-head.ndjson");
    const cut = all.findIndex((line) => line.includes('"step_start"')) + 1;
    writeFileSync(head, `${all.slice(0, cut).join("\n")}\n`);
    assert.equal(importInto(db, head).status, 0);
    assert.equal(importInto(db, journals.pricing).status, 0);
    const local = await openStore({ path: path.join(repo.root, "state", "pipeline.db"), readOnly: true });
    const imported = await openStore({ path: db, readOnly: true });
    try {
      const shape = (attempts: StepAttemptRow[]) =>
        attempts.map((a) => [a.wsId, a.step, a.status, a.completedAt !== null]);
      const localSteps = await local.listStepAttempts("remote-2");
      assert.ok(localSteps.length > 0);
      assert.deepEqual(shape(await imported.listStepAttempts("remote-2")), shape(localSteps));
      const [localRow, importedRow] = await Promise.all([
        local.getWorkstream("remote-2", "ws-pricing"),
        imported.getWorkstream("remote-2", "ws-pricing"),
      ]);
      assert.equal(importedRow.metadata?.commit, localRow.metadata?.commit);
      assert.equal(importedRow.metadata?.base_commit, localRow.metadata?.base_commit);
      assert.deepEqual(importedRow.dependsOn, localRow.dependsOn);
    } finally {
      await Promise.all([local.close(), imported.close()]);
    }
  });

  it("refuses a truncated or corrupt journal, naming file and line, and imports none of the batch", () => {
    const db = path.join(repo.root, "state", "refused.db");
    const text = readFileSync(journals.stock, "utf8");
    const cut = path.join(repo.root, "cut.ndjson");
    const lineCount = text.split("\n").length - 1;
    writeFileSync(cut, text.slice(0, text.length - 10));
    const truncated = importInto(db, journals.pricing, cut);
    assert.equal(truncated.status, 2);
    assert.match(truncated.stderr, new RegExp(`cut\\.ndjson:${lineCount}: truncated`));
    const bad = path.join(repo.root, "bad.ndjson");
    const lines = text.split("\n");
    lines[2] = '{"type": "step_start", "ts": ';
    writeFileSync(bad, lines.join("\n"));
    const corrupt = importInto(db, bad);
    assert.equal(corrupt.status, 2);
    assert.match(corrupt.stderr, /bad\.ndjson:3: not a JSON line/);
    // The good journal given beside the bad one was not imported either.
    const runs = wsp(["db", "runs", "--json", "--db", db], repo.root);
    assert.deepEqual(runs.status === 0 ? JSON.parse(runs.stdout) : [], []);
  });
});
