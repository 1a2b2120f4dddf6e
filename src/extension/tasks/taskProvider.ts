/**
 * A task provider, so each workstream (and "all") shows under Tasks: Run Task. Tasks run the bundled
 * CLI directly; VS Code itself keeps tasks off in untrusted workspaces.
 */
import * as vscode from "vscode";
import { cliScript } from "../runs/cliProcess";
import { type BundleIndex } from "../workstreams/bundleIndex";

export const TASK_TYPE = "workstreamPipeline";

interface WorkstreamTaskDefinition extends vscode.TaskDefinition {
  /** A workstream id, or "all". */
  workstream: string;
  dryRun?: boolean;
}

function buildTask(
  definition: WorkstreamTaskDefinition,
  extensionPath: string,
  scope: vscode.WorkspaceFolder,
): vscode.Task {
  const args = [cliScript(extensionPath), "run"];
  args.push(...(definition.workstream === "all" ? ["--all"] : [definition.workstream]));
  if (definition.dryRun) args.push("--dry-run");
  const name = `${definition.dryRun ? "dry run" : "run"} ${definition.workstream}`;
  const task = new vscode.Task(
    definition,
    scope,
    name,
    "wsp",
    new vscode.ProcessExecution(process.execPath, args, {
      cwd: scope.uri.fsPath,
      env: { ELECTRON_RUN_AS_NODE: "1" },
    }),
  );
  task.detail =
    definition.workstream === "all"
      ? "every workstream in dependency order"
      : `wsp ${args.slice(1).join(" ")}`;
  return task;
}

export function registerTaskProvider(
  context: vscode.ExtensionContext,
  deps: { extensionPath: string; index: BundleIndex<vscode.Uri> },
): void {
  context.subscriptions.push(
    vscode.tasks.registerTaskProvider(TASK_TYPE, {
      provideTasks() {
        const folder = vscode.workspace.workspaceFolders?.[0];
        if (!folder) return [];
        const ids = ["all", ...deps.index.bundles().map(({ summary }) => summary.id)];
        return ids.flatMap((workstream) => [
          buildTask({ type: TASK_TYPE, workstream }, deps.extensionPath, folder),
          buildTask({ type: TASK_TYPE, workstream, dryRun: true }, deps.extensionPath, folder),
        ]);
      },
      resolveTask(task) {
        const definition = task.definition as WorkstreamTaskDefinition;
        const folder = vscode.workspace.workspaceFolders?.[0];
        if (typeof definition.workstream !== "string" || !folder) return undefined;
        return buildTask(definition, deps.extensionPath, folder);
      },
    }),
  );
}
