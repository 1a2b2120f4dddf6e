/**
 * Workspace Trust: running workstreams executes tools and the repository's own commands, so it needs
 * a trusted workspace; validation and browsing work everywhere.
 */
import * as vscode from "vscode";

export const UNTRUSTED_MESSAGE =
  "Workstream Pipeline runs tools and tests from this repository, so running is disabled until you trust the workspace. Validation and browsing still work.";

/** True when running is allowed; otherwise explains why not (with a way to trust) and returns false. */
export function requireTrust(): boolean {
  if (vscode.workspace.isTrusted) return true;
  void vscode.window
    .showWarningMessage(UNTRUSTED_MESSAGE, "Manage Workspace Trust")
    .then((choice) => (choice ? vscode.commands.executeCommand("workbench.trust.manage") : undefined));
  return false;
}
