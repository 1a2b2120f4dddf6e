/**
 * How one tool or check of a workstream runs in its worktree: its placeholders, prompt file,
 * sandbox and share of the wall-clock budget, then its `tool_run` event, what the sandbox denied it
 * and the tamper check, so the pipeline only decides what each result means for the workstream.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { type Bundle } from "../../core/bundle/types";
import { resolveBudgets, type FixableStep } from "../../core/orchestrator/breakers";
import { chooseEditTool } from "../../core/orchestrator/editTool";
import { type PlaceholderValues, type ToolProfile } from "../../core/orchestrator/profiles";
import { scopeMatcher } from "../../core/orchestrator/scope";
import { type JsonObject } from "../../core/store";
import { AIM_INVOCATION_EVENT } from "../aim/audit";
import { type OverlayMount } from "../process/sandbox/overlay";
import { runIdVariable } from "../process/processTree";
import { type SandboxRequest } from "../process/sandbox/sandboxLaunch";
import { runCommand, runToolProfile } from "../tools/runProfile";
import { type ToolRunResult } from "../tools/toolRun";
import { acceptanceArgv } from "./acceptanceArgv";
import { Failed, throwIfCancelled } from "./failed";
import { listFiles } from "./files";
import { deniedOperations, type ToolGuard } from "./toolGuard";
import { SandboxUnavailable, toolSandbox } from "./toolSandbox";
import { type OrchestratorSettings, type StepReport, type WorkstreamJob } from "./types";

/** What a tool run reports in events and step details (its output stays out: it can be large). */
export function toolSummary(result: ToolRunResult): JsonObject {
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

/** The edit tool's profile id: the bundle's `tool`, or the one its `capability` routes to. */
export function editToolId(bundle: Bundle, settings: OrchestratorSettings): string {
  const choice = chooseEditTool(bundle, settings.capabilityRoutes);
  if ("reason" in choice) throw new Failed("failed", choice.reason);
  return choice.toolId;
}

/** What the worktree's preparation gives every tool: reserved ports, shared folders' overlays. */
export interface ToolEnvironment {
  env: Record<string, string>;
  overlays: readonly OverlayMount[];
}

/** Runs the tools of one workstream, once its worktree is checked out and guarded. */
export class WorkstreamTools {
  private readonly bundle: Bundle;
  private spentUsd = 0;

  /**
   * @param startedAt When the workstream started (ms), against which its wall-clock budget runs.
   * @param steps The pipeline's step reports: a tamper finding adds its own before it fails.
   */
  constructor(
    private readonly settings: OrchestratorSettings,
    private readonly job: WorkstreamJob,
    private readonly worktree: string,
    private readonly guard: ToolGuard,
    private readonly startedAt: number,
    private readonly steps: StepReport[],
    private readonly environment: ToolEnvironment = { env: {}, overlays: [] },
  ) {
    this.bundle = job.loaded.bundle;
  }

  /** What the edit and fix tools have reported spending so far, for the cost budget. */
  get costUsd(): number {
    return this.spentUsd;
  }

  private get wsId(): string {
    return this.bundle.id;
  }

  private get recorder() {
    return this.job.recorder;
  }

  /** Runs the edit tool in `edit` or `fix` mode with the prompt, recording it under `step`. */
  async runEditTool(
    mode: "edit" | "fix",
    attempt: number,
    prompt: string,
    step: string,
  ): Promise<ToolRunResult> {
    throwIfCancelled(this.job.signal);
    const promptFile = this.writePrompt(mode === "edit" ? "edit" : `fix-${attempt}`, prompt);
    const profile = this.editProfile();
    const sandbox = await this.sandboxReadyFor(profile);
    const [result] = await runToolProfile(profile, {
      cwd: this.worktree,
      env: this.toolEnv(),
      values: this.placeholders({ prompt, prompt_file: promptFile, mode, attempt: String(attempt) }),
      remainingSec: this.remainingSec(),
      signal: this.job.signal,
      ...this.outputHook(),
      ...(sandbox ? { sandbox } : {}),
    });
    const checked = this.startGuardCheck(sandbox !== undefined);
    this.spentUsd += result.usage.cost_usd ?? 0;
    await this.recorder.event("tool_run", this.wsId, {
      step,
      prompt_file: promptFile,
      tool_result: toolSummary(result),
    });
    await this.afterTool(step, result, sandbox, checked);
    await this.auditRoutedInvocation(step, result);
    return result;
  }

  /** Runs the step's checks once; stops at the first failure. */
  async runChecks(step: FixableStep): Promise<ToolRunResult[]> {
    const results: ToolRunResult[] = [];
    const common = {
      cwd: this.worktree,
      env: this.toolEnv(),
      signal: this.job.signal,
      ...this.outputHook(),
    };
    const profileIds =
      step === "static" ? (this.bundle.static_tools ?? []) : (this.bundle.runtime_tools ?? []);
    for (const id of profileIds) {
      throwIfCancelled(this.job.signal);
      const profile = this.settings.profiles.get(id);
      if (!profile) throw new Failed("failed", `unknown ${step} tool profile '${id}'`);
      const sandbox = await this.sandboxReadyFor(profile);
      const runs = await runToolProfile(profile, {
        ...common,
        values: this.placeholders({}),
        remainingSec: this.remainingSec(),
        scopeFiles: this.scopeFiles(),
        ...(sandbox ? { sandbox } : {}),
      });
      const checked = this.startGuardCheck(sandbox !== undefined);
      for (const run of runs)
        await this.recorder.event("tool_run", this.wsId, { step, tool_result: toolSummary(run) });
      for (const run of runs) await this.afterTool(step, run, sandbox, checked);
      results.push(...runs);
      if (runs.some((run) => !run.success)) return results;
    }
    if (step === "runtime") {
      for (const [index, test] of this.bundle.acceptance_tests.entries()) {
        throwIfCancelled(this.job.signal);
        const { argv, viaShell } = acceptanceArgv(test);
        if (argv.length === 0) continue;
        const sandbox = await this.sandboxReadyFor(undefined);
        const run = await runCommand(`acceptance[${index}]`, argv, {
          ...common,
          remainingSec: this.remainingSec(),
          ...(sandbox ? { sandbox } : {}),
        });
        const checked = this.startGuardCheck(sandbox !== undefined);
        await this.recorder.event("tool_run", this.wsId, {
          step,
          via_shell: viaShell,
          tool_result: toolSummary(run),
        });
        await this.afterTool(step, run, sandbox, checked);
        results.push(run);
        if (!run.success) return results;
      }
    }
    return results;
  }

  /**
   * Runs the worktree's setup commands once, before EDIT, in the sandbox like any tool; their output
   * goes into the events, and a failure ends the workstream with the reason `setup`.
   */
  async runSetup(commands: readonly string[]): Promise<void> {
    for (const [index, command] of commands.entries()) {
      throwIfCancelled(this.job.signal);
      const { argv, viaShell } = acceptanceArgv(command);
      if (argv.length === 0) continue;
      const sandbox = await this.sandboxReadyFor(undefined);
      const run = await runCommand(`setup[${index}]`, argv, {
        cwd: this.worktree,
        env: this.toolEnv(),
        signal: this.job.signal,
        remainingSec: this.remainingSec(),
        ...this.outputHook(),
        ...(sandbox ? { sandbox } : {}),
      });
      const checked = this.startGuardCheck(sandbox !== undefined);
      await this.recorder.event("tool_run", this.wsId, {
        step: "setup",
        via_shell: viaShell,
        tool_result: toolSummary(run),
        output_tail: `${run.stdout}${run.stderr}`.slice(-4000),
      });
      await this.afterTool("setup", run, sandbox, checked);
      this.steps.push({
        step_name: "setup",
        success: run.success,
        details: { command, tool_result: toolSummary(run) },
        error_message: run.success ? null : `setup: ${run.command_line}: ${run.reason ?? "failed"}`,
      });
      if (run.cancelled) throw new Failed("cancelled", "cancelled during setup");
      if (!run.success) throw new Failed("failed", `setup: ${run.command_line}: ${run.reason ?? "failed"}`);
    }
  }

  /**
   * The run's environment, what the worktree's preparation gives every tool, and the run's id, so
   * `wsp resume` can find the tool if this orchestrator is killed.
   */
  private toolEnv(): NodeJS.ProcessEnv {
    return { ...this.settings.env, ...this.environment.env, [runIdVariable]: this.job.runId };
  }

  private editProfile(): ToolProfile {
    const toolId = editToolId(this.bundle, this.settings);
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

  /** The tool's timeout is capped by what is left of the workstream's wall-clock budget. */
  private remainingSec(): number {
    const elapsedSec = (Date.now() - this.startedAt) / 1000;
    return (
      resolveBudgets(this.settings.breakers, this.wsId, this.bundle.circuit_breaker).max_wall_clock_sec -
      elapsedSec
    );
  }

  /** Outside the worktree, so the prompt never shows up in the diff or the scope check. */
  private get promptDir(): string {
    return path.join(this.settings.worktreesDir, ".prompts", this.wsId);
  }

  private writePrompt(name: string, text: string): string {
    const dir = this.promptDir;
    mkdirSync(dir, { recursive: true });
    const file = path.join(dir, `${this.job.runId}-${name}.txt`);
    writeFileSync(file, text);
    return file;
  }

  /** Files of the scope that exist in the worktree, for per-file tools. */
  private scopeFiles(): string[] {
    const inScope = scopeMatcher([...this.bundle.files_scope, ...this.bundle.files_create]);
    return listFiles(this.worktree).filter((file) => inScope(file));
  }

  private outputHook() {
    const hook = this.settings.onToolOutput;
    const wsId = this.wsId;
    return hook
      ? { onOutput: (stream: "stdout" | "stderr", chunk: string) => hook(wsId, stream, chunk) }
      : {};
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

  /** sandboxFor, once the tamper guard is ready for the tool to start in it (or bare). */
  private async sandboxReadyFor(profile: ToolProfile | undefined): Promise<SandboxRequest | undefined> {
    const sandbox = this.sandboxFor(profile);
    await this.guard.beforeTool({ sandboxed: sandbox !== undefined });
    return sandbox;
  }

  /** The sandbox for one tool (`undefined` profile: an acceptance test), or undefined to run it bare. */
  private sandboxFor(profile: ToolProfile | undefined): SandboxRequest | undefined {
    try {
      const request = toolSandbox(
        this.settings.sandbox,
        {
          repoRoot: this.settings.repoRoot,
          worktree: this.worktree,
          bundle: this.bundle,
          // The worktrees folder may lie outside the repository, under a folder the sandbox hides.
          promptDir: this.promptDir,
        },
        profile,
      );
      return request && this.environment.overlays.length > 0
        ? { ...request, overlays: this.environment.overlays }
        : request;
    } catch (error) {
      if (error instanceof SandboxUnavailable) throw new Failed("failed", error.message);
      throw error;
    }
  }

  /**
   * After every tool: record what the sandbox denied it, then fail the workstream if it changed
   * anything it must not (refs, hooks, config, the base checkout, its worktree's .git).
   */
  /**
   * The base checkout's files once more, after the last tool and before the commit: sandboxed tools
   * are checked for them only here (they see the base read-only), bare ones after each tool too.
   */
  async finalGuardCheck(): Promise<void> {
    const findings = await this.guard.check();
    if (findings.length === 0) return;
    const message = `tamper: a tool of ${this.wsId}: ${findings.join("; ")}`;
    await this.recorder.event("tamper", this.wsId, { step: "commit", findings });
    this.steps.push({
      step_name: "tamper",
      success: false,
      details: { step: "commit", findings },
      error_message: message,
    });
    throw new Failed("failed", message);
  }

  /**
   * Starts the tamper check as soon as a tool has ended, so its git call runs while the tool's events
   * are written; afterTool awaits it before anything else may start.
   */
  private startGuardCheck(sandboxed: boolean): Promise<string[]> {
    const checked = this.guard.check({ base: !sandboxed });
    // Awaited in afterTool; this only keeps a failure meanwhile from counting as unhandled.
    checked.catch(() => undefined);
    return checked;
  }

  private async afterTool(
    step: string,
    result: ToolRunResult,
    sandbox: SandboxRequest | undefined,
    checked: Promise<string[]>,
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
    const findings = await checked;
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
}
