/**
 * The one state machine for workstreams and runs. Every status update in the store goes through
 * `assertWorkstreamTransition` / `assertRunTransition`; docs/state-machine.md draws it.
 */
import { UserError } from "../errors";

export const WORKSTREAM_STATUSES = [
  "pending",
  "started",
  "editing",
  "ready_for_static",
  "static_check",
  "runtime_tests",
  "done",
  "failed",
  "blocked",
  "cancelled",
] as const;
export type WorkstreamStatus = (typeof WORKSTREAM_STATUSES)[number];

export const RUN_STATUSES = ["pending", "running", "succeeded", "failed", "partial", "cancelled"] as const;
export type RunStatus = (typeof RUN_STATUSES)[number];

/** Moves allowed without a retry. Failed, blocked and cancelled leave only through an explicit retry. */
const WORKSTREAM_MOVES: Readonly<Record<WorkstreamStatus, readonly WorkstreamStatus[]>> = {
  pending: ["started", "blocked", "failed", "cancelled"],
  started: ["editing", "failed", "cancelled"],
  // editing → runtime_tests: a bundle without static tools goes straight to its tests.
  editing: ["ready_for_static", "static_check", "runtime_tests", "done", "failed", "cancelled"],
  ready_for_static: ["static_check", "runtime_tests", "done", "failed", "cancelled"],
  // static_check → editing is a FIX attempt; → done when there are no runtime tests.
  static_check: ["editing", "runtime_tests", "done", "failed", "cancelled"],
  // runtime_tests → editing is a FIX attempt after failing tests.
  runtime_tests: ["editing", "static_check", "done", "failed", "cancelled"],
  done: [],
  failed: [],
  blocked: ["cancelled"],
  cancelled: [],
};

/** States a retry may start from. */
export const RETRYABLE_WORKSTREAM_STATUSES: readonly WorkstreamStatus[] = ["failed", "blocked", "cancelled"];

const RUN_MOVES: Readonly<Record<RunStatus, readonly RunStatus[]>> = {
  pending: ["running", "failed", "cancelled"],
  running: ["succeeded", "failed", "partial", "cancelled"],
  succeeded: [],
  failed: [],
  partial: [],
  cancelled: [],
};

export const TERMINAL_WORKSTREAM_STATUSES: readonly WorkstreamStatus[] = ["done", "failed", "cancelled"];
export const TERMINAL_RUN_STATUSES: readonly RunStatus[] = ["succeeded", "failed", "partial", "cancelled"];

/** An update the state machine forbids. Carries both ends so callers can explain it. */
export class IllegalTransitionError extends UserError {
  constructor(
    readonly entity: "workstream" | "run",
    readonly subject: string,
    readonly from: string,
    readonly to: string,
    hint: string,
  ) {
    super(`Illegal ${entity} transition for ${subject}: ${from} → ${to}. ${hint}`);
    this.name = "IllegalTransitionError";
  }
}

export function isWorkstreamStatus(value: string): value is WorkstreamStatus {
  return (WORKSTREAM_STATUSES as readonly string[]).includes(value);
}

export function isRunStatus(value: string): value is RunStatus {
  return (RUN_STATUSES as readonly string[]).includes(value);
}

/** The statuses reachable from `from` (with `retry`, only the retry move). */
export function allowedWorkstreamMoves(from: WorkstreamStatus, retry = false): readonly WorkstreamStatus[] {
  if (retry) return RETRYABLE_WORKSTREAM_STATUSES.includes(from) ? ["pending"] : [];
  return WORKSTREAM_MOVES[from];
}

export function allowedRunMoves(from: RunStatus): readonly RunStatus[] {
  return RUN_MOVES[from];
}

/** Throws `IllegalTransitionError` unless `from → to` is allowed; a move to the same state is illegal. */
export function assertWorkstreamTransition(
  subject: string,
  from: WorkstreamStatus,
  to: WorkstreamStatus,
  retry = false,
): void {
  if (allowedWorkstreamMoves(from, retry).includes(to)) return;
  const hint =
    retry && !RETRYABLE_WORKSTREAM_STATUSES.includes(from)
      ? `Only failed, blocked or cancelled workstreams can be retried.`
      : !retry && to === "pending" && RETRYABLE_WORKSTREAM_STATUSES.includes(from)
        ? `Moving back to pending needs an explicit retry.`
        : describeAllowed(allowedWorkstreamMoves(from, retry));
  throw new IllegalTransitionError("workstream", subject, from, to, hint);
}

export function assertRunTransition(subject: string, from: RunStatus, to: RunStatus): void {
  if (RUN_MOVES[from].includes(to)) return;
  throw new IllegalTransitionError("run", subject, from, to, describeAllowed(RUN_MOVES[from]));
}

function describeAllowed(moves: readonly string[]): string {
  return moves.length === 0 ? "It is a final state." : `Allowed: ${moves.join(", ")}.`;
}
