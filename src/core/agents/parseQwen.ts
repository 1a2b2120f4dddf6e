/**
 * Reads `qwen -p --output-format json`: a JSON array of Claude-SDK-like messages ending with a result
 * (`stream-json` gives the same records as JSONL). No cost is reported. A model API error still ends
 * with exit 0, `is_error: false` and subtype "success": only the result text ("[API Error: 400 …]")
 * and the error count in the stats tell.
 */
import { exitFailure, permissionFailure, processFailure } from "./failures";
import { lastResultRecord, numberAt, objectAt, stringAt } from "./jsonOutput";
import { type AgentProcessOutcome, type AgentRunResult } from "./types";

export function parseQwen(outcome: AgentProcessOutcome): AgentRunResult {
  const result = lastResultRecord(outcome.stdout);
  const usage = objectAt(result?.usage);
  const tokens = {
    input: numberAt(usage.input_tokens),
    output: numberAt(usage.output_tokens),
    ...(typeof usage.cache_read_input_tokens === "number" ? { cached: usage.cache_read_input_tokens } : {}),
  };
  const models = Object.keys(objectAt(objectAt(result?.stats).models));
  const reported = {
    finalMessage: stringAt(result?.result),
    tokens,
    costIsEstimate: false,
    ...(models.length > 0 ? { model: models.join(", ") } : {}),
  };
  const errorText = stringAt(objectAt(result?.error).message) || stringAt(result?.result);
  const apiError = /^\[API Error:\s*(\d{3})?\s*([^]*?)\]?$/.exec(stringAt(result?.result).trim());
  const reason =
    processFailure(outcome) ??
    (result === undefined ? exitFailure("qwen", outcome) + " (no result record on stdout)" : undefined) ??
    (result?.is_error === true ? `qwen reported an error: ${errorText}` : undefined) ??
    (apiError !== null
      ? `qwen failed: model API ${apiError[1] !== undefined ? `answered HTTP ${apiError[1]}` : "error"}: ${apiError[2] ?? ""}`
      : undefined) ??
    permissionFailure("qwen", result?.permission_denials) ??
    (outcome.exitCode !== 0 ? exitFailure("qwen", outcome) : undefined) ??
    (result?.subtype !== "success"
      ? `qwen ended with ${stringAt(result?.subtype) || "no subtype"}`
      : undefined);
  return reason === undefined ? { success: true, ...reported } : { success: false, reason, ...reported };
}
