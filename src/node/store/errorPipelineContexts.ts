/** The error_pipeline_contexts table: the error pipeline's state per workstream of a run. */
import { type ErrorPipelineContextRow, type SaveErrorPipelineContextInput } from "../../core/store";
import { type JournaledDb, type Transaction } from "./engine";
import { firstRow, toErrorPipelineContextRow } from "./rows";
import { run } from "./tableAccess";

export function getErrorPipelineContext(
  engine: JournaledDb,
  runId: string,
  wsId: string,
): ErrorPipelineContextRow | undefined {
  const row = firstRow(
    engine.statement("SELECT * FROM error_pipeline_contexts WHERE run_id = ? AND ws_id = ?"),
    [runId, wsId],
  );
  return row === undefined ? undefined : toErrorPipelineContextRow(row);
}

export function saveErrorPipelineContext(
  tx: Transaction,
  input: SaveErrorPipelineContextInput,
  timestamp: () => string,
): ErrorPipelineContextRow {
  const at = timestamp();
  const row: ErrorPipelineContextRow = {
    runId: input.runId,
    wsId: input.wsId,
    attemptNumber: input.attemptNumber,
    currentState: input.currentState,
    finalStatus: input.finalStatus ?? null,
    context: input.context,
    updatedAt: at,
  };
  run(tx, "epc.upsert", [
    row.runId,
    row.wsId,
    row.attemptNumber,
    row.currentState,
    row.finalStatus,
    JSON.stringify(row.context),
    at,
  ]);
  return row;
}
