import assert from "node:assert/strict";
import { spawnSync } from "node:child_process";
import { appendFileSync, existsSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { captureIO } from "../../src/cli/io";
import { dbInit } from "../../src/cli/commands/db";
import { UserError } from "../../src/core/errors";
import { companionPaths, openStore } from "../../src/node/store";
import { makeTempDir, sha256 } from "./support";

const CLI = path.join(__dirname, "..", "..", "dist", "cli.js");

/** Issue 22: a journal is data to replay, never SQL to run, and is never thrown away. */
describe("state store: a hostile or orphaned journal", () => {
  let temp: ReturnType<typeof makeTempDir>;
  let file: string;
  let journal: string;
  beforeEach(async () => {
    temp = makeTempDir("wsp-hostile-journal-");
    file = path.join(temp.dir, "state", "pipeline.db");
    journal = companionPaths(file).journal;
    const store = await openStore({ path: file });
    await store.createRun({ runId: "r1" });
    for (let i = 0; i < 3; i++) await store.recordEvent({ runId: "r1", type: "tool_run" });
    await store.close();
  });
  afterEach(() => temp.remove());

  /** The sequence number the (checkpointed, header-only) journal starts after. */
  function base(): number {
    const header = JSON.parse(readFileSync(journal, "utf8").split("\n")[0] ?? "") as { base: number };
    return header.base;
  }

  function eventLine(seq: number, id: number): string {
    return JSON.stringify({
      s: seq,
      o: [["event.insert", id, "2026-01-01T00:00:00.000Z", null, null, "x", null]],
    });
  }

  /** Every way of opening refuses with a UserError matching `pattern`; nothing changes on disk. */
  async function assertRefused(pattern: RegExp): Promise<void> {
    const before = { db: await sha256(file), journal: await sha256(journal) };
    for (const readOnly of [false, true]) {
      await assert.rejects(openStore({ path: file, readOnly }), (error: unknown) => {
        assert.ok(error instanceof UserError, `a UserError, got ${String(error)}`);
        assert.ok(error.message.includes(journal), `names the journal: ${error.message}`);
        assert.match(error.message, pattern);
        return true;
      });
    }
    await assert.rejects(dbInit({ db: file }, captureIO(temp.dir)), pattern);
    assert.equal(await sha256(file), before.db, "the store is byte-identical");
    assert.equal(await sha256(journal), before.journal, "the journal is byte-identical");
  }

  async function eventCount(): Promise<number> {
    const reader = await openStore({ path: file, readOnly: true });
    try {
      return (await reader.eventsAfter(0)).length;
    } finally {
      await reader.close();
    }
  }

  it("refuses raw SQL in the journal instead of running it", async () => {
    appendFileSync(journal, `${JSON.stringify({ s: base() + 1, o: [["DELETE FROM events"]] })}\n`);
    await assertRefused(/line 2: unknown journal operation "DELETE FROM events"/);
  });

  it("refuses an unknown operation, the wrong number of values or a value that is not a column value", async () => {
    const seq = base() + 1;
    const cases: [unknown[], RegExp][] = [
      [["row.nuke", 1], /line 2: unknown journal operation "row\.nuke"/],
      [["event.insert", 99], /line 2: journal operation "event\.insert" needs 6 values, found 1/],
      [
        ["event.insert", 99, "t", null, null, "x", { sql: "DROP TABLE runs" }],
        /line 2: journal operation "event\.insert" has a value that is not text, a number or null/,
      ],
      [[42], /line 2: unknown journal operation 42/],
    ];
    const clean = readFileSync(journal);
    for (const [op, pattern] of cases) {
      appendFileSync(journal, `${JSON.stringify({ s: seq, o: [op] })}\n`);
      await assertRefused(pattern);
      writeFileSync(journal, clean);
    }
    assert.equal(await eventCount(), 3);
  });

  it("reports a gap in the sequence as a gap, naming the line", async () => {
    const seq = base();
    appendFileSync(journal, `${eventLine(seq + 1, 10)}\n${eventLine(seq + 3, 11)}\n`);
    await assertRefused(new RegExp(`gap at line 3: sequence ${seq + 3} follows ${seq + 1}`));
  });

  it("says so when the store file is older than its journal", async () => {
    const old = readFileSync(file);
    const store = await openStore({ path: file });
    await store.recordEvent({ runId: "r1", type: "step_start" });
    await store.close();
    writeFileSync(file, old);
    await assertRefused(/older than its journal: .* starts after transaction \d+, the store holds up to \d+/);
  });

  it("refuses a journal format it does not know", async () => {
    const lines = readFileSync(journal, "utf8").replace('"journal":1', '"journal":7');
    writeFileSync(journal, lines);
    await assertRefused(/journal format 7/);
  });

  it("the built CLI exits 2 with the file and line, and no stack trace", function () {
    if (!existsSync(CLI)) this.skip();
    appendFileSync(journal, `${JSON.stringify({ s: base() + 1, o: [["row.nuke", 1]] })}\n`);
    for (const args of [
      ["db", "inspect"],
      ["db", "init"],
    ]) {
      const result = spawnSync(process.execPath, [CLI, ...args, "--db", file], { encoding: "utf8" });
      assert.equal(result.status, 2, result.stderr);
      assert.ok(result.stderr.includes(`${journal} line 2`), result.stderr);
      assert.doesNotMatch(result.stderr, /\n\s+at /);
    }
  });

  describe("a journal whose store file is gone", () => {
    let saved: Buffer;
    beforeEach(async () => {
      // Eight transactions still in the journal only, then the store file deleted.
      const store = await openStore({ path: file });
      for (let i = 0; i < 8; i++) await store.recordEvent({ runId: "r1", type: "step_start" });
      saved = readFileSync(journal);
      await store.close();
      rmSync(file);
      writeFileSync(journal, saved);
    });

    it("is never replaced by an empty one: every writer and reader refuses, naming it", async () => {
      for (const readOnly of [false, true]) {
        await assert.rejects(openStore({ path: file, readOnly }), (error: unknown) => {
          assert.ok(error instanceof UserError, String(error));
          assert.ok(error.message.includes(journal), error.message);
          assert.match(error.message, /8 transaction\(s\)/);
          assert.match(error.message, /--discard-journal/);
          return true;
        });
      }
      await assert.rejects(dbInit({ db: file }, captureIO(temp.dir)), /--discard-journal/);
      assert.ok(!existsSync(file), "no store was created");
      assert.deepEqual(readFileSync(journal), saved, "the journal is byte-identical");
    });

    it("`wsp db init --discard-journal` sets it aside (never deletes it) and starts afresh", async () => {
      const io = captureIO(temp.dir);
      assert.equal(await dbInit({ db: file, discardJournal: true }, io), 0);
      const aside = readdirSync(path.dirname(file)).filter((name) => name.includes(".discarded-"));
      assert.equal(aside.length, 1);
      assert.deepEqual(readFileSync(path.join(path.dirname(file), aside[0] ?? "")), saved);
      assert.ok(io.stderr.includes(aside[0] ?? "?"), io.stderr);
      assert.equal(await eventCount(), 0);
    });
  });

  it("--discard-journal also gets past a refused journal, keeping the store's last checkpoint", async () => {
    appendFileSync(journal, `${JSON.stringify({ s: base() + 1, o: [["DELETE FROM events"]] })}\n`);
    const hostile = readFileSync(journal);
    const io = captureIO(temp.dir);
    assert.equal(await dbInit({ db: file, discardJournal: true }, io), 0);
    const aside = readdirSync(path.dirname(file)).filter((name) => name.includes(".discarded-"));
    assert.deepEqual(readFileSync(path.join(path.dirname(file), aside[0] ?? "")), hostile);
    assert.equal(await eventCount(), 3);
  });
});
