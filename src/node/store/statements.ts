/**
 * Every write the store makes, by opcode. Journal lines name these opcodes with fully determined
 * parameters (ids and timestamps included), so replaying a journal anywhere gives the same rows.
 * Opcodes are part of the journal format: never change what an existing one means; add new ones.
 */
export const STATEMENTS = {
  "run.insert":
    "INSERT INTO runs (run_id, status, created_at, updated_at, metadata_json) VALUES (?, ?, ?, ?, ?)",
  "run.update": "UPDATE runs SET status = ?, updated_at = ?, metadata_json = ? WHERE run_id = ?",
  "ws.insert":
    "INSERT INTO workstreams (run_id, ws_id, status, depends_on, created_at, updated_at, metadata_json) VALUES (?, ?, ?, ?, ?, ?, ?)",
  "ws.update":
    "UPDATE workstreams SET status = ?, updated_at = ?, metadata_json = ? WHERE run_id = ? AND ws_id = ?",
  "event.insert":
    "INSERT INTO events (id, timestamp, run_id, ws_id, event_type, payload_json) VALUES (?, ?, ?, ?, ?, ?)",
  "error.insert":
    "INSERT INTO errors (id, run_id, ws_id, step_name, error_code, signature, message, context_json, count, first_seen_at, last_seen_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
  "error.repeat": "UPDATE errors SET count = ?, last_seen_at = ?, message = ?, context_json = ? WHERE id = ?",
  "attempt.insert":
    "INSERT INTO step_attempts (id, run_id, ws_id, step_name, status, started_at, completed_at, result_json) VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
  "attempt.finish": "UPDATE step_attempts SET status = ?, completed_at = ?, result_json = ? WHERE id = ?",
  "epc.upsert":
    "INSERT OR REPLACE INTO error_pipeline_contexts (run_id, ws_id, attempt_number, current_state, final_status, context_json, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)",
} as const;

export type Opcode = keyof typeof STATEMENTS;
