/** Parses any supported agent CLI's output into one result shape. */
import { parseClaude } from "./parseClaude";
import { parseCodex } from "./parseCodex";
import { parseGemini } from "./parseGemini";
import { parseOpencode } from "./parseOpencode";
import { parseQwen } from "./parseQwen";
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

export function parseAgentOutput(cli: AgentCli, outcome: AgentProcessOutcome): AgentRunResult {
  return parsers[cli](outcome);
}
