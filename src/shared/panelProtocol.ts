/**
 * The typed message protocol between the extension and the run-events webview. Every payload is
 * plain data (tool output included) that the webview renders as text, never as markup.
 */

/** One pipeline event, as the store records it and `wsp run --events ndjson` prints it. */
export interface PanelEvent {
  id: number;
  ts: string;
  type: string;
  runId: string | null;
  wsId: string | null;
  payload: Record<string, unknown>;
}

/** A failed step's details: the failing command and the excerpt of its output (untrusted text). */
export interface PanelErrorDetail {
  runId: string;
  wsId: string;
  step: string;
  attemptId: number;
  command?: string;
  exitCode?: number | null;
  output: string;
}

export interface RunSummary {
  runId: string;
  status: string;
  createdAt: string;
}

/** Messages the extension sends to the webview. */
export type HostToPanel =
  | { type: "init"; runs: RunSummary[]; selectedRunId?: string }
  | { type: "events"; runId: string; events: PanelEvent[]; replace: boolean }
  | { type: "errorDetail"; detail: PanelErrorDetail }
  | { type: "runs"; runs: RunSummary[]; selectedRunId?: string };

/** Messages the webview sends to the extension. */
export type PanelToHost =
  | { type: "ready" }
  | { type: "selectRun"; runId: string }
  | { type: "requestErrorDetail"; runId: string; wsId: string; attemptId: number }
  /** Sent after each render, so the extension (and its tests) know what the panel shows. */
  | { type: "rendered"; runId: string | null; eventCount: number; errorCount: number };

const HOST_TYPES = new Set(["init", "events", "errorDetail", "runs"]);
const PANEL_TYPES = new Set(["ready", "selectRun", "requestErrorDetail", "rendered"]);

function hasType(value: unknown): value is { type: string } {
  return (
    typeof value === "object" && value !== null && typeof (value as { type?: unknown }).type === "string"
  );
}

/** Narrows an incoming message in the webview; anything else is ignored. */
export function isHostToPanel(value: unknown): value is HostToPanel {
  return hasType(value) && HOST_TYPES.has(value.type);
}

/** Narrows an incoming message in the extension; anything else is ignored. */
export function isPanelToHost(value: unknown): value is PanelToHost {
  return hasType(value) && PANEL_TYPES.has(value.type);
}

/** Steps drawn as bars on the timeline, in pipeline order. */
export const TIMELINE_STEPS = ["edit", "static", "runtime", "fix", "scope"] as const;
