/** Runs one real CLI against a scripted model server in a private home, and parses what it printed. */
import path from "node:path";
import { parseAgentOutput } from "../../../src/core/agents";
import { type AgentCli, type AgentRunResult } from "../../../src/core/agents/types";
import { type AgentLaunch, buildAgentLaunch } from "../../../src/node/agents/launch";
import { loadPriceTable } from "../../../src/node/agents/prices";
import { type AgentProcessRun, runAgentProcess } from "../../../src/node/agents/runAgentProcess";
import { type ModelServer } from "./modelServer";
import { installedCli } from "./tools";

/**
 * What each CLI is told to call the scripted model, and where its API root is on the server. The names
 * are in config/model_prices.json so runs of CLIs that report no cost get an estimate. (opencode's
 * own price list does not cover a custom endpoint: it reports 0 there, which counts as no cost.)
 * For gpt-* names opencode offers apply_patch instead of edit/write, so opencode gets a qwen name.
 */
export const cliEndpoint: Record<AgentCli, { model: string; apiPath: string }> = {
  codex: { model: "gpt-5.5", apiPath: "/v1" },
  claude: { model: "claude-sonnet-4-5", apiPath: "" },
  gemini: { model: "gemini-2.5-flash", apiPath: "" },
  qwen: { model: "qwen3-coder-plus", apiPath: "/v1" },
  opencode: { model: "qwen3-coder-plus", apiPath: "/v1" },
};

const prices = loadPriceTable(
  path.resolve(path.dirname(__filename), "..", "..", "..", "config", "model_prices.json"),
);

/** Dummy keys: the CLIs insist on one; the scripted server ignores it. */
const dummyKeys = { OPENAI_API_KEY: "dummy", ANTHROPIC_API_KEY: "sk-ant-dummy", GEMINI_API_KEY: "dummy" };

export interface CliRun {
  launch: AgentLaunch;
  process: AgentProcessRun;
  result: AgentRunResult;
}

export async function runCli(
  cli: AgentCli,
  server: ModelServer,
  options: {
    cwd: string;
    stateDir: string;
    prompt?: string;
    timeoutMs?: number;
    adjust?: (launch: AgentLaunch) => AgentLaunch;
    /** `user`: run as a user would, with `home` as HOME (default: a private home in the state dir). */
    isolation?: "user" | "private";
    home?: string;
  },
): Promise<CliRun> {
  const built = buildAgentLaunch({
    cli,
    bin: installedCli(cli).bin,
    prompt: options.prompt ?? "Apply the scripted edit.",
    cwd: options.cwd,
    model: cliEndpoint[cli].model,
    baseUrl: server.origin + cliEndpoint[cli].apiPath,
    stateDir: options.stateDir,
    isolation: options.isolation ?? "private",
    retries: 0,
    offline: true,
    baseEnv: {
      PATH: process.env.PATH,
      LANG: "C.UTF-8",
      ...(options.home !== undefined ? { HOME: options.home } : {}),
      ...dummyKeys,
    },
  });
  const launch = options.adjust ? options.adjust(built) : built;
  const run = await runAgentProcess(launch, { timeoutMs: options.timeoutMs ?? 60_000 });
  const result = parseAgentOutput(cli, run, { model: cliEndpoint[cli].model, prices });
  return { launch, process: run, result };
}
