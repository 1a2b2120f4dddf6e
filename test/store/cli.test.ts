import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { existsSync, writeFileSync } from "node:fs";
import path from "node:path";
import { captureIO } from "../../src/cli/io";
import { dbEvents, dbInit, dbInspect, dbRuns } from "../../src/cli/commands/db";
import { UserError } from "../../src/core/errors";
import { openStore } from "../../src/node/store";
import { slowReader } from "../support/slowReader";
import { makeTempDir } from "./support";

const CLI = path.join(__dirname, "..", "..", "dist", "cli.js");

describe("wsp db", () => {
  let temp: ReturnType<typeof makeTempDir>;
  beforeEach(() => (temp = makeTempDir("wsp-db-cli-")));
  afterEach(() => temp.remove());

  async function seeded(): Promise<string> {
    const file = path.join(temp.dir, "state", "pipeline.db");
    let clock = Date.parse("2026-01-01T00:00:00.000Z");
    const store = await openStore({ path: file, now: () => new Date((clock += 1000)) });
    await store.createRun({ runId: "r1" });
    await store.createRun({ runId: "r2" });
    await store.createWorkstream({ runId: "r1", wsId: "ws-1" });
    await store.updateWorkstreamStatus("r1", "ws-1", "started");
    await store.recordEvent({ runId: "r2", wsId: "ws-9", type: "step_start", payload: { step: "edit" } });
    await store.close();
    return file;
  }

  it("init creates the store at the default path and prints it", async () => {
    const io = captureIO(temp.dir);
    assert.equal(await dbInit({}, io), 0);
    const file = path.join(temp.dir, "state", "pipeline.db");
    assert.equal(io.stdout, `${file}\n`);
    assert.ok(existsSync(file));
  });

  it("init honours PIPELINE_DB_PATH and PIPELINE_SCHEMA_PATH, and --db over the env", async () => {
    const schema = path.join(__dirname, "..", "..", "schema", "schema.sql");
    const io = captureIO(temp.dir, { PIPELINE_DB_PATH: "env/x.db", PIPELINE_SCHEMA_PATH: schema });
    await dbInit({}, io);
    assert.equal(io.stdout, `${path.join(temp.dir, "env", "x.db")}\n`);
    const explicit = captureIO(temp.dir, { PIPELINE_DB_PATH: "env/x.db" });
    await dbInit({ db: "flag.db" }, explicit);
    assert.equal(explicit.stdout, `${path.join(temp.dir, "flag.db")}\n`);
    const missing = captureIO(temp.dir, { PIPELINE_SCHEMA_PATH: "nope.sql" });
    await assert.rejects(dbInit({ db: "y.db" }, missing), /Cannot read the schema .*nope\.sql/);
  });

  it("inspect --json gives every table's row count, the schema version and the file size", async () => {
    const file = await seeded();
    const io = captureIO(temp.dir);
    assert.equal(await dbInspect({ db: file, json: true }, io), 0);
    const report = JSON.parse(io.stdout) as {
      tables: Record<string, number>;
      schema_version: number;
      file_size: number;
    };
    assert.deepEqual(report.tables, {
      schema_meta: 2,
      runs: 2,
      workstreams: 1,
      events: 2,
      errors: 0,
      step_attempts: 0,
      error_pipeline_contexts: 0,
    });
    assert.equal(report.schema_version, 1);
    assert.ok(report.file_size > 0);
    const text = captureIO(temp.dir);
    await dbInspect({ db: file }, text);
    assert.match(text.stdout, /runs\s+2\n/);
    assert.match(text.stdout, /schema version 1/);
  });

  it("runs lists newest first, as a table or JSON", async () => {
    const file = await seeded();
    const io = captureIO(temp.dir, { PIPELINE_DB_PATH: file });
    await dbRuns({ json: true }, io);
    assert.deepEqual(
      (JSON.parse(io.stdout) as Array<{ run_id: string; status: string }>).map((run) => [
        run.run_id,
        run.status,
      ]),
      [
        ["r2", "pending"],
        ["r1", "pending"],
      ],
    );
    const text = captureIO(temp.dir, { PIPELINE_DB_PATH: file });
    await dbRuns({}, text);
    assert.match(text.stdout, /^RUN\s+STATUS/);
    assert.ok(text.stdout.indexOf("r2") < text.stdout.indexOf("r1"));
  });

  it("events filters by run and workstream, in the run --events vocabulary", async () => {
    const file = await seeded();
    const io = captureIO(temp.dir);
    await dbEvents({ db: file, run: "r1", json: true }, io);
    const lines = io.stdout
      .trim()
      .split("\n")
      .map((line) => JSON.parse(line) as Record<string, unknown>);
    assert.deepEqual(
      lines.map((line) => [line.id, line.type, line.run_id, line.ws_id, line.from, line.to]),
      [[1, "status_changed", "r1", "ws-1", "pending", "started"]],
    );
    assert.match(String(lines[0]?.ts), /Z$/);
    const text = captureIO(temp.dir);
    await dbEvents({ db: file, ws: "ws-9" }, text);
    assert.match(text.stdout, /^#2 \S+Z r2\/ws-9 step_start \{"step":"edit"\}\n$/);
  });

  it("events hands each batch to a slow reader before reading the next, and loses none", async () => {
    const file = path.join(temp.dir, "many.db");
    const store = await openStore({ path: file });
    await store.createRun({ runId: "r1" });
    for (let i = 0; i < 2500; i++)
      await store.recordEvent({ runId: "r1", wsId: "ws-1", type: "tool_run", payload: { i } });
    await store.close();
    const io = captureIO(temp.dir);
    const reader = slowReader(io);
    assert.equal(await dbEvents({ db: file, json: true }, reader.io), 0);
    assert.equal(reader.writes, 3, "one write per batch of 1,000 events");
    assert.equal(reader.mostUnread, 1, "a batch was written before the one before it was read");
    const ids = io.stdout
      .trim()
      .split("\n")
      .map((line) => (JSON.parse(line) as { id: number }).id);
    assert.deepEqual(
      ids,
      Array.from({ length: 2500 }, (_, index) => index + 1),
    );
  });

  it("events --follow prints events as other processes write them, until stopped", async () => {
    const file = await seeded();
    const io = captureIO(temp.dir);
    const controller = new AbortController();
    const following = dbEvents({ db: file, follow: true, json: true, after: "2" }, io, controller.signal);
    const writer = await openStore({ path: file });
    await writer.recordEvent({ runId: "r1", type: "run_end" });
    for (let wait = 0; wait < 100 && !io.stdout.includes("run_end"); wait++)
      await new Promise((r) => setTimeout(r, 20));
    controller.abort();
    assert.equal(await following, 0);
    await writer.close();
    assert.deepEqual(
      io.stdout
        .trim()
        .split("\n")
        .map((line) => (JSON.parse(line) as { id: number; type: string }).type),
      ["run_end"],
    );
  });

  it("viewers refuse a missing store without creating it", async () => {
    const io = captureIO(temp.dir);
    await assert.rejects(
      dbInspect({}, io),
      (error: unknown) =>
        error instanceof UserError && /No state store at .*pipeline\.db/.test(error.message),
    );
    assert.equal(existsSync(path.join(temp.dir, "state")), false);
    await assert.rejects(dbEvents({ after: "x" }, io), /--after must be a whole number/);
  });

  it("the built CLI exits 2 with the file named for a file that is not a store", function () {
    if (!existsSync(CLI)) this.skip();
    const file = path.join(temp.dir, "notes.db");
    writeFileSync(file, "plain text\n");
    const result = spawnSync(process.execPath, [CLI, "db", "inspect", "--db", file], { encoding: "utf8" });
    assert.equal(result.status, 2);
    assert.ok(result.stderr.includes(`${file} is not a SQLite database`), result.stderr);
  });
});
