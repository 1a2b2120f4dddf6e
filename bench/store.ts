/**
 * `npm run bench -- store [--events N] [--big N]`
 *
 * 1. Durable event appends per second: `store.recordEvent` awaited one by one (acknowledged = the journal
 *    line's write() returned, so it survives kill -9 of the writer) against the peer, better-sqlite3 in
 *    WAL mode with synchronous=NORMAL doing the same inserts one transaction each (a WAL commit also
 *    survives kill -9 but not power loss). Same schema, same rows. Target: at least 0.5x the peer.
 * 2. Time to open a store holding 1,000,000 events and read its newest event. Target: at most 3 s.
 */
import Database from "better-sqlite3";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import { openStore } from "../src/node/store";
import { SCHEMA_SQL } from "../src/node/store/schemaSql";
import { loadSqlJs } from "../src/node/store/sqlJs";

const payloadOf = (i: number): { step: string; attempt: number; note: string } => ({
  step: "static",
  attempt: i % 3,
  note: `tool output line ${i}`,
});

async function storeAppends(dir: string, count: number): Promise<number> {
  const store = await openStore({ path: path.join(dir, "ours.db") });
  await store.createRun({ runId: "bench" });
  const started = performance.now();
  for (let i = 0; i < count; i++) {
    await store.recordEvent({ runId: "bench", wsId: `ws-${i % 8}`, type: "tool_run", payload: payloadOf(i) });
  }
  const seconds = (performance.now() - started) / 1000;
  await store.close();
  return count / seconds;
}

function peerAppends(dir: string, count: number): number {
  const db = new Database(path.join(dir, "peer.db"));
  db.pragma("journal_mode = WAL");
  db.pragma("synchronous = NORMAL");
  db.exec(SCHEMA_SQL);
  const insert = db.prepare(
    "INSERT INTO events (timestamp, run_id, ws_id, event_type, payload_json) VALUES (?, ?, ?, ?, ?)",
  );
  const started = performance.now();
  for (let i = 0; i < count; i++) {
    insert.run(new Date().toISOString(), "bench", `ws-${i % 8}`, "tool_run", JSON.stringify(payloadOf(i)));
  }
  const seconds = (performance.now() - started) / 1000;
  db.close();
  return count / seconds;
}

/** Writes a checkpointed store file holding `count` events, built directly with sql.js. */
async function buildBigStore(file: string, count: number): Promise<void> {
  const SQL = await loadSqlJs();
  const db = new SQL.Database();
  db.run(SCHEMA_SQL);
  db.run(
    "INSERT INTO runs VALUES ('bench', 'running', '2026-01-01T00:00:00.000Z', '2026-01-01T00:00:00.000Z', NULL)",
  );
  db.run("BEGIN");
  const insert = db.prepare("INSERT INTO events VALUES (?, ?, ?, ?, ?, ?)");
  const at = new Date().toISOString();
  for (let i = 1; i <= count; i++) {
    insert.run([i, at, "bench", `ws-${i % 8}`, "tool_run", JSON.stringify(payloadOf(i))]);
  }
  insert.free();
  db.run("COMMIT");
  db.run("INSERT OR REPLACE INTO schema_meta VALUES ('journal_seq', '0')");
  writeFileSync(file, db.export());
  db.close();
}

async function timeOpen(file: string, readOnly: boolean): Promise<{ seconds: number; lastId: number }> {
  const started = performance.now();
  const store = await openStore({ path: file, readOnly });
  const info = await store.info();
  const last = await store.eventsAfter(info.tables.events - 1);
  const seconds = (performance.now() - started) / 1000;
  await store.close();
  return { seconds, lastId: last[0]?.id ?? 0 };
}

export async function run(args: string[]): Promise<void> {
  const { values } = parseArgs({
    args,
    options: { events: { type: "string", default: "20000" }, big: { type: "string", default: "1000000" } },
  });
  const count = Number(values.events);
  const big = Number(values.big);
  const dir = mkdtempSync(path.join(tmpdir(), "wsp-bench-store-"));
  try {
    // Warm both up (JIT, WASM) so the measured runs compare steady states.
    await storeAppends(mkdtempSync(path.join(dir, "warm-")), 2000);
    peerAppends(mkdtempSync(path.join(dir, "warm-")), 2000);
    const ours = await storeAppends(dir, count);
    const peer = peerAppends(dir, count);
    const ratio = ours / peer;
    console.log(`durable appends (${count} events, one acknowledged write each)`);
    console.log(`  wsp store (sql.js + journal)      ${ours.toFixed(0).padStart(8)} /s`);
    console.log(`  better-sqlite3 WAL sync=NORMAL    ${peer.toFixed(0).padStart(8)} /s`);
    console.log(`  ratio ${ratio.toFixed(2)}x (target >= 0.5x): ${ratio >= 0.5 ? "met" : "NOT met"}`);

    const bigFile = path.join(dir, "big.db");
    const buildStarted = performance.now();
    await buildBigStore(bigFile, big);
    console.log(
      `open a store holding ${big} events (built in ${((performance.now() - buildStarted) / 1000).toFixed(1)} s)`,
    );
    const reader = await timeOpen(bigFile, true);
    const writer = await timeOpen(bigFile, false);
    // Worst case: the journal is as long as it gets before a writer folds it in (8 MiB).
    const filler = await openStore({ path: bigFile, checkpointBytes: 8 * 1024 * 1024 });
    // Small steps, so the loop stops inside the last 64 KiB before the fold.
    for (let i = 0; (await filler.info()).journalSize < 8 * 1024 * 1024 - 65536; i++) {
      for (let j = 0; j < 100; j++)
        await filler.recordEvent({ runId: "bench", type: "tool_run", payload: payloadOf(i) });
    }
    const journalBytes = (await filler.info()).journalSize;
    // Leave the journal unfolded, as a writer killed before its checkpoint would.
    const withJournal = await timeOpen(bigFile, true);
    await filler.close();
    const peerStarted = performance.now();
    const peerDb = new Database(bigFile, { readonly: true });
    peerDb.prepare("SELECT COUNT(*) FROM events").get();
    const peerOpen = (performance.now() - peerStarted) / 1000;
    peerDb.close();
    for (const [label, result] of [
      ["read-only", reader],
      ["writer", writer],
      [`read-only + ${(journalBytes / 1048576).toFixed(1)} MiB journal`, withJournal],
    ] as const) {
      console.log(
        `  wsp store ${label.padEnd(31)} ${result.seconds.toFixed(2)} s (last id ${result.lastId}; target <= 3 s: ${result.seconds <= 3 ? "met" : "NOT met"}, ratio to target ${(result.seconds / 3).toFixed(2)})`,
      );
    }
    console.log(
      `  better-sqlite3 open + count   ${peerOpen.toFixed(2)} s (for reference; it reads pages lazily)`,
    );
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
