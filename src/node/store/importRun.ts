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
  type JournalEvent,
  type JournalRun,
  type JsonObject,
} from "../../core/store";
import { UserError } from "../../core/errors";
import { type JournaledDb, type Transaction } from "./engine";
import { insertEvent } from "./eventLog";
import { jsonText } from "./rows";
import { listStepAttempts } from "./stepAttempts";
import { nextId, run, runRow, workstreamRow } from "./tableAccess";

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
    const { metadata: wsMetadata, dependsOn } = workstreamFacts(mentions);
    if (workstreamRow(engine, journal.runId, wsId) === undefined)
      run(tx, "ws.insert", [
        journal.runId,
        wsId,
        status,
        JSON.stringify(dependsOn),
        mentions[0].timestamp,
        updated,
        jsonText(wsMetadata),
      ]);
    else run(tx, "ws.update", [status, updated, jsonText(wsMetadata), journal.runId, wsId]);
  }
  rebuildStepAttempts(engine, tx, journal.runId, fresh);
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

/** What a journal says of one workstream: its dependencies, and the base and commit of its work. */
function workstreamFacts(mentions: readonly JournalEvent[]): { metadata: JsonObject; dependsOn: string[] } {
  const last = (type: string) => mentions.filter((event) => event.type === type).at(-1)?.payload ?? {};
  const start = last("workstream_start");
  const end = last("workstream_end");
  const text = (value: unknown) => (typeof value === "string" ? value : undefined);
  const facts: JsonObject = { imported: true };
  for (const [key, value] of [
    ["base_commit", text(start.base_commit)],
    ["commit", text(end.commit)],
    ["branch", text(end.branch)],
  ] as const)
    if (value !== undefined) facts[key] = value;
  const deps = Array.isArray(start.depends_on) ? start.depends_on.filter((d) => typeof d === "string") : [];
  return { metadata: facts, dependsOn: deps };
}

/**
 * Step attempts from the journal's step_start / step_end pairs, so an imported run's steps show as
 * a local run's do. The source's attempt id links the pair across imports of a growing journal.
 */
function rebuildStepAttempts(
  engine: JournaledDb,
  tx: Transaction,
  runId: string,
  fresh: readonly JournalEvent[],
): void {
  for (const event of fresh) {
    const sourceAttempt = event.payload?.attempt_id;
    const step = event.payload?.step;
    if (event.wsId === null || typeof sourceAttempt !== "number" || typeof step !== "string") continue;
    if (event.type === "step_start")
      run(tx, "attempt.insert", [
        nextId(engine, "step_attempts"),
        runId,
        event.wsId,
        step,
        "running",
        event.timestamp,
        null,
        jsonText({ source_attempt_id: sourceAttempt }),
      ]);
    else if (event.type === "step_end") {
      const started = listStepAttempts(engine, runId, event.wsId).find(
        (attempt) => attempt.status === "running" && attempt.result?.source_attempt_id === sourceAttempt,
      );
      if (started === undefined) continue;
      const result = event.payload?.result;
      run(tx, "attempt.finish", [
        event.payload?.success === true ? "success" : "failed",
        event.timestamp,
        jsonText({ ...(isObject(result) ? result : {}), source_attempt_id: sourceAttempt }),
        started.id,
      ]);
    }
  }
}

function isObject(value: unknown): value is JsonObject {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function isImportMark(value: unknown): value is { source: string; last_event_id: number } {
  return (
    typeof value === "object" &&
    value !== null &&
    typeof (value as { last_event_id?: unknown }).last_event_id === "number"
  );
}
