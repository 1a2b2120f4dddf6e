/**
 * The first step of a reopened workstream, in place of EDIT: its old work laid onto the new base
 * (conflicts keep git's markers), then one FIX whose prompt carries the reason. STATIC and RUNTIME
 * follow as in any run, with their own breaker-bounded FIX loops.
 */
import { lstatSync } from "node:fs";
import path from "node:path";
import { type Bundle } from "../../core/bundle/types";
import { fingerprintContent } from "../files/regularFile";
import { renderReopenPrompt, reopenSummary } from "../../core/merge/reopen";
import { type JsonObject, type WorkstreamStatus } from "../../core/store";
import { layWorkOnto } from "../git";
import { Failed } from "./failed";
import { type RunRecorder } from "./recorder";
import { type ReopenJob, type StepReport } from "./types";
import { toolSummary, type WorkstreamTools } from "./workstreamTools";

export interface ReopenContext {
  bundle: Bundle;
  runId: string;
  worktree: string;
  recorder: RunRecorder;
  tools: WorkstreamTools;
  steps: StepReport[];
  /** Counts the FIX and returns its number within the run. */
  nextFix: () => number;
  moveTo: (to: WorkstreamStatus, reason?: string) => Promise<void>;
}

const MARKER = /^(?:<{7}|>{7})(?: |$)/m;

/** Far above a source file with conflict markers; a larger one is not looked into. */
const MAX_MARKED_BYTES = 64 * 1024 * 1024;

/**
 * The files that still hold a conflict marker. Only regular files are read, never through a link: a
 * tool may leave a link to /dev/zero or a named pipe where a conflicted file was. Deleted, replaced or
 * unreadable: nothing left to resolve there.
 */
function stillMarked(worktree: string, files: readonly string[]): string[] {
  return files.filter((file) => {
    const full = path.join(worktree, file);
    if (lstatSync(full, { throwIfNoEntry: false })?.isFile() !== true) return false;
    const content = fingerprintContent(full, MAX_MARKED_BYTES);
    return typeof content !== "string" && MARKER.test(content.toString("utf8"));
  });
}

export async function reopenFix(context: ReopenContext, reopen: ReopenJob): Promise<void> {
  const { bundle, recorder, tools, worktree } = context;
  const wsId = bundle.id;
  const summary = reopenSummary(reopen.reason);
  let conflicted: string[];
  try {
    conflicted = await layWorkOnto(worktree, reopen.source);
  } catch (error) {
    throw new Failed("failed", `reopen: laying the earlier work onto the new base failed: ${String(error)}`);
  }
  await recorder.event("workstream_reopened", wsId, {
    kind: reopen.reason.kind,
    count: reopen.count,
    source: reopen.source,
    summary,
    conflicted,
  });
  const fixNumber = context.nextFix();
  await context.moveTo("editing", summary);
  const attempt = await recorder.stepStart(wsId, "fix", {
    reopen: reopen.reason.kind,
    fix_attempt: fixNumber,
  });
  const prompt = renderReopenPrompt({
    runId: context.runId,
    bundle,
    worktreePath: worktree,
    reason: reopen.reason,
  });
  const result = await tools.runEditTool("fix", fixNumber, prompt, "fix");
  const left = result.success ? stillMarked(worktree, conflicted) : [];
  const success = result.success && left.length === 0;
  const error = !result.success
    ? `fix tool failed: ${result.reason ?? "unknown"}`
    : left.length > 0
      ? `conflict markers left in ${left.join(", ")}`
      : null;
  const details: JsonObject = {
    reopen: reopen.reason.kind,
    fix_attempt: fixNumber,
    tool_result: toolSummary(result),
    conflicted,
  };
  await recorder.stepEnd(wsId, attempt, success, details);
  await recorder.event("fix_attempt", wsId, {
    step: "reopen",
    attempt: fixNumber,
    success,
    tool_result: toolSummary(result),
  });
  context.steps.push({ step_name: "fix", success, details, error_message: error });
  if (result.cancelled) throw new Failed("cancelled", "cancelled during FIX");
  if (error !== null) throw new Failed("failed", `reopened FIX: ${error}`);
}
