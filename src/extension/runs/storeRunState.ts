/**
 * The tree's run states: each workstream's latest row in the store (newest run first), overlaid by
 * the live status of runs this window is watching. Refreshed, debounced, when the store changes.
 */
import { existsSync } from "node:fs";
import path from "node:path";
import * as vscode from "vscode";
import { type Logger } from "../../core/logger";
import { diskUsage } from "../../node/files/diskUsage";
import { resolveWorktreesDir, sharedStateDir } from "../../node/paths";
import { type WorkstreamRunState } from "../../shared/workstreamTree";
import { type RunStateSource } from "../tree/runState";
import { type RunManager } from "./runManager";
import { type StoreReader } from "./storeReader";

/** How many recent runs are searched for each workstream's latest row. */
const RECENT_RUNS = 50;

export class StoreRunState implements RunStateSource, vscode.Disposable {
  private latest = new Map<string, { status: string; runId: string; reason?: string }>();
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChange = this.changed.event;
  private readonly subscriptions: vscode.Disposable[];

  constructor(
    private readonly reader: StoreReader,
    private readonly runs: RunManager,
    private readonly log: Logger,
  ) {
    this.subscriptions = [
      reader.onDidChange(() => void this.reload()),
      runs.onDidChangeLive(() => this.changed.fire()),
      runs.onDidChangeRuns(() => void this.reload()),
    ];
  }

  /** Reads the latest row per workstream from the store. */
  async reload(): Promise<void> {
    const store = await this.reader.get();
    if (!store) {
      this.runs.forgetSettled();
      return;
    }
    try {
      const latest = new Map<string, { status: string; runId: string; reason?: string }>();
      for (const run of await store.listRuns({ limit: RECENT_RUNS }))
        for (const row of await store.listWorkstreams(run.runId)) {
          if (latest.has(row.wsId)) continue;
          const error = row.metadata?.error;
          latest.set(row.wsId, {
            status: row.status,
            runId: row.runId,
            ...(typeof error === "string" ? { reason: error } : {}),
          });
        }
      this.latest = latest;
      this.sizes.clear();
      this.runs.forgetSettled();
      this.changed.fire();
    } catch (error) {
      this.log.warn(`reading run states failed: ${String(error)}`);
    }
  }

  /** The run that last touched `wsId`, per the store. */
  lastRunOf(wsId: string): string | undefined {
    return this.latest.get(wsId)?.runId;
  }

  stateOf(id: string): WorkstreamRunState | undefined {
    const live = this.runs.liveStatus(id);
    const stored = this.latest.get(id);
    const status = live ?? stored?.status;
    if (status === undefined) return undefined;
    const worktreesDir = resolveWorktreesDir(this.reader.root, process.env);
    const worktree = path.join(worktreesDir, id);
    // A live status belongs to a newer run than the stored reason: show the reason only with its own status.
    const reason = live === undefined || live === stored?.status ? stored?.reason : undefined;
    const hasWorktree = existsSync(worktree);
    return {
      status,
      hasWorktree,
      ...(reason !== undefined ? { reason } : {}),
      ...(hasWorktree ? { worktreeBytes: this.worktreeBytes(worktree, worktreesDir, id) } : {}),
    };
  }

  /** Measured once per store change: a tree refresh must not walk every kept worktree again. */
  private readonly sizes = new Map<string, number>();

  private worktreeBytes(worktree: string, worktreesDir: string, id: string): number {
    let bytes = this.sizes.get(worktree);
    if (bytes === undefined) {
      bytes = diskUsage([worktree, sharedStateDir(worktreesDir, id)]);
      this.sizes.set(worktree, bytes);
    }
    return bytes;
  }

  dispose(): void {
    for (const subscription of this.subscriptions) subscription.dispose();
    this.changed.dispose();
  }
}
