/**
 * Tool profiles: how to run one tool (an editing agent, a static checker, a test runner). Read from
 * `config/tool_profiles.json`, accepting the original's kebab-case keys (`timeout-sec`, `working-dir`,
 * `success-codes`) and snake_case aliases, which the original silently ignored.
 */
import { type AgentProfileSettings, parseAgentSettings } from "../agents/profile";
import { parseProfileSandbox, type ProfileSandbox } from "../sandbox/settings";
import { UserError } from "../errors";

export type ToolKind = "edit" | "static" | "runtime" | "utility";

/** Where a tool's token and cost figures sit in its output (dot paths, `*` matches any key or index). */
export interface UsageExtraction {
  /**
   * `json`: stdout is one JSON value; `jsonl`: one JSON value per line, figures summed over lines
   * (each figure is a dot path). `text`: each figure is a regular expression whose first group
   * captures a number (`1.2k` and `3M` count as 1200 and 3000000), summed over every match in
   * stdout and stderr, for tools that print usage as prose (aider).
   */
  format: "json" | "jsonl" | "text";
  input_tokens?: string;
  output_tokens?: string;
  cost_usd?: string;
}

export interface ToolProfile {
  id: string;
  kind: ToolKind;
  command: string;
  args: string[];
  env: Record<string, string>;
  /** Working directory, with placeholders; defaults to the worktree. */
  working_dir: string;
  timeout_sec: number;
  success_codes: number[];
  /** When given, at least one of these regexes must match stdout or stderr for the run to succeed. */
  success_patterns: string[];
  /** When any of these regexes matches stdout or stderr, the run failed whatever its exit code. */
  failure_patterns: string[];
  usage?: UsageExtraction;
  /** Run once per matching file (`{file}` placeholder) instead of once, e.g. `node --check`. */
  per_file?: string[];
  /** Default values for placeholders the run does not supply (e.g. `model_name`). */
  defaults: Record<string, string>;
  description?: string;
  /** A real agent CLI: its argv, environment and output parsing come from src/node/agents. */
  agent?: AgentProfileSettings;
  /** How the tool is contained; config/sandbox.yaml decides what it leaves out. */
  sandbox?: ProfileSandbox;
}

/** Whether a run of this profile can report what it cost: an agent CLI does, others as `usage` says. */
export function reportsCost(profile: ToolProfile): boolean {
  return profile.agent !== undefined || profile.usage?.cost_usd !== undefined;
}

/** The profiles file: id → profile; a top-level `$schema` key is not a profile. */
export type ToolProfiles = ReadonlyMap<string, ToolProfile>;

const KIND_ALIASES: Record<string, ToolKind> = {
  edit: "edit",
  ai: "edit",
  static: "static",
  "static-check": "static",
  runtime: "runtime",
  test: "runtime",
  utility: "utility",
};

const DEFAULT_TIMEOUT_SEC = 600;

/** The first of `keys` that `raw` defines, so `timeout-sec`, `timeout_sec` and `timeoutSec` all count. */
function pick(raw: Record<string, unknown>, ...keys: string[]): unknown {
  for (const key of keys) if (raw[key] !== undefined) return raw[key];
  return undefined;
}

function stringList(value: unknown, where: string): string[] {
  if (value === undefined) return [];
  if (!Array.isArray(value) || !value.every((item) => typeof item === "string"))
    throw new UserError(`${where}: expected a list of strings`);
  return value;
}

/** Normalises one raw profile; throws a UserError naming the profile and key on bad input. */
export function normalizeProfile(id: string, raw: unknown, source = "tool profiles"): ToolProfile {
  const where = `${source}: profile '${id}'`;
  if (typeof raw !== "object" || raw === null || Array.isArray(raw))
    throw new UserError(`${where}: expected an object`);
  const record = raw as Record<string, unknown>;
  const kindRaw = pick(record, "kind", "type");
  const kind = typeof kindRaw === "string" ? KIND_ALIASES[kindRaw] : undefined;
  if (kind === undefined) throw new UserError(`${where}: kind must be edit, static, runtime or utility`);
  const command = record.command;
  if (typeof command !== "string" || command === "")
    throw new UserError(`${where}: command must be a non-empty string`);
  const envRaw = pick(record, "env") ?? {};
  if (typeof envRaw !== "object" || envRaw === null || Array.isArray(envRaw))
    throw new UserError(`${where}: env must be an object of strings`);
  const env: Record<string, string> = {};
  for (const [key, value] of Object.entries(envRaw)) {
    if (typeof value !== "string") throw new UserError(`${where}: env.${key} must be a string`);
    env[key] = value;
  }
  const timeout = pick(record, "timeout_sec", "timeout-sec", "timeoutSec") ?? DEFAULT_TIMEOUT_SEC;
  if (typeof timeout !== "number" || !(timeout > 0))
    throw new UserError(`${where}: timeout_sec must be a positive number`);
  const codes = pick(
    record,
    "success_codes",
    "success-codes",
    "success_exit_codes",
    "success-exit-codes",
  ) ?? [0];
  if (!Array.isArray(codes) || !codes.every((code) => Number.isInteger(code)))
    throw new UserError(`${where}: success_codes must be a list of integers`);
  const workingDir = pick(record, "working_dir", "working-dir", "workingDir") ?? "{worktree_path}";
  if (typeof workingDir !== "string") throw new UserError(`${where}: working_dir must be a string`);
  const profile: ToolProfile = {
    id,
    kind,
    command,
    args: stringList(record.args, `${where}: args`),
    env,
    working_dir: workingDir,
    timeout_sec: timeout,
    success_codes: codes as number[],
    success_patterns: stringList(pick(record, "success_patterns", "success-patterns"), `${where}`),
    failure_patterns: stringList(pick(record, "failure_patterns", "failure-patterns"), `${where}`),
    defaults: {},
  };
  const defaults = record.defaults ?? {};
  if (typeof defaults !== "object" || defaults === null || Array.isArray(defaults))
    throw new UserError(`${where}: defaults must be an object of strings`);
  for (const [key, value] of Object.entries(defaults)) {
    if (typeof value !== "string") throw new UserError(`${where}: defaults.${key} must be a string`);
    profile.defaults[key] = value;
  }
  for (const pattern of [...profile.success_patterns, ...profile.failure_patterns]) {
    try {
      new RegExp(pattern, "m");
    } catch (error) {
      throw new UserError(`${where}: bad output pattern /${pattern}/: ${String(error)}`);
    }
  }
  const perFile = pick(record, "per_file", "per-file");
  if (perFile !== undefined) profile.per_file = stringList(perFile, `${where}: per_file`);
  const usage = record.usage;
  if (usage !== undefined) {
    const u = usage as Record<string, unknown>;
    if (
      typeof usage !== "object" ||
      usage === null ||
      (u.format !== "json" && u.format !== "jsonl" && u.format !== "text")
    )
      throw new UserError(`${where}: usage.format must be json, jsonl or text`);
    profile.usage = { format: u.format };
    for (const key of ["input_tokens", "output_tokens", "cost_usd"] as const) {
      const figure = u[key];
      if (typeof figure !== "string") continue;
      if (u.format === "text") {
        let groups: number;
        try {
          groups = new RegExp(`${figure}|`).exec("")!.length - 1;
        } catch (error) {
          throw new UserError(`${where}: bad usage.${key} pattern /${figure}/: ${String(error)}`);
        }
        if (groups < 1)
          throw new UserError(
            `${where}: usage.${key} pattern /${figure}/ needs a group that captures the number`,
          );
      }
      profile.usage[key] = figure;
    }
  }
  if (typeof record.description === "string") profile.description = record.description;
  if (record.agent !== undefined) profile.agent = parseAgentSettings(record.agent, where);
  if (record.sandbox !== undefined) profile.sandbox = parseProfileSandbox(record.sandbox, where);
  return profile;
}

/** Normalises a parsed profiles file (id → profile). */
export function parseToolProfiles(parsed: unknown, source = "tool profiles"): ToolProfiles {
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed))
    throw new UserError(`${source}: expected an object mapping profile id to profile`);
  const profiles = new Map<string, ToolProfile>();
  for (const [id, raw] of Object.entries(parsed)) {
    if (id === "$schema") continue;
    profiles.set(id, normalizeProfile(id, raw, source));
  }
  return profiles;
}

/** Values for `{placeholders}`; a list value expands an argument that is exactly `{name}` into many. */
export type PlaceholderValues = Record<string, string | readonly string[] | undefined>;

/**
 * Fills `{name}` placeholders in one argument. No shell is involved: the result is an argv entry.
 * An argument that is exactly `{name}` with a list value becomes several arguments; an unknown
 * placeholder is an error, so a typo never reaches the tool as literal braces.
 */
export function fillArgument(template: string, values: PlaceholderValues, where: string): string[] {
  const whole = /^\{([a-z_][a-z0-9_]*)\}$/i.exec(template);
  if (whole) {
    const value = values[whole[1]];
    if (Array.isArray(value)) return [...(value as readonly string[])];
  }
  const filled = template.replace(/\{([a-z_][a-z0-9_]*)\}/gi, (_match, name: string) => {
    const value = values[name];
    if (value === undefined) throw new UserError(`${where}: unknown placeholder {${name}}`);
    return Array.isArray(value) ? (value as readonly string[]).join(" ") : (value as string);
  });
  return [filled];
}

/** Fills every argument of a list. */
export function fillArguments(
  templates: readonly string[],
  values: PlaceholderValues,
  where: string,
): string[] {
  return templates.flatMap((template) => fillArgument(template, values, where));
}

/** Judges a finished tool run from its exit code and output patterns. */
export function judgeToolRun(
  profile: ToolProfile,
  run: { exitCode: number | null; timedOut: boolean; cancelled: boolean; stdout: string; stderr: string },
): { success: boolean; reason?: string } {
  if (run.cancelled) return { success: false, reason: "cancelled" };
  if (run.timedOut) return { success: false, reason: `timed out after ${profile.timeout_sec}s` };
  if (run.exitCode === null || !profile.success_codes.includes(run.exitCode))
    return { success: false, reason: `exit code ${String(run.exitCode)}` };
  const output = `${run.stdout}\n${run.stderr}`;
  for (const pattern of profile.failure_patterns)
    if (new RegExp(pattern, "m").test(output))
      return { success: false, reason: `output matched /${pattern}/` };
  if (
    profile.success_patterns.length > 0 &&
    !profile.success_patterns.some((p) => new RegExp(p, "m").test(output))
  )
    return { success: false, reason: "output matched no success pattern" };
  return { success: true };
}
