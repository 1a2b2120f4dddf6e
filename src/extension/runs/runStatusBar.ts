/** A status-bar item counting the runs going on in this window; clicking it opens the events panel. */
import * as vscode from "vscode";
import { type RunManager } from "./runManager";

export function registerRunStatusBar(
  context: vscode.ExtensionContext,
  deps: { runs: RunManager },
): vscode.StatusBarItem {
  const item = vscode.window.createStatusBarItem(
    "workstreamPipeline.runs",
    vscode.StatusBarAlignment.Left,
    50,
  );
  item.name = "Workstream Runs";
  item.command = "workstreamPipeline.runEvents.show";
  const update = () => {
    const count = deps.runs.runs().length;
    item.text =
      count > 0
        ? `$(sync~spin) ${count} workstream run${count === 1 ? "" : "s"}`
        : "$(run-all) 0 workstream runs";
    item.tooltip =
      count > 0
        ? `Running: ${deps.runs
            .runs()
            .map((run) => run.label)
            .join(", ")}. Click for the run events.`
        : "No workstream run is going. Click for the run events.";
  };
  update();
  item.show();
  context.subscriptions.push(item, deps.runs.onDidChangeRuns(update));
  return item;
}
