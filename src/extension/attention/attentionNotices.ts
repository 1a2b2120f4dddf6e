/**
 * How the person hears about waits: a status-bar count that opens the Workstreams view, and one
 * notification per change that brings new items (never one per event; none for what was already
 * waiting when the window opened, which the badge and the count show).
 */
import * as vscode from "vscode";
import { arrivalNotice, attentionKey } from "../../core/attention/attention";
import { type AttentionSource } from "./attentionModel";

export const FOCUS_WORKSTREAMS_COMMAND = "workstreamPipeline.workstreams.focus";

export function registerAttentionNotices(
  context: vscode.ExtensionContext,
  deps: { attention: AttentionSource },
): void {
  const item = vscode.window.createStatusBarItem(
    "workstreamPipeline.attention",
    vscode.StatusBarAlignment.Left,
    50,
  );
  item.name = "Workstream Pipeline: Waiting on You";
  item.command = FOCUS_WORKSTREAMS_COMMAND;
  let shown: Set<string> | undefined;
  const update = () => {
    const items = deps.attention.items();
    if (items.length === 0) item.hide();
    else {
      item.text = `$(bell-dot) ${items.length}`;
      item.tooltip = `${items.length} workstream(s) wait on you:\n${items.map((i) => `${i.wsId}: ${i.reason}`).join("\n")}`;
      item.show();
    }
    // The first reading is what already waited: the count shows it, a notification would only nag.
    const notice = shown === undefined ? undefined : arrivalNotice(shown, items);
    shown = new Set(items.map(attentionKey));
    if (notice !== undefined)
      void vscode.window
        .showInformationMessage(notice, "Show")
        .then((choice) => (choice ? vscode.commands.executeCommand(FOCUS_WORKSTREAMS_COMMAND) : undefined));
  };
  context.subscriptions.push(item, deps.attention.onDidChange(update));
}
