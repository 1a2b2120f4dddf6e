/** Turns store events into NDJSON lines (contract 5) and into live progress lines on a terminal. */
import { type EventRow } from "../../core/store";
import { type CommandIO } from "../io";

/** `{ type, ts, run_id, ws_id?, id, ...payload }`: the store's vocabulary, one object per line. */
export function ndjsonLine(event: EventRow): string {
  const line: Record<string, unknown> = { type: event.type, ts: event.timestamp, run_id: event.runId };
  if (event.wsId !== null) line.ws_id = event.wsId;
  line.id = event.id;
  for (const [key, value] of Object.entries(event.payload ?? {})) if (!(key in line)) line[key] = value;
  return `${JSON.stringify(line)}\n`;
}

/** Payload values as text: strings as they are, anything else as JSON. */
function text(value: unknown): string {
  return typeof value === "string" ? value : JSON.stringify(value);
}

/** A short human line for the interesting events, or undefined to stay quiet. */
export function progressLine(event: EventRow): string | undefined {
  const p = event.payload ?? {};
  const time = event.timestamp.slice(11, 19);
  const who = event.wsId ?? "run";
  switch (event.type) {
    case "status_changed":
      return `${time} ${who}: ${text(p.from)} → ${text(p.to)}${p.reason ? ` (${text(p.reason)})` : ""}`;
    case "breaker_trip":
      return `${time} ${who}: breaker ${text(p.breaker)} tripped: ${text(p.reason)}`;
    case "scope_violation":
      return `${time} ${who}: scope violation: ${Array.isArray(p.paths) ? p.paths.map(text).join(", ") : ""}`;
    case "fix_attempt":
      return `${time} ${who}: FIX attempt ${text(p.attempt)} for ${text(p.step)}`;
    case "run_end":
      return `${time} run ${String(event.runId)} finished: ${text(p.final_status)}`;
    default:
      return undefined;
  }
}

export function eventPrinter(
  io: CommandIO,
  mode: "ndjson" | "progress" | "none",
): ((event: EventRow) => void) | undefined {
  if (mode === "ndjson") return (event) => io.out(ndjsonLine(event));
  if (mode === "progress")
    return (event) => {
      const line = progressLine(event);
      if (line) io.err(`${line}\n`);
    };
  return undefined;
}
