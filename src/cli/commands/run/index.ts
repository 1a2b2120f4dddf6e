/** `wsp run <ws-id>` and `wsp run --all`: run workstreams through the pipeline and print the result. */
import { UserError } from "../../../core/errors";
import { executeRun, type ExecuteResult } from "../../../node/orchestrator/executor";
import { type CommandIO } from "../../io";
import {
  defaultRunId,
  warmUpStore,
  loadWorkspace,
  openWorkspaceStore,
  orchestratorSettings,
  type CommonOptions,
} from "../../shared/context";
import { eventPrinter } from "../../shared/events";
import { printSummary } from "./summary";

export interface RunOptions extends CommonOptions {
  runId?: string;
  all?: boolean;
  jobs?: string | number;
  only?: string;
  continue?: boolean;
  events?: string;
}

function parseJobs(value: string | number | undefined): number {
  if (value === undefined) return 1;
  const jobs = Number(value);
  if (!Number.isInteger(jobs) || jobs < 1)
    throw new UserError(`-j must be a positive integer, got '${String(value)}'`);
  return jobs;
}

/** Exit code: 0 every workstream done, 1 something failed, was blocked or cancelled, 2 usage/config error. */
export async function run(
  wsId: string | undefined,
  options: RunOptions,
  io: CommandIO,
  signal: AbortSignal = new AbortController().signal,
): Promise<number> {
  if (options.events !== undefined && options.events !== "ndjson")
    throw new UserError(`--events supports only 'ndjson', got '${options.events}'`);
  if (options.all && wsId !== undefined)
    throw new UserError("give either a workstream id or --all, not both");
  if (!options.all && wsId === undefined) throw new UserError("give a workstream id, or --all");
  warmUpStore();
  const workspace = await loadWorkspace(io, options);
  const known = new Set(workspace.bundles.map((loaded) => loaded.bundle.id));
  let selected: string[];
  if (options.all) {
    const only = options.only
      ?.split(",")
      .map((id) => id.trim())
      .filter(Boolean);
    for (const id of only ?? [])
      if (!known.has(id)) throw new UserError(`--only: unknown workstream '${id}'`);
    selected = only ?? [...known];
  } else {
    if (!known.has(wsId!))
      throw new UserError(`unknown workstream '${wsId}' (not in the workstreams directory)`);
    selected = [wsId!];
  }
  const jobs = parseJobs(options.jobs);
  const settings = await orchestratorSettings(io, workspace, options);
  const store = await openWorkspaceStore(io, options.db);
  try {
    const runId = options.runId ?? defaultRunId();
    if (options.runId !== undefined && (await store.findRun(runId)))
      throw new UserError(`run ${runId} already exists; use 'wsp resume ${runId}' to carry it on`);
    const mode = options.events === "ndjson" ? "ndjson" : io.isTTY ? "progress" : "none";
    const onEvent = eventPrinter(io, mode);
    const result = await executeRun(settings, {
      store,
      runId,
      bundles: workspace.bundles,
      selected,
      maxParallel: jobs,
      continueOnFailure: options.continue === true,
      uniqueRunId: options.runId === undefined,
      signal,
      ...(onEvent ? { onEvent } : {}),
    });
    return report(result, options.all === true, mode === "ndjson", io);
  } finally {
    await store.close();
  }
}

/** Prints the result (JSON on stdout unless NDJSON events took stdout) and the summary on stderr. */
export function report(result: ExecuteResult, all: boolean, ndjson: boolean, io: CommandIO): number {
  if (!ndjson) {
    if (all) io.out(`${JSON.stringify(result, null, 2)}\n`);
    else {
      const only = result.workstreams[0];
      io.out(
        `${JSON.stringify({ run_id: only.run_id, ...(result.base_commit ? { base_commit: result.base_commit } : {}), ws_id: only.ws_id, final_status: only.final_status, steps: only.steps, ...(only.reason ? { reason: only.reason } : {}) }, null, 2)}\n`,
      );
    }
  }
  printSummary(result, io);
  if (all) return result.final_status === "succeeded" ? 0 : 1;
  return result.workstreams[0]?.final_status === "done" ? 0 : 1;
}
