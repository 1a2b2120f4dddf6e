-- Workstream Pipeline state store, schema version 1.
-- Timestamps are ISO 8601 UTC ending in Z. JSON columns hold JSON text.
-- src/node/store/schemaSql.ts embeds this file (a test keeps them identical).
PRAGMA foreign_keys = ON;

CREATE TABLE IF NOT EXISTS schema_meta (
  key TEXT PRIMARY KEY,
  value TEXT NOT NULL
);

CREATE TABLE IF NOT EXISTS runs (
  run_id TEXT PRIMARY KEY,
  status TEXT NOT NULL,
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  metadata_json TEXT
);
CREATE INDEX IF NOT EXISTS idx_runs_created ON runs (created_at DESC, run_id DESC);
CREATE INDEX IF NOT EXISTS idx_runs_status ON runs (status, created_at DESC);

-- Keyed by run AND workstream: a second run never overwrites the first.
CREATE TABLE IF NOT EXISTS workstreams (
  run_id TEXT NOT NULL REFERENCES runs (run_id) ON DELETE CASCADE,
  ws_id TEXT NOT NULL,
  status TEXT NOT NULL,
  depends_on TEXT NOT NULL DEFAULT '[]',
  created_at TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  metadata_json TEXT,
  PRIMARY KEY (run_id, ws_id)
);
CREATE INDEX IF NOT EXISTS idx_workstreams_run_status ON workstreams (run_id, status);

CREATE TABLE IF NOT EXISTS events (
  id INTEGER PRIMARY KEY,
  timestamp TEXT NOT NULL,
  run_id TEXT,
  ws_id TEXT,
  event_type TEXT NOT NULL,
  payload_json TEXT
);
CREATE INDEX IF NOT EXISTS idx_events_run_id ON events (run_id, id);
CREATE INDEX IF NOT EXISTS idx_events_run_ws_id ON events (run_id, ws_id, id);

CREATE TABLE IF NOT EXISTS errors (
  id INTEGER PRIMARY KEY,
  run_id TEXT,
  ws_id TEXT,
  step_name TEXT,
  error_code TEXT,
  signature TEXT NOT NULL,
  message TEXT,
  context_json TEXT,
  count INTEGER NOT NULL DEFAULT 1,
  first_seen_at TEXT NOT NULL,
  last_seen_at TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS idx_errors_signature ON errors (signature);
CREATE INDEX IF NOT EXISTS idx_errors_dedup ON errors (run_id, ws_id, step_name, signature);

CREATE TABLE IF NOT EXISTS step_attempts (
  id INTEGER PRIMARY KEY,
  run_id TEXT NOT NULL,
  ws_id TEXT NOT NULL,
  step_name TEXT NOT NULL,
  status TEXT NOT NULL,
  started_at TEXT NOT NULL,
  completed_at TEXT,
  result_json TEXT,
  FOREIGN KEY (run_id, ws_id) REFERENCES workstreams (run_id, ws_id) ON DELETE CASCADE
);
CREATE INDEX IF NOT EXISTS idx_step_attempts_ws ON step_attempts (run_id, ws_id, step_name);

CREATE TABLE IF NOT EXISTS error_pipeline_contexts (
  run_id TEXT NOT NULL,
  ws_id TEXT NOT NULL,
  attempt_number INTEGER NOT NULL,
  current_state TEXT NOT NULL,
  final_status TEXT,
  context_json TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  PRIMARY KEY (run_id, ws_id)
);

INSERT OR IGNORE INTO schema_meta (key, value) VALUES ('schema_version', '1');
