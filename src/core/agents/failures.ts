/** Failure reasons every parser shares: timeouts, signals, exit codes without explanation. */
import { type AgentProcessOutcome } from "./types";
import { isObject, tail } from "./jsonOutput";

/** Why the process itself failed (timeout, signal), before its output is even read. */
export function processFailure(outcome: AgentProcessOutcome): string | undefined {
  if (outcome.timedOut === true) {
    const after = outcome.timeoutMs === undefined ? "" : ` after ${Math.round(outcome.timeoutMs / 1000)} s`;
    return `timed out${after}; the process tree was killed`;
  }
  if (outcome.exitCode === null) return `killed by ${outcome.signal ?? "a signal"}`;
  return undefined;
}

/** A reason for a non-zero exit that the structured output did not explain. */
export function exitFailure(cli: string, outcome: AgentProcessOutcome): string {
  const stderr = tail(outcome.stderr, 3);
  return `${cli} exited with code ${String(outcome.exitCode)}${stderr === "" ? "" : `: ${stderr}`}`;
}

/** Describes refused tool calls (Claude Code and Qwen Code report them in `permission_denials`). */
export function permissionFailure(cli: string, denials: unknown): string | undefined {
  if (!Array.isArray(denials) || denials.length === 0) return undefined;
  const tools = [
    ...new Set(
      (denials as unknown[]).map((denial) =>
        isObject(denial) && typeof denial.tool_name === "string" ? denial.tool_name : "?",
      ),
    ),
  ];
  return `${cli} refused ${denials.length} tool call(s) for lack of permission (${tools.join(", ")}); the profile must pass a permission mode that allows edits`;
}
