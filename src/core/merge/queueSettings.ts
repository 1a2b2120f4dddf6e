/**
 * How the merge queue integrates done workstreams (`config/merge_queue.yaml`, docs/merge-queue.md):
 * merge or rebase each onto the integration head, the gate that must stay green, when the base moves,
 * how often a workstream may be reopened, and whether review comes first.
 */
import { UserError } from "../errors";

export type ReviewPolicy = "required" | "optional";

export interface MergeQueueSettings {
  /** `merge`: a merge commit per workstream; `rebase`: its commits replayed onto the integration head. */
  strategy: "merge" | "rebase";
  /** The repository-wide gate command (run through `sh -c` unless plain words); none: only acceptance tests. */
  gate: string[];
  /** Seconds each gate command may take. */
  gate_timeout_sec: number;
  /** `end`: the base fast-forwards once, to the final green head; `each`: after every green workstream. */
  advance_base: "end" | "each";
  /** How many times the queue may reopen one workstream before a person must look at it. */
  max_reopens: number;
  /** Whether a done workstream waits for approval (`wsp review approve`) before it enters the queue. */
  review: ReviewPolicy;
}

export const defaultMergeQueueSettings: MergeQueueSettings = {
  strategy: "merge",
  gate: [],
  gate_timeout_sec: 1800,
  advance_base: "end",
  max_reopens: 2,
  review: "optional",
};

function oneOf<T extends string>(value: unknown, allowed: readonly T[], where: string): T {
  if (typeof value !== "string" || !(allowed as readonly string[]).includes(value))
    throw new UserError(`${where} must be one of ${allowed.join(", ")}, got ${JSON.stringify(value)}`);
  return value as T;
}

function wholeNumber(value: unknown, min: number, max: number, where: string): number {
  if (!Number.isInteger(value) || (value as number) < min || (value as number) > max)
    throw new UserError(`${where} must be a whole number from ${min} to ${max}`);
  return value as number;
}

function gateCommands(value: unknown, where: string): string[] {
  if (typeof value === "string" && value.trim() !== "") return [value];
  if (Array.isArray(value) && value.every((entry) => typeof entry === "string" && entry.trim() !== ""))
    return value as string[];
  throw new UserError(`${where} must be a command or a list of commands`);
}

/** Parses the config's keys; a missing key keeps its default. `where` names the file in messages. */
export function parseMergeQueueSettings(raw: unknown, where: string): MergeQueueSettings {
  const base = defaultMergeQueueSettings;
  if (raw === undefined || raw === null) return { ...base };
  if (typeof raw !== "object" || Array.isArray(raw)) throw new UserError(`${where} must be an object`);
  const fields = raw as Record<string, unknown>;
  const known = ["strategy", "gate", "gate_timeout_sec", "advance_base", "max_reopens", "review"];
  const unknown = Object.keys(fields).filter((key) => !known.includes(key));
  if (unknown.length > 0) throw new UserError(`${where}: unknown key(s) ${unknown.join(", ")}`);
  const pick = <T>(key: string, parse: (value: unknown, where: string) => T, fallback: T): T =>
    fields[key] === undefined || fields[key] === null ? fallback : parse(fields[key], `${where}: ${key}`);
  return {
    strategy: pick("strategy", (v, w) => oneOf(v, ["merge", "rebase"] as const, w), base.strategy),
    gate: pick("gate", gateCommands, base.gate),
    gate_timeout_sec: pick("gate_timeout_sec", (v, w) => wholeNumber(v, 1, 86_400, w), base.gate_timeout_sec),
    advance_base: pick("advance_base", (v, w) => oneOf(v, ["end", "each"] as const, w), base.advance_base),
    max_reopens: pick("max_reopens", (v, w) => wholeNumber(v, 0, 20, w), base.max_reopens),
    review: pick("review", (v, w) => oneOf(v, ["required", "optional"] as const, w), base.review),
  };
}
