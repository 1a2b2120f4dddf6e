/** Cost estimates from a price table, for CLIs that report tokens but no cost. */
import { type AgentRunResult, type AgentTokens } from "./types";

/** US dollars per million tokens. */
export interface ModelPrice {
  input: number;
  cachedInput?: number;
  output: number;
}

/** config/model_prices.json: prices by model name; a name also prices the models it is a prefix of. */
export interface PriceTable {
  models: Record<string, ModelPrice>;
}

/** The price for `model`: an exact entry, else the longest entry that is a prefix of it. */
export function priceFor(table: PriceTable, model: string): ModelPrice | undefined {
  const exact = table.models[model];
  if (exact !== undefined) return exact;
  const prefix = Object.keys(table.models)
    .filter((name) => model.startsWith(name))
    .sort((a, b) => b.length - a.length)[0];
  return prefix === undefined ? undefined : table.models[prefix];
}

export function estimateCost(price: ModelPrice, tokens: AgentTokens): number {
  const cached = Math.min(tokens.cached ?? 0, tokens.input);
  const perToken = (perMillion: number): number => perMillion / 1_000_000;
  return (
    (tokens.input - cached) * perToken(price.input) +
    cached * perToken(price.cachedInput ?? price.input) +
    tokens.output * perToken(price.output)
  );
}

/** Fills in an estimated cost when the CLI reported none and the table prices `model`. */
export function withCostEstimate(
  result: AgentRunResult,
  model: string | undefined,
  table: PriceTable,
): AgentRunResult {
  if (result.costUsd !== undefined || model === undefined) return result;
  const price = priceFor(table, model);
  if (price === undefined) return result;
  return { ...result, costUsd: estimateCost(price, result.tokens), costIsEstimate: true };
}
