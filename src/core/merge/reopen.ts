/**
 * Why a done workstream runs again: the merge queue found its work conflicting with the integration
 * head or breaking the gate, or a reviewer asked for changes. The reason becomes its FIX prompt.
 */
import { type Bundle } from "../bundle/types";
import { bullets, failureBlock, fixPromptEnd } from "../orchestrator/prompts";

export type ReopenReason =
  | {
      kind: "conflict";
      /** The integration head the work did not merge onto. */
      head: string;
      files: string[];
      hunks: { file: string; line: number; text: string }[];
    }
  | { kind: "gate"; head: string; command: string; excerpt: string }
  | { kind: "review"; comment: string };

/** One line for the event log, the tree and `wsp status`. */
export function reopenSummary(reason: ReopenReason): string {
  if (reason.kind === "conflict")
    return `reopened by the merge queue: conflicts with the integration head in ${reason.files.join(", ")}`;
  if (reason.kind === "gate") return `reopened by the merge queue: the gate failed (${reason.command})`;
  return "reopened: a reviewer requested changes";
}

function problemSection(reason: ReopenReason): string[] {
  if (reason.kind === "conflict")
    return [
      `Your finished work was laid onto the current integration head (${reason.head.slice(0, 12)}), where other`,
      "workstreams' changes have landed since, and these files conflict. They hold git's conflict",
      "markers now: resolve each so that both your change and theirs are kept, and remove the markers.",
      "",
      ...reason.hunks.flatMap(({ file, line, text }) => [
        `### ${file}, line ${line}`,
        "```",
        text,
        "```",
        "",
      ]),
      ...(reason.hunks.length === 0 ? [bullets(reason.files), ""] : []),
    ];
  if (reason.kind === "gate")
    return [
      `Your work merged cleanly onto the integration head (${reason.head.slice(0, 12)}), but together with the`,
      "other workstreams' changes the integration gate fails. It passes without your work. Your work is",
      "now applied in the working directory on top of that head.",
      "",
      ...failureBlock(reason.command, reason.excerpt),
    ];
  return ["A reviewer asked for changes to your finished work:", "", "```", reason.comment, "```", ""];
}

/** The FIX prompt of a reopened workstream. */
export function renderReopenPrompt(context: {
  runId: string;
  bundle: Bundle;
  worktreePath: string;
  reason: ReopenReason;
}): string {
  const { runId, bundle, worktreePath, reason } = context;
  return [
    `# FIX for reopened workstream ${bundle.id} (run ${runId})`,
    "",
    `Working directory: ${worktreePath}`,
    "",
    "## Problem",
    ...problemSection(reason),
    ...fixPromptEnd(
      bundle,
      reason.kind === "review" ? "Make the changes the reviewer asked for." : "Make the integration pass.",
      "Fix it with the smallest change, then stop.",
    ),
  ].join("\n");
}
