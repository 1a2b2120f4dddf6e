/**
 * What running a tool takes and gives back, shared by plain tool profiles (runProfile.ts) and agent CLIs
 * (agents/runAgentTool.ts), which each run their own way.
 */
import { type PlaceholderValues } from "../../core/orchestrator/profiles";
import { type ToolUsage } from "../../core/orchestrator/usage";
import { type SandboxRequest } from "../process/sandbox/sandboxLaunch";

export interface ToolRunOptions {
  cwd: string;
  env: NodeJS.ProcessEnv;
  values: PlaceholderValues;
  /** Seconds left in the workstream's wall-clock budget; the tool's timeout never exceeds it. */
  remainingSec?: number;
  signal?: AbortSignal;
  onOutput?: (stream: "stdout" | "stderr", chunk: string) => void;
  /** Files of the workstream's scope that exist, for `per_file` profiles. */
  scopeFiles?: readonly string[];
  /** The sandbox this tool runs in (see src/node/orchestrator/toolSandbox.ts); undefined runs it bare. */
  sandbox?: SandboxRequest;
}

export interface ToolRunResult {
  tool_id: string;
  command_line: string;
  exit_code: number | null;
  timed_out: boolean;
  cancelled: boolean;
  success: boolean;
  reason?: string;
  stdout: string;
  stderr: string;
  started_at: string;
  completed_at: string;
  duration_ms: number;
  usage: ToolUsage;
}

function quoteForDisplay(arg: string): string {
  return /^[\w@%+=:,./-]+$/.test(arg) ? arg : `'${arg.replace(/'/g, "'\\''")}'`;
}

/** The command line for logs and the store (display only; nothing is ever run through a shell). */
export function commandLine(command: string, args: readonly string[]): string {
  const shown = args.map((arg) => (arg.length > 200 ? `${arg.slice(0, 60)}…(${arg.length} chars)` : arg));
  return [command, ...shown].map(quoteForDisplay).join(" ");
}
