/** Mapping between SQL rows (snake_case, JSON text) and the model's rows. */
import { type ParamsObject, type SqlValue, type Statement } from "sql.js";
import {
  type ErrorPipelineContextRow,
  type ErrorRow,
  type EventRow,
  type JsonObject,
  type RunRow,
  type RunStatus,
  type StepAttemptRow,
  type StepAttemptStatus,
  type WorkstreamRow,
  type WorkstreamStatus,
} from "../../core/store";

/** Every row a prepared statement yields for `params`; leaves the statement reset for reuse. */
export function allRows(statement: Statement, params: SqlValue[] = []): ParamsObject[] {
  const rows: ParamsObject[] = [];
  try {
    statement.bind(params);
    // The column names once, not per row as getAsObject() asks SQLite for them: listing 300,000
    // events spent a quarter of its time there.
    let columns: string[] | undefined;
    while (statement.step()) {
      columns ??= statement.getColumnNames();
      const values = statement.get();
      const row: ParamsObject = {};
      for (let column = 0; column < columns.length; column++) row[columns[column]] = values[column];
      rows.push(row);
    }
  } finally {
    statement.reset();
  }
  return rows;
}

export function firstRow(statement: Statement, params: SqlValue[] = []): ParamsObject | undefined {
  try {
    statement.bind(params);
    return statement.step() ? statement.getAsObject() : undefined;
  } finally {
    statement.reset();
  }
}

export function jsonText(value: unknown): string | null {
  return value === undefined || value === null ? null : JSON.stringify(value);
}

function parseObject(text: SqlValue | undefined): JsonObject | null {
  return typeof text === "string" && text !== "" ? (JSON.parse(text) as JsonObject) : null;
}

function optionalText(value: SqlValue | undefined): string | null {
  return value === undefined || value === null ? null : String(value);
}

export function toRunRow(row: ParamsObject): RunRow {
  return {
    runId: String(row.run_id),
    status: String(row.status) as RunStatus,
    createdAt: String(row.created_at),
    updatedAt: String(row.updated_at),
    metadata: parseObject(row.metadata_json),
  };
}

export function toWorkstreamRow(row: ParamsObject): WorkstreamRow {
  return {
    runId: String(row.run_id),
    wsId: String(row.ws_id),
    status: String(row.status) as WorkstreamStatus,
    dependsOn: typeof row.depends_on === "string" ? (JSON.parse(row.depends_on) as string[]) : [],
    createdAt: String(row.created_at),
    updatedAt: String(row.updated_at),
    metadata: parseObject(row.metadata_json),
  };
}

export function toEventRow(row: ParamsObject): EventRow {
  return {
    id: Number(row.id),
    timestamp: String(row.timestamp),
    runId: optionalText(row.run_id),
    wsId: optionalText(row.ws_id),
    type: String(row.event_type),
    payload: parseObject(row.payload_json),
  };
}

export function toErrorRow(row: ParamsObject): ErrorRow {
  return {
    id: Number(row.id),
    runId: optionalText(row.run_id),
    wsId: optionalText(row.ws_id),
    step: optionalText(row.step_name),
    code: optionalText(row.error_code),
    signature: String(row.signature),
    message: optionalText(row.message),
    context: parseObject(row.context_json),
    count: Number(row.count),
    firstSeenAt: String(row.first_seen_at),
    lastSeenAt: String(row.last_seen_at),
  };
}

export function toStepAttemptRow(row: ParamsObject): StepAttemptRow {
  return {
    id: Number(row.id),
    runId: String(row.run_id),
    wsId: String(row.ws_id),
    step: String(row.step_name),
    status: String(row.status) as StepAttemptStatus,
    startedAt: String(row.started_at),
    completedAt: optionalText(row.completed_at),
    result: parseObject(row.result_json),
  };
}

export function toErrorPipelineContextRow(row: ParamsObject): ErrorPipelineContextRow {
  return {
    runId: String(row.run_id),
    wsId: String(row.ws_id),
    attemptNumber: Number(row.attempt_number),
    currentState: String(row.current_state),
    finalStatus: optionalText(row.final_status),
    context: parseObject(row.context_json) ?? {},
    updatedAt: String(row.updated_at),
  };
}
