import assert from "node:assert/strict";
import path from "node:path";
import { readFileSync } from "node:fs";
import { NotFoundError, type Store } from "../../src/core/store";
import { UserError } from "../../src/core/errors";
import { errorSignature, openStore } from "../../src/node/store";
import { integrityCheck, makeTempDir } from "./support";

describe("state store API", () => {
  let temp: ReturnType<typeof makeTempDir>;
  let store: Store;
  let clock = Date.parse("2026-01-01T00:00:00.000Z");
  const now = (): Date => new Date((clock += 1000));

  beforeEach(async () => {
    temp = makeTempDir();
    store = await openStore({ path: path.join(temp.dir, "state", "pipeline.db"), now });
  });
  afterEach(async () => {
    await store.close();
    temp.remove();
  });

  it("creates, gets and lists runs newest first", async () => {
    const first = await store.createRun({ runId: "r1", metadata: { by: "test" } });
    await store.createRun({ runId: "r2" });
    assert.equal(first.status, "pending");
    assert.match(first.createdAt, /Z$/);
    assert.deepEqual(await store.getRun("r1"), first);
    assert.deepEqual(
      (await store.listRuns()).map((run) => run.runId),
      ["r2", "r1"],
    );
    await assert.rejects(
      store.getRun("nope"),
      (error: unknown) => error instanceof NotFoundError && /Run not found: nope/.test(error.message),
    );
    await assert.rejects(store.createRun({ runId: "r1" }), /Run already exists: r1/);
    assert.equal(await store.findRun("nope"), undefined);
  });

  it("moves runs through their state machine and records each move", async () => {
    await store.createRun({ runId: "r1" });
    await store.updateRunStatus("r1", "running");
    const done = await store.updateRunStatus("r1", "partial", { reason: "one failed" });
    assert.equal(done.status, "partial");
    await assert.rejects(
      store.updateRunStatus("r1", "running"),
      /Illegal run transition for r1: partial → running/,
    );
    const events = await store.eventsAfter(0, { runId: "r1" });
    assert.deepEqual(
      events.map((event) => [event.type, event.payload]),
      [
        ["run_status_changed", { from: "pending", to: "running" }],
        ["run_status_changed", { from: "running", to: "partial", reason: "one failed" }],
      ],
    );
    assert.deepEqual(
      (await store.listRuns({ status: "partial" })).map((run) => run.runId),
      ["r1"],
    );
  });

  it("keys workstreams by run and workstream id", async () => {
    await store.createRun({ runId: "r1" });
    await store.createRun({ runId: "r2" });
    await store.createWorkstream({ runId: "r1", wsId: "ws-1", dependsOn: ["ws-0"] });
    await store.createWorkstream({ runId: "r2", wsId: "ws-1" });
    await store.updateWorkstreamStatus("r2", "ws-1", "started");
    assert.equal((await store.getWorkstream("r1", "ws-1")).status, "pending");
    assert.equal((await store.getWorkstream("r2", "ws-1")).status, "started");
    assert.deepEqual((await store.getWorkstream("r1", "ws-1")).dependsOn, ["ws-0"]);
    assert.deepEqual(
      (await store.listWorkstreams("r1")).map((ws) => ws.wsId),
      ["ws-1"],
    );
    await assert.rejects(store.createWorkstream({ runId: "r3", wsId: "ws-1" }), /Run not found: r3/);
    await assert.rejects(store.getWorkstream("r1", "ws-9"), /Workstream not found: ws-9 in run r1/);
  });

  it("runs a FIX loop, fails, and comes back only through an explicit retry", async () => {
    await store.createRun({ runId: "r1" });
    await store.createWorkstream({ runId: "r1", wsId: "ws-1" });
    const path_ = [
      "started",
      "editing",
      "ready_for_static",
      "static_check",
      "editing",
      "static_check",
      "runtime_tests",
      "editing",
      "runtime_tests",
      "failed",
    ] as const;
    for (const to of path_) await store.updateWorkstreamStatus("r1", "ws-1", to);
    await assert.rejects(store.updateWorkstreamStatus("r1", "ws-1", "pending"), /needs an explicit retry/);
    const retried = await store.retryWorkstream("r1", "ws-1", "user asked");
    assert.equal(retried.status, "pending");
    const moves = (await store.eventsAfter(0, { wsId: "ws-1", types: ["status_changed"] })).map(
      (event) => event.payload,
    );
    assert.equal(moves.length, path_.length + 1);
    assert.deepEqual(moves.at(-1), { from: "failed", to: "pending", retry: true, reason: "user asked" });
    assert.deepEqual(moves[4], { from: "static_check", to: "editing" });
  });

  it("rejects an illegal move without changing anything", async () => {
    await store.createRun({ runId: "r1" });
    await store.createWorkstream({ runId: "r1", wsId: "ws-1" });
    const before = await store.eventsAfter(0);
    await assert.rejects(
      store.updateWorkstreamStatus("r1", "ws-1", "done"),
      (error: unknown) => error instanceof UserError && /pending → done/.test(error.message),
    );
    assert.equal((await store.getWorkstream("r1", "ws-1")).status, "pending");
    assert.deepEqual(await store.eventsAfter(0), before);
  });

  it("deduplicates errors by run, workstream, step and signature", async () => {
    await store.createRun({ runId: "r1" });
    const first = await store.recordError({
      runId: "r1",
      wsId: "ws-1",
      step: "static",
      code: "static_failure",
      message: "E1  bad\nthing",
    });
    const again = await store.recordError({
      runId: "r1",
      wsId: "ws-1",
      step: "static",
      code: "static_failure",
      message: "E1 bad thing",
      context: { attempt: 2 },
    });
    const otherStep = await store.recordError({
      runId: "r1",
      wsId: "ws-1",
      step: "runtime",
      message: "E1 bad thing",
    });
    const noWs = await store.recordError({ runId: "r1", step: "static", message: "E1 bad thing" });
    const noWsAgain = await store.recordError({ runId: "r1", step: "static", message: "E1 bad thing" });
    assert.equal(again.id, first.id);
    assert.equal(again.count, 2);
    assert.equal(again.firstSeenAt, first.firstSeenAt);
    assert.ok(again.lastSeenAt > first.lastSeenAt);
    assert.deepEqual(again.context, { attempt: 2 });
    assert.notEqual(otherStep.id, first.id);
    assert.equal(noWsAgain.id, noWs.id, "null workstream ids compare equal (null-safe IS)");
    assert.equal(noWsAgain.count, 2);
    assert.equal(first.signature, errorSignature("static", "E1 bad thing"));
    assert.equal(first.signature.length, 40);
    const stored = await store.listErrors({ signature: first.signature, wsId: "ws-1" });
    assert.deepEqual(
      stored.map((row) => row.count),
      [2],
    );
  });

  it("records step attempts started then finished, or whole", async () => {
    await store.createRun({ runId: "r1" });
    await store.createWorkstream({ runId: "r1", wsId: "ws-1" });
    const started = await store.startStepAttempt({ runId: "r1", wsId: "ws-1", step: "edit" });
    assert.equal(started.status, "running");
    assert.equal(started.completedAt, null);
    const finished = await store.finishStepAttempt(started.id, { status: "success", result: { exit: 0 } });
    assert.equal(finished.status, "success");
    await assert.rejects(store.finishStepAttempt(started.id, { status: "failed" }), /already finished/);
    await assert.rejects(store.finishStepAttempt(999, { status: "failed" }), /Step attempt not found: 999/);
    const whole = await store.recordStepAttempt({
      runId: "r1",
      wsId: "ws-1",
      step: "static",
      status: "failed",
      result: { errors: 3 },
    });
    assert.equal(whole.id, started.id + 1);
    assert.deepEqual(
      (await store.listStepAttempts("r1", "ws-1")).map((row) => [row.step, row.status, row.result]),
      [
        ["edit", "success", { exit: 0 }],
        ["static", "failed", { errors: 3 }],
      ],
    );
    await assert.rejects(
      store.startStepAttempt({ runId: "r1", wsId: "nope", step: "edit" }),
      /Workstream not found/,
    );
  });

  it("saves and replaces the error-pipeline context", async () => {
    assert.equal(await store.getErrorPipelineContext("r1", "ws-1"), undefined);
    await store.saveErrorPipelineContext({
      runId: "r1",
      wsId: "ws-1",
      attemptNumber: 0,
      currentState: "S0_BASELINE_CHECK",
      context: { files: ["a.py"] },
    });
    const saved = await store.saveErrorPipelineContext({
      runId: "r1",
      wsId: "ws-1",
      attemptNumber: 1,
      currentState: "S1_AIDER_FIX",
      finalStatus: null,
      context: { files: ["a.py"], last: { total: 2 } },
    });
    assert.deepEqual(await store.getErrorPipelineContext("r1", "ws-1"), saved);
    assert.equal(saved.attemptNumber, 1);
  });

  it("returns events after an id with run, workstream and type filters", async () => {
    for (let i = 0; i < 6; i++) {
      await store.recordEvent({
        runId: i % 2 === 0 ? "r1" : "r2",
        wsId: `ws-${i % 3}`,
        type: i < 3 ? "step_start" : "step_end",
        payload: { i },
      });
    }
    const all = await store.eventsAfter(0);
    assert.deepEqual(
      all.map((event) => event.id),
      [1, 2, 3, 4, 5, 6],
    );
    assert.deepEqual(
      (await store.eventsAfter(3)).map((event) => event.id),
      [4, 5, 6],
    );
    assert.deepEqual(
      (await store.eventsAfter(0, { runId: "r1" })).map((event) => event.payload?.i),
      [0, 2, 4],
    );
    assert.deepEqual(
      (await store.eventsAfter(0, { runId: "r1", wsId: "ws-0" })).map((event) => event.payload?.i),
      [0],
    );
    assert.deepEqual(
      (await store.eventsAfter(0, { types: ["step_end"], limit: 2 })).map((event) => event.id),
      [4, 5],
    );
  });

  it("follows new events as they land until aborted", async () => {
    await store.recordEvent({ type: "run_end" });
    const controller = new AbortController();
    const seen: number[] = [];
    const following = (async () => {
      for await (const event of store.followEvents({
        afterId: 0,
        intervalMs: 5,
        signal: controller.signal,
      })) {
        seen.push(event.id);
        if (seen.length === 3) controller.abort();
      }
    })();
    await new Promise((resolve) => setTimeout(resolve, 20));
    await store.recordEvent({ type: "step_start" });
    await store.recordEvent({ type: "step_end" });
    await following;
    assert.deepEqual(seen, [1, 2, 3]);
  });

  it("reports counts, version and size, and keeps data across close and reopen", async () => {
    await store.createRun({ runId: "r1" });
    await store.recordEvent({ runId: "r1", type: "run_end" });
    const info = await store.info();
    assert.equal(info.schemaVersion, 1);
    assert.equal(info.tables.runs, 1);
    assert.equal(info.tables.events, 1);
    assert.ok(info.fileSize > 0);
    await store.close();
    assert.equal(await integrityCheck(info.path), "ok");
    store = await openStore({ path: info.path, readOnly: true });
    assert.equal((await store.getRun("r1")).status, "pending");
    await assert.rejects(store.createRun({ runId: "r2" }), /opened read-only/);
  });

  it("creates the file with the given schema file", async () => {
    const schema = readFileSync(path.join(__dirname, "..", "..", "schema", "schema.sql"), "utf8");
    const other = await openStore({
      path: path.join(temp.dir, "custom.db"),
      schemaPath: path.join(__dirname, "..", "..", "schema", "schema.sql"),
    });
    assert.equal((await other.info()).schemaVersion, 1);
    await other.close();
    assert.ok(schema.includes("CREATE TABLE IF NOT EXISTS events"));
    await assert.rejects(
      openStore({ path: path.join(temp.dir, "x.db"), schemaPath: path.join(temp.dir, "missing.sql") }),
      /Cannot read the schema .*missing\.sql/,
    );
  });
});
