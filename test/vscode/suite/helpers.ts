import * as vscode from "vscode";
import { type WorkstreamPipelineApi } from "../../../src/extension/extension";

export const EXTENSION_ID = "workstream-pipeline.workstream-pipeline";

/** Activates the extension under test and returns its API once the workspace has been read. */
export async function activateExtension(): Promise<WorkstreamPipelineApi> {
  const extension = vscode.extensions.getExtension<WorkstreamPipelineApi>(EXTENSION_ID);
  if (!extension) throw new Error(`extension ${EXTENSION_ID} is not loaded`);
  const api = await extension.activate();
  await api.ready();
  return api;
}

/** The test workspace's root folder. */
export function workspaceRoot(): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders?.[0];
  if (!folder) throw new Error("the tests need an open folder");
  return folder.uri;
}

/** Polls `probe` until it returns a value other than undefined, or fails after `timeoutMs`. */
export async function waitFor<T>(what: string, probe: () => T | undefined, timeoutMs = 5000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Waits (polling) until the run with `key` has ended; returns it. */
export async function finishedRun(key: number, timeoutMs = 30_000) {
  const api = await activateExtension();
  return waitFor(
    `run ${key} to end`,
    () => api.runs().find((run) => run.key === key && run.exitCode !== undefined),
    timeoutMs,
  );
}
