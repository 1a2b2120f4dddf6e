/** Parses any supported agent CLI's output into one result shape. */
import { parseClaude } from "./parseClaude";
import { parseCodex } from "./parseCodex";
import { parseGemini } from "./parseGemini";
import { parseOpencode } from "./parseOpencode";
import { parseQwen } from "./parseQwen";
import { type PriceTable, withCostEstimate } from "./prices";
import { type AgentCli, type AgentProcessOutcome, type AgentRunResult } from "./types";

export * from "./types";
export { estimateCost, priceFor, withCostEstimate, type ModelPrice, type PriceTable } from "./prices";

const parsers: Record<AgentCli, (outcome: AgentProcessOutcome) => AgentRunResult> = {
  codex: parseCodex,
  claude: parseClaude,
  gemini: parseGemini,
  qwen: parseQwen,
  opencode: parseOpencode,
};

/**
 * Reads what `cli` printed and how it exited. With a price table, a run whose CLI reported no cost gets
 * an estimate for the model it reported (else `model`), marked `costIsEstimate`.
 */
export function parseAgentOutput(
  cli: AgentCli,
  outcome: AgentProcessOutcome,
  options: { model?: string; prices?: PriceTable } = {},
): AgentRunResult {
  const result = parsers[cli](outcome);
  if (options.prices === undefined) return result;
  return withCostEstimate(result, result.model ?? options.model, options.prices);
}
