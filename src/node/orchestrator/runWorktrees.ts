/**
 * The worktrees one run touches: each workstream's claim (see workstreamClaim), and the worktrees
 * prepared ahead of their workstream's start, so a freed slot goes straight to the edit tool.
 */
import { existsSync } from "node:fs";
import path from "node:path";
import {
  createWorktree,
  dropPreparedBranch,
  prepareWorktree,
  removeWorktree,
  type PreparedWorktree,
} from "../git";
import { type OrchestratorSettings } from "./types";
import { claimWorkstream, type HeldClaim } from "./workstreamClaim";

export class RunWorktrees {
  private readonly claims = new Map<string, HeldClaim>();
  private readonly prepared = new Map<string, Promise<PreparedWorktree>>();
  private readonly removals: Promise<void>[] = [];
  /**
   * Worktrees that starting workstreams wait for. While there are any, preparing ahead waits too:
   * git makes worktrees one at a time, and one begun ahead would hold up a slot that is ready now.
   */
  private startingCheckouts = 0;
  private readonly parked = new Map<string, () => Promise<string>>();

  constructor(
    private readonly settings: Pick<OrchestratorSettings, "repoRoot" | "worktreesDir" | "dryRun">,
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
   * Creates `id`'s worktree at `base` ahead of its start (see prepareWorktree). A worktree kept from
   * an earlier run (a failure, for inspection) is left to the real start, so a workstream this run
   * never gets to does not lose it; so is a workstream another run holds, whose start then says so.
   */
  prepare(id: string, base: () => Promise<string>): void {
    const { settings } = this;
    if (this.prepared.has(id) || existsSync(path.join(settings.worktreesDir, id))) return;
    if (this.startingCheckouts > 0) {
      this.parked.set(id, base);
      return;
    }
    if (this.claim(id) !== undefined) return;
    const worktree = base().then((commit) =>
      prepareWorktree(settings.repoRoot, settings.worktreesDir, id, commit),
    );
    // Whoever takes it sees a failure; until then it must not count as an unhandled rejection.
    worktree.catch(() => undefined);
    this.prepared.set(id, worktree);
  }

  /**
   * The worktree `id` starts in: the one prepared ahead, else one made now, before anything prepared
   * ahead. Undefined in a dry run, or when another run holds `id` (its start then says so).
   */
  take(id: string, base: () => Promise<string>): Promise<PreparedWorktree> | undefined {
    const worktree = this.prepared.get(id);
    this.prepared.delete(id);
    this.parked.delete(id);
    if (worktree !== undefined || this.settings.dryRun || this.claim(id) !== undefined) return worktree;
    const { repoRoot, worktreesDir } = this.settings;
    this.startingCheckouts += 1;
    const created = base()
      .then(async (commit) => ({
        folder: await createWorktree(repoRoot, worktreesDir, id, commit),
        commit,
        onBranch: true,
      }))
      .finally(() => this.checkoutDone());
    created.catch(() => undefined); // the workstream's start reports it
    return created;
  }

  private checkoutDone(): void {
    this.startingCheckouts -= 1;
    if (this.startingCheckouts > 0) return;
    const parked = [...this.parked];
    this.parked.clear();
    for (const [id, base] of parked) this.prepare(id, base);
  }

  /**
   * At the run's end: waits for the finished workstreams' removals, removes the prepared worktrees
   * nobody took, then gives up every claim.
   */
  async settle(): Promise<void> {
    const unused = [...this.prepared];
    this.prepared.clear();
    this.parked.clear();
    await Promise.all([...this.removals, ...unused.map(([id, worktree]) => this.discard(id, worktree))]);
    for (const id of [...this.claims.keys()]) this.release(id);
  }

  /** Removes a worktree prepared for a workstream that never started, and the branch made with it. */
  private async discard(id: string, worktree: Promise<PreparedWorktree>): Promise<void> {
    const { repoRoot } = this.settings;
    try {
      const { folder, commit, onBranch } = await worktree;
      await removeWorktree(repoRoot, folder);
      if (onBranch) await dropPreparedBranch(repoRoot, id, commit);
    } catch {
      // Best effort: a leftover worktree or branch is replaced when the workstream next starts.
    }
  }
}
