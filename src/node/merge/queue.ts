/**
 * The merge queue: builds an integration head one done workstream at a time, in dependency order,
 * in a worktree of its own, and runs the gate after each. A conflict or a red gate sends the
 * workstream back (reopened, then queued again) while the others go on; the base only ever moves by
 * fast-forward to a green head. Progress survives a crash in `refs/wsp/merge-queue/<base>`.
 */
import { type LoadedBundle } from "../../core/bundle/types";
import { messageOf, UserError } from "../../core/errors";
import { type GateVerdict } from "../../core/merge/gateVerdict";
import { type MergeQueueSettings } from "../../core/merge/queueSettings";
import { reopenSummary, type ReopenReason } from "../../core/merge/reopen";
import { type JsonObject, type Store } from "../../core/store";
import {
  branchExists,
  clearQueueHead,
  dropEarlierWork,
  isAncestor,
  mergeOnto,
  rebaseOnto,
  resolveCommit,
  workstreamBranch,
  writeQueueHead,
} from "../git";
import { claimWorkstream } from "../orchestrator/workstreamClaim";
import { type RunRecorder, type EventListener } from "../orchestrator/recorder";
import { type OrchestratorSettings } from "../orchestrator/types";
import { advanceBase } from "./advanceBase";
import { startQueue } from "./queueStart";
import { type GateResult } from "./gate";
import { gateCommands, gateUntilClear } from "./gateSequence";
import { INTEGRATION_WORKTREE, IntegrationWorktree } from "./integrationWorktree";
import { reopenWorkstream } from "./reopenWorkstream";

export interface MergeQueueInput {
  settings: OrchestratorSettings;
  queue: MergeQueueSettings;
  store: Store;
  bundles: readonly LoadedBundle[];
  /** The workstreams to integrate (done, and approved where review is required); the queue orders them. */
  selected: readonly string[];
  /** How often each was reopened already (a reopened run's count); the limit counts on from there. */
  reopenedBefore: ReadonlyMap<string, number>;
  runId: string;
  signal: AbortSignal;
  onEvent?: EventListener;
}

export interface QueueReport {
  run_id: string;
  base: string;
  start_commit: string;
  final_head: string;
  base_advanced: boolean;
  merged: { ws_id: string; commit: string; flaky: boolean; already_merged: boolean }[];
  /** Sent back and not merged in the end: why, and what its last reopening came to. */
  left: { ws_id: string; reason: string; reopened: number; status: string }[];
  waiting: { ws_id: string; waits_for: string[] }[];
  /** Set when the queue stopped early (a gate already failing without any workstream, a cancel). */
  stopped?: string;
}

/** How often the queue rebuilds on a base that moved under it before it stops. */
const MAX_BASE_MOVES = 3;

class QueueStopped extends Error {}

/** Someone committed to the base while the queue ran: it rebuilds on the new base. */
class BaseMoved extends Error {
  constructor(readonly to: string) {
    super(`the base moved to ${to}`);
  }
}

export async function runMergeQueue(input: MergeQueueInput): Promise<QueueReport> {
  const { settings } = input;
  const base = settings.baseRef;
  if (!(await branchExists(settings.repoRoot, base)))
    throw new UserError(`the merge queue needs a branch to merge into; '${base}' is not one`);
  const claim = claimWorkstream(settings.worktreesDir, INTEGRATION_WORKTREE, input.runId);
  if ("heldBy" in claim)
    throw new UserError(
      `another merge queue is running (process ${claim.heldBy.pid}, run ${claim.heldBy.runId})`,
    );
  try {
    const queue = await MergeQueue.open(input);
    return await queue.run();
  } finally {
    claim.held.release();
  }
}

class MergeQueue {
  private head: string;
  /** The queue ref's value, for compare-and-swap (undefined: no ref yet). */
  private savedHead: string | undefined;
  private readonly mergedOrder: string[] = [];
  private readonly merged = new Map<string, QueueReport["merged"][number]>();
  private readonly left = new Map<string, QueueReport["left"][number]>();
  private readonly waiting = new Map<string, string[]>();
  private readonly reopens = new Map<string, number>();
  private pending: string[];
  private baseAdvanced = false;
  private worktree: IntegrationWorktree | undefined;

  private constructor(
    private readonly input: MergeQueueInput,
    private readonly recorder: RunRecorder,
    private readonly order: readonly string[],
    private readonly startCommit: string,
    head: string,
    savedHead: string | undefined,
  ) {
    this.head = head;
    this.savedHead = savedHead;
    this.pending = [...order];
    for (const [id, count] of input.reopenedBefore) if (count > 0) this.reopens.set(id, count);
  }

  static async open(input: MergeQueueInput): Promise<MergeQueue> {
    const start = await startQueue(input);
    return new MergeQueue(
      { ...input, runId: start.runId },
      start.recorder,
      start.order,
      start.startCommit,
      start.head,
      start.savedHead,
    );
  }

  /** The integration worktree, made on first need: a queue with nothing to merge makes none. */
  private async integration(): Promise<IntegrationWorktree> {
    this.worktree ??= await IntegrationWorktree.open(this.input.settings, this.head);
    return this.worktree;
  }

  private get root(): string {
    return this.input.settings.repoRoot;
  }

  private bundle(id: string): LoadedBundle {
    return this.input.bundles.find((loaded) => loaded.bundle.id === id)!;
  }

  async run(): Promise<QueueReport> {
    let stopped: string | undefined;
    try {
      for (let moves = 0; ; moves++) {
        try {
          await this.passes();
          await this.finishBase();
          break;
        } catch (error) {
          if (!(error instanceof BaseMoved)) throw error;
          if (moves + 1 >= MAX_BASE_MOVES)
            throw new QueueStopped(
              `the base moved ${MAX_BASE_MOVES} times while the queue ran; run it again`,
            );
          await this.rebuildOn(error.to);
        }
      }
    } catch (error) {
      stopped = messageOf(error);
      await this.recorder.event("queue_stopped", null, { reason: stopped, head: this.head });
      // A problem the user can fix (a dirty base checkout, say) ends in the report; the green head
      // stays in the queue's ref, so running the queue again goes on from it.
      if (!(error instanceof QueueStopped) && !(error instanceof UserError)) {
        await this.recorder.runStatus("failed", stopped);
        throw error;
      }
    } finally {
      await this.worktree?.close();
    }
    if (this.input.signal.aborted) stopped ??= "cancelled";
    const report = this.report(stopped);
    const clean = stopped === undefined && report.left.length === 0 && report.waiting.length === 0;
    await this.recorder.event("queue_end", null, { ...(report as unknown as JsonObject) });
    await this.recorder.runStatus(
      this.input.signal.aborted
        ? "cancelled"
        : clean
          ? "succeeded"
          : report.merged.length > 0
            ? "partial"
            : "failed",
    );
    return report;
  }

  private report(stopped: string | undefined): QueueReport {
    return {
      run_id: this.input.runId,
      base: this.input.settings.baseRef,
      start_commit: this.startCommit,
      final_head: this.head,
      base_advanced: this.baseAdvanced,
      merged: this.mergedOrder.map((id) => this.merged.get(id)!),
      left: [...this.left.values()],
      waiting: [...this.waiting].map(([ws_id, waits_for]) => ({ ws_id, waits_for })),
      ...(stopped !== undefined ? { stopped } : {}),
    };
  }

  /** Passes over the pending workstreams until a pass merges nothing and reopens nothing. */
  private async passes(): Promise<void> {
    while (this.pending.length > 0) {
      const before = this.merged.size;
      const sentBack = await this.pass();
      const requeued = await this.reopen(sentBack);
      if (this.input.signal.aborted) throw new QueueStopped("cancelled");
      if (this.merged.size === before && requeued === 0) break;
    }
  }

  /** One pass in dependency order; returns the workstreams sent back, with why. */
  private async pass(): Promise<{ id: string; reason: ReopenReason }[]> {
    const sentBack: { id: string; reason: ReopenReason }[] = [];
    const stillPending: string[] = [];
    this.waiting.clear();
    for (const id of this.pending) {
      if (this.input.signal.aborted) {
        stillPending.push(id);
        continue;
      }
      const waitsFor = await this.unmergedDependencies(id);
      if (waitsFor.length > 0) {
        stillPending.push(id);
        this.waiting.set(id, waitsFor);
        continue;
      }
      const reason = await this.integrate(id);
      if (reason) sentBack.push({ id, reason });
    }
    this.pending = stillPending;
    for (const [id, waitsFor] of this.waiting)
      await this.recorder.event("queue_waiting", id, { waits_for: waitsFor });
    return sentBack;
  }

  /** Dependencies whose work is on a branch but not yet in the integration head. */
  private async unmergedDependencies(id: string): Promise<string[]> {
    const waits: string[] = [];
    for (const dep of this.bundle(id).bundle.depends_on) {
      if (this.merged.has(dep)) continue;
      const branch = workstreamBranch(dep);
      if (!(await branchExists(this.root, branch))) continue;
      if (!(await isAncestor(this.root, await resolveCommit(this.root, branch), this.head))) waits.push(dep);
    }
    return waits;
  }

  /** Merges one workstream onto the head and gates it; returns why it was sent back, if it was. */
  private async integrate(id: string): Promise<ReopenReason | undefined> {
    const tip = await resolveCommit(this.root, workstreamBranch(id));
    if (await isAncestor(this.root, tip, this.head)) {
      await this.accept(id, this.head, { flaky: false, alreadyMerged: true });
      await this.recorder.event("queue_merged", id, { commit: this.head, already_merged: true });
      return undefined;
    }
    const candidate = await this.candidate(id, tip);
    if ("conflict" in candidate) {
      const { files, hunks } = candidate.conflict;
      await this.recorder.event("queue_conflict", id, { head: this.head, files });
      return { kind: "conflict", head: this.head, files, hunks };
    }
    const { verdict, runs } = await this.gate(id, candidate.commit);
    if (verdict === "already_failing") {
      const failed = runs.at(-1)?.failed?.command ?? "the gate";
      throw new QueueStopped(
        `the gate already fails without ${id}, on the integration head ${this.head.slice(0, 12)} (${failed}); no workstream is blamed`,
      );
    }
    if (verdict === "broken_by_workstream") {
      const first = runs[0];
      return {
        kind: "gate",
        head: this.head,
        command: first.failed?.command ?? "the gate",
        excerpt: first.excerpt,
      };
    }
    await this.moveHead(candidate.commit);
    await this.accept(id, candidate.commit, { flaky: verdict === "flaky", alreadyMerged: false });
    await this.recorder.event("queue_merged", id, { commit: candidate.commit, flaky: verdict === "flaky" });
    if (this.input.queue.advance_base === "each") await this.advance();
    return undefined;
  }

  private async accept(
    id: string,
    commit: string,
    how: { flaky: boolean; alreadyMerged: boolean },
  ): Promise<void> {
    // Its reopened work is in now: the copy kept in case the reopening failed is no longer needed.
    if (this.reopens.has(id)) await dropEarlierWork(this.root, id);
    this.mergedOrder.push(id);
    this.merged.set(id, { ws_id: id, commit, flaky: how.flaky, already_merged: how.alreadyMerged });
    this.left.delete(id);
  }

  /** The workstream's work on top of the head: a fast-forward when it is already built on it. */
  private async candidate(id: string, tip: string) {
    if (await isAncestor(this.root, this.head, tip)) return { commit: tip };
    const message = `wsp: merge ${id} (merge queue ${this.input.runId})`;
    return this.input.queue.strategy === "rebase"
      ? rebaseOnto(this.root, (await this.integration()).path, this.head, tip)
      : mergeOnto(this.root, this.head, tip, message);
  }

  private async gate(id: string, candidate: string): Promise<{ verdict: GateVerdict; runs: GateResult[] }> {
    try {
      return await gateUntilClear(
        {
          settings: this.input.settings,
          worktree: await this.integration(),
          recorder: this.recorder,
          timeoutSec: this.input.queue.gate_timeout_sec,
          signal: this.input.signal,
          commandsFor: (ids) => gateCommands(this.input.queue.gate, this.input.bundles, ids),
        },
        { id, candidate, head: this.head, merged: this.mergedOrder },
      );
    } catch (error) {
      if (this.input.signal.aborted) throw new QueueStopped("cancelled");
      throw error;
    }
  }

  private async moveHead(to: string): Promise<void> {
    await writeQueueHead(this.root, this.input.settings.baseRef, to, this.savedHead);
    this.savedHead = to;
    this.head = to;
  }

  /** Reopens what was sent back, within each one's limit; returns how many came back done. */
  private async reopen(sentBack: readonly { id: string; reason: ReopenReason }[]): Promise<number> {
    let requeued = 0;
    for (const { id, reason } of sentBack) {
      const count = (this.reopens.get(id) ?? 0) + 1;
      const summary = reopenSummary(reason);
      if (count > this.input.queue.max_reopens || this.input.signal.aborted) {
        const why = this.input.signal.aborted
          ? `${summary}; not reopened: cancelled`
          : `${summary}; not reopened again: the queue reopened it ${count - 1} time(s), its limit (max_reopens)`;
        this.left.set(id, { ws_id: id, reason: why, reopened: count - 1, status: "needs_attention" });
        await this.recorder.event("queue_gave_up", id, { reason: why, reopened: count - 1 });
        continue;
      }
      this.reopens.set(id, count);
      const source = await resolveCommit(this.root, workstreamBranch(id));
      await this.recorder.event("queue_reopen", id, {
        reason: summary,
        kind: reason.kind,
        count,
        head: this.head,
      });
      const outcome = await reopenWorkstream(
        {
          settings: this.input.settings,
          store: this.input.store,
          bundles: this.input.bundles,
          signal: this.input.signal,
          queueRunId: this.input.runId,
          ...(this.input.onEvent ? { onEvent: this.input.onEvent } : {}),
        },
        { wsId: id, head: this.head, source, reason, count },
      );
      const ended =
        outcome.status === "done"
          ? summary
          : `${summary}; the reopened run ended ${outcome.status} (run ${outcome.runId}); the earlier work is kept at ${outcome.keptAt}`;
      this.left.set(id, { ws_id: id, reason: ended, reopened: count, status: outcome.status });
      await this.recorder.event("queue_reopen_end", id, {
        run_id: outcome.runId,
        final_status: outcome.status,
      });
      if (outcome.status === "done") {
        this.pending.push(id);
        requeued += 1;
      }
    }
    // Keep dependency order among what is pending.
    this.pending.sort((a, b) => this.order.indexOf(a) - this.order.indexOf(b));
    return requeued;
  }

  /** Moves the base to the head; throws BaseMoved when the base moved meanwhile. */
  private async advance(): Promise<void> {
    const outcome = await advanceBase(this.root, this.input.settings.baseRef, this.head);
    if (outcome.result === "advanced") {
      this.baseAdvanced = true;
      await this.recorder.event("base_advanced", null, { from: outcome.from, to: this.head });
    }
    if (outcome.result === "moved") {
      await this.recorder.event("base_moved", null, { to: outcome.to, head: this.head });
      throw new BaseMoved(outcome.to);
    }
  }

  /** At the end: fast-forward the base (or rebuild when it moved), and drop the ref once all is in. */
  private async finishBase(): Promise<void> {
    await this.advance();
    if (this.pending.length === 0 && this.left.size === 0)
      await clearQueueHead(this.root, this.input.settings.baseRef);
  }

  /** The base moved: start again from it, with everything merged so far queued again, in order. */
  private async rebuildOn(base: string): Promise<void> {
    const again = [...this.mergedOrder];
    this.mergedOrder.length = 0;
    this.merged.clear();
    await this.moveHead(base);
    this.pending = [...new Set([...again, ...this.pending])];
    this.pending.sort((a, b) => this.order.indexOf(a) - this.order.indexOf(b));
  }
}
