/** One line of plain text per event type for the panel's details column. */
import { type PanelEvent } from "../shared/panelProtocol";

export function summary(event: PanelEvent): string {
  const p = event.payload;
  switch (event.type) {
    case "step_start":
    case "step_end":
      return `${typeof p.step === "string" ? p.step.toUpperCase() : ""}${event.type === "step_end" ? (p.success === true ? " passed" : " failed") : " started"}`;
    case "status_changed":
    case "run_status_changed":
      return `${String(p.from)} → ${String(p.to)}${typeof p.reason === "string" ? ` (${p.reason})` : ""}`;
    case "tool_run": {
      const result = (p.tool_result ?? {}) as Record<string, unknown>;
      return `${String(result.tool_id)}: ${String(result.command_line)} → exit ${String(result.exit_code)}`;
    }
    case "breaker_trip":
      return `breaker ${String(p.breaker)}: ${String(p.reason)}`;
    case "scope_violation":
      return `outside scope: ${Array.isArray(p.paths) ? p.paths.join(", ") : ""}`;
    case "workstream_end":
    case "run_end":
      return typeof p.final_status === "string" ? p.final_status : "";
    case "workstream_start":
      return typeof p.sandbox === "string" ? `started · sandbox: ${p.sandbox}` : "started";
    case "tamper":
      return `tamper: ${Array.isArray(p.findings) ? p.findings.join("; ") : ""}`;
    case "sandbox_denied":
      return `sandbox denied: ${Array.isArray(p.lines) ? p.lines.join(" | ") : ""}`;
    default:
      return JSON.stringify(p);
  }
}
