/** The events table: ids allocated in commit order, filtered reads, and following new events. */
import { type EventFilter, type EventRow, type FollowOptions, type RecordEventInput } from "../../core/store";
import { type JournaledDb, type Transaction } from "./engine";
import { allRows, firstRow, jsonText, toEventRow } from "./rows";
import { run } from "./tableAccess";

const NEXT_EVENT_ID = "SELECT COALESCE(MAX(id), 0) + 1 AS id FROM events";

export function insertEvent(
  engine: JournaledDb,
  tx: Transaction,
  input: RecordEventInput,
  timestamp: () => string,
): EventRow {
  const id = Number(firstRow(engine.statement(NEXT_EVENT_ID))?.id);
  const row: EventRow = {
    id,
    timestamp: input.timestamp ?? timestamp(),
    runId: input.runId ?? null,
    wsId: input.wsId ?? null,
    type: input.type,
    payload: input.payload ?? null,
  };
  run(tx, "event.insert", [id, row.timestamp, row.runId, row.wsId, row.type, jsonText(row.payload)]);
  return row;
}

export function queryEventsAfter(engine: JournaledDb, afterId: number, filter: EventFilter): EventRow[] {
  const types = filter.types ?? [];
  const typeClause = types.length === 0 ? "" : ` AND event_type IN (${types.map(() => "?").join(", ")})`;
  const sql =
    "SELECT * FROM events WHERE id > ? AND (? IS NULL OR run_id = ?) AND (? IS NULL OR ws_id = ?)" +
    `${typeClause} ORDER BY id LIMIT ?`;
  const runId = filter.runId ?? null;
  const wsId = filter.wsId ?? null;
  return allRows(engine.statement(sql), [
    afterId,
    runId,
    runId,
    wsId,
    wsId,
    ...types,
    filter.limit ?? 1000,
  ]).map(toEventRow);
}

export async function* followEvents(engine: JournaledDb, options: FollowOptions): AsyncIterable<EventRow> {
  let last = options.afterId ?? 0;
  const interval = options.intervalMs ?? 100;
  while (options.signal?.aborted !== true) {
    const batch = engine.read(() => queryEventsAfter(engine, last, { ...options, limit: 1000 }));
    for (const event of batch) {
      yield event;
      last = event.id;
    }
    if (batch.length < 1000) await sleep(interval, options.signal);
  }
}

function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    signal?.addEventListener("abort", done, { once: true });
    function done(): void {
      clearTimeout(timer);
      signal?.removeEventListener("abort", done);
      resolve();
    }
  });
}
