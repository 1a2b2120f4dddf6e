/**
 * Reads `opencode run --format json` (JSONL; one step_finish per model call carrying tokens and cost).
 * The cost is opencode's own; it says 0 for models it has no price for, which counts as unreported.
 */
import { exitFailure, processFailure } from "./failures";
import { jsonLines, numberAt, objectAt, stringAt } from "./jsonOutput";
import { type AgentProcessOutcome, type AgentRunResult } from "./types";

function errorText(event: Record<string, unknown>): string {
  const error = objectAt(event.error);
  const data = objectAt(error.data);
  const message =
    stringAt(data.message) || stringAt(error.message) || stringAt(error.name) || JSON.stringify(event.error);
  return typeof data.statusCode === "number"
    ? `model API answered HTTP ${data.statusCode}: ${message}`
    : message;
}

export function parseOpencode(outcome: AgentProcessOutcome): AgentRunResult {
  const events = jsonLines(outcome.stdout);
  const tokens = { input: 0, output: 0, cached: 0 };
  let costUsd = 0;
  let steps = 0;
  let finalMessage = "";
  let failure: string | undefined;
  for (const event of events) {
    const part = objectAt(event.part);
    if (event.type === "text" && stringAt(part.text) !== "") finalMessage = stringAt(part.text);
    if (event.type === "error") failure = errorText(event);
    if (event.type === "step_finish") {
      steps++;
      const counts = objectAt(part.tokens);
      const cache = objectAt(counts.cache);
      tokens.cached += numberAt(cache.read);
      tokens.input += numberAt(counts.input) + numberAt(cache.read) + numberAt(cache.write);
      tokens.output += numberAt(counts.output) + numberAt(counts.reasoning);
      costUsd += numberAt(part.cost);
    }
  }
  // opencode says 0 for models it has no price for (any custom endpoint): that is no cost reported.
  const costKnown = costUsd > 0 || tokens.input + tokens.output === 0;
  const reported = { finalMessage, tokens, ...(costKnown ? { costUsd } : {}), costIsEstimate: false };
  const reason =
    processFailure(outcome) ??
    (failure !== undefined ? `opencode reported an error: ${failure}` : undefined) ??
    (outcome.exitCode !== 0 ? exitFailure("opencode", outcome) : undefined) ??
    (steps === 0 ? "opencode finished without a model step" : undefined);
  return reason === undefined ? { success: true, ...reported } : { success: false, reason, ...reported };
}
