/**
 * One workstream through EDIT → STATIC → RUNTIME with bounded FIX loops, then the scope check and
 * the commit, in its own worktree on `workstream/<ws-id>`. Every step is recorded in the store.
 */
import path from "node:path";
import { messageOf } from "../../core/errors";
import { type Bundle } from "../../core/bundle/types";
import {
  StepBreakers,
  resolveBudgets,
  resolveStepLimits,
  type BreakerTrip,
  type FixableStep,
} from "../../core/orchestrator/breakers";
import { extractFailureExcerpt, signatureText } from "../../core/orchestrator/failure";
import { renderEditPrompt, renderFixPrompt } from "../../core/orchestrator/prompts";
import { outOfScopePaths } from "../../core/orchestrator/scope";
import { type JsonObject, type WorkstreamStatus } from "../../core/store";
import {
  commitStaged,
  attachWorkstreamBranch,
  readBaseCheckout,
  createWorktree,
  diffHash,
  removeWorktree,
  stageAll,
  workstreamBranch,
} from "../git";
import { Failed, throwIfCancelled } from "./failed";
import { sha1 } from "./recorder";
import {
  type OrchestratorSettings,
  type StepReport,
  type WorkstreamJob,
  type WorkstreamResult,
} from "./types";
import { linksLeavingWorktree, ToolGuard } from "./toolGuard";
import { sandboxSummary } from "./toolSandbox";
import { editToolId, toolSummary, WorkstreamTools } from "./workstreamTools";
import {
  prepareWorktreeEnvironment,
  removeSharedState,
  type WorktreeEnvironment,
} from "./worktreeEnvironment";
import { overlaySupport } from "../process/sandbox/overlay";
import { parseWorktreeSettings, type WorktreeSettings } from "../../core/worktree/settings";
import { reopenFix, type ReopenContext } from "./reopenFix";

/** Runs one workstream. The workstream row must exist in the job's run (pending or just retried). */
export class WorkstreamPipeline {
  private readonly bundle: Bundle;
  private readonly steps: StepReport[] = [];
  private status: WorkstreamStatus = "pending";
  private readonly startedAt = Date.now();
  private worktree = "";
  private fixCount = 0;

  constructor(
    private readonly settings: OrchestratorSettings,
    private readonly job: WorkstreamJob,
  ) {
    this.bundle = job.loaded.bundle;
  }

  private get wsId(): string {
    return this.bundle.id;
  }

  private get recorder() {
    return this.job.recorder;
  }

  private elapsedSec(): number {
    return (Date.now() - this.startedAt) / 1000;
  }

  private async moveTo(to: WorkstreamStatus, reason?: string): Promise<void> {
    if (this.status === to) return;
    await this.recorder.workstreamStatus(this.wsId, to, reason);
    this.status = to;
  }

  async run(): Promise<WorkstreamResult> {
    const { bundle, job } = this;
    await this.recorder.event("workstream_start", this.wsId, {
      bundle_id: bundle.id,
      depends_on: bundle.depends_on,
      base_commit: job.baseCommit,
      dry_run: this.settings.dryRun,
      sandbox: sandboxSummary(this.settings.sandbox),
    });
    let final: WorkstreamStatus = "done";
    let metadata: JsonObject = {
      branch: workstreamBranch(this.wsId),
      base_commit: job.baseCommit,
      ...(job.reopen
        ? { reopened: { count: job.reopen.count, kind: job.reopen.reason.kind, source: job.reopen.source } }
        : {}),
    };
    try {
      throwIfCancelled(this.job.signal);
      await this.moveTo("started");
      if (this.settings.dryRun) await this.dryRun();
      else metadata = { ...metadata, ...(await this.realRun()) };
    } catch (error) {
      const failed =
        error instanceof Failed
          ? error
          : new Failed(job.signal.aborted ? "cancelled" : "failed", messageOf(error));
      final = failed.status;
      if (!(error instanceof Failed)) {
        this.steps.push({
          step_name: "orchestrator",
          success: false,
          details: {},
          error_message: failed.message,
        });
        this.settings.log(`${this.wsId}: ${failed.message}`);
      }
      metadata = {
        ...metadata,
        error: failed.message,
        ...(this.worktree ? { worktree: this.worktree } : {}),
      };
    }
    await job.recorder.store.updateWorkstreamStatus(job.runId, this.wsId, final, {
      metadata,
      reason:
        final === "done" ? "all steps passed" : typeof metadata.error === "string" ? metadata.error : final,
    });
    this.status = final;
    // The commit and branch go into the event too, so a run imported from its journal on another
    // machine knows its finished work (wsp db import) as a local one does.
    await this.recorder.event("workstream_end", this.wsId, {
      final_status: final,
      ...(typeof metadata.commit === "string"
        ? { commit: metadata.commit, branch: metadata.branch ?? null }
        : {}),
    });
    return { run_id: job.runId, ws_id: this.wsId, final_status: final, steps: this.steps };
  }

  private async dryRun(): Promise<void> {
    const { bundle } = this;
    const plan: [WorkstreamStatus, string, JsonObject][] = [
      ["editing", "edit", { tool: editToolId(bundle, this.settings), dry_run: true }],
      ["static_check", "static", { tools: bundle.static_tools ?? [], dry_run: true }],
      [
        "runtime_tests",
        "runtime",
        { acceptance_tests: bundle.acceptance_tests, tools: bundle.runtime_tools ?? [], dry_run: true },
      ],
    ];
    for (const [status, step, details] of plan) {
      await this.moveTo(status);
      const attempt = await this.recorder.stepStart(this.wsId, step, { dry_run: true });
      await this.recorder.stepEnd(this.wsId, attempt, true, details);
      this.steps.push({ step_name: step, success: true, details, error_message: null });
    }
  }

  private async realRun(): Promise<JsonObject> {
    const { settings, job, bundle } = this;
    // The guard's look at the base checkout, the worktree's checkout and its preparation touch
    // different things: they run side by side.
    const base = readBaseCheckout(settings.repoRoot);
    // Awaited below; until then a failure must not count as unhandled.
    base.catch(() => undefined);
    this.worktree = await this.checkOut();
    const [guard, environment] = await Promise.all([
      ToolGuard.start(settings.repoRoot, this.worktree, workstreamBranch(this.wsId), base),
      this.prepareEnvironment(),
    ]);
    let tools: WorkstreamTools;
    try {
      tools = new WorkstreamTools(
        settings,
        job,
        this.worktree,
        guard,
        this.startedAt,
        this.steps,
        environment,
      );
      await tools.runSetup(this.worktreeSettings().setup);
      if (job.reopen) await reopenFix(this.reopenContext(tools), job.reopen);
      else await this.edit(tools);
      await this.checkLoop(tools, "static");
      await this.checkLoop(tools, "runtime");
    } finally {
      environment.release();
    }
    job.onToolsDone?.();
    // The freed slot's next workstream starts first: the checks below start git processes, and each
    // start holds Node's one thread for milliseconds that the next workstream would wait through.
    await new Promise<void>((resolve) => setImmediate(resolve));
    // The guard's last look at the base and the scope check only read, so they run side by side; the
    // commit waits for both, and a tamper finding outranks a scope violation.
    const [scope, tamper] = await Promise.allSettled([this.scopeCheck(), tools.finalGuardCheck()]);
    if (tamper.status === "rejected") throw tamper.reason;
    if (scope.status === "rejected") throw scope.reason;
    throwIfCancelled(this.job.signal);
    const message = `wsp: ${bundle.title ?? bundle.id}\n\nWorkstream: ${bundle.id}\nRun: ${job.runId}\nOpenSpec change: ${bundle.openspec_change}\n`;
    const commit = await commitStaged(this.worktree, settings.repoRoot, message);
    this.steps.push({
      step_name: "commit",
      success: true,
      details: { commit, branch: workstreamBranch(this.wsId) },
      error_message: null,
    });
    const kept = settings.keepWorktrees === true;
    if (!kept) {
      removeSharedState(settings.worktreesDir, this.wsId);
      const removal = removeWorktree(settings.repoRoot, this.worktree);
      if (job.deferCleanup) job.deferCleanup(removal);
      else await removal;
    }
    return { commit, ...(kept ? { worktree: this.worktree } : {}) };
  }

  /** The run's worktree settings, with what the bundle's `worktree` block overrides. */
  private worktreeSettings(): WorktreeSettings {
    return parseWorktreeSettings(
      this.bundle.worktree,
      `${this.job.loaded.source.file}: worktree`,
      this.settings.worktree,
    );
  }

  /**
   * Shares the base checkout's dependency folders, copies the configured files in and reserves ports.
   * Overlays need every tool sandboxed; otherwise the folders are copied, and the event says so.
   */
  private async prepareEnvironment(): Promise<WorktreeEnvironment> {
    const { settings } = this;
    const sandboxed = settings.sandbox.config.mode !== "off" && settings.sandbox.support.available;
    const overlay = sandboxed
      ? overlaySupport(path.join(settings.worktreesDir, ".shared"))
      : { available: false, reason: "tools run without the sandbox" };
    let environment: WorktreeEnvironment;
    try {
      environment = await prepareWorktreeEnvironment({
        repoRoot: settings.repoRoot,
        worktreesDir: settings.worktreesDir,
        worktree: this.worktree,
        wsId: this.wsId,
        settings: this.worktreeSettings(),
        overlay: overlay.available,
        ...(overlay.reason !== undefined ? { overlayReason: overlay.reason } : {}),
      });
    } catch (error) {
      throw new Failed("failed", `setup: preparing the worktree failed: ${messageOf(error)}`);
    }
    await this.recorder.event("worktree_ready", this.wsId, {
      shared: environment.shared.map((entry) => ({ ...entry })),
      copied: environment.copied,
      ports: environment.ports,
      duration_ms: environment.durationMs,
    });
    return environment;
  }

  /** The workstream's worktree on its branch: the one made for it when there is one, else a new one. */
  private async checkOut(): Promise<string> {
    const { settings, job } = this;
    const prepared = await job.preparedWorktree?.catch(() => undefined);
    if (prepared !== undefined) {
      try {
        if (!prepared.onBranch) await attachWorkstreamBranch(prepared.folder, this.wsId);
        return prepared.folder;
      } catch {
        // e.g. the branch is checked out elsewhere: createWorktree below replaces this worktree.
      }
    }
    return createWorktree(settings.repoRoot, settings.worktreesDir, this.wsId, job.baseCommit);
  }

  /** What the reopening FIX needs of this pipeline. */
  private reopenContext(tools: WorkstreamTools): ReopenContext {
    return {
      bundle: this.bundle,
      runId: this.job.runId,
      worktree: this.worktree,
      recorder: this.recorder,
      tools,
      steps: this.steps,
      nextFix: () => ++this.fixCount,
      moveTo: (to, reason) => this.moveTo(to, reason),
    };
  }

  private async edit(tools: WorkstreamTools): Promise<void> {
    await this.moveTo("editing");
    const tool = editToolId(this.bundle, this.settings);
    const attempt = await this.recorder.stepStart(this.wsId, "edit", { tool });
    const prompt = renderEditPrompt({
      runId: this.job.runId,
      bundle: this.bundle,
      worktreePath: this.worktree,
    });
    const result = await tools.runEditTool("edit", 1, prompt, "edit");
    const details: JsonObject = { tool, tool_result: toolSummary(result) };
    const error = result.success ? null : `edit tool ${tool} failed: ${result.reason ?? "unknown"}`;
    if (!result.success) details.output_excerpt = extractFailureExcerpt(`${result.stdout}\n${result.stderr}`);
    await this.recorder.stepEnd(this.wsId, attempt, result.success, details);
    this.steps.push({ step_name: "edit", success: result.success, details, error_message: error });
    if (result.cancelled) throw new Failed("cancelled", "cancelled during EDIT");
    if (!result.success) {
      const budget = this.budgetTrip(tools.costUsd);
      if (budget)
        await this.recorder.event("breaker_trip", this.wsId, {
          step: "edit",
          breaker: budget.breaker,
          reason: budget.reason,
        });
      throw new Failed("failed", error!);
    }
  }

  private budgetTrip(costUsd: number): BreakerTrip | undefined {
    const budgets = resolveBudgets(this.settings.breakers, this.wsId, this.bundle.circuit_breaker);
    return new StepBreakers(
      "static",
      resolveStepLimits(this.settings.breakers, this.wsId, "static"),
      budgets,
    ).checkBudgets(this.elapsedSec(), costUsd);
  }

  private async checkLoop(tools: WorkstreamTools, step: FixableStep): Promise<void> {
    const { settings, bundle } = this;
    const breakers = new StepBreakers(
      step,
      resolveStepLimits(settings.breakers, this.wsId, step, bundle.circuit_breaker),
      resolveBudgets(settings.breakers, this.wsId, bundle.circuit_breaker),
    );
    for (;;) {
      await this.moveTo(step === "static" ? "static_check" : "runtime_tests");
      breakers.recordAttempt();
      const attempt = await this.recorder.stepStart(this.wsId, step, { attempt: breakers.attemptCount });
      const results = await tools.runChecks(step);
      const failed = results.find((result) => !result.success);
      const details: JsonObject = { attempt: breakers.attemptCount, tools: results.map(toolSummary) };
      if (!failed) {
        await this.recorder.stepEnd(this.wsId, attempt, true, details);
        this.steps.push({ step_name: step, success: true, details, error_message: null });
        return;
      }
      const output = `${failed.stdout}\n${failed.stderr}`;
      const excerpt = extractFailureExcerpt(output);
      const error = `${failed.command_line}: ${failed.reason ?? "failed"}`;
      details.output_excerpt = excerpt;
      await this.recorder.stepEnd(this.wsId, attempt, false, details);
      this.steps.push({ step_name: step, success: false, details, error_message: error });
      if (failed.cancelled) throw new Failed("cancelled", `cancelled during ${step.toUpperCase()}`);
      const signature = sha1(signatureText(step, output));
      await this.recorder.recordError(this.wsId, step, signature, excerpt, {
        command_line: failed.command_line,
        exit_code: failed.exit_code,
        attempt: breakers.attemptCount,
      });
      const trip = breakers.afterFailure(
        { signature, diffHash: await diffHash(this.worktree, this.job.baseCommit) },
        this.elapsedSec(),
        tools.costUsd,
      );
      if (trip) {
        await this.recorder.event("breaker_trip", this.wsId, {
          step,
          breaker: trip.breaker,
          reason: trip.reason,
        });
        throw new Failed("failed", `${step} failed (${error}); breaker ${trip.breaker}: ${trip.reason}`);
      }
      breakers.recordFix();
      await this.fix(tools, step, breakers.fixCount, [{ command: failed.command_line, excerpt }]);
    }
  }

  private async fix(
    tools: WorkstreamTools,
    step: FixableStep,
    stepFix: number,
    failures: { command: string; excerpt: string }[],
  ): Promise<void> {
    this.fixCount += 1;
    await this.moveTo("editing", `FIX ${this.fixCount} after ${step} failed`);
    const attempt = await this.recorder.stepStart(this.wsId, "fix", {
      for_step: step,
      fix_attempt: this.fixCount,
    });
    const prompt = renderFixPrompt({
      runId: this.job.runId,
      bundle: this.bundle,
      worktreePath: this.worktree,
      step,
      fixAttempt: this.fixCount,
      failures,
    });
    const result = await tools.runEditTool("fix", this.fixCount, prompt, "fix");
    const details: JsonObject = {
      for_step: step,
      fix_attempt: this.fixCount,
      step_fix_attempt: stepFix,
      tool_result: toolSummary(result),
    };
    await this.recorder.stepEnd(this.wsId, attempt, result.success, details);
    await this.recorder.event("fix_attempt", this.wsId, {
      step,
      attempt: this.fixCount,
      success: result.success,
      tool_result: toolSummary(result),
    });
    this.steps.push({
      step_name: "fix",
      success: result.success,
      details,
      error_message: result.success ? null : `fix tool failed: ${result.reason ?? "unknown"}`,
    });
    if (result.cancelled) throw new Failed("cancelled", "cancelled during FIX");
  }

  private async scopeCheck(): Promise<void> {
    // Staged here so the commit that follows takes exactly what the scope check saw.
    const changed = await stageAll(this.worktree, this.job.baseCommit);
    const links = linksLeavingWorktree(this.worktree, changed);
    const outside = [
      ...new Set([...outOfScopePaths(changed, this.bundle.files_scope, this.bundle.files_create), ...links]),
    ];
    const attempt = await this.recorder.stepStart(this.wsId, "scope");
    const details: JsonObject = { changed, out_of_scope: outside, links_leaving_worktree: links };
    const error =
      outside.length === 0
        ? null
        : links.length > 0
          ? `changes outside the workstream's scope: ${outside.join(", ")} (links pointing outside the worktree: ${links.join(", ")})`
          : `changes outside the workstream's scope: ${outside.join(", ")}`;
    await this.recorder.stepEnd(this.wsId, attempt, error === null, details);
    this.steps.push({ step_name: "scope", success: error === null, details, error_message: error });
    if (error) {
      await this.recorder.event("scope_violation", this.wsId, { paths: outside });
      throw new Failed("failed", error);
    }
  }
}
