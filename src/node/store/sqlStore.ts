/** The `Store` port on sql.js: domain rules (state machine, dedup, id allocation) over the journaled engine. */
import { statSync } from "node:fs";
import { type Database } from "sql.js";
import {
  assertRunTransition,
  assertWorkstreamTransition,
  type CreateRunInput,
  type CreateWorkstreamInput,
  type ErrorPipelineContextRow,
  type ErrorRow,
  type EventFilter,
  type EventRow,
  type FinishStepAttemptInput,
  type FollowOptions,
  type ImportRunResult,
  type JournalRun,
  type ListRunsOptions,
  type RecordErrorInput,
  type RecordEventInput,
  type RunRow,
  type RunStatus,
  type SaveErrorPipelineContextInput,
  type SeedRunInput,
  type SeedRunResult,
  type StartStepAttemptInput,
  type StepAttemptRow,
  type Store,
  type StoreInfo,
  type UpdateRunOptions,
  type UpdateWorkstreamOptions,
  type WorkstreamRow,
  type WorkstreamStatus,
} from "../../core/store";
import { UserError } from "../../core/errors";
import { type JournaledDb, type Transaction } from "./engine";
import { getErrorPipelineContext, saveErrorPipelineContext } from "./errorPipelineContexts";
import { listErrors, recordError } from "./errorRecords";
import { followEvents, insertEvent, queryEventsAfter } from "./eventLog";
import { importRun } from "./importRun";
import { allRows, jsonText, toRunRow, toWorkstreamRow } from "./rows";
import { finishAttempt, insertAttempt, listStepAttempts } from "./stepAttempts";
import { requireRun, requireWorkstream, run, runRow, workstreamRow } from "./tableAccess";

export { errorSignature } from "./errorRecords";

export const STORE_TABLES = [
  "schema_meta",
  "runs",
  "workstreams",
  "events",
  "errors",
  "step_attempts",
  "error_pipeline_contexts",
] as const;

export class SqlJsStore implements Store {
  constructor(
    private readonly engine: JournaledDb,
    private readonly now: () => Date = () => new Date(),
  ) {}

  get path(): string {
    return this.engine.path;
  }

  get readOnly(): boolean {
    return this.engine.options.readOnly;
  }

  // ---- runs ----

  createRun(input: CreateRunInput): Promise<RunRow> {
    return this.engine.transact((tx) => {
      if (runRow(this.engine, input.runId) !== undefined)
        throw new UserError(`Run already exists: ${input.runId}`);
      const at = this.timestamp();
      const row: RunRow = {
        runId: input.runId,
        status: "pending",
        createdAt: at,
        updatedAt: at,
        metadata: input.metadata ?? null,
      };
      run(tx, "run.insert", [row.runId, row.status, at, at, jsonText(row.metadata)]);
      return row;
    });
  }

  getRun(runId: string): Promise<RunRow> {
    return this.read(() => requireRun(this.engine, runId));
  }

  findRun(runId: string): Promise<RunRow | undefined> {
    return this.read(() => runRow(this.engine, runId));
  }

  updateRunStatus(runId: string, to: RunStatus, options: UpdateRunOptions = {}): Promise<RunRow> {
    return this.engine.transact((tx) => {
      const current = requireRun(this.engine, runId);
      assertRunTransition(runId, current.status, to);
      const at = this.timestamp();
      const metadata = options.metadata ?? current.metadata;
      run(tx, "run.update", [to, at, jsonText(metadata), runId]);
      this.insertEvent(tx, {
        runId,
        type: "run_status_changed",
        payload: {
          from: current.status,
          to,
          ...(options.reason === undefined ? {} : { reason: options.reason }),
        },
        timestamp: at,
      });
      return { ...current, status: to, updatedAt: at, metadata };
    });
  }

  listRuns(options: ListRunsOptions = {}): Promise<RunRow[]> {
    const limit = options.limit ?? 100;
    return this.read(() => {
      const rows =
        options.status === undefined
          ? allRows(
              this.engine.statement("SELECT * FROM runs ORDER BY created_at DESC, run_id DESC LIMIT ?"),
              [limit],
            )
          : allRows(
              this.engine.statement(
                "SELECT * FROM runs WHERE status = ? ORDER BY created_at DESC, run_id DESC LIMIT ?",
              ),
              [options.status, limit],
            );
      return rows.map(toRunRow);
    });
  }

  // ---- workstreams ----

  createWorkstream(input: CreateWorkstreamInput): Promise<WorkstreamRow> {
    return this.engine.transact((tx) => {
      requireRun(this.engine, input.runId);
      if (workstreamRow(this.engine, input.runId, input.wsId) !== undefined) {
        throw new UserError(`Workstream already exists: ${input.wsId} in run ${input.runId}`);
      }
      return this.insertWorkstream(tx, input);
    });
  }

  seedRun(input: SeedRunInput): Promise<SeedRunResult> {
    return this.engine.transact((tx) => {
      const runCreated = runRow(this.engine, input.runId) === undefined;
      if (runCreated) {
        const at = this.timestamp();
        run(tx, "run.insert", [input.runId, "pending", at, at, jsonText(input.metadata ?? null)]);
      }
      const added: WorkstreamRow[] = [];
      for (const workstream of input.workstreams) {
        // Also skips a duplicate id in the input: the insert above is visible inside the transaction.
        if (workstreamRow(this.engine, input.runId, workstream.wsId) !== undefined) continue;
        added.push(this.insertWorkstream(tx, { ...workstream, runId: input.runId }));
      }
      return { runCreated, added };
    });
  }

  /** Inserts a pending workstream; the caller checked the run exists and the workstream does not. */
  private insertWorkstream(tx: Transaction, input: CreateWorkstreamInput): WorkstreamRow {
    const at = this.timestamp();
    const row: WorkstreamRow = {
      runId: input.runId,
      wsId: input.wsId,
      status: "pending",
      dependsOn: input.dependsOn ?? [],
      createdAt: at,
      updatedAt: at,
      metadata: input.metadata ?? null,
    };
    run(tx, "ws.insert", [
      row.runId,
      row.wsId,
      row.status,
      JSON.stringify(row.dependsOn),
      at,
      at,
      jsonText(row.metadata),
    ]);
    return row;
  }

  getWorkstream(runId: string, wsId: string): Promise<WorkstreamRow> {
    return this.read(() => requireWorkstream(this.engine, runId, wsId));
  }

  findWorkstream(runId: string, wsId: string): Promise<WorkstreamRow | undefined> {
    return this.read(() => workstreamRow(this.engine, runId, wsId));
  }

  listWorkstreams(runId: string): Promise<WorkstreamRow[]> {
    return this.read(() =>
      allRows(
        this.engine.statement("SELECT * FROM workstreams WHERE run_id = ? ORDER BY created_at, ws_id"),
        [runId],
      ).map(toWorkstreamRow),
    );
  }

  updateWorkstreamStatus(
    runId: string,
    wsId: string,
    to: WorkstreamStatus,
    options: UpdateWorkstreamOptions = {},
  ): Promise<WorkstreamRow> {
    return this.engine.transact((tx) => {
      const current = requireWorkstream(this.engine, runId, wsId);
      assertWorkstreamTransition(`${wsId} (run ${runId})`, current.status, to, options.retry ?? false);
      const at = this.timestamp();
      const metadata = options.metadata ?? current.metadata;
      run(tx, "ws.update", [to, at, jsonText(metadata), runId, wsId]);
      this.insertEvent(tx, {
        runId,
        wsId,
        type: "status_changed",
        payload: {
          from: current.status,
          to,
          ...(options.retry === true ? { retry: true } : {}),
          ...(options.reason === undefined ? {} : { reason: options.reason }),
        },
        timestamp: at,
      });
      return { ...current, status: to, updatedAt: at, metadata };
    });
  }

  retryWorkstream(runId: string, wsId: string, reason?: string): Promise<WorkstreamRow> {
    return this.updateWorkstreamStatus(runId, wsId, "pending", {
      retry: true,
      ...(reason === undefined ? {} : { reason }),
    });
  }

  // ---- events ----

  recordEvent(input: RecordEventInput): Promise<EventRow> {
    return this.engine.transact((tx) => this.insertEvent(tx, input));
  }

  eventsAfter(afterId: number, filter: EventFilter = {}): Promise<EventRow[]> {
    return this.read(() => queryEventsAfter(this.engine, afterId, filter));
  }

  followEvents(options: FollowOptions = {}): AsyncIterable<EventRow> {
    return followEvents(this.engine, options);
  }

  // ---- errors ----

  recordError(input: RecordErrorInput): Promise<ErrorRow> {
    return this.engine.transact((tx) => recordError(this.engine, tx, input, this.timestamp));
  }

  listErrors(filter: { runId?: string; wsId?: string; signature?: string } = {}): Promise<ErrorRow[]> {
    return this.read(() => listErrors(this.engine, filter));
  }

  // ---- step attempts ----

  startStepAttempt(input: StartStepAttemptInput): Promise<StepAttemptRow> {
    return this.engine.transact((tx) => insertAttempt(this.engine, tx, input, undefined, this.timestamp));
  }

  finishStepAttempt(id: number, input: FinishStepAttemptInput): Promise<StepAttemptRow> {
    return this.engine.transact((tx) => finishAttempt(this.engine, tx, id, input, this.timestamp));
  }

  recordStepAttempt(input: StartStepAttemptInput & FinishStepAttemptInput): Promise<StepAttemptRow> {
    return this.engine.transact((tx) => insertAttempt(this.engine, tx, input, input, this.timestamp));
  }

  listStepAttempts(runId: string, wsId?: string): Promise<StepAttemptRow[]> {
    return this.read(() => listStepAttempts(this.engine, runId, wsId));
  }

  // ---- error pipeline contexts ----

  getErrorPipelineContext(runId: string, wsId: string): Promise<ErrorPipelineContextRow | undefined> {
    return this.read(() => getErrorPipelineContext(this.engine, runId, wsId));
  }

  saveErrorPipelineContext(input: SaveErrorPipelineContextInput): Promise<ErrorPipelineContextRow> {
    return this.engine.transact((tx) => saveErrorPipelineContext(tx, input, this.timestamp));
  }

  // ---- imported journals ----

  importRun(journal: JournalRun, source: string): Promise<ImportRunResult> {
    return this.engine.transact((tx) => importRun(this.engine, tx, journal, source, this.timestamp));
  }

  // ---- housekeeping ----

  info(): Promise<StoreInfo> {
    return this.read((db) => {
      const tables: Record<string, number> = {};
      for (const table of STORE_TABLES) {
        tables[table] = Number(db.exec(`SELECT COUNT(*) FROM ${table}`)[0]?.values[0]?.[0] ?? 0);
      }
      const version = Number(
        db.exec("SELECT value FROM schema_meta WHERE key = 'schema_version'")[0]?.values[0]?.[0],
      );
      return {
        path: this.path,
        schemaVersion: version,
        fileSize: statSync(this.path).size,
        journalSize: this.engine.journalSize(),
        tables,
      };
    });
  }

  checkpoint(): Promise<void> {
    return this.engine.checkpoint();
  }

  close(): Promise<void> {
    return this.engine.close();
  }

  // ---- helpers (the caller has synced or holds the lock) ----

  /** Runs a read on the caught-up database; a throw becomes a rejected promise like the writes. */
  private read<T>(body: (db: Database) => T): Promise<T> {
    try {
      return Promise.resolve(this.engine.read(body));
    } catch (error) {
      return Promise.reject(error instanceof Error ? error : new Error(String(error)));
    }
  }

  /** The clock as an ISO timestamp; a bound function, handed to the table modules. */
  private readonly timestamp = (): string => this.now().toISOString();

  private insertEvent(tx: Transaction, input: RecordEventInput): EventRow {
    return insertEvent(this.engine, tx, input, this.timestamp);
  }
}
