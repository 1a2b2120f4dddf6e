/** What the orchestrator needs to run workstreams, and what it reports. */
import { type PreparedWorktree } from "../git";
import { type LoadedBundle } from "../../core/bundle/types";
import { type BreakerConfig } from "../../core/orchestrator/breakers";
import { type ToolProfiles } from "../../core/orchestrator/profiles";
import { type JsonObject, type WorkstreamStatus } from "../../core/store";
import { type RunRecorder } from "./recorder";
import { type RunSandbox } from "./toolSandbox";
import { type WorktreeSettings } from "../../core/worktree/settings";
import { type ReopenReason } from "../../core/merge/reopen";

/** A done workstream run again on a newer head: its old work laid on, and a FIX for the reason. */
export interface ReopenJob {
  /** The old branch tip whose work is laid onto the new base. */
  source: string;
  reason: ReopenReason;
  /** Which reopening this is, counting from 1 (the queue's limit counts these). */
  count: number;
}

export interface OrchestratorSettings {
  /** The main repository (the workspace). */
  repoRoot: string;
  /** Where worktrees go: `<repoRoot>/.worktrees` unless configured. */
  worktreesDir: string;
  /** The branch (or revision) workstreams start from and merge into. */
  baseRef: string;
  profiles: ToolProfiles;
  /** Installed edit profiles per capability, best first, for bundles that name a capability. */
  capabilityRoutes?: ReadonlyMap<string, readonly string[]>;
  breakers: BreakerConfig;
  /** How a worktree is made ready: config/worktree.yaml, which a bundle's `worktree` overrides. */
  worktree: WorktreeSettings;
  /** How tools are contained: config/sandbox.yaml, `--sandbox`, and what this machine supports. */
  sandbox: RunSandbox;
  /** Environment the tools inherit. */
  env: NodeJS.ProcessEnv;
  /** Path of the `wsp` CLI script, for the `scripted` profile's `{wsp_cli}`. */
  wspCli: string;
  dryRun: boolean;
  /** Keep the worktree after success too (for inspection). */
  keepWorktrees?: boolean;
  /** Log lines (stderr). */
  log: (line: string) => void;
  /** Live tool output, when wanted. */
  onToolOutput?: (wsId: string, stream: "stdout" | "stderr", chunk: string) => void;
}

export interface WorkstreamJob {
  loaded: LoadedBundle;
  runId: string;
  /** The commit the worktree starts from (the base, plus the dependencies' work). */
  baseCommit: string;
  recorder: RunRecorder;
  signal: AbortSignal;
  /** Called once the last tool has passed; what is left (scope check, commit, clean-up) is bookkeeping. */
  onToolsDone?: () => void;
  /** The worktree made for it at `baseCommit`, ahead or as it started (see RunWorktrees.take), if any. */
  preparedWorktree?: Promise<PreparedWorktree>;
  /**
   * Takes clean-up that nothing waits on (removing a finished worktree), so the workstream counts as
   * done, and its dependents start, without it; the run awaits it before it ends. Run inline without.
   */
  deferCleanup?: (cleanup: Promise<unknown>) => void;
  /** Set when the workstream is reopened: FIX for the reason instead of EDIT. */
  reopen?: ReopenJob;
}

export interface StepReport {
  step_name: string;
  success: boolean;
  details: JsonObject;
  error_message: string | null;
}

export interface WorkstreamResult {
  run_id: string;
  ws_id: string;
  final_status: WorkstreamStatus;
  steps: StepReport[];
}
