/**
 * Workstream Pipeline for VS Code. This file is the table of contents: each feature registers
 * itself and hands its disposables to the extension context.
 */
import * as vscode from "vscode";

export function activate(context: vscode.ExtensionContext): void {
  const log = vscode.window.createOutputChannel("Workstream Pipeline", { log: true });
  context.subscriptions.push(log);
  log.info("Workstream Pipeline activated");
}

export function deactivate(): void {}
