/** `tick`: performs one step of the error pipeline for a (run, workstream) and keeps the context in the store. */
import path from "node:path";
import { UserError } from "../../core/errors";
import {
  actionFor,
  advance,
  initialContext,
  summarise,
  type ErrorOutcome,
  type ErrorPipelineContext,
  type ErrorState,
} from "../../core/check/errorPipeline";
import { type JsonObject, type Store } from "../../core/store";
import { auditAimInvocation, detectTools, loadRegistry, routeCapability } from "../aim";
import { profileEditor, type AiEditor } from "./aiEditor";
import { runCheck } from "./engine";

export const ERROR_FIX_CAPABILITY = "error_fix";

export interface TickOptions {
  store: Store;
  runId: string;
  wsId: string;
  /** The workspace (worktree) the files live in. */
  cwd: string;
  env: NodeJS.ProcessEnv;
  /** Files to check; required on the first tick, kept in the context afterwards. */
  files?: string[];
  /** AI editors to escalate through; default: the registry's `error_fix` route, installed tools only. */
  aiTools?: string[];
  editor?: AiEditor;
  now?: () => Date;
}

export interface TickResult {
  from: ErrorState;
  context: ErrorPipelineContext;
  /** False when the pipeline had already ended: nothing was done. */
  advanced: boolean;
}

/** Loads a (run, workstream)'s error-pipeline context from the store, or undefined. */
export async function loadErrorContext(
  store: Store,
  runId: string,
  wsId: string,
): Promise<ErrorPipelineContext | undefined> {
  const row = await store.getErrorPipelineContext(runId, wsId);
  return row ? (row.context as unknown as ErrorPipelineContext) : undefined;
}

/** Advances the pipeline by one step. */
export async function tickErrorPipeline(options: TickOptions): Promise<TickResult> {
  const { store, runId, wsId, cwd, env } = options;
  const now = options.now ?? (() => new Date());
  const { registry } = await loadRegistry(cwd, env);
  let context = await loadErrorContext(store, runId, wsId);
  if (!context) {
    if (!options.files || options.files.length === 0) {
      throw new UserError(
        `errors tick: no pipeline yet for ${runId}/${wsId}; the first tick needs --files (or a bundle with that id)`,
      );
    }
    let aiTools = options.aiTools;
    if (!aiTools) {
      const detected = await detectTools(registry, cwd, env);
      const installed = new Set(detected.filter((tool) => tool.installed).map((tool) => tool.id));
      aiTools = routeCapability(registry, ERROR_FIX_CAPABILITY, (id) => installed.has(id));
    }
    context = initialContext(runId, wsId, options.files, aiTools);
  }
  const from = context.current_state;
  const action = actionFor(context);
  if (action.kind === "done") return { from, context, advanced: false };

  let outcome: ErrorOutcome;
  if (action.kind === "check") {
    const report = await runCheck({ files: context.files, cwd, env });
    outcome = { kind: "check", summary: summarise(report.files.flatMap((file) => file.issues)) };
  } else if (action.kind === "autofix") {
    await runCheck({ files: context.files, cwd, env, fix: true });
    outcome = { kind: "autofix" };
  } else {
    const tool = registry.tools.find((entry) => entry.id === action.tool);
    const started = Date.now();
    const promptFile = path.join(
      cwd,
      "state",
      "error_pipeline",
      runId,
      wsId,
      `prompt_attempt_${context.attempt_number}.txt`,
    );
    const result = await (options.editor ?? profileEditor)({
      toolId: action.tool,
      profile: tool?.profile ?? action.tool,
      prompt: action.prompt,
      cwd,
      env,
      promptFile,
    });
    await auditAimInvocation(store, {
      runId,
      wsId,
      toolId: action.tool,
      capability: ERROR_FIX_CAPABILITY,
      routeIndex: context.attempt_number - 1,
      success: result.success,
      durationMs: Date.now() - started,
      ...(result.exitCode === undefined ? {} : { exitCode: result.exitCode }),
      ...(result.message === undefined ? {} : { message: result.message }),
    });
    outcome = {
      kind: "ai_fix",
      success: result.success,
      ...(result.message ? { message: result.message } : {}),
    };
  }

  const next = advance(context, outcome, now().toISOString());
  await store.saveErrorPipelineContext({
    runId,
    wsId,
    attemptNumber: next.attempt_number,
    currentState: next.current_state,
    finalStatus: next.final_status,
    context: next as unknown as JsonObject,
  });
  await store.recordEvent({
    runId,
    wsId,
    type: "error_pipeline_step",
    payload: { from, to: next.current_state, note: next.history.at(-1)?.note ?? "" },
  });
  return { from, context: next, advanced: true };
}
