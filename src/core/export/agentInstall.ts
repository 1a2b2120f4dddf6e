/**
 * How a runner gets each agent CLI and which secret feeds it. Versions are exact (an npm version is
 * immutable once published) and are the ones proven offline in shared/docs/agent-clis.md.
 */
import { type AgentCli } from "../agents/types";

export const AGENT_PACKAGES: Record<AgentCli, string> = {
  codex: "@openai/codex@0.169.0",
  claude: "@anthropic-ai/claude-code@2.1.197",
  gemini: "@google/gemini-cli@0.61.0",
  qwen: "@qwen-code/qwen-code@0.15.10",
  opencode: "opencode-ai@1.18.33",
};

/** The variable each CLI reads its key from unless the profile names another (opencode: none by default). */
const DEFAULT_KEY_ENV: Record<AgentCli, string | undefined> = {
  codex: "OPENAI_API_KEY",
  claude: "ANTHROPIC_API_KEY",
  gemini: "GEMINI_API_KEY",
  qwen: "OPENAI_API_KEY",
  opencode: undefined,
};

export function agentKeyEnv(cli: AgentCli, profileKeyEnv: string | undefined): string | undefined {
  return profileKeyEnv ?? DEFAULT_KEY_ENV[cli];
}
