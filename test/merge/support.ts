/** Workspaces for the merge-queue tests: scripted workstreams run for real, then queued. */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { run } from "../../src/cli/commands/run";
import { type EventRow } from "../../src/core/store";
import { bundle, createWorkspace, type Workspace } from "../orchestrator/support";

export function scripted(
  id: string,
  edits: { path: string; write: string }[],
  fields: Record<string, unknown> = {},
): Record<string, unknown> {
  return bundle(id, {
    tool: "scripted",
    static_tools: [],
    acceptance_tests: [],
    files_scope: edits.map((edit) => edit.path),
    scripted_edits: { edit: edits },
    ...fields,
  });
}

export function queueWorkspace(
  bundles: Record<string, unknown>[],
  files: Record<string, string>,
  queueConfig: string,
): Workspace {
  return createWorkspace(bundles, { "config/merge_queue.yaml": queueConfig, ...files });
}

/** Runs each workstream on its own (overlaps allowed: a conflict is the merge queue's to find). */
export async function runEach(ws: Workspace, ids: readonly string[]): Promise<void> {
  for (const id of ids) {
    const io = ws.io();
    const code = await run(id, { runId: `r-${id}`, ignoreValidationErrors: true }, io);
    if (code !== 0) throw new Error(`${id} did not finish: ${io.stderr}`);
  }
}

export async function eventsOf(ws: Workspace, types: readonly string[]): Promise<EventRow[]> {
  const store = await ws.openStore();
  try {
    return await store.eventsAfter(0, { types: [...types], limit: 10_000 });
  } finally {
    await store.close();
  }
}

/** The prompts the editing tool was given for a workstream, newest last. */
export function promptsOf(ws: Workspace, wsId: string): string[] {
  const dir = path.join(ws.root, ".worktrees", ".prompts", wsId);
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .sort()
    .map((name) => readFileSync(path.join(dir, name), "utf8"));
}

export function fileAt(ws: Workspace, ref: string, file: string): string {
  return ws.git("show", `${ref}:${file}`);
}
