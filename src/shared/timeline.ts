/**
 * Turns a run's events into what the panel draws: per workstream, one bar per step attempt on a
 * shared time axis, plus markers (breaker trips, scope violations), and the totals of tokens and
 * cost the tools reported. Pure, so it is unit-tested in plain Node.
 */
import { type PanelEvent } from "./panelProtocol";

export interface TimelineBar {
  wsId: string;
  step: string;
  attemptId: number;
  /** ms since the epoch */
  start: number;
  /** undefined while the step runs */
  end?: number;
  success?: boolean;
  label: string;
}

export interface TimelineMarker {
  wsId: string;
  at: number;
  kind: "breaker_trip" | "scope_violation" | "tamper" | "sandbox_denied";
  text: string;
}

export interface WorkstreamUsage {
  tokens?: number;
  costUsd?: number;
}

export interface Timeline {
  start: number;
  end: number;
  lanes: string[];
  bars: TimelineBar[];
  markers: TimelineMarker[];
  usage: Map<string, WorkstreamUsage>;
  /** How each workstream's tools were contained ("bubblewrap 0.8.0", "off", "unavailable: …"). */
  sandbox: Map<string, string>;
  status: Map<string, string>;
}

const num = (value: unknown): number | undefined => (typeof value === "number" ? value : undefined);
const str = (value: unknown): string | undefined => (typeof value === "string" ? value : undefined);

function stepLabel(event: PanelEvent): string {
  const step = str(event.payload.step) ?? "?";
  if (step === "fix") return `FIX ${num(event.payload.fix_attempt) ?? ""}`.trim();
  const attempt = num(event.payload.attempt);
  return attempt !== undefined && attempt > 1 ? `${step.toUpperCase()} #${attempt}` : step.toUpperCase();
}

/** Sums the usage numbers a tool run reports (`tool_result.usage`: tokens and cost where known). */
function addUsage(total: WorkstreamUsage, usage: unknown): void {
  if (typeof usage !== "object" || usage === null) return;
  const record = usage as Record<string, unknown>;
  const tokens =
    num(record.total_tokens) ?? (num(record.input_tokens) ?? 0) + (num(record.output_tokens) ?? 0);
  if (tokens > 0) total.tokens = (total.tokens ?? 0) + tokens;
  const cost = num(record.cost_usd);
  if (cost !== undefined) total.costUsd = (total.costUsd ?? 0) + cost;
}

/** Builds the timeline; `now` closes the axis while steps still run. */
export function buildTimeline(events: readonly PanelEvent[], now: number): Timeline {
  const bars = new Map<string, TimelineBar>();
  const markers: TimelineMarker[] = [];
  const lanes: string[] = [];
  const usage = new Map<string, WorkstreamUsage>();
  const status = new Map<string, string>();
  const sandbox = new Map<string, string>();
  let start = Number.POSITIVE_INFINITY;
  let end = 0;
  for (const event of events) {
    const at = Date.parse(event.ts);
    if (Number.isFinite(at)) {
      start = Math.min(start, at);
      end = Math.max(end, at);
    }
    const wsId = event.wsId;
    if (!wsId) continue;
    if (!lanes.includes(wsId)) lanes.push(wsId);
    const attemptId = num(event.payload.attempt_id);
    switch (event.type) {
      case "step_start":
        if (attemptId !== undefined)
          bars.set(`${wsId}:${attemptId}`, {
            wsId,
            step: str(event.payload.step) ?? "?",
            attemptId,
            start: at,
            label: stepLabel(event),
          });
        break;
      case "step_end": {
        const bar = attemptId === undefined ? undefined : bars.get(`${wsId}:${attemptId}`);
        if (bar) {
          bar.end = at;
          bar.success = event.payload.success === true;
        }
        break;
      }
      case "breaker_trip":
        markers.push({
          wsId,
          at,
          kind: "breaker_trip",
          text: `breaker ${str(event.payload.breaker) ?? "?"}: ${str(event.payload.reason) ?? ""}`,
        });
        break;
      case "scope_violation": {
        const paths = Array.isArray(event.payload.paths) ? event.payload.paths.map(String) : [];
        markers.push({ wsId, at, kind: "scope_violation", text: `outside scope: ${paths.join(", ")}` });
        break;
      }
      case "tool_run": {
        const result = event.payload.tool_result as Record<string, unknown> | undefined;
        const total = usage.get(wsId) ?? {};
        addUsage(total, result?.usage);
        usage.set(wsId, total);
        break;
      }
      case "status_changed":
        status.set(wsId, str(event.payload.to) ?? "?");
        break;
      case "workstream_start": {
        const how = str(event.payload.sandbox);
        if (how !== undefined) sandbox.set(wsId, how);
        break;
      }
      case "tamper": {
        const findings = Array.isArray(event.payload.findings) ? event.payload.findings.map(String) : [];
        markers.push({ wsId, at, kind: "tamper", text: `tamper: ${findings.join("; ")}` });
        break;
      }
      case "sandbox_denied": {
        const lines = Array.isArray(event.payload.lines) ? event.payload.lines.map(String) : [];
        markers.push({ wsId, at, kind: "sandbox_denied", text: `sandbox denied: ${lines.join(" | ")}` });
        break;
      }
    }
  }
  const open = [...bars.values()].some((bar) => bar.end === undefined);
  if (!Number.isFinite(start)) start = now;
  if (open) end = Math.max(end, now);
  if (end <= start) end = start + 1;
  return { start, end, lanes, bars: [...bars.values()], markers, usage, status, sandbox };
}

/** Event types the list's filter offers, in a fixed order. */
export const EVENT_FILTERS = ["status", "steps", "tools", "problems", "run"] as const;
export type EventFilterKind = (typeof EVENT_FILTERS)[number];

/** Which filter group an event type belongs to. */
export function filterKindOf(type: string): EventFilterKind {
  if (type === "status_changed" || type === "workstream_start" || type === "workstream_end") return "status";
  if (type === "step_start" || type === "step_end" || type === "fix_attempt") return "steps";
  if (type === "tool_run") return "tools";
  if (
    type === "breaker_trip" ||
    type === "scope_violation" ||
    type === "fix_attempt_error" ||
    type === "tamper" ||
    type === "sandbox_denied"
  )
    return "problems";
  return "run";
}
