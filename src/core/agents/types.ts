/** The real agent CLIs the orchestrator can drive, by the name of their binary. */
export const agentClis = ["codex", "claude", "gemini", "qwen", "opencode"] as const;
export type AgentCli = (typeof agentClis)[number];

/** How one CLI process ended, as the process runner saw it. */
export interface AgentProcessOutcome {
  exitCode: number | null;
  signal?: string | null;
  /** The caller's timeout stopped it (the whole process tree was killed). */
  timedOut?: boolean;
  timeoutMs?: number;
  stdout: string;
  stderr: string;
}

export interface AgentTokens {
  /** All prompt tokens, cached ones included. */
  input: number;
  output: number;
  /** The part of `input` served from a prompt cache, when the CLI says. */
  cached?: number;
}

/** What a CLI run amounted to, read from its structured output and exit status. */
export interface AgentRunResult {
  success: boolean;
  /** Why it failed, in words a user can act on; absent on success. */
  reason?: string;
  finalMessage: string;
  tokens: AgentTokens;
  /** Cost reported by the CLI, or estimated from the price table (then `costIsEstimate`). */
  costUsd?: number;
  costIsEstimate: boolean;
  /** Model the CLI reported using, when it says. */
  model?: string;
}
