/**
 * The worktrees one run touches: each workstream's claim (see workstreamClaim), and the worktrees
 * prepared ahead of their workstream's start, so a freed slot goes straight to the edit tool.
 */
import { existsSync } from "node:fs";
import path from "node:path";
import { createWorktree, removeWorktree } from "../git";
import { type OrchestratorSettings } from "./types";
import { claimWorkstream, type HeldClaim } from "./workstreamClaim";

export class RunWorktrees {
  private readonly claims = new Map<string, HeldClaim>();
  private readonly prepared = new Map<string, Promise<string>>();
  private readonly removals: Promise<void>[] = [];

  constructor(
    private readonly settings: OrchestratorSettings,
    private readonly runId: string,
  ) {}

  /**
   * Claims `id` for this run, taken when its worktree is prepared or it starts; undefined when the
   * run holds it, else why it cannot. A dry run touches no worktree and claims nothing.
   */
  claim(id: string): string | undefined {
    if (this.settings.dryRun || this.claims.has(id)) return undefined;
    const result = claimWorkstream(this.settings.worktreesDir, id, this.runId);
    if ("held" in result) {
      this.claims.set(id, result.held);
      return undefined;
    }
    const { pid, runId } = result.heldBy;
    return `${id} is already being run by run ${runId} (process ${pid}); its worktree is left alone`;
  }

  /**
   * `id` is over: its claim is given up once `removal` (its worktree's, when it is removed rather
   * than kept) has finished; the run's `settle` waits for that removal.
   */
  finish(id: string, removal?: Promise<unknown>): void {
    if (removal === undefined) return this.release(id);
    this.removals.push(removal.catch(() => undefined).then(() => this.release(id)));
  }

  private release(id: string): void {
    this.claims.get(id)?.release();
    this.claims.delete(id);
  }

  /**
   * Creates `id`'s worktree, detached at `base`, ahead of its start. A worktree kept from an earlier
   * run (a failure, for inspection) is left to the real start, so a workstream this run never gets
   * to does not lose it; so is a workstream another run holds, whose start then says so.
   */
  prepare(id: string, base: () => Promise<string>): void {
    const { settings } = this;
    if (this.prepared.has(id) || existsSync(path.join(settings.worktreesDir, id))) return;
    if (this.claim(id) !== undefined) return;
    const worktree = base().then((commit) =>
      createWorktree(settings.repoRoot, settings.worktreesDir, id, commit, { detached: true }),
    );
    // Whoever takes it sees a failure; until then it must not count as an unhandled rejection.
    worktree.catch(() => undefined);
    this.prepared.set(id, worktree);
  }

  /** The worktree prepared for `id`, handed over to its start, if there is one. */
  take(id: string): Promise<string> | undefined {
    const worktree = this.prepared.get(id);
    this.prepared.delete(id);
    return worktree;
  }

  /**
   * At the run's end: waits for the finished workstreams' removals, removes the prepared worktrees
   * nobody took, then gives up every claim.
   */
  async settle(): Promise<void> {
    const unused = [...this.prepared.values()];
    this.prepared.clear();
    await Promise.all([
      ...this.removals,
      ...unused.map((worktree) =>
        worktree.then((folder) => removeWorktree(this.settings.repoRoot, folder)).catch(() => undefined),
      ),
    ]);
    for (const id of [...this.claims.keys()]) this.release(id);
  }
}
