/**
 * Reads `claude -p --output-format json` (one result object; `stream-json` ends with the same object).
 * Claude Code exits 0 with subtype "success" even when it refused every edit or the API failed, so the
 * result's `is_error`, `api_error_status` and `permission_denials` decide, not the exit code alone.
 */
import { exitFailure, permissionFailure, processFailure } from "./failures";
import { lastResultRecord, numberAt, objectAt, stringAt } from "./jsonOutput";
import { type AgentProcessOutcome, type AgentRunResult } from "./types";

export function parseClaude(outcome: AgentProcessOutcome): AgentRunResult {
  const result = lastResultRecord(outcome.stdout);
  const usage = objectAt(result?.usage);
  const cached = numberAt(usage.cache_read_input_tokens);
  const tokens = {
    input: numberAt(usage.input_tokens) + numberAt(usage.cache_creation_input_tokens) + cached,
    output: numberAt(usage.output_tokens),
    cached,
  };
  const models = Object.keys(objectAt(result?.modelUsage));
  const reported = {
    finalMessage: stringAt(result?.result),
    tokens,
    ...(typeof result?.total_cost_usd === "number" ? { costUsd: result.total_cost_usd } : {}),
    costIsEstimate: false,
    ...(models.length > 0 ? { model: models.join(", ") } : {}),
  };
  const status = result?.api_error_status;
  const reason =
    processFailure(outcome) ??
    (result === undefined ? exitFailure("claude", outcome) + " (no result object on stdout)" : undefined) ??
    (result?.is_error === true
      ? `claude reported an error${typeof status === "number" ? ` (model API answered HTTP ${status})` : ""}: ${stringAt(result.result)}`
      : undefined) ??
    permissionFailure("claude", result?.permission_denials) ??
    (outcome.exitCode !== 0 ? exitFailure("claude", outcome) : undefined) ??
    (result?.subtype !== "success"
      ? `claude ended with ${stringAt(result?.subtype) || "no subtype"}`
      : undefined);
  return reason === undefined ? { success: true, ...reported } : { success: false, reason, ...reported };
}
