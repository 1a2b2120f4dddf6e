/**
 * The error pipeline's state machine per (run, workstream), pure: baseline check, mechanical
 * autofix, recheck, then one AI editor after another in routing order (each followed by a
 * recheck), and quarantine when every tier has failed. `tick` in src/node performs `actionFor`
 * and feeds the outcome to `advance`; the context lives in the store between ticks.
 */
import { hasHardFailure } from "./result";
import { type Issue } from "./types";

export type ErrorState =
  | "S0_BASELINE_CHECK"
  | "S0_MECHANICAL_AUTOFIX"
  | "S0_MECHANICAL_RECHECK"
  | "S_AI_FIX"
  | "S_AI_RECHECK"
  | "S_SUCCESS"
  | "S4_QUARANTINE";

export const FINAL_STATES: readonly ErrorState[] = ["S_SUCCESS", "S4_QUARANTINE"];

export interface CheckSummary {
  errors: number;
  warnings: number;
  has_hard_fail: boolean;
  /** At most MAX_KEPT_ISSUES of them, for the next prompt. */
  issues: Issue[];
}

export interface ErrorPipelineContext {
  run_id: string;
  ws_id: string;
  files: string[];
  current_state: ErrorState;
  /** 0 until the first AI tier, then the 1-based tier number. */
  attempt_number: number;
  /** The AI editors to escalate through, in routing order (installed ones only). */
  ai_tools: string[];
  current_agent: string | null;
  strict_mode: boolean;
  enable_mechanical_autofix: boolean;
  last_report: CheckSummary | null;
  ai_attempts: { tool: string; success: boolean; message?: string }[];
  final_status: "success" | "quarantined" | null;
  history: { state: ErrorState; at: string; note: string }[];
}

export type ErrorAction =
  | { kind: "check" }
  | { kind: "autofix" }
  | { kind: "ai_fix"; tool: string; prompt: string }
  | { kind: "done" };

export type ErrorOutcome =
  | { kind: "check"; summary: CheckSummary }
  | { kind: "autofix" }
  | { kind: "ai_fix"; success: boolean; message?: string };

export const MAX_KEPT_ISSUES = 50;

export function initialContext(
  runId: string,
  wsId: string,
  files: string[],
  aiTools: string[],
  flags: { strictMode?: boolean; mechanicalAutofix?: boolean } = {},
): ErrorPipelineContext {
  return {
    run_id: runId,
    ws_id: wsId,
    files,
    current_state: "S0_BASELINE_CHECK",
    attempt_number: 0,
    ai_tools: aiTools,
    current_agent: null,
    strict_mode: flags.strictMode ?? true,
    enable_mechanical_autofix: flags.mechanicalAutofix ?? true,
    last_report: null,
    ai_attempts: [],
    final_status: null,
    history: [],
  };
}

/** Summarises a check's issues for the context. */
export function summarise(issues: readonly Issue[]): CheckSummary {
  return {
    errors: issues.filter((issue) => issue.severity === "error").length,
    warnings: issues.filter((issue) => issue.severity === "warning").length,
    has_hard_fail: hasHardFailure(issues),
    issues: issues.slice(0, MAX_KEPT_ISSUES),
  };
}

/** What the current state asks to be done next. */
export function actionFor(context: ErrorPipelineContext): ErrorAction {
  switch (context.current_state) {
    case "S0_BASELINE_CHECK":
    case "S0_MECHANICAL_RECHECK":
    case "S_AI_RECHECK":
      return { kind: "check" };
    case "S0_MECHANICAL_AUTOFIX":
      return { kind: "autofix" };
    case "S_AI_FIX":
      return { kind: "ai_fix", tool: context.current_agent!, prompt: fixPrompt(context) };
    case "S_SUCCESS":
    case "S4_QUARANTINE":
      return { kind: "done" };
  }
}

/** The context after the current state's action produced `outcome`. */
export function advance(
  context: ErrorPipelineContext,
  outcome: ErrorOutcome,
  at: string,
): ErrorPipelineContext {
  const next = { ...context, history: [...context.history] };
  const move = (state: ErrorState, note: string) => {
    next.history.push({ state: context.current_state, at, note });
    next.current_state = state;
  };
  if (outcome.kind === "check") {
    next.last_report = outcome.summary;
    const { errors, has_hard_fail } = outcome.summary;
    if (errors === 0 || (!context.strict_mode && !has_hard_fail)) {
      move("S_SUCCESS", `check: ${errors} error(s)`);
      next.final_status = "success";
      next.current_agent = null;
    } else if (context.current_state === "S0_BASELINE_CHECK" && context.enable_mechanical_autofix) {
      move("S0_MECHANICAL_AUTOFIX", `check: ${errors} error(s); trying the formatters' fix modes`);
    } else {
      escalate(next, move, `check: ${errors} error(s)`);
    }
  } else if (outcome.kind === "autofix") {
    move("S0_MECHANICAL_RECHECK", "mechanical autofix ran");
  } else {
    next.ai_attempts = [
      ...context.ai_attempts,
      {
        tool: context.current_agent!,
        success: outcome.success,
        ...(outcome.message ? { message: outcome.message } : {}),
      },
    ];
    move(
      "S_AI_RECHECK",
      `${context.current_agent} ${outcome.success ? "finished" : `failed: ${outcome.message ?? ""}`}`,
    );
  }
  return next;
}

function escalate(
  next: ErrorPipelineContext,
  move: (state: ErrorState, note: string) => void,
  reason: string,
): void {
  const tool = next.ai_tools[next.attempt_number];
  if (tool === undefined) {
    move("S4_QUARANTINE", `${reason}; no AI editor left`);
    next.final_status = "quarantined";
    next.current_agent = null;
    return;
  }
  next.attempt_number += 1;
  next.current_agent = tool;
  move("S_AI_FIX", `${reason}; escalating to ${tool} (tier ${next.attempt_number})`);
}

/** The prompt an AI editor gets: the files and every remaining issue, one per line. */
export function fixPrompt(context: ErrorPipelineContext): string {
  const issues = context.last_report?.issues ?? [];
  const lines = issues.map((issue) => {
    const position = issue.line > 0 ? `:${issue.line}${issue.column > 0 ? `:${issue.column}` : ""}` : "";
    return `- ${issue.path}${position}: ${issue.severity} ${issue.code} (${issue.tool}): ${issue.message}`;
  });
  return [
    `Fix the following quality-gate issues in ${context.files.join(", ")}.`,
    "Change only what is needed to make these checks pass; do not touch other files.",
    "",
    ...lines,
    "",
  ].join("\n");
}
