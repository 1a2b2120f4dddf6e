/** Loads config/model_prices.json, the estimate table for CLIs that report no cost. */
import { readConfigText } from "../files/configText";
import { type ModelPrice, type PriceTable } from "../../core/agents/prices";
import { UserError, messageOf } from "../../core/errors";

function isPrice(value: unknown): value is ModelPrice {
  if (typeof value !== "object" || value === null) return false;
  const price = value as Record<string, unknown>;
  return (
    typeof price.input === "number" &&
    typeof price.output === "number" &&
    (price.cachedInput === undefined || typeof price.cachedInput === "number")
  );
}

export function loadPriceTable(file: string): PriceTable {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readConfigText(file));
  } catch (error) {
    throw new UserError(`${file}: cannot read the price table: ${messageOf(error)}`);
  }
  const models = (parsed as { models?: unknown }).models;
  if (typeof models !== "object" || models === null)
    throw new UserError(`${file}: expected an object "models"`);
  for (const [name, price] of Object.entries(models)) {
    if (!isPrice(price))
      throw new UserError(`${file}: models.${name} needs numbers input, output (and cachedInput)`);
  }
  return { models: models as Record<string, ModelPrice> };
}
