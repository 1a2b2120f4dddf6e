/**
 * The merge queue's own worktree, where each candidate integration head is checked out for the
 * gate: made ready like a workstream's (shared dependency folders, copied files, setup commands'
 * outcome aside), so the gate sees what the agents saw. The base checkout is never touched.
 */
import path from "node:path";
import { checkOutIntegration, createWorktree, removeWorktree } from "../git";
import { overlaySupport } from "../process/sandbox/overlay";
import { type OrchestratorSettings } from "../orchestrator/types";
import {
  prepareWorktreeEnvironment,
  removeSharedState,
  type WorktreeEnvironment,
} from "../orchestrator/worktreeEnvironment";

/** The folder name under the worktrees directory; not a valid workstream id, so never one's worktree. */
export const INTEGRATION_WORKTREE = ".merge-queue";

export class IntegrationWorktree {
  private constructor(
    private readonly settings: OrchestratorSettings,
    readonly path: string,
    readonly environment: WorktreeEnvironment,
  ) {}

  static async open(settings: OrchestratorSettings, head: string): Promise<IntegrationWorktree> {
    const worktree = await createWorktree(
      settings.repoRoot,
      settings.worktreesDir,
      INTEGRATION_WORKTREE,
      head,
      {
        detached: true,
      },
    );
    const sandboxed = settings.sandbox.config.mode !== "off" && settings.sandbox.support.available;
    const overlay = sandboxed
      ? overlaySupport(path.join(settings.worktreesDir, ".shared"))
      : { available: false, reason: "the gate runs without the sandbox" };
    const environment = await prepareWorktreeEnvironment({
      repoRoot: settings.repoRoot,
      worktreesDir: settings.worktreesDir,
      worktree,
      wsId: INTEGRATION_WORKTREE,
      settings: settings.worktree,
      overlay: overlay.available,
      ...(overlay.reason !== undefined ? { overlayReason: overlay.reason } : {}),
    });
    return new IntegrationWorktree(settings, worktree, environment);
  }

  checkOut(commit: string): Promise<void> {
    return checkOutIntegration(this.path, commit);
  }

  async close(): Promise<void> {
    this.environment.release();
    removeSharedState(this.settings.worktreesDir, INTEGRATION_WORKTREE);
    await removeWorktree(this.settings.repoRoot, this.path);
  }
}
