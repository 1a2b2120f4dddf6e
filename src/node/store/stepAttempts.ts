/** The step_attempts table: one row per step a workstream started, finished once. */
import {
  NotFoundError,
  type FinishStepAttemptInput,
  type StartStepAttemptInput,
  type StepAttemptRow,
} from "../../core/store";
import { UserError } from "../../core/errors";
import { type JournaledDb, type Transaction } from "./engine";
import { allRows, firstRow, jsonText, toStepAttemptRow } from "./rows";
import { nextId, requireWorkstream, run } from "./tableAccess";

/** Starts an attempt, or records a finished one when `finish` is given. */
export function insertAttempt(
  engine: JournaledDb,
  tx: Transaction,
  input: StartStepAttemptInput,
  finish: FinishStepAttemptInput | undefined,
  timestamp: () => string,
): StepAttemptRow {
  requireWorkstream(engine, input.runId, input.wsId);
  const id = nextId(engine, "step_attempts");
  const at = timestamp();
  const row: StepAttemptRow = {
    id,
    runId: input.runId,
    wsId: input.wsId,
    step: input.step,
    status: finish?.status ?? "running",
    startedAt: at,
    completedAt: finish === undefined ? null : at,
    result: finish?.result ?? null,
  };
  run(tx, "attempt.insert", [
    id,
    row.runId,
    row.wsId,
    row.step,
    row.status,
    at,
    row.completedAt,
    jsonText(row.result),
  ]);
  return row;
}

export function finishAttempt(
  engine: JournaledDb,
  tx: Transaction,
  id: number,
  input: FinishStepAttemptInput,
  timestamp: () => string,
): StepAttemptRow {
  const found = firstRow(engine.statement("SELECT * FROM step_attempts WHERE id = ?"), [id]);
  if (found === undefined) throw new NotFoundError(`Step attempt not found: ${id}`);
  const row = toStepAttemptRow(found);
  if (row.status !== "running") throw new UserError(`Step attempt ${id} already finished (${row.status}).`);
  const at = timestamp();
  run(tx, "attempt.finish", [input.status, at, jsonText(input.result), id]);
  return { ...row, status: input.status, completedAt: at, result: input.result ?? null };
}

export function listStepAttempts(engine: JournaledDb, runId: string, wsId?: string): StepAttemptRow[] {
  return allRows(
    engine.statement(
      "SELECT * FROM step_attempts WHERE run_id = ?1 AND (?2 IS NULL OR ws_id = ?2) ORDER BY id",
    ),
    [runId, wsId ?? null],
  ).map(toStepAttemptRow);
}
