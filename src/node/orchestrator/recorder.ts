/**
 * Everything the orchestrator records goes through here: the store rows (statuses, step attempts,
 * errors) and events, and the same events to live listeners (NDJSON, progress) in store order.
 */
import { createHash } from "node:crypto";
import {
  type EventRow,
  type JsonObject,
  type RunStatus,
  type StepAttemptRow,
  type Store,
  type WorkstreamStatus,
} from "../../core/store";

export type EventListener = (event: EventRow) => void;

/** SHA-1 of a signature text (core normalises; hashing lives here because core has no crypto). */
export function sha1(text: string): string {
  return createHash("sha1").update(text).digest("hex");
}

export class RunRecorder {
  private lastEventId = 0;
  private flushing: Promise<void> = Promise.resolve();
  private readonly listeners: EventListener[] = [];

  constructor(
    readonly store: Store,
    readonly runId: string,
  ) {}

  /** Sets where event streaming starts: events already in the store before this run are not replayed. */
  async init(): Promise<void> {
    // Only this run's events are ever streamed, so only they need skipping: other runs' events (a
    // store can hold a million) are never read.
    const [latest] = (await this.store.eventsAfter(0, { runId: this.runId, limit: 1_000_000 })).slice(-1);
    this.lastEventId = latest?.id ?? 0;
  }

  onEvent(listener: EventListener): void {
    this.listeners.push(listener);
  }

  /** Passes events the store holds for this run, which the listeners have not seen yet, to them. */
  flush(): Promise<void> {
    this.flushing = this.flushing.then(async () => {
      if (this.listeners.length === 0) return;
      const events = await this.store.eventsAfter(this.lastEventId, { runId: this.runId, limit: 100_000 });
      for (const event of events) {
        this.lastEventId = Math.max(this.lastEventId, event.id);
        for (const listener of this.listeners) listener(event);
      }
    });
    return this.flushing;
  }

  async event(type: string, wsId: string | null, payload: JsonObject = {}): Promise<void> {
    await this.store.recordEvent({ runId: this.runId, wsId, type, payload });
    await this.flush();
  }

  async runStatus(to: RunStatus, reason?: string): Promise<void> {
    const run = await this.store.getRun(this.runId);
    if (run.status !== to) await this.store.updateRunStatus(this.runId, to, reason ? { reason } : {});
    await this.flush();
  }

  async workstreamStatus(wsId: string, to: WorkstreamStatus, reason?: string): Promise<void> {
    const row = await this.store.getWorkstream(this.runId, wsId);
    if (row.status !== to)
      await this.store.updateWorkstreamStatus(this.runId, wsId, to, reason ? { reason } : {});
    await this.flush();
  }

  async stepStart(wsId: string, step: string, payload: JsonObject = {}): Promise<StepAttemptRow> {
    const row = await this.store.startStepAttempt({ runId: this.runId, wsId, step });
    await this.event("step_start", wsId, { step, attempt_id: row.id, ...payload });
    return row;
  }

  async stepEnd(wsId: string, attempt: StepAttemptRow, success: boolean, result: JsonObject): Promise<void> {
    await this.store.finishStepAttempt(attempt.id, { status: success ? "success" : "failed", result });
    // The result rides along so an imported journal rebuilds the step attempt (wsp db import).
    await this.event("step_end", wsId, { step: attempt.step, success, attempt_id: attempt.id, result });
  }

  async recordError(
    wsId: string,
    step: string,
    signature: string,
    message: string,
    context: JsonObject,
  ): Promise<void> {
    await this.store.recordError({
      runId: this.runId,
      wsId,
      step,
      code: `${step}_failure`,
      signature,
      message,
      context,
    });
  }
}
