/**
 * `Store.importRun`: another machine's run, rebuilt from its journal. The run row remembers the
 * journal's last event id (`metadata.imported`), so importing the same journal again adds nothing
 * and a longer copy of it adds only what is new. Runs keep their own times, so the store lists them
 * in the order they ran whatever order their journals arrive in.
 */
import {
  runStatusOf,
  workstreamStatusesOf,
  type ImportRunResult,
  type JournalRun,
  type JsonObject,
} from "../../core/store";
import { UserError } from "../../core/errors";
import { type JournaledDb, type Transaction } from "./engine";
import { insertEvent } from "./eventLog";
import { jsonText } from "./rows";
import { run, runRow, workstreamRow } from "./tableAccess";

export function importRun(
  engine: JournaledDb,
  tx: Transaction,
  journal: JournalRun,
  source: string,
  now: () => string,
): ImportRunResult {
  const existing = runRow(engine, journal.runId);
  const mark = existing?.metadata?.imported;
  if (existing !== undefined && !isImportMark(mark))
    throw new UserError(
      `${source}: run ${journal.runId} was made in this store, not imported; not importing it`,
    );
  const after = isImportMark(mark) ? mark.last_event_id : 0;
  const fresh = journal.events.filter((event) => event.sourceId > after);
  if (fresh.length === 0) return { outcome: "unchanged", eventsAdded: 0 };
  const all = journal.events;
  const first = all[0].timestamp;
  const last = all[all.length - 1].timestamp;
  const metadata: JsonObject = {
    ...(existing?.metadata ?? {}),
    imported: { source, last_event_id: fresh[fresh.length - 1].sourceId },
  };
  if (existing === undefined)
    run(tx, "run.insert", [journal.runId, runStatusOf(all), first, last, jsonText(metadata)]);
  else run(tx, "run.update", [runStatusOf(all), last, jsonText(metadata), journal.runId]);
  for (const [wsId, status] of workstreamStatusesOf(all)) {
    const mentions = all.filter((event) => event.wsId === wsId);
    const updated = mentions[mentions.length - 1].timestamp;
    if (workstreamRow(engine, journal.runId, wsId) === undefined)
      run(tx, "ws.insert", [
        journal.runId,
        wsId,
        status,
        "[]",
        mentions[0].timestamp,
        updated,
        jsonText({ imported: true }),
      ]);
    else run(tx, "ws.update", [status, updated, jsonText({ imported: true }), journal.runId, wsId]);
  }
  for (const event of fresh)
    insertEvent(
      engine,
      tx,
      {
        runId: journal.runId,
        wsId: event.wsId,
        type: event.type,
        payload: event.payload,
        timestamp: event.timestamp,
      },
      now,
    );
  return { outcome: existing === undefined ? "imported" : "extended", eventsAdded: fresh.length };
}

function isImportMark(value: unknown): value is { source: string; last_event_id: number } {
  return (
    typeof value === "object" &&
    value !== null &&
    typeof (value as { last_event_id?: unknown }).last_event_id === "number"
  );
}
