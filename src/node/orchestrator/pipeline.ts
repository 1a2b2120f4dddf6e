/**
 * One workstream through EDIT → STATIC → RUNTIME with bounded FIX loops, then the scope check and
 * the commit, in its own worktree on `workstream/<ws-id>`. Every step is recorded in the store.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { parse as parseShellWords } from "shell-quote";
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
import { outOfScopePaths, scopeMatcher } from "../../core/orchestrator/scope";
import { type PlaceholderValues, type ToolProfile } from "../../core/orchestrator/profiles";
import { chooseEditTool } from "../../core/orchestrator/editTool";
import { AIM_INVOCATION_EVENT } from "../aim/audit";
import { type JsonObject, type WorkstreamStatus } from "../../core/store";
import {
  commitStaged,
  attachWorkstreamBranch,
  createWorktree,
  diffHash,
  removeWorktree,
  stageAll,
  workstreamBranch,
} from "../git";
import { runCommand, runToolProfile } from "../tools/runTool";
import { type ToolRunResult } from "../tools/toolRun";
import { sha1 } from "./recorder";
import {
  type OrchestratorSettings,
  type StepReport,
  type WorkstreamJob,
  type WorkstreamResult,
} from "./types";
import { listFiles } from "./files";
import { deniedOperations, linksLeavingWorktree, ToolGuard } from "./toolGuard";
import { SandboxUnavailable, sandboxSummary, toolSandbox } from "./toolSandbox";
import { type SandboxRequest } from "../process/sandbox/sandboxLaunch";

/**
 * How an acceptance-test command runs: split into argv by shell-quote and run without a shell, or,
 * when it uses shell features (pipes, redirects, `;`, `&&`, globs, `$VAR`), explicitly through
 * `sh -c` (recorded as `via_shell`).
 */
export function acceptanceArgv(command: string): { argv: string[]; viaShell: boolean } {
  const words = parseShellWords(command, (name) => ({ op: "glob", pattern: `$${name}` }));
  if (words.every((word): word is string => typeof word === "string"))
    return { argv: words, viaShell: false };
  return { argv: ["sh", "-c", command], viaShell: true };
}

class Failed extends Error {
  constructor(
    readonly status: "failed" | "cancelled",
    message: string,
  ) {
    super(message);
  }
}

function toolSummary(result: ToolRunResult): JsonObject {
  return {
    tool_id: result.tool_id,
    command_line: result.command_line,
    exit_code: result.exit_code,
    success: result.success,
    timed_out: result.timed_out,
    cancelled: result.cancelled,
    duration_ms: result.duration_ms,
    reason: result.reason ?? null,
    usage: { ...result.usage },
  };
}

/** Runs one workstream. The workstream row must exist in the job's run (pending or just retried). */
export class WorkstreamPipeline {
  private readonly bundle: Bundle;
  private readonly steps: StepReport[] = [];
  private status: WorkstreamStatus = "pending";
  private readonly startedAt = Date.now();
  private costUsd = 0;
  private worktree = "";
  private fixCount = 0;
  private guard: ToolGuard | undefined;

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

  private checkCancelled(): void {
    if (this.job.signal.aborted) throw new Failed("cancelled", "cancelled");
  }

  async run(): Promise<WorkstreamResult> {
    const { bundle, job } = this;
    await this.recorder.event("workstream_start", this.wsId, {
      bundle_id: bundle.id,
      base_commit: job.baseCommit,
      dry_run: this.settings.dryRun,
      sandbox: sandboxSummary(this.settings.sandbox),
    });
    let final: WorkstreamStatus = "done";
    let metadata: JsonObject = { branch: workstreamBranch(this.wsId), base_commit: job.baseCommit };
    try {
      this.checkCancelled();
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
    await this.recorder.event("workstream_end", this.wsId, { final_status: final });
    return { run_id: job.runId, ws_id: this.wsId, final_status: final, steps: this.steps };
  }

  private async dryRun(): Promise<void> {
    const { bundle } = this;
    const plan: [WorkstreamStatus, string, JsonObject][] = [
      ["editing", "edit", { tool: this.editToolId(), dry_run: true }],
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
    this.worktree = await this.checkOut();
    this.guard = await ToolGuard.start(settings.repoRoot, this.worktree, workstreamBranch(this.wsId));
    await this.edit();
    await this.checkLoop("static");
    await this.checkLoop("runtime");
    job.onToolsDone?.();
    await this.scopeCheck();
    this.checkCancelled();
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
      const removal = removeWorktree(settings.repoRoot, this.worktree);
      if (job.deferCleanup) job.deferCleanup(removal);
      else await removal;
    }
    return { commit, ...(kept ? { worktree: this.worktree } : {}) };
  }

  /** The workstream's worktree on its branch: the one prepared ahead when there is one, else a new one. */
  private async checkOut(): Promise<string> {
    const { settings, job } = this;
    const prepared = await job.preparedWorktree?.catch(() => undefined);
    if (prepared !== undefined) {
      try {
        await attachWorkstreamBranch(prepared, this.wsId);
        return prepared;
      } catch {
        // e.g. the branch is checked out elsewhere: createWorktree below replaces this worktree.
      }
    }
    return createWorktree(settings.repoRoot, settings.worktreesDir, this.wsId, job.baseCommit);
  }

  /** The edit tool's profile id: the bundle's `tool`, or the one its `capability` routes to. */
  private editToolId(): string {
    const choice = chooseEditTool(this.bundle, this.settings.capabilityRoutes);
    if ("reason" in choice) throw new Failed("failed", choice.reason);
    return choice.toolId;
  }

  private editProfile(): ToolProfile {
    const toolId = this.editToolId();
    const profile = this.settings.profiles.get(toolId);
    if (!profile) throw new Failed("failed", `unknown edit tool profile '${toolId}'`);
    return profile;
  }

  private placeholders(extra: PlaceholderValues): PlaceholderValues {
    const metadataModel = this.bundle.metadata?.model_name;
    return {
      worktree_path: this.worktree,
      cwd: this.worktree,
      repo_root: this.worktree,
      main_repo: this.settings.repoRoot,
      ws_id: this.wsId,
      run_id: this.job.runId,
      bundle_file: this.job.loaded.source.file,
      wsp_cli: this.settings.wspCli,
      node: process.execPath,
      ...(typeof metadataModel === "string" ? { model_name: metadataModel } : {}),
      ...extra,
    };
  }

  private remainingSec(): number {
    return (
      resolveBudgets(this.settings.breakers, this.wsId, this.bundle.circuit_breaker).max_wall_clock_sec -
      this.elapsedSec()
    );
  }

  private writePrompt(name: string, text: string): string {
    // Outside the worktree, so the prompt never shows up in the diff or the scope check.
    const dir = path.join(this.settings.worktreesDir, ".prompts", this.wsId);
    mkdirSync(dir, { recursive: true });
    const file = path.join(dir, `${this.job.runId}-${name}.txt`);
    writeFileSync(file, text);
    return file;
  }

  private async runEditTool(
    mode: "edit" | "fix",
    attempt: number,
    prompt: string,
    step: string,
  ): Promise<ToolRunResult> {
    this.checkCancelled();
    const promptFile = this.writePrompt(mode === "edit" ? "edit" : `fix-${attempt}`, prompt);
    const profile = this.editProfile();
    const sandbox = this.sandboxFor(profile);
    const [result] = await runToolProfile(profile, {
      cwd: this.worktree,
      env: this.settings.env,
      values: this.placeholders({ prompt, prompt_file: promptFile, mode, attempt: String(attempt) }),
      remainingSec: this.remainingSec(),
      signal: this.job.signal,
      ...this.outputHook(),
      ...(sandbox ? { sandbox } : {}),
    });
    this.costUsd += result.usage.cost_usd ?? 0;
    await this.recorder.event("tool_run", this.wsId, {
      step,
      prompt_file: promptFile,
      tool_result: toolSummary(result),
    });
    await this.afterTool(step, result, sandbox);
    await this.auditRoutedInvocation(step, result);
    return result;
  }

  /** A tool chosen through the AI tool registry leaves an audit record of each invocation. */
  private async auditRoutedInvocation(step: string, result: ToolRunResult): Promise<void> {
    const choice = chooseEditTool(this.bundle, this.settings.capabilityRoutes);
    if (!("toolId" in choice) || choice.routed === undefined) return;
    await this.recorder.event(AIM_INVOCATION_EVENT, this.wsId, {
      tool_id: choice.toolId,
      capability: choice.routed.capability,
      route_index: choice.routed.routeIndex,
      candidates: choice.routed.candidates,
      step,
      success: result.success,
      duration_ms: result.duration_ms,
      actor: "pipeline",
    });
  }

  private outputHook() {
    const hook = this.settings.onToolOutput;
    const wsId = this.wsId;
    return hook
      ? { onOutput: (stream: "stdout" | "stderr", chunk: string) => hook(wsId, stream, chunk) }
      : {};
  }

  private async edit(): Promise<void> {
    await this.moveTo("editing");
    const tool = this.editToolId();
    const attempt = await this.recorder.stepStart(this.wsId, "edit", { tool });
    const prompt = renderEditPrompt({
      runId: this.job.runId,
      bundle: this.bundle,
      worktreePath: this.worktree,
    });
    const result = await this.runEditTool("edit", 1, prompt, "edit");
    const details: JsonObject = { tool, tool_result: toolSummary(result) };
    const error = result.success ? null : `edit tool ${tool} failed: ${result.reason ?? "unknown"}`;
    if (!result.success) details.output_excerpt = extractFailureExcerpt(`${result.stdout}\n${result.stderr}`);
    await this.recorder.stepEnd(this.wsId, attempt, result.success, details);
    this.steps.push({ step_name: "edit", success: result.success, details, error_message: error });
    if (result.cancelled) throw new Failed("cancelled", "cancelled during EDIT");
    if (!result.success) {
      const budget = this.budgetTrip();
      if (budget)
        await this.recorder.event("breaker_trip", this.wsId, {
          step: "edit",
          breaker: budget.breaker,
          reason: budget.reason,
        });
      throw new Failed("failed", error!);
    }
  }

  private budgetTrip(): BreakerTrip | undefined {
    const budgets = resolveBudgets(this.settings.breakers, this.wsId, this.bundle.circuit_breaker);
    return new StepBreakers(
      "static",
      resolveStepLimits(this.settings.breakers, this.wsId, "static"),
      budgets,
    ).checkBudgets(this.elapsedSec(), this.costUsd);
  }

  /** Files of the scope that exist in the worktree, for per-file tools. */
  private scopeFiles(): string[] {
    const inScope = scopeMatcher([...this.bundle.files_scope, ...this.bundle.files_create]);
    return listFiles(this.worktree).filter((file) => inScope(file));
  }

  /** Runs the step's checks once; stops at the first failure. */
  private async runChecks(step: FixableStep): Promise<ToolRunResult[]> {
    const results: ToolRunResult[] = [];
    const common = {
      cwd: this.worktree,
      env: this.settings.env,
      signal: this.job.signal,
      ...this.outputHook(),
    };
    const profileIds =
      step === "static" ? (this.bundle.static_tools ?? []) : (this.bundle.runtime_tools ?? []);
    for (const id of profileIds) {
      this.checkCancelled();
      const profile = this.settings.profiles.get(id);
      if (!profile) throw new Failed("failed", `unknown ${step} tool profile '${id}'`);
      const sandbox = this.sandboxFor(profile);
      const runs = await runToolProfile(profile, {
        ...common,
        values: this.placeholders({}),
        remainingSec: this.remainingSec(),
        scopeFiles: this.scopeFiles(),
        ...(sandbox ? { sandbox } : {}),
      });
      for (const run of runs) {
        await this.recorder.event("tool_run", this.wsId, { step, tool_result: toolSummary(run) });
        await this.afterTool(step, run, sandbox);
      }
      results.push(...runs);
      if (runs.some((run) => !run.success)) return results;
    }
    if (step === "runtime") {
      for (const [index, test] of this.bundle.acceptance_tests.entries()) {
        this.checkCancelled();
        const { argv, viaShell } = acceptanceArgv(test);
        if (argv.length === 0) continue;
        const sandbox = this.sandboxFor(undefined);
        const run = await runCommand(`acceptance[${index}]`, argv, {
          ...common,
          remainingSec: this.remainingSec(),
          ...(sandbox ? { sandbox } : {}),
        });
        await this.recorder.event("tool_run", this.wsId, {
          step,
          via_shell: viaShell,
          tool_result: toolSummary(run),
        });
        await this.afterTool(step, run, sandbox);
        results.push(run);
        if (!run.success) return results;
      }
    }
    return results;
  }

  private async checkLoop(step: FixableStep): Promise<void> {
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
      const results = await this.runChecks(step);
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
        this.costUsd,
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
      await this.fix(step, breakers.fixCount, [{ command: failed.command_line, excerpt }]);
    }
  }

  private async fix(
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
    const result = await this.runEditTool("fix", this.fixCount, prompt, "fix");
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

  /** The sandbox for one tool (`undefined` profile: an acceptance test), or undefined to run it bare. */
  private sandboxFor(profile: ToolProfile | undefined): SandboxRequest | undefined {
    try {
      return toolSandbox(
        this.settings.sandbox,
        { repoRoot: this.settings.repoRoot, worktree: this.worktree, bundle: this.bundle },
        profile,
      );
    } catch (error) {
      if (error instanceof SandboxUnavailable) throw new Failed("failed", error.message);
      throw error;
    }
  }

  /**
   * After every tool: record what the sandbox denied it, then fail the workstream if it changed
   * anything it must not (refs, hooks, config, the base checkout, its worktree's .git).
   */
  private async afterTool(
    step: string,
    result: ToolRunResult,
    sandbox: SandboxRequest | undefined,
  ): Promise<void> {
    if (sandbox) {
      const denied = deniedOperations(`${result.stdout}\n${result.stderr}`);
      if (denied.length > 0)
        await this.recorder.event("sandbox_denied", this.wsId, {
          step,
          tool_id: result.tool_id,
          lines: denied,
        });
    }
    const findings = (await this.guard?.check()) ?? [];
    if (findings.length === 0) return;
    const message = `tamper: ${result.tool_id} during ${step.toUpperCase()}: ${findings.join("; ")}`;
    await this.recorder.event("tamper", this.wsId, { step, tool_id: result.tool_id, findings });
    this.steps.push({
      step_name: "tamper",
      success: false,
      details: { step, tool_id: result.tool_id, findings },
      error_message: message,
    });
    throw new Failed("failed", message);
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
