import { UserError } from "../../../core/errors";
import { type ErrorPipelineContext } from "../../../core/check/errorPipeline";
import { loadErrorContext, tickErrorPipeline } from "../../../node/check/errorPipeline";
import { bundleScopeFiles } from "../../../node/check/bundleFiles";
import { resolveDbPath } from "../../../node/paths";
import { openStore } from "../../../node/store";
import { type CommandIO } from "../../io";

export interface ErrorsOptions {
  runId?: string;
  wsId?: string;
  files?: string[];
  json?: boolean;
}

function ids(options: ErrorsOptions): { runId: string; wsId: string } {
  if (!options.runId || !options.wsId) throw new UserError("errors: give --run-id and --ws-id");
  return { runId: options.runId, wsId: options.wsId };
}

/** `wsp errors tick`: one step of the error pipeline; exit 1 once the workstream is quarantined. */
export async function errorsTick(options: ErrorsOptions, io: CommandIO): Promise<number> {
  const { runId, wsId } = ids(options);
  const store = await openStore({ path: resolveDbPath(undefined, io.env, io.cwd) });
  try {
    // Without --files, a new pipeline checks the files of the workstream's bundle scope.
    const files =
      options.files ??
      ((await loadErrorContext(store, runId, wsId))
        ? undefined
        : await bundleScopeFiles(io.cwd, io.env, wsId));
    const result = await tickErrorPipeline({
      store,
      runId,
      wsId,
      cwd: io.cwd,
      env: io.env,
      ...(files ? { files } : {}),
    });
    const { context } = result;
    if (options.json)
      io.out(`${JSON.stringify({ from: result.from, advanced: result.advanced, context }, null, 2)}\n`);
    else if (!result.advanced)
      io.out(`${runId}/${wsId}: already ${context.current_state} (${context.final_status})\n`);
    else
      io.out(
        `${runId}/${wsId}: ${result.from} -> ${context.current_state}: ${context.history.at(-1)?.note ?? ""}\n`,
      );
    return context.final_status === "quarantined" ? 1 : 0;
  } finally {
    await store.close();
  }
}

/** `wsp errors show`: the pipeline's state, tiers tried and remaining issues. */
export async function errorsShow(options: ErrorsOptions, io: CommandIO): Promise<number> {
  const { runId, wsId } = ids(options);
  const store = await openStore({ path: resolveDbPath(undefined, io.env, io.cwd), readOnly: true });
  let context: ErrorPipelineContext | undefined;
  try {
    context = await loadErrorContext(store, runId, wsId);
  } finally {
    await store.close();
  }
  if (!context) throw new UserError(`errors: no error pipeline for ${runId}/${wsId}`);
  if (options.json) {
    io.out(`${JSON.stringify(context, null, 2)}\n`);
    return 0;
  }
  const lines = [
    `${runId}/${wsId}: ${context.current_state}${context.final_status ? ` (${context.final_status})` : ""}`,
    `files: ${context.files.join(", ")}`,
    `AI editors (error_fix route): ${context.ai_tools.join(" -> ") || "none installed"}`,
    ...context.ai_attempts.map(
      (attempt, index) =>
        `  tier ${index + 1}: ${attempt.tool} ${attempt.success ? "ran" : `failed${attempt.message ? `: ${attempt.message}` : ""}`}`,
    ),
    `last check: ${context.last_report ? `${context.last_report.errors} error(s), ${context.last_report.warnings} warning(s)` : "none yet"}`,
    ...context.history.map((step) => `  ${step.at} ${step.state}: ${step.note}`),
  ];
  io.out(`${lines.join("\n")}\n`);
  return 0;
}
