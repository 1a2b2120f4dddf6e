/**
 * Event journals: the NDJSON `wsp run --events ndjson` prints (one `{type, ts, run_id, ws_id?, id,
 * ...payload}` object per line), read back so `wsp db import` can merge another machine's runs.
 * Pure: the text comes in, runs or a UserError naming the file and line come out.
 */
import { UserError } from "../errors";
import { RUN_STATUSES, WORKSTREAM_STATUSES, type RunStatus, type WorkstreamStatus } from "./stateMachine";
import { type JournalEvent, type JournalRun, type JsonObject } from "./types";

const FIXED_FIELDS = new Set(["type", "ts", "run_id", "ws_id", "id"]);
const ISO_UTC = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?Z$/;

/** Parses a whole journal; refuses (UserError `file:line: why`) anything it cannot take whole. */
export function parseJournal(text: string, file: string): JournalRun[] {
  if (text.trim() === "") throw new UserError(`${file}: the journal holds no events`);
  const lines = text.split("\n");
  // A journal ends with a newline: a last line without one was cut off mid-write.
  if (lines[lines.length - 1] !== "")
    throw new UserError(
      `${file}:${lines.length}: truncated: the last line has no end (was the journal cut off?)`,
    );
  lines.pop();
  const runs = new Map<string, JournalRun>();
  lines.forEach((line, index) => {
    const where = `${file}:${index + 1}`;
    const event = parseLine(line, where);
    let run = runs.get(event.runId);
    if (run === undefined) runs.set(event.runId, (run = { runId: event.runId, events: [] }));
    const previous = run.events[run.events.length - 1];
    if (previous !== undefined && event.event.sourceId <= previous.sourceId)
      throw new UserError(`${where}: event id ${event.event.sourceId} does not follow ${previous.sourceId}`);
    run.events.push(event.event);
  });
  return [...runs.values()];
}

function parseLine(line: string, where: string): { runId: string; event: JournalEvent } {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch (error) {
    throw new UserError(
      `${where}: not a JSON line (${error instanceof Error ? error.message : String(error)})`,
    );
  }
  if (typeof value !== "object" || value === null || Array.isArray(value))
    throw new UserError(`${where}: an event must be a JSON object`);
  const record = value as JsonObject;
  const { type, ts, run_id: runId, ws_id: wsId, id } = record;
  if (typeof type !== "string" || type === "") throw new UserError(`${where}: "type" must be a string`);
  if (typeof ts !== "string" || !ISO_UTC.test(ts))
    throw new UserError(`${where}: "ts" must be an ISO UTC time like 2026-01-31T12:00:00.000Z`);
  if (typeof runId !== "string" || runId === "") throw new UserError(`${where}: "run_id" must be a string`);
  if (wsId !== undefined && (typeof wsId !== "string" || wsId === ""))
    throw new UserError(`${where}: "ws_id" must be a string when present`);
  if (typeof id !== "number" || !Number.isSafeInteger(id) || id < 1)
    throw new UserError(`${where}: "id" must be a positive integer`);
  const payload: JsonObject = {};
  for (const [key, field] of Object.entries(record)) if (!FIXED_FIELDS.has(key)) payload[key] = field;
  if (type === "status_changed" && !isOneOf(payload.to, WORKSTREAM_STATUSES))
    throw new UserError(
      `${where}: status_changed to an unknown workstream status ${JSON.stringify(payload.to)}`,
    );
  if (type === "run_status_changed" && !isOneOf(payload.to, RUN_STATUSES))
    throw new UserError(
      `${where}: run_status_changed to an unknown run status ${JSON.stringify(payload.to)}`,
    );
  return {
    runId,
    event: { sourceId: id, type, timestamp: ts, wsId: wsId ?? null, payload },
  };
}

function isOneOf(value: unknown, allowed: readonly string[]): boolean {
  return typeof value === "string" && allowed.includes(value);
}

/** Where a run's events leave it: the last status each change named (a run starts pending). */
export function runStatusOf(events: readonly JournalEvent[]): RunStatus {
  let status: RunStatus = "pending";
  for (const event of events) if (event.type === "run_status_changed") status = event.payload.to as RunStatus;
  return status;
}

/** Each workstream the events mention, with its last status (pending when none changed it). */
export function workstreamStatusesOf(events: readonly JournalEvent[]): Map<string, WorkstreamStatus> {
  const statuses = new Map<string, WorkstreamStatus>();
  for (const event of events) {
    if (event.wsId === null) continue;
    if (event.type === "status_changed") statuses.set(event.wsId, event.payload.to as WorkstreamStatus);
    else if (!statuses.has(event.wsId)) statuses.set(event.wsId, "pending");
  }
  return statuses;
}
