/** The `Store` port on sql.js: domain rules (state machine, dedup, id allocation) over the journaled engine. */
import { createHash } from "node:crypto";
import { type SqlValue } from "sql.js";
import {
  NotFoundError,
  assertRunTransition,
  assertWorkstreamTransition,
  signatureInput,
  type CreateRunInput,
  type CreateWorkstreamInput,
  type ErrorPipelineContextRow,
  type ErrorRow,
  type EventFilter,
  type EventRow,
  type FinishStepAttemptInput,
  type FollowOptions,
  type ListRunsOptions,
  type RecordErrorInput,
  type RecordEventInput,
  type RunRow,
  type RunStatus,
  type SaveErrorPipelineContextInput,
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
import {
  allRows,
  firstRow,
  jsonText,
  toErrorPipelineContextRow,
  toErrorRow,
  toEventRow,
  toRunRow,
  toStepAttemptRow,
  toWorkstreamRow,
} from "./rows";
import { statSync } from "node:fs";
import { type Opcode } from "./statements";

export const STORE_TABLES = [
  "schema_meta",
  "runs",
  "workstreams",
  "events",
  "errors",
  "step_attempts",
  "error_pipeline_contexts",
] as const;

/** SHA-1 of `code|normalised message`, as the original computed error signatures. */
export function errorSignature(code: string, message: string): string {
  return createHash("sha1").update(signatureInput(code, message)).digest("hex");
}

const SELECT_RUN = "SELECT * FROM runs WHERE run_id = ?";
const SELECT_WS = "SELECT * FROM workstreams WHERE run_id = ? AND ws_id = ?";
const NEXT_EVENT_ID = "SELECT COALESCE(MAX(id), 0) + 1 AS id FROM events";

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
      if (this.runRow(input.runId) !== undefined) throw new UserError(`Run already exists: ${input.runId}`);
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
    return Promise.resolve(this.engine.read(() => this.requireRun(runId)));
  }

  findRun(runId: string): Promise<RunRow | undefined> {
    return Promise.resolve(this.engine.read(() => this.runRow(runId)));
  }

  updateRunStatus(runId: string, to: RunStatus, options: UpdateRunOptions = {}): Promise<RunRow> {
    return this.engine.transact((tx) => {
      const current = this.requireRun(runId);
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
    return Promise.resolve(
      this.engine.read(() => {
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
      }),
    );
  }

  // ---- workstreams ----

  createWorkstream(input: CreateWorkstreamInput): Promise<WorkstreamRow> {
    return this.engine.transact((tx) => {
      this.requireRun(input.runId);
      if (this.workstreamRow(input.runId, input.wsId) !== undefined) {
        throw new UserError(`Workstream already exists: ${input.wsId} in run ${input.runId}`);
      }
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
    });
  }

  getWorkstream(runId: string, wsId: string): Promise<WorkstreamRow> {
    return Promise.resolve(this.engine.read(() => this.requireWorkstream(runId, wsId)));
  }

  findWorkstream(runId: string, wsId: string): Promise<WorkstreamRow | undefined> {
    return Promise.resolve(this.engine.read(() => this.workstreamRow(runId, wsId)));
  }

  listWorkstreams(runId: string): Promise<WorkstreamRow[]> {
    return Promise.resolve(
      this.engine.read(() =>
        allRows(
          this.engine.statement("SELECT * FROM workstreams WHERE run_id = ? ORDER BY created_at, ws_id"),
          [runId],
        ).map(toWorkstreamRow),
      ),
    );
  }

  updateWorkstreamStatus(
    runId: string,
    wsId: string,
    to: WorkstreamStatus,
    options: UpdateWorkstreamOptions = {},
  ): Promise<WorkstreamRow> {
    return this.engine.transact((tx) => {
      const current = this.requireWorkstream(runId, wsId);
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
    return Promise.resolve(this.engine.read(() => this.queryEventsAfter(afterId, filter)));
  }

  async *followEvents(options: FollowOptions = {}): AsyncIterable<EventRow> {
    let last = options.afterId ?? 0;
    const interval = options.intervalMs ?? 100;
    while (options.signal?.aborted !== true) {
      const batch = this.engine.read(() => this.queryEventsAfter(last, { ...options, limit: 1000 }));
      for (const event of batch) {
        yield event;
        last = event.id;
      }
      if (batch.length < 1000) await sleep(interval, options.signal);
    }
  }

  // ---- errors ----

  recordError(input: RecordErrorInput): Promise<ErrorRow> {
    return this.engine.transact((tx) => {
      const signature = input.signature ?? errorSignature(input.step ?? input.code ?? "", input.message);
      const key: SqlValue[] = [input.runId ?? null, input.wsId ?? null, input.step ?? null, signature];
      const existing = firstRow(
        this.engine.statement(
          "SELECT * FROM errors WHERE run_id IS ? AND ws_id IS ? AND step_name IS ? AND signature = ? LIMIT 1",
        ),
        key,
      );
      const at = this.timestamp();
      const context = jsonText(input.context);
      if (existing !== undefined) {
        const row = toErrorRow(existing);
        const updated: ErrorRow = {
          ...row,
          count: row.count + 1,
          lastSeenAt: at,
          message: input.message,
          context: input.context ?? null,
        };
        run(tx, "error.repeat", [updated.count, at, input.message, context, row.id]);
        return updated;
      }
      const id = this.nextId("errors");
      run(tx, "error.insert", [
        id,
        key[0],
        key[1],
        key[2],
        input.code ?? null,
        signature,
        input.message,
        context,
        1,
        at,
        at,
      ]);
      return {
        id,
        runId: input.runId ?? null,
        wsId: input.wsId ?? null,
        step: input.step ?? null,
        code: input.code ?? null,
        signature,
        message: input.message,
        context: input.context ?? null,
        count: 1,
        firstSeenAt: at,
        lastSeenAt: at,
      };
    });
  }

  listErrors(filter: { runId?: string; wsId?: string; signature?: string } = {}): Promise<ErrorRow[]> {
    return Promise.resolve(
      this.engine.read(() =>
        allRows(
          this.engine.statement(
            `SELECT * FROM errors WHERE (?1 IS NULL OR run_id = ?1) AND (?2 IS NULL OR ws_id = ?2)
             AND (?3 IS NULL OR signature = ?3) ORDER BY last_seen_at DESC, id DESC`,
          ),
          [filter.runId ?? null, filter.wsId ?? null, filter.signature ?? null],
        ).map(toErrorRow),
      ),
    );
  }

  // ---- step attempts ----

  startStepAttempt(input: StartStepAttemptInput): Promise<StepAttemptRow> {
    return this.engine.transact((tx) => this.insertAttempt(tx, input, undefined));
  }

  finishStepAttempt(id: number, input: FinishStepAttemptInput): Promise<StepAttemptRow> {
    return this.engine.transact((tx) => {
      const found = firstRow(this.engine.statement("SELECT * FROM step_attempts WHERE id = ?"), [id]);
      if (found === undefined) throw new NotFoundError(`Step attempt not found: ${id}`);
      const row = toStepAttemptRow(found);
      if (row.status !== "running")
        throw new UserError(`Step attempt ${id} already finished (${row.status}).`);
      const at = this.timestamp();
      run(tx, "attempt.finish", [input.status, at, jsonText(input.result), id]);
      return { ...row, status: input.status, completedAt: at, result: input.result ?? null };
    });
  }

  recordStepAttempt(input: StartStepAttemptInput & FinishStepAttemptInput): Promise<StepAttemptRow> {
    return this.engine.transact((tx) => this.insertAttempt(tx, input, input));
  }

  listStepAttempts(runId: string, wsId?: string): Promise<StepAttemptRow[]> {
    return Promise.resolve(
      this.engine.read(() =>
        allRows(
          this.engine.statement(
            "SELECT * FROM step_attempts WHERE run_id = ?1 AND (?2 IS NULL OR ws_id = ?2) ORDER BY id",
          ),
          [runId, wsId ?? null],
        ).map(toStepAttemptRow),
      ),
    );
  }

  // ---- error pipeline contexts ----

  getErrorPipelineContext(runId: string, wsId: string): Promise<ErrorPipelineContextRow | undefined> {
    return Promise.resolve(
      this.engine.read(() => {
        const row = firstRow(
          this.engine.statement("SELECT * FROM error_pipeline_contexts WHERE run_id = ? AND ws_id = ?"),
          [runId, wsId],
        );
        return row === undefined ? undefined : toErrorPipelineContextRow(row);
      }),
    );
  }

  saveErrorPipelineContext(input: SaveErrorPipelineContextInput): Promise<ErrorPipelineContextRow> {
    return this.engine.transact((tx) => {
      const at = this.timestamp();
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
    });
  }

  // ---- housekeeping ----

  info(): Promise<StoreInfo> {
    return Promise.resolve(
      this.engine.read((db) => {
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
      }),
    );
  }

  checkpoint(): Promise<void> {
    return this.engine.checkpoint();
  }

  close(): Promise<void> {
    return this.engine.close();
  }

  // ---- helpers (the caller has synced or holds the lock) ----

  private timestamp(): string {
    return this.now().toISOString();
  }

  private runRow(runId: string): RunRow | undefined {
    const row = firstRow(this.engine.statement(SELECT_RUN), [runId]);
    return row === undefined ? undefined : toRunRow(row);
  }

  private requireRun(runId: string): RunRow {
    const row = this.runRow(runId);
    if (row === undefined) throw new NotFoundError(`Run not found: ${runId}`);
    return row;
  }

  private workstreamRow(runId: string, wsId: string): WorkstreamRow | undefined {
    const row = firstRow(this.engine.statement(SELECT_WS), [runId, wsId]);
    return row === undefined ? undefined : toWorkstreamRow(row);
  }

  private requireWorkstream(runId: string, wsId: string): WorkstreamRow {
    const row = this.workstreamRow(runId, wsId);
    if (row === undefined) throw new NotFoundError(`Workstream not found: ${wsId} in run ${runId}`);
    return row;
  }

  private nextId(table: "errors" | "step_attempts"): number {
    return Number(firstRow(this.engine.statement(`SELECT COALESCE(MAX(id), 0) + 1 AS id FROM ${table}`))?.id);
  }

  private insertEvent(tx: Transaction, input: RecordEventInput): EventRow {
    const id = Number(firstRow(this.engine.statement(NEXT_EVENT_ID))?.id);
    const row: EventRow = {
      id,
      timestamp: input.timestamp ?? this.timestamp(),
      runId: input.runId ?? null,
      wsId: input.wsId ?? null,
      type: input.type,
      payload: input.payload ?? null,
    };
    run(tx, "event.insert", [id, row.timestamp, row.runId, row.wsId, row.type, jsonText(row.payload)]);
    return row;
  }

  private insertAttempt(
    tx: Transaction,
    input: StartStepAttemptInput,
    finish: FinishStepAttemptInput | undefined,
  ): StepAttemptRow {
    this.requireWorkstream(input.runId, input.wsId);
    const id = this.nextId("step_attempts");
    const at = this.timestamp();
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

  private queryEventsAfter(afterId: number, filter: EventFilter): EventRow[] {
    const types = filter.types ?? [];
    const typeClause = types.length === 0 ? "" : ` AND event_type IN (${types.map(() => "?").join(", ")})`;
    const sql =
      "SELECT * FROM events WHERE id > ? AND (? IS NULL OR run_id = ?) AND (? IS NULL OR ws_id = ?)" +
      `${typeClause} ORDER BY id LIMIT ?`;
    const runId = filter.runId ?? null;
    const wsId = filter.wsId ?? null;
    return allRows(this.engine.statement(sql), [
      afterId,
      runId,
      runId,
      wsId,
      wsId,
      ...types,
      filter.limit ?? 1000,
    ]).map(toEventRow);
  }
}

function run(tx: Transaction, opcode: Opcode, params: SqlValue[]): void {
  tx.run(opcode, params);
}

function sleep(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    signal?.addEventListener("abort", done, { once: true });
    function done(): void {
      clearTimeout(timer);
      signal?.removeEventListener("abort", done);
      resolve();
    }
  });
}
