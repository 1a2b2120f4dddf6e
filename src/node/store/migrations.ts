/**
 * Forward migrations. Version 0 is the original Python pipeline's layout (no schema_version, workstreams
 * keyed globally by ws_id, free-form statuses). Each step upgrades one version inside a transaction.
 */
import { type Database } from "sql.js";
import { UserError } from "../../core/errors";
import { CURRENT_SCHEMA_VERSION, SCHEMA_SQL } from "./schemaSql";

export interface Migration {
  from: number;
  to: number;
  describe: string;
  up(db: Database): void;
}

/** Old status words mapped onto the one state machine (unknown ones become failed, never lost silently). */
const WORKSTREAM_STATUS_V0 = `CASE status
  WHEN 'pending' THEN 'pending' WHEN 'ready' THEN 'pending' WHEN 'started' THEN 'started'
  WHEN 'running' THEN 'started' WHEN 'editing' THEN 'editing' WHEN 'fixing' THEN 'editing'
  WHEN 'ready_for_static' THEN 'ready_for_static' WHEN 'static_check' THEN 'static_check'
  WHEN 'runtime_check' THEN 'runtime_tests' WHEN 'runtime_tests' THEN 'runtime_tests'
  WHEN 'done' THEN 'done' WHEN 'succeeded' THEN 'done' WHEN 'blocked' THEN 'blocked'
  WHEN 'abandoned' THEN 'cancelled' WHEN 'skipped' THEN 'cancelled' WHEN 'cancelled' THEN 'cancelled'
  ELSE 'failed' END`;
const RUN_STATUS_V0 = `CASE status
  WHEN 'pending' THEN 'pending' WHEN 'running' THEN 'running' WHEN 'in_progress' THEN 'running'
  WHEN 'completed' THEN 'succeeded' WHEN 'succeeded' THEN 'succeeded' WHEN 'partial' THEN 'partial'
  WHEN 'abandoned' THEN 'cancelled' WHEN 'canceled' THEN 'cancelled' WHEN 'cancelled' THEN 'cancelled'
  ELSE 'failed' END`;
const ORPHAN_RUN = "legacy-unassigned";

export const MIGRATIONS: readonly Migration[] = [
  {
    from: 0,
    to: 1,
    describe: "key workstreams by (run_id, ws_id), normalise statuses, add error_pipeline_contexts",
    up(db) {
      const now = new Date().toISOString();
      db.run(`UPDATE runs SET status = ${RUN_STATUS_V0}`);
      // Workstreams whose run was deleted (SET NULL in v0) are kept under one placeholder run.
      db.run(
        `INSERT OR IGNORE INTO runs (run_id, status, created_at, updated_at, metadata_json)
         SELECT ?, 'failed', ?, ?, '{"migrated_from":0}' WHERE EXISTS (SELECT 1 FROM workstreams WHERE run_id IS NULL)`,
        [ORPHAN_RUN, now, now],
      );
      db.run("ALTER TABLE workstreams RENAME TO workstreams_v0");
      db.run("ALTER TABLE step_attempts RENAME TO step_attempts_v0");
      db.run("DROP INDEX IF EXISTS idx_workstreams_run_status");
      db.run("DROP INDEX IF EXISTS idx_step_attempts_run_ws_step");
      db.run(SCHEMA_SQL.replace(/^PRAGMA.*$/m, ""));
      db.run(
        `INSERT INTO workstreams (run_id, ws_id, status, depends_on, created_at, updated_at, metadata_json)
         SELECT COALESCE(run_id, ?), ws_id, ${WORKSTREAM_STATUS_V0}, COALESCE(depends_on, '[]'),
                COALESCE(created_at, ?), COALESCE(updated_at, created_at, ?), metadata_json
         FROM workstreams_v0`,
        [ORPHAN_RUN, now, now],
      );
      db.run(
        `INSERT INTO step_attempts (id, run_id, ws_id, step_name, status, started_at, completed_at, result_json)
         SELECT s.id, s.run_id, s.ws_id, s.step_name, s.status, COALESCE(s.started_at, ?), s.completed_at, s.result_json
         FROM step_attempts_v0 s JOIN workstreams w ON w.run_id = s.run_id AND w.ws_id = s.ws_id`,
        [now],
      );
      db.run("DROP TABLE step_attempts_v0");
      db.run("DROP TABLE workstreams_v0");
      db.run("UPDATE errors SET signature = '' WHERE signature IS NULL");
      db.run("UPDATE errors SET first_seen_at = ? WHERE first_seen_at IS NULL", [now]);
      db.run("UPDATE errors SET last_seen_at = first_seen_at WHERE last_seen_at IS NULL");
    },
  },
];

function tableNames(db: Database): string[] {
  const result = db.exec("SELECT name FROM sqlite_master WHERE type = 'table'");
  return (result[0]?.values ?? []).map((row) => String(row[0]));
}

/**
 * The schema version of a loaded database: schema_meta's value, 0 for the original layout, or
 * undefined for an empty database. Throws for a SQLite file that is not a store.
 */
export function detectSchemaVersion(db: Database, file: string): number | undefined {
  const tables = tableNames(db);
  if (tables.length === 0) return undefined;
  if (tables.includes("schema_meta")) {
    const result = db.exec("SELECT value FROM schema_meta WHERE key = 'schema_version'");
    const raw = result[0]?.values[0]?.[0];
    if (raw !== undefined && raw !== null) {
      const version = Number(raw);
      if (!Number.isInteger(version) || version < 0) {
        throw new UserError(
          `${file} has an unreadable schema version "${String(raw)}"; it was left unchanged.`,
        );
      }
      return version;
    }
  }
  if (tables.includes("runs") && tables.includes("workstreams")) return 0;
  throw new UserError(
    `${file} is a SQLite database but not a Workstream Pipeline store (tables: ${tables.join(", ")}); it was left unchanged.`,
  );
}

/** Refuses a store written by a newer version; the caller must not have changed anything yet. */
export function assertSupportedVersion(version: number, file: string): void {
  if (version > CURRENT_SCHEMA_VERSION) {
    throw new UserError(
      `${file} was written by a newer Workstream Pipeline (schema version ${version}; this version knows up to ` +
        `${CURRENT_SCHEMA_VERSION}). Upgrade wsp to use it; the file was left unchanged.`,
    );
  }
}

/** Runs every migration from `version` to the current one, each in its own transaction. */
export function migrate(db: Database, version: number): number {
  let current = version;
  db.run("PRAGMA foreign_keys = OFF");
  try {
    while (current < CURRENT_SCHEMA_VERSION) {
      const step = MIGRATIONS.find((migration) => migration.from === current);
      if (step === undefined) throw new UserError(`No migration from schema version ${current}.`);
      db.run("BEGIN");
      try {
        step.up(db);
        db.run("INSERT OR REPLACE INTO schema_meta (key, value) VALUES ('schema_version', ?)", [
          String(step.to),
        ]);
        db.run("COMMIT");
      } catch (error) {
        db.run("ROLLBACK");
        throw error;
      }
      current = step.to;
    }
  } finally {
    db.run("PRAGMA foreign_keys = ON");
  }
  return current;
}
