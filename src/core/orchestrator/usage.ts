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

const SCALE: Record<string, number> = { k: 1e3, K: 1e3, m: 1e6, M: 1e6 };

/** Sums the number the first group of `pattern` captures, over every match in `text`. */
function sumMatches(text: string, pattern: string): number | undefined {
  let total: number | undefined;
  for (const match of text.matchAll(new RegExp(pattern, "g"))) {
    const figure = /^\s*([0-9][0-9,]*(?:\.[0-9]+)?|\.[0-9]+)\s*([kKmM]?)/.exec(match[1] ?? "");
    if (!figure) continue;
    const value = Number(figure[1].replace(/,/g, "")) * (SCALE[figure[2]] ?? 1);
    if (Number.isFinite(value)) total = (total ?? 0) + value;
  }
  return total;
}

/**
 * Extracts usage figures; a figure the output lacks is left out rather than guessed. `stderr` is read
 * too for the `text` format (tools print their usage line on either).
 */
export function extractUsage(stdout: string, spec: UsageExtraction | undefined, stderr = ""): ToolUsage {
  if (spec === undefined) return {};
  if (spec.format === "text") {
    const usage: ToolUsage = {};
    for (const key of ["input_tokens", "output_tokens", "cost_usd"] as const) {
      const pattern = spec[key];
      if (pattern === undefined) continue;
      const total = sumMatches(`${stdout}\n${stderr}`, pattern);
      // Decimal figures summed in binary drift (0.0072 + 0.001): keep what the tool printed.
      if (total !== undefined)
        usage[key] = key === "cost_usd" ? Math.round(total * 1e10) / 1e10 : Math.round(total);
    }
    return usage;
  }
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
