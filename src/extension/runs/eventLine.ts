/** One line of `wsp ... --events ndjson` read into a panel event, and how a run's channel prints it. */
import { type PanelEvent } from "../../shared/panelProtocol";

const ENVELOPE = new Set(["type", "ts", "run_id", "ws_id", "id"]);

/** The event on a line, or undefined when the line is not one. */
export function parseEventLine(line: string): PanelEvent | undefined {
  let value: unknown;
  try {
    value = JSON.parse(line);
  } catch {
    return undefined;
  }
  if (typeof value !== "object" || value === null) return undefined;
  const record = value as Record<string, unknown>;
  if (typeof record.type !== "string" || typeof record.ts !== "string") return undefined;
  const payload: Record<string, unknown> = {};
  for (const [key, field] of Object.entries(record)) if (!ENVELOPE.has(key)) payload[key] = field;
  return {
    id: typeof record.id === "number" ? record.id : 0,
    ts: record.ts,
    type: record.type,
    runId: typeof record.run_id === "string" ? record.run_id : null,
    wsId: typeof record.ws_id === "string" ? record.ws_id : null,
    payload,
  };
}

/** A readable line: time, workstream, what happened. */
export function formatEventLine(event: PanelEvent): string {
  const time = event.ts.slice(11, 19);
  const who = event.wsId ?? event.runId ?? "";
  const p = event.payload;
  const step = typeof p.step === "string" ? p.step.toUpperCase() : "";
  let what: string;
  switch (event.type) {
    case "step_start":
      what = `▶ ${step}`;
      break;
    case "step_end":
      what = `${p.success === true ? "✔" : "✘"} ${step}`;
      break;
    case "status_changed":
    case "run_status_changed":
      what = `${String(p.from)} → ${String(p.to)}${typeof p.reason === "string" ? ` (${p.reason})` : ""}`;
      break;
    case "tool_run": {
      const result = (p.tool_result ?? {}) as Record<string, unknown>;
      what = `tool ${String(result.tool_id)}: ${String(result.command_line)} → exit ${String(result.exit_code)}`;
      break;
    }
    case "breaker_trip":
      what = `breaker ${String(p.breaker)} tripped: ${String(p.reason)}`;
      break;
    case "scope_violation":
      what = `scope violation: ${Array.isArray(p.paths) ? p.paths.join(", ") : ""}`;
      break;
    case "workstream_end":
    case "run_end":
      what = `${event.type}: ${String(p.final_status)}`;
      break;
    case "workstream_start":
      what = typeof p.sandbox === "string" ? `workstream_start (sandbox: ${p.sandbox})` : "workstream_start";
      break;
    case "tamper":
      what = `TAMPER: ${Array.isArray(p.findings) ? p.findings.join("; ") : ""}`;
      break;
    case "sandbox_denied":
      what = `sandbox denied: ${Array.isArray(p.lines) ? p.lines.join(" | ") : ""}`;
      break;
    default:
      what = event.type;
  }
  return `[${time}] ${who}  ${what}`;
}
