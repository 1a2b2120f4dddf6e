/** `wsp validate`: loads the workstreams directory, validates it and prints the result. */
import { type CommandIO } from "../../io";
import { validateWorkspaceDir, WorkstreamDirError } from "../../../node/bundles";
import { resolveWorkstreamDir } from "../../../node/paths";
import { jsonReport, textReport } from "./report";
import { syncToRun } from "./syncToRun";

export interface ValidateOptions {
  dir?: string;
  json?: boolean;
  runId?: string;
  /** The store `--run-id` writes to (default: $PIPELINE_DB_PATH or state/pipeline.db). */
  db?: string;
}

/** Exit code: 0 no error, 1 an error in the bundles, 2 usage or configuration problem. */
export async function validate(options: ValidateOptions, io: CommandIO): Promise<number> {
  const dir = resolveWorkstreamDir(io.cwd, io.env, options.dir);
  let result;
  try {
    result = await validateWorkspaceDir(dir);
  } catch (error) {
    if (!(error instanceof WorkstreamDirError)) throw error;
    io.err(`wsp validate: ${error.message}\n`);
    return 2;
  }
  const { diagnostics, bundles, workspace } = result;
  const files = workspace.documents.length;
  if (options.json)
    io.out(JSON.stringify(jsonReport(io.cwd, diagnostics, bundles.length, files), null, 2) + "\n");
  else io.out(textReport(io.cwd, diagnostics, bundles.length, files));
  const failed = diagnostics.some((diagnostic) => diagnostic.severity === "error");
  if (failed) return 1;
  if (options.runId !== undefined) return syncToRun(options.runId, bundles, io, options.db);
  return 0;
}
