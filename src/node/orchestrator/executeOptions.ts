/** What `executeRun` is asked to do, and what it reports. */
import { type LoadedBundle } from "../../core/bundle/types";
import { type RunStatus, type Store } from "../../core/store";
import { type EventListener } from "./recorder";
import { type ReopenJob, type WorkstreamResult } from "./types";

export interface ExecuteOptions {
  store: Store;
  runId: string;
  /** Every bundle of the workspace (dependencies outside the selection are looked up here and in the store). */
  bundles: readonly LoadedBundle[];
  /** The workstream ids to run. */
  selected: readonly string[];
  maxParallel: number;
  /** Keep starting independent workstreams after a failure (dependents are blocked either way). */
  continueOnFailure: boolean;
  signal: AbortSignal;
  onEvent?: EventListener;
  /** Resuming: the run already exists; its rows are reconciled, not created. */
  resume?: boolean;
  /**
   * `runId` was generated, not asked for: when another run took it (two runs started within the
   * same second), the first free `<runId>-2`, `<runId>-3`… is used. The claim is one store
   * transaction, so concurrent `wsp` processes never share an id.
   */
  uniqueRunId?: boolean;
  /** Workstreams run again on the base after their work was done: their old work and why. */
  reopen?: ReadonlyMap<string, ReopenJob>;
}

export interface WorkstreamOutcome extends WorkstreamResult {
  reason?: string;
}

export interface ExecuteResult {
  run_id: string;
  /** The commit the run started from (its base; each workstream adds its dependencies' work). */
  base_commit?: string;
  final_status: RunStatus;
  workstreams: WorkstreamOutcome[];
}
