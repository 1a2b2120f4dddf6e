/**
 * What the store's table modules share: writes by opcode through the transaction (so they are
 * journalled), id allocation, and the run and workstream lookups. The caller has synced or holds the lock.
 */
import { type SqlValue } from "sql.js";
import { NotFoundError, type RunRow, type WorkstreamRow } from "../../core/store";
import { type JournaledDb, type Transaction } from "./engine";
import { firstRow, toRunRow, toWorkstreamRow } from "./rows";
import { type Opcode } from "./statements";

const SELECT_RUN = "SELECT * FROM runs WHERE run_id = ?";
const SELECT_WS = "SELECT * FROM workstreams WHERE run_id = ? AND ws_id = ?";

export function run(tx: Transaction, opcode: Opcode, params: SqlValue[]): void {
  tx.run(opcode, params);
}

export function nextId(engine: JournaledDb, table: "errors" | "step_attempts"): number {
  return Number(firstRow(engine.statement(`SELECT COALESCE(MAX(id), 0) + 1 AS id FROM ${table}`))?.id);
}

export function runRow(engine: JournaledDb, runId: string): RunRow | undefined {
  const row = firstRow(engine.statement(SELECT_RUN), [runId]);
  return row === undefined ? undefined : toRunRow(row);
}

export function requireRun(engine: JournaledDb, runId: string): RunRow {
  const row = runRow(engine, runId);
  if (row === undefined) throw new NotFoundError(`Run not found: ${runId}`);
  return row;
}

export function workstreamRow(engine: JournaledDb, runId: string, wsId: string): WorkstreamRow | undefined {
  const row = firstRow(engine.statement(SELECT_WS), [runId, wsId]);
  return row === undefined ? undefined : toWorkstreamRow(row);
}

export function requireWorkstream(engine: JournaledDb, runId: string, wsId: string): WorkstreamRow {
  const row = workstreamRow(engine, runId, wsId);
  if (row === undefined) throw new NotFoundError(`Workstream not found: ${wsId} in run ${runId}`);
  return row;
}
