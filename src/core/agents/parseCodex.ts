/** Reads `codex exec --json` (JSONL: thread/turn/item events, usage on turn.completed, no cost). */
import { exitFailure, processFailure } from "./failures";
import { jsonLines, numberAt, objectAt, stringAt } from "./jsonOutput";
import { type AgentProcessOutcome, type AgentRunResult } from "./types";

export function parseCodex(outcome: AgentProcessOutcome): AgentRunResult {
  const events = jsonLines(outcome.stdout);
  const tokens = { input: 0, output: 0, cached: 0 };
  let finalMessage = "";
  let turnFailure: string | undefined;
  let lastError: string | undefined;
  let completedTurns = 0;
  for (const event of events) {
    const item = objectAt(event.item);
    if (event.type === "item.completed" && item.type === "agent_message") finalMessage = stringAt(item.text);
    if (event.type === "item.completed" && item.type === "error") lastError = stringAt(item.message);
    if (event.type === "error") lastError = stringAt(event.message);
    if (event.type === "turn.failed")
      turnFailure = stringAt(objectAt(event.error).message) || "the turn failed";
    if (event.type === "turn.completed") {
      completedTurns++;
      const usage = objectAt(event.usage);
      tokens.input += numberAt(usage.input_tokens);
      tokens.cached += numberAt(usage.cached_input_tokens);
      tokens.output += numberAt(usage.output_tokens);
    }
  }
  const result = { finalMessage, tokens, costIsEstimate: false };
  const reason =
    processFailure(outcome) ??
    (turnFailure !== undefined ? `codex turn failed: ${turnFailure}` : undefined) ??
    (outcome.exitCode !== 0
      ? lastError !== undefined
        ? `codex failed: ${lastError}`
        : exitFailure("codex", outcome)
      : undefined) ??
    (completedTurns === 0 ? "codex finished without completing a turn" : undefined);
  return reason === undefined ? { success: true, ...result } : { success: false, reason, ...result };
}
