/** Reads token counts and cost from a tool's structured output, as its profile describes. */
import { type UsageExtraction } from "./profiles";

export interface ToolUsage {
  input_tokens?: number;
  output_tokens?: number;
  cost_usd?: number;
  /** Set when cost_usd was estimated from config/model_prices.json rather than reported by the tool. */
  cost_is_estimate?: boolean;
}

/** Sums every number found at `path` (dot-separated; `*` matches any key or index). */
function sumAtPath(value: unknown, segments: readonly string[]): number | undefined {
  if (segments.length === 0) return typeof value === "number" && Number.isFinite(value) ? value : undefined;
  if (typeof value !== "object" || value === null) return undefined;
  const [head, ...rest] = segments;
  const children = head === "*" ? Object.values(value) : [(value as Record<string, unknown>)[head]];
  let total: number | undefined;
  for (const child of children) {
    const found = sumAtPath(child, rest);
    if (found !== undefined) total = (total ?? 0) + found;
  }
  return total;
}

function parseJsonValues(stdout: string, format: UsageExtraction["format"]): unknown[] {
  const tryParse = (text: string): unknown => {
    try {
      return JSON.parse(text) as unknown;
    } catch {
      return undefined;
    }
  };
  if (format === "json") {
    const whole = tryParse(stdout.trim());
    if (whole !== undefined) return [whole];
    // Some tools print a banner first: take the last line that parses.
    const lines = stdout.trim().split("\n").reverse();
    for (const line of lines) {
      const value = tryParse(line);
      if (value !== undefined) return [value];
    }
    return [];
  }
  return stdout
    .split("\n")
    .filter((line) => line.trim().startsWith("{") || line.trim().startsWith("["))
    .map(tryParse)
    .filter((value) => value !== undefined);
}

/** Extracts usage figures; a figure the output lacks is left out rather than guessed. */
export function extractUsage(stdout: string, spec: UsageExtraction | undefined): ToolUsage {
  if (spec === undefined) return {};
  const values = parseJsonValues(stdout, spec.format);
  const usage: ToolUsage = {};
  for (const key of ["input_tokens", "output_tokens", "cost_usd"] as const) {
    const path = spec[key];
    if (path === undefined) continue;
    let total: number | undefined;
    for (const value of values) {
      const found = sumAtPath(value, path.split("."));
      if (found !== undefined) total = (total ?? 0) + found;
    }
    if (total !== undefined) usage[key] = total;
  }
  return usage;
}
