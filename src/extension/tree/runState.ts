import * as vscode from "vscode";
import { isTamperFailure, type WorkstreamRunState } from "../../shared/workstreamTree";

/**
 * Where the tree learns each workstream's last run. The state store (another area) plugs in here;
 * until it does, `noRunState` reports nothing and every workstream shows as not run.
 */
export interface RunStateSource {
  stateOf(id: string): WorkstreamRunState | undefined;
  readonly onDidChange: vscode.Event<void>;
}

export const noRunState: RunStateSource = {
  stateOf: () => undefined,
  onDidChange: () => new vscode.Disposable(() => undefined),
};

/** The icon for a run state: a tool that tampered with the repository gets its own, apart from other failures. */
export function runStateIcon(state: WorkstreamRunState | undefined): vscode.ThemeIcon {
  if (isTamperFailure(state))
    return new vscode.ThemeIcon("workspace-untrusted", new vscode.ThemeColor("errorForeground"));
  return statusIcon(state?.status);
}

/** The icon for a status: the same vocabulary the store records. */
export function statusIcon(status: string | undefined): vscode.ThemeIcon {
  switch (status) {
    case undefined:
      return new vscode.ThemeIcon("circle-outline");
    case "done":
    case "succeeded":
    case "merged":
      return new vscode.ThemeIcon("pass", new vscode.ThemeColor("testing.iconPassed"));
    case "failed":
    case "error":
    case "breaker_tripped":
      return new vscode.ThemeIcon("error", new vscode.ThemeColor("testing.iconFailed"));
    case "blocked":
      return new vscode.ThemeIcon("debug-pause");
    case "cancelled":
      return new vscode.ThemeIcon("circle-slash");
    case "pending":
      return new vscode.ThemeIcon("clock");
    default:
      return new vscode.ThemeIcon("sync~spin");
  }
}
