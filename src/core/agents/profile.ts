/**
 * The `agent` block of a tool profile: which real CLI the profile runs, so `wsp` builds its command
 * line, environment and settings (src/node/agents/launch.ts) and reads its output with the CLI's own
 * parser. Keys are never part of it: `api_key_env` only names the variable holding one.
 */
import { UserError } from "../errors";
import { type AgentCli, agentClis } from "./types";

export interface AgentProfileSettings {
  cli: AgentCli;
  /** Model name; placeholders allowed (e.g. `{model_name}`). */
  model?: string;
  /** API root for a proxy or local server, in the CLI's own convention (see docs/agent-clis-usage.md). */
  base_url?: string;
  api_key_env?: string;
  /** `user` (default) keeps the user's home, login and settings; `private` gives each run its own home. */
  isolation: "user" | "private";
  retries?: number;
  /** Keep the CLI's own background traffic local (opencode's plugin install). */
  offline: boolean;
}

export function parseAgentSettings(raw: unknown, where: string): AgentProfileSettings {
  if (typeof raw !== "object" || raw === null || Array.isArray(raw)) {
    throw new UserError(`${where}: agent must be an object like {"cli": "codex"}`);
  }
  const record = raw as Record<string, unknown>;
  const cli = record.cli;
  if (typeof cli !== "string" || !(agentClis as readonly string[]).includes(cli)) {
    throw new UserError(`${where}: agent.cli must be one of ${agentClis.join(", ")}`);
  }
  const settings: AgentProfileSettings = {
    cli: cli as AgentCli,
    isolation: "user",
    offline: false,
  };
  for (const key of ["model", "base_url", "api_key_env"] as const) {
    const value = record[key];
    if (value === undefined) continue;
    if (typeof value !== "string" || value === "")
      throw new UserError(`${where}: agent.${key} must be a string`);
    settings[key] = value;
  }
  if (record.isolation !== undefined) {
    if (record.isolation !== "user" && record.isolation !== "private") {
      throw new UserError(`${where}: agent.isolation must be "user" or "private"`);
    }
    settings.isolation = record.isolation;
  }
  if (record.retries !== undefined) {
    if (!Number.isInteger(record.retries) || (record.retries as number) < 0) {
      throw new UserError(`${where}: agent.retries must be a non-negative integer`);
    }
    settings.retries = record.retries as number;
  }
  if (record.offline !== undefined) {
    if (typeof record.offline !== "boolean")
      throw new UserError(`${where}: agent.offline must be true or false`);
    settings.offline = record.offline;
  }
  const unknown = Object.keys(record).filter(
    (key) => !["cli", "model", "base_url", "api_key_env", "isolation", "retries", "offline"].includes(key),
  );
  if (unknown.length > 0) throw new UserError(`${where}: unknown agent key(s) ${unknown.join(", ")}`);
  return settings;
}
