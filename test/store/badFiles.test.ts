import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import {
  appendFileSync,
  chmodSync,
  copyFileSync,
  mkdirSync,
  readFileSync,
  readdirSync,
  rmSync,
  writeFileSync,
} from "node:fs";
import path from "node:path";
import { UserError } from "../../src/core/errors";
import { companionPaths, openStore } from "../../src/node/store";
import { loadSqlJs } from "../../src/node/store/sqlJs";
import { FIXTURES, bundleScript, integrityCheck, makeTempDir, sha256 } from "./support";

const NOBODY = 65534;

describe("state store: bad files are refused and left as they were", () => {
  let temp: ReturnType<typeof makeTempDir>;
  let goodStore: string;

  before(async () => {
    temp = makeTempDir("wsp-badfiles-");
    chmodSync(temp.dir, 0o755);
    goodStore = path.join(temp.dir, "good", "pipeline.db");
    const store = await openStore({ path: goodStore });
    await store.createRun({ runId: "r1" });
    for (let i = 0; i < 200; i++)
      await store.recordEvent({ runId: "r1", type: "tool_run", payload: { text: "x".repeat(200), i } });
    await store.close();
  });
  after(() => temp.remove());

  /** Puts `bytes` alone in a fresh directory and returns the file. */
  function lone(name: string, bytes: Uint8Array | string): string {
    const dir = path.join(temp.dir, name);
    mkdirSync(dir);
    const file = path.join(dir, "pipeline.db");
    writeFileSync(file, bytes);
    return file;
  }

  async function assertRefused(file: string, pattern: RegExp): Promise<void> {
    const before = await sha256(file);
    const siblings = readdirSync(path.dirname(file)).sort();
    for (const readOnly of [false, true]) {
      await assert.rejects(
        openStore({ path: file, readOnly }),
        (error: unknown) =>
          error instanceof UserError && error.message.includes(file) && pattern.test(error.message),
      );
    }
    assert.equal(await sha256(file), before, "the file is byte-identical");
    assert.deepEqual(readdirSync(path.dirname(file)).sort(), siblings, "nothing was created beside it");
  }

  it("refuses a truncated store", async () => {
    const bytes = readFileSync(goodStore);
    await assertRefused(lone("truncated", bytes.subarray(0, Math.floor(bytes.length / 2))), /is truncated/);
  });

  it("refuses a file that is not SQLite at all", async () => {
    await assertRefused(
      lone("text", "this is a note, not a database\n".repeat(10)),
      /is not a SQLite database/,
    );
    await assertRefused(lone("empty", ""), /is not a SQLite database/);
  });

  it("refuses a SQLite database that is not a store", async () => {
    const SQL = await loadSqlJs();
    const db = new SQL.Database();
    db.run("CREATE TABLE notes (body TEXT)");
    const file = lone("foreign", db.export());
    db.close();
    await assertRefused(file, /not a Workstream Pipeline store \(tables: notes\)/);
  });

  it("refuses a store from a newer schema version", async () => {
    const SQL = await loadSqlJs();
    const db = new SQL.Database(readFileSync(goodStore));
    db.run("UPDATE schema_meta SET value = '99' WHERE key = 'schema_version'");
    const file = lone("newer", db.export());
    db.close();
    await assertRefused(file, /newer Workstream Pipeline \(schema version 99; this version knows up to 1\)/);
  });

  it("refuses a malformed journal line, naming the journal", async () => {
    const dir = path.join(temp.dir, "badjournal");
    mkdirSync(dir);
    const file = path.join(dir, "pipeline.db");
    copyFileSync(goodStore, file);
    const journal = companionPaths(file).journal;
    writeFileSync(journal, `${JSON.stringify({ journal: 1, base: 0, schema: 1 })}\n{"s":1,"o":[[\n`);
    const before = await sha256(journal);
    await assert.rejects(
      openStore({ path: file, readOnly: true }),
      (error: unknown) =>
        error instanceof UserError &&
        error.message.includes(journal) &&
        /malformed journal line/.test(error.message),
    );
    assert.equal(await sha256(journal), before);
  });

  it("ignores a torn last journal line (a writer killed mid-write) and cuts it before the next write", async () => {
    const dir = path.join(temp.dir, "torn");
    mkdirSync(dir);
    const file = path.join(dir, "pipeline.db");
    const writer = await openStore({ path: file });
    await writer.recordEvent({ type: "step_start" });
    await writer.recordEvent({ type: "step_end" });
    const journal = companionPaths(file).journal;
    appendFileSync(journal, '{"s":3,"o":[["event.insert",3,"2026');
    const reader = await openStore({ path: file, readOnly: true });
    assert.deepEqual(
      (await reader.eventsAfter(0)).map((event) => event.type),
      ["step_start", "step_end"],
    );
    const third = await writer.recordEvent({ type: "run_end" });
    assert.equal(third.id, 3);
    assert.deepEqual(
      (await reader.eventsAfter(0)).map((event) => event.type),
      ["step_start", "step_end", "run_end"],
    );
    await reader.close();
    await writer.close();
    assert.equal(await integrityCheck(file), "ok");
  });

  it("keeps writing safely when someone deletes the journal under a writer", async () => {
    const dir = path.join(temp.dir, "vanished");
    mkdirSync(dir);
    const file = path.join(dir, "pipeline.db");
    const writer = await openStore({ path: file });
    await writer.recordEvent({ type: "step_start" });
    rmSync(companionPaths(file).journal);
    await writer.recordEvent({ type: "step_end" });
    const reader = await openStore({ path: file, readOnly: true });
    assert.deepEqual(
      (await reader.eventsAfter(0)).map((event) => event.type),
      ["step_start", "step_end"],
    );
    await reader.close();
    await writer.close();
  });

  describe("a read-only location", () => {
    let probe: string;
    const asRoot = process.getuid?.() === 0;

    before(() => {
      probe = bundleScript(path.join(FIXTURES, "probe.ts"), temp.dir);
    });

    /** Runs the probe as a user the permissions apply to (root ignores them). */
    function runProbe(
      mode: "read" | "write",
      file: string,
    ): { ok?: boolean; runs?: string[]; error?: string } {
      const output = execFileSync(process.execPath, [probe, mode, file], {
        encoding: "utf8",
        ...(asRoot ? { uid: NOBODY, gid: NOBODY } : {}),
      });
      return JSON.parse(output) as { ok?: boolean; runs?: string[]; error?: string };
    }

    it("gives a clear error for a new store there and creates nothing", () => {
      const dir = path.join(temp.dir, "ro-empty");
      mkdirSync(dir);
      chmodSync(dir, 0o555);
      const file = path.join(dir, "pipeline.db");
      const result = runProbe("write", file);
      assert.ok(result.error?.includes(file), `error names the file: ${result.error}`);
      assert.match(result.error ?? "", /permission denied|read-only/);
      assert.deepEqual(readdirSync(dir), []);
    });

    it("lets readers in but refuses writers, leaving the store byte-identical", async () => {
      const dir = path.join(temp.dir, "ro-store");
      mkdirSync(dir);
      const file = path.join(dir, "pipeline.db");
      copyFileSync(goodStore, file);
      copyFileSync(companionPaths(goodStore).journal, companionPaths(file).journal);
      chmodSync(file, 0o444);
      chmodSync(dir, 0o555);
      const before = await sha256(file);
      assert.deepEqual(runProbe("read", file), { ok: true, runs: ["r1"] });
      const refused = runProbe("write", file);
      assert.ok(
        refused.error?.includes(path.join(dir, "pipeline.db")),
        `error names the file: ${refused.error}`,
      );
      assert.match(refused.error ?? "", /permission denied|read-only/);
      assert.equal(await sha256(file), before);
      assert.deepEqual(readdirSync(dir).sort(), ["pipeline.db", "pipeline.db.journal.ndjson"]);
    });
  });
});
