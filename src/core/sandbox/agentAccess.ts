/**
 * What each real agent CLI needs from the user's machine to keep working in the sandbox: the
 * variables it reads (keys, endpoints, its own switches) and the folders of the home where its login
 * lives. A profile's `sandbox.env` and `sandbox.home` add to these; nothing else reaches the CLI.
 */
import { type AgentCli } from "../agents/types";
import { allowListOf, type EnvAllowList } from "./policy";

const agentEnv: Record<AgentCli, readonly string[]> = {
  codex: ["OPENAI_*", "CODEX_*"],
  claude: [
    "ANTHROPIC_*",
    "CLAUDE_*",
    "DISABLE_TELEMETRY",
    "DISABLE_AUTOUPDATER",
    "DISABLE_ERROR_REPORTING",
    "IS_SANDBOX",
  ],
  gemini: ["GEMINI_*", "GOOGLE_*"],
  qwen: ["OPENAI_*", "QWEN_*", "DASHSCOPE_*"],
  opencode: ["OPENCODE_*"],
};

/** Home folders, relative to the home, that hold each CLI's login and settings. */
const agentHome: Record<AgentCli, readonly string[]> = {
  codex: [".codex"],
  claude: [".claude"],
  gemini: [".gemini"],
  qwen: [".qwen"],
  opencode: [".local/share/opencode", ".config/opencode"],
};

export function agentEnvAllowList(cli: AgentCli, apiKeyEnv: string | undefined): EnvAllowList {
  return allowListOf([...agentEnv[cli], ...(apiKeyEnv !== undefined ? [apiKeyEnv] : [])]);
}

export function agentHomeFolders(cli: AgentCli): readonly string[] {
  return agentHome[cli];
}
