/**
 * Every write the store makes, as data: an operation names a table, a kind (insert, update by key,
 * upsert) and its columns, and its SQL is generated here from that description and nothing else.
 * A journal line holds only operation names and column values (ids and timestamps included), so
 * replaying a journal anywhere gives the same rows and can never run anything but these statements.
 * Operation names are part of the journal format: never change what an existing one means; add new ones.
 */

/** One journalled write: its table, its kind and the columns its values fill, in order. */
export type Operation =
  | { table: string; kind: "insert" | "upsert"; columns: readonly string[] }
  | { table: string; kind: "update"; set: readonly string[]; key: readonly string[] };

export const OPERATIONS = {
  "run.insert": {
    table: "runs",
    kind: "insert",
    columns: ["run_id", "status", "created_at", "updated_at", "metadata_json"],
  },
  "run.update": {
    table: "runs",
    kind: "update",
    set: ["status", "updated_at", "metadata_json"],
    key: ["run_id"],
  },
  "ws.insert": {
    table: "workstreams",
    kind: "insert",
    columns: ["run_id", "ws_id", "status", "depends_on", "created_at", "updated_at", "metadata_json"],
  },
  "ws.update": {
    table: "workstreams",
    kind: "update",
    set: ["status", "updated_at", "metadata_json"],
    key: ["run_id", "ws_id"],
  },
  "event.insert": {
    table: "events",
    kind: "insert",
    columns: ["id", "timestamp", "run_id", "ws_id", "event_type", "payload_json"],
  },
  "error.insert": {
    table: "errors",
    kind: "insert",
    columns: [
      "id",
      "run_id",
      "ws_id",
      "step_name",
      "error_code",
      "signature",
      "message",
      "context_json",
      "count",
      "first_seen_at",
      "last_seen_at",
    ],
  },
  "error.repeat": {
    table: "errors",
    kind: "update",
    set: ["count", "last_seen_at", "message", "context_json"],
    key: ["id"],
  },
  "attempt.insert": {
    table: "step_attempts",
    kind: "insert",
    columns: ["id", "run_id", "ws_id", "step_name", "status", "started_at", "completed_at", "result_json"],
  },
  "attempt.finish": {
    table: "step_attempts",
    kind: "update",
    set: ["status", "completed_at", "result_json"],
    key: ["id"],
  },
  "epc.upsert": {
    table: "error_pipeline_contexts",
    kind: "upsert",
    columns: [
      "run_id",
      "ws_id",
      "attempt_number",
      "current_state",
      "final_status",
      "context_json",
      "updated_at",
    ],
  },
} as const satisfies Record<string, Operation>;

export type Opcode = keyof typeof OPERATIONS;

/** A compiled operation: its fixed, parameterised statement and how many values it takes. */
export interface CompiledOperation {
  sql: string;
  arity: number;
}

/** The one parameterised statement an operation runs. */
export function operationSql(operation: Operation): string {
  if (operation.kind === "update") {
    const set = operation.set.map((column) => `${column} = ?`).join(", ");
    const where = operation.key.map((column) => `${column} = ?`).join(" AND ");
    return `UPDATE ${operation.table} SET ${set} WHERE ${where}`;
  }
  const verb = operation.kind === "upsert" ? "INSERT OR REPLACE" : "INSERT";
  const marks = operation.columns.map(() => "?").join(", ");
  return `${verb} INTO ${operation.table} (${operation.columns.join(", ")}) VALUES (${marks})`;
}

/** Every operation compiled, by name: what the engine replays journal lines against. */
export function compileOperations(
  operations: Readonly<Record<string, Operation>> = OPERATIONS,
): Record<string, CompiledOperation> {
  const compiled: Record<string, CompiledOperation> = {};
  for (const [name, operation] of Object.entries(operations)) {
    const arity =
      operation.kind === "update" ? operation.set.length + operation.key.length : operation.columns.length;
    compiled[name] = { sql: operationSql(operation), arity };
  }
  return compiled;
}
