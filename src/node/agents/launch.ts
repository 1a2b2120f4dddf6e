/**
 * Turns "run this CLI on this prompt, maybe against this base URL and model" into the CLI's own
 * command line, environment and settings: a `-c` override for Codex, base-URL variables for Claude Code,
 * Gemini CLI and Qwen Code, a config-content variable for opencode. Keys stay where the user keeps them
 * (environment or the CLI's login); this module only ever names the variable that holds one.
 */
import { randomUUID } from "node:crypto";
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { type AgentCli } from "../../core/agents/types";

/**
 * - `user`: the user's HOME, login and settings stay; only temp files and what the CLI lets us separate
 *   per run go to the run's state dir.
 * - `private`: HOME, CODEX_HOME, XDG dirs and TMPDIR all live in the run's state dir (tests).
 */
export type AgentIsolation = "user" | "private";

export interface AgentLaunchRequest {
  cli: AgentCli;
  /** The binary to run; defaults to the CLI's name on PATH. */
  bin?: string;
  prompt: string;
  /** The worktree the agent edits. */
  cwd: string;
  /** Model name as the endpoint knows it. */
  model?: string;
  /**
   * The API root in the CLI's own convention: with `/v1` for the OpenAI-style CLIs (codex, qwen,
   * opencode), without a version for claude (`/v1/messages` is appended) and gemini (`/v1beta/...`).
   */
  baseUrl?: string;
  /** Name of the environment variable holding the key for `baseUrl` (codex, qwen, opencode). */
  apiKeyEnv?: string;
  /** A directory of this run only; created if missing. */
  stateDir: string;
  isolation: AgentIsolation;
  /** Model request retries the CLI may make (codex and claude take a bound); default 2. */
  retries?: number;
  /** No network but the model endpoint: points opencode's background plugin install at a dead registry. */
  offline?: boolean;
  /** The environment to start from (normally process.env). */
  baseEnv: Record<string, string | undefined>;
}

export interface AgentLaunch {
  command: string;
  args: string[];
  cwd: string;
  /** The complete environment for the process (stdin must be closed: several CLIs read it). */
  env: Record<string, string>;
}

const providerId = "wsp";

function definedEnv(env: Record<string, string | undefined>): Record<string, string> {
  return Object.fromEntries(
    Object.entries(env).filter((entry): entry is [string, string] => entry[1] !== undefined),
  );
}

function writeJsonFile(file: string, value: unknown): string {
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, JSON.stringify(value, null, 2) + "\n");
  return file;
}

/** Private homes for `private` isolation; a private TMPDIR always (gemini writes error reports there). */
function isolationEnv(request: AgentLaunchRequest): Record<string, string> {
  const tmp = path.join(request.stateDir, "tmp");
  mkdirSync(tmp, { recursive: true });
  if (request.isolation === "user") return { TMPDIR: tmp };
  const home = path.join(request.stateDir, "home");
  const dirs = {
    HOME: home,
    CODEX_HOME: path.join(home, ".codex"),
    XDG_CONFIG_HOME: path.join(home, ".config"),
    XDG_DATA_HOME: path.join(home, ".local", "share"),
    XDG_STATE_HOME: path.join(home, ".local", "state"),
    XDG_CACHE_HOME: path.join(home, ".cache"),
  };
  for (const dir of Object.values(dirs)) mkdirSync(dir, { recursive: true });
  return { ...dirs, TMPDIR: tmp };
}

function codexLaunch(
  request: AgentLaunchRequest,
  retries: number,
): Omit<AgentLaunch, "cwd" | "env"> & { env: Record<string, string> } {
  const overrides: string[] = ["analytics.enabled=false", "check_for_update_on_startup=false"];
  if (request.model !== undefined) overrides.push(`model=${JSON.stringify(request.model)}`);
  if (request.baseUrl !== undefined) {
    const provider = `model_providers.${providerId}`;
    overrides.push(
      `model_provider=${JSON.stringify(providerId)}`,
      `${provider}.name=${JSON.stringify(providerId)}`,
      `${provider}.base_url=${JSON.stringify(request.baseUrl)}`,
      `${provider}.wire_api="responses"`,
      `${provider}.env_key=${JSON.stringify(request.apiKeyEnv ?? "OPENAI_API_KEY")}`,
      `${provider}.request_max_retries=${retries}`,
      `${provider}.stream_max_retries=${retries}`,
    );
  }
  return {
    command: request.bin ?? "codex",
    args: [
      "exec",
      "--json",
      "--skip-git-repo-check",
      // Worktrees are the sandbox; approvals cannot be answered without a terminal.
      "--dangerously-bypass-approvals-and-sandbox",
      // Without these, codex syncs a plugin marketplace from github.com on every start.
      "--disable",
      "plugins",
      "--disable",
      "remote_plugin",
      "--disable",
      "apps",
      ...(request.isolation === "user" ? ["--ephemeral"] : []),
      ...overrides.flatMap((override) => ["-c", override]),
      "-C",
      request.cwd,
      request.prompt,
    ],
    env: {},
  };
}

function claudeLaunch(request: AgentLaunchRequest, retries: number): Omit<AgentLaunch, "cwd"> {
  return {
    command: request.bin ?? "claude",
    args: [
      "-p",
      request.prompt,
      "--output-format",
      "json",
      // Without a permission mode, print mode refuses every edit yet exits 0. bypassPermissions refuses root.
      "--permission-mode",
      "acceptEdits",
      "--allowedTools",
      "Bash,Edit,Write,Read",
      ...(request.model !== undefined ? ["--model", request.model] : []),
      // Parallel runs must not share session files; the login in ~/.claude stays usable.
      "--no-session-persistence",
    ],
    env: {
      ...(request.baseUrl !== undefined ? { ANTHROPIC_BASE_URL: request.baseUrl } : {}),
      CLAUDE_CODE_MAX_RETRIES: String(retries),
      CLAUDE_CODE_DISABLE_NONESSENTIAL_TRAFFIC: "1",
      DISABLE_AUTOUPDATER: "1",
      DISABLE_TELEMETRY: "1",
      DISABLE_ERROR_REPORTING: "1",
    },
  };
}

/** Settings shared by Gemini CLI and its fork Qwen Code: no usage statistics, telemetry or updates. */
const quietSettings = {
  privacy: { usageStatisticsEnabled: false },
  telemetry: { enabled: false },
  general: { enableAutoUpdate: false, enableAutoUpdateNotification: false },
};

/**
 * Settings for Qwen Code. In a private home they are the user settings file; otherwise a system settings
 * file of this run, which overrides the user's without touching them.
 */
function qwenSettings(
  request: AgentLaunchRequest,
  env: Record<string, string>,
  settings: unknown,
): Record<string, string> {
  if (request.isolation === "private") {
    writeJsonFile(path.join(env.HOME ?? request.stateDir, ".qwen", "settings.json"), settings);
    return {};
  }
  const file = writeJsonFile(path.join(request.stateDir, "qwen-system-settings.json"), settings);
  return { QWEN_CODE_SYSTEM_SETTINGS_PATH: file };
}

/**
 * Gemini CLI only reads a system settings file owned by root in root-owned, non-writable directories,
 * so a run's own settings go into a home of its own (`GEMINI_CLI_HOME` relocates `~/.gemini` only).
 * In `user` isolation that happens only for a base URL, which needs api-key auth selected (the variable
 * alone makes headless mode exit 41) and no login; otherwise the user's `~/.gemini` (login, settings)
 * is used as it is.
 */
function geminiLaunch(
  request: AgentLaunchRequest,
  isolated: Record<string, string>,
): Omit<AgentLaunch, "cwd"> {
  const settings = {
    ...quietSettings,
    ...(request.baseUrl !== undefined ? { security: { auth: { selectedType: "gemini-api-key" } } } : {}),
  };
  let home: Record<string, string> = {};
  if (request.isolation === "private") {
    writeJsonFile(path.join(isolated.HOME ?? request.stateDir, ".gemini", "settings.json"), settings);
  } else if (request.baseUrl !== undefined) {
    const geminiHome = path.join(request.stateDir, "gemini-home");
    writeJsonFile(path.join(geminiHome, ".gemini", "settings.json"), settings);
    home = { GEMINI_CLI_HOME: geminiHome };
  }
  return {
    command: request.bin ?? "gemini",
    args: [
      "-p",
      request.prompt,
      // yolo approves shell and edits; in an untrusted folder it is downgraded and the CLI exits 55.
      "--yolo",
      "--skip-trust",
      "--output-format",
      "json",
      ...(request.model !== undefined ? ["-m", request.model] : []),
      // A fresh session of this run only: parallel runs never resume or append to each other's chats.
      "--session-id",
      randomUUID(),
    ],
    env: {
      ...home,
      ...(request.baseUrl !== undefined ? { GOOGLE_GEMINI_BASE_URL: request.baseUrl } : {}),
    },
  };
}

function qwenLaunch(request: AgentLaunchRequest, isolated: Record<string, string>): Omit<AgentLaunch, "cwd"> {
  const settings = qwenSettings(request, isolated, quietSettings);
  const keyEnv = request.apiKeyEnv ?? "OPENAI_API_KEY";
  return {
    command: request.bin ?? "qwen",
    args: [
      "-p",
      request.prompt,
      "--yolo",
      "--output-format",
      "json",
      ...(request.baseUrl !== undefined ? ["--auth-type", "openai"] : []),
      ...(request.model !== undefined ? ["-m", request.model] : []),
      "--session-id",
      randomUUID(),
    ],
    env: {
      ...settings,
      ...(request.baseUrl !== undefined ? { OPENAI_BASE_URL: request.baseUrl } : {}),
      // qwen reads OPENAI_API_KEY; a differently named variable is passed on under that name, in memory only.
      ...(keyEnv !== "OPENAI_API_KEY" && request.baseEnv[keyEnv] !== undefined
        ? { OPENAI_API_KEY: request.baseEnv[keyEnv] }
        : {}),
    },
  };
}

function opencodeLaunch(request: AgentLaunchRequest): Omit<AgentLaunch, "cwd"> {
  const config: Record<string, unknown> = {
    autoupdate: false,
    share: "disabled",
    permission: { edit: "allow", bash: "allow", webfetch: "deny" },
  };
  if (request.baseUrl !== undefined) {
    const model = request.model ?? "default";
    config.provider = {
      [providerId]: {
        npm: "@ai-sdk/openai-compatible",
        name: "Workstream Pipeline endpoint",
        // opencode substitutes {env:NAME} itself: the key never appears in the config.
        options: { baseURL: request.baseUrl, apiKey: `{env:${request.apiKeyEnv ?? "OPENAI_API_KEY"}}` },
        models: { [model]: { name: model, tool_call: true } },
      },
    };
    config.model = `${providerId}/${model}`;
    config.small_model = `${providerId}/${model}`;
  } else if (request.model !== undefined) {
    config.model = request.model;
  }
  return {
    command: request.bin ?? "opencode",
    args: ["run", "--format", "json", request.prompt],
    env: {
      OPENCODE_CONFIG_CONTENT: JSON.stringify(config),
      OPENCODE_DISABLE_AUTOUPDATE: "1",
      OPENCODE_DISABLE_SHARE: "1",
      OPENCODE_DISABLE_LSP_DOWNLOAD: "1",
      ...(request.baseUrl !== undefined ? { OPENCODE_DISABLE_MODELS_FETCH: "1" } : {}),
      // opencode npm-installs a plugin in the background on every start; nothing stops it but this.
      ...(request.offline === true ? { npm_config_registry: "http://127.0.0.1:9/" } : {}),
    },
  };
}

/** Builds the process to start for `request`; writes only key-free settings files into its state dir. */
export function buildAgentLaunch(request: AgentLaunchRequest): AgentLaunch {
  mkdirSync(request.stateDir, { recursive: true });
  const retries = request.retries ?? 2;
  const isolated = isolationEnv(request);
  const specific =
    request.cli === "codex"
      ? codexLaunch(request, retries)
      : request.cli === "claude"
        ? claudeLaunch(request, retries)
        : request.cli === "gemini"
          ? geminiLaunch(request, isolated)
          : request.cli === "qwen"
            ? qwenLaunch(request, isolated)
            : opencodeLaunch(request);
  return {
    command: specific.command,
    args: specific.args,
    cwd: request.cwd,
    // PWD must match cwd: opencode takes its project directory from an inherited PWD and then treats
    // the worktree as an external directory whose edits it refuses.
    env: { ...definedEnv(request.baseEnv), PWD: request.cwd, ...isolated, ...specific.env },
  };
}
