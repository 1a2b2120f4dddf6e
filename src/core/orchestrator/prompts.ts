/** The EDIT and FIX prompts handed to the editing tool. Plain text, stable, no template engine needed. */
import { type Bundle } from "../bundle/types";

export interface PromptContext {
  runId: string;
  bundle: Bundle;
  worktreePath: string;
}

export function bullets(items: readonly string[], empty = "(none)"): string {
  return items.length === 0 ? `- ${empty}` : items.map((item) => `- ${item}`).join("\n");
}

function scopeSection(bundle: Bundle): string {
  return [
    "## File scope",
    "Files you may edit:",
    bullets(bundle.files_scope),
    "Files you may create:",
    bullets(bundle.files_create),
  ].join("\n");
}

const CONSTRAINTS = [
  "## Constraints",
  "- Change only files within the file scope above; any other change fails the workstream.",
  "- Make the smallest change that meets the goals; no unrelated refactoring.",
  "- The acceptance tests must pass.",
  "- Do not commit; the pipeline commits after its checks.",
].join("\n");

/** The EDIT prompt: context, goals (tasks and acceptance tests), scope, constraints, instructions. */
export function renderEditPrompt({ runId, bundle, worktreePath }: PromptContext): string {
  return [
    `# EDIT step for workstream ${bundle.id} (run ${runId})`,
    "",
    "## Context",
    `- Workstream: ${bundle.id}${bundle.title ? ` (${bundle.title})` : ""}`,
    `- OpenSpec change: ${bundle.openspec_change}`,
    `- Issue: ${String(bundle.ccpm_issue)}`,
    `- Gate: ${bundle.gate}`,
    `- Working directory: ${worktreePath}`,
    "",
    "## Tasks",
    bullets(bundle.tasks),
    "",
    "## Acceptance tests (must pass)",
    bullets(bundle.acceptance_tests),
    "",
    scopeSection(bundle),
    "",
    CONSTRAINTS,
    "",
    "## Instructions",
    "Carry out the tasks in the working directory, then stop.",
    "",
  ].join("\n");
}

export interface FixPromptContext extends PromptContext {
  step: "static" | "runtime";
  fixAttempt: number;
  /** What failed: the command line and the failing part of its output. */
  failures: readonly { command: string; excerpt: string }[];
}

/** The FIX prompt: what failed (error lines and tail of the output), scope, constraints. */
export function renderFixPrompt(context: FixPromptContext): string {
  const { runId, bundle, step, fixAttempt, failures, worktreePath } = context;
  const problems = failures.flatMap(({ command, excerpt }) => failureBlock(command, excerpt));
  return [
    `# FIX attempt ${fixAttempt} for workstream ${bundle.id} (run ${runId}), step ${step.toUpperCase()}`,
    "",
    `Working directory: ${worktreePath}`,
    "",
    "## Problem",
    `The ${step} checks failed after your last change. The failing output follows.`,
    "",
    ...problems,
    ...fixPromptEnd(
      bundle,
      "Make the failing checks pass.",
      "Fix the failure with the smallest change, then stop.",
    ),
  ].join("\n");
}

/** A failing command and the failing part of its output, as a prompt shows it. */
export function failureBlock(command: string, excerpt: string): string[] {
  return [`### \`${command}\` failed`, "```", excerpt, "```", ""];
}

/** What every FIX prompt ends with: its objective, the tasks and tests, the scope, the rules. */
export function fixPromptEnd(bundle: Bundle, objective: string, instruction: string): string[] {
  return [
    "## Objectives",
    `- ${objective}`,
    bullets(bundle.tasks),
    "",
    "## Acceptance tests (must pass)",
    bullets(bundle.acceptance_tests),
    "",
    scopeSection(bundle),
    "",
    CONSTRAINTS,
    "",
    "## Instructions",
    instruction,
    "",
  ];
}
