/**
 * The state store's model: row shapes, inputs and the `Store` port. Pure types; the sql.js adapter in
 * `src/node/store` implements the port, and core code (the orchestrator) depends only on this file.
 */
import { type RunStatus, type WorkstreamStatus } from "./stateMachine";

export type { RunStatus, WorkstreamStatus } from "./stateMachine";

/** Any JSON value; payloads and metadata are stored as JSON text. */
export type JsonValue = string | number | boolean | null | JsonValue[] | { [key: string]: JsonValue };
export type JsonObject = { [key: string]: JsonValue };

/** Event types the pipeline emits (contract 5); `recordEvent` also accepts any other string. */
export type KnownEventType =
  | "status_changed"
  | "run_status_changed"
  | "workstream_start"
  | "step_start"
  | "step_end"
  | "tool_run"
  | "fix_attempt"
  | "fix_attempt_error"
  | "breaker_trip"
  | "scope_violation"
  | "workstream_end"
  | "run_end";

export type StepName = "edit" | "static" | "runtime" | (string & {});
export type StepAttemptStatus = "running" | "success" | "failed";

export interface RunRow {
  runId: string;
  status: RunStatus;
  /** ISO UTC, ending in `Z`. */
  createdAt: string;
  updatedAt: string;
  metadata: JsonObject | null;
}

export interface WorkstreamRow {
  runId: string;
  wsId: string;
  status: WorkstreamStatus;
  dependsOn: string[];
  createdAt: string;
  updatedAt: string;
  metadata: JsonObject | null;
}

export interface EventRow {
  /** Globally unique and increasing in commit order across every writer of the store. */
  id: number;
  timestamp: string;
  runId: string | null;
  wsId: string | null;
  type: string;
  payload: JsonObject | null;
}

export interface ErrorRow {
  id: number;
  runId: string | null;
  wsId: string | null;
  step: string | null;
  code: string | null;
  /** SHA-1 of `code|normalised message` (see `signature.ts`). */
  signature: string;
  message: string | null;
  context: JsonObject | null;
  count: number;
  firstSeenAt: string;
  lastSeenAt: string;
}

export interface StepAttemptRow {
  id: number;
  runId: string;
  wsId: string;
  step: StepName;
  status: StepAttemptStatus;
  startedAt: string;
  completedAt: string | null;
  result: JsonObject | null;
}

/** The error pipeline's per-workstream state (attempt tier, state-machine state, last report). */
export interface ErrorPipelineContextRow {
  runId: string;
  wsId: string;
  attemptNumber: number;
  currentState: string;
  finalStatus: string | null;
  context: JsonObject;
  updatedAt: string;
}

export interface CreateRunInput {
  runId: string;
  metadata?: JsonObject;
}

export interface CreateWorkstreamInput {
  runId: string;
  wsId: string;
  dependsOn?: string[];
  metadata?: JsonObject;
}

/** A run and the workstreams it should have, for `Store.seedRun`. */
export interface SeedRunInput extends CreateRunInput {
  workstreams: readonly Omit<CreateWorkstreamInput, "runId">[];
}

export interface SeedRunResult {
  /** False when the run already existed (its metadata is then left as it was). */
  runCreated: boolean;
  /** The workstreams created, as `pending`; the ones the run already had are left as they are. */
  added: WorkstreamRow[];
}

export interface UpdateWorkstreamOptions {
  /** Required to move a failed, blocked or cancelled workstream back to pending. */
  retry?: boolean;
  /** Why, kept in the status_changed event payload. */
  reason?: string;
  /** Replaces the workstream's metadata when given. */
  metadata?: JsonObject;
}

export interface UpdateRunOptions {
  reason?: string;
  metadata?: JsonObject;
}

export interface RecordEventInput {
  runId?: string | null;
  wsId?: string | null;
  type: KnownEventType | (string & {});
  payload?: JsonObject;
  /** Defaults to the store clock's now. */
  timestamp?: string;
}

export interface RecordErrorInput {
  runId?: string | null;
  wsId?: string | null;
  step?: string | null;
  /** e.g. `static_failure`, `runtime_failure`. */
  code?: string | null;
  message: string;
  context?: JsonObject;
  /** Defaults to `errorSignature(step ?? code, message)`. */
  signature?: string;
}

export interface StartStepAttemptInput {
  runId: string;
  wsId: string;
  step: StepName;
}

export interface FinishStepAttemptInput {
  status: Exclude<StepAttemptStatus, "running">;
  result?: JsonObject;
}

export interface SaveErrorPipelineContextInput {
  runId: string;
  wsId: string;
  attemptNumber: number;
  currentState: string;
  finalStatus?: string | null;
  context: JsonObject;
}

export interface EventFilter {
  runId?: string;
  wsId?: string;
  types?: string[];
  /** At most this many events (default 1,000). */
  limit?: number;
}

export interface ListRunsOptions {
  status?: RunStatus;
  /** Default 100, as the original. */
  limit?: number;
}

export interface FollowOptions extends Omit<EventFilter, "limit"> {
  /** Start after this event id (default: 0, every event). */
  afterId?: number;
  /** How often to look for other writers' events, in ms (default 100). */
  intervalMs?: number;
  /** Stops following; the iterator then ends. */
  signal?: AbortSignal;
}

export interface StoreInfo {
  path: string;
  schemaVersion: number;
  /** Bytes of the checkpointed SQLite file (the journal not included). */
  fileSize: number;
  /** Bytes of journal not yet folded into the file. */
  journalSize: number;
  tables: Record<string, number>;
}

export interface JournalEvent {
  /** The event's id in the store that wrote the journal: increasing, the import's progress mark. */
  sourceId: number;
  type: string;
  timestamp: string;
  wsId: string | null;
  payload: JsonObject;
}

export interface JournalRun {
  runId: string;
  /** In journal order (increasing `sourceId`). */
  events: JournalEvent[];
}

export interface ImportRunResult {
  /** `imported`: a new run; `extended`: events past the last import added; `unchanged`: nothing new. */
  outcome: "imported" | "extended" | "unchanged";
  eventsAdded: number;
}

/**
 * The state store port. Every write is atomic and acknowledged only once it would survive `kill -9`
 * of the writing process (see docs/state-machine.md, "Durability"). Every read first catches up with
 * what other processes committed, so a reader always sees a consistent, never-receding state.
 */
export interface Store {
  readonly path: string;
  readonly readOnly: boolean;

  createRun(input: CreateRunInput): Promise<RunRow>;
  /** Throws `NotFoundError` ("Run not found: R"). */
  getRun(runId: string): Promise<RunRow>;
  findRun(runId: string): Promise<RunRow | undefined>;
  /** Checked against the run state machine; records a `run_status_changed` event {from, to}. */
  updateRunStatus(runId: string, to: RunStatus, options?: UpdateRunOptions): Promise<RunRow>;
  /** Newest first. */
  listRuns(options?: ListRunsOptions): Promise<RunRow[]>;

  /** Creates the workstream as `pending` in run `runId`. */
  createWorkstream(input: CreateWorkstreamInput): Promise<WorkstreamRow>;
  /**
   * Creates the run when it is new and each workstream it lacks, in one transaction: a crash leaves
   * all of them or none. Safe to repeat.
   */
  seedRun(input: SeedRunInput): Promise<SeedRunResult>;
  /** Throws `NotFoundError` ("Workstream not found: W in run R"). */
  getWorkstream(runId: string, wsId: string): Promise<WorkstreamRow>;
  findWorkstream(runId: string, wsId: string): Promise<WorkstreamRow | undefined>;
  listWorkstreams(runId: string): Promise<WorkstreamRow[]>;
  /**
   * Checked against the workstream state machine (`IllegalTransitionError` otherwise); records a
   * `status_changed` event {from, to} in the same atomic write.
   */
  updateWorkstreamStatus(
    runId: string,
    wsId: string,
    to: WorkstreamStatus,
    options?: UpdateWorkstreamOptions,
  ): Promise<WorkstreamRow>;
  /** The explicit retry: failed, blocked or cancelled back to pending. */
  retryWorkstream(runId: string, wsId: string, reason?: string): Promise<WorkstreamRow>;

  recordEvent(input: RecordEventInput): Promise<EventRow>;
  /** Events with id > afterId, oldest first. */
  eventsAfter(afterId: number, filter?: EventFilter): Promise<EventRow[]>;
  /** Yields every matching event after `afterId` as it lands, from any process, until aborted. */
  followEvents(options?: FollowOptions): AsyncIterable<EventRow>;

  /** Deduplicated on (run, workstream, step, signature): a repeat bumps count and last seen. */
  recordError(input: RecordErrorInput): Promise<ErrorRow>;
  listErrors(filter?: { runId?: string; wsId?: string; signature?: string }): Promise<ErrorRow[]>;

  startStepAttempt(input: StartStepAttemptInput): Promise<StepAttemptRow>;
  finishStepAttempt(id: number, input: FinishStepAttemptInput): Promise<StepAttemptRow>;
  /** A whole attempt at once (start and finish). */
  recordStepAttempt(input: StartStepAttemptInput & FinishStepAttemptInput): Promise<StepAttemptRow>;
  listStepAttempts(runId: string, wsId?: string): Promise<StepAttemptRow[]>;

  getErrorPipelineContext(runId: string, wsId: string): Promise<ErrorPipelineContextRow | undefined>;
  saveErrorPipelineContext(input: SaveErrorPipelineContextInput): Promise<ErrorPipelineContextRow>;

  /**
   * Merges a run read from another machine's journal (see journal.ts), in one transaction: the run,
   * its workstreams at their last status and every event after the last one imported. Safe to
   * repeat; refuses a run of the same id that this store made itself.
   */
  importRun(run: JournalRun, source: string): Promise<ImportRunResult>;

  /** Row counts, schema version and sizes. */
  info(): Promise<StoreInfo>;
  /** Folds the journal into the SQLite file (atomic replace). Writers do this on their own too. */
  checkpoint(): Promise<void>;
  /** Checkpoints (writers) and releases everything; the store is unusable afterwards. */
  close(): Promise<void>;
}
