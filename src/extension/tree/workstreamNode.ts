import * as vscode from "vscode";
import { type WorkstreamRunState, workstreamContextValue } from "../../shared/workstreamTree";
import { type IndexedBundle } from "../workstreams/bundleIndex";
import { readableSize } from "../../node/files/diskUsage";
import { runStateIcon } from "./runState";

export const OPEN_BUNDLE_COMMAND = "workstreamPipeline.workstreams.open";

/** One workstream: id and title, its run status as the icon; children are tasks, scope and dependencies. */
export class WorkstreamNode extends vscode.TreeItem {
  readonly kind = "workstream";

  constructor(
    readonly bundle: IndexedBundle<vscode.Uri>,
    state: WorkstreamRunState | undefined,
  ) {
    super(bundle.summary.id, vscode.TreeItemCollapsibleState.Collapsed);
    // The bundle's workspace-relative file tells two bundles with one id apart, and keeps each row's handle short.
    this.id = `workstream:${bundle.summary.file}`;
    // A kept worktree takes disk until it is removed: say how much, next to the title.
    const size =
      state?.hasWorktree && state.worktreeBytes !== undefined
        ? `worktree ${readableSize(state.worktreeBytes)}`
        : undefined;
    this.description = [bundle.summary.title, size].filter((part) => part !== undefined).join(" · ");
    this.tooltip = `${bundle.summary.id}${bundle.summary.title ? ` — ${bundle.summary.title}` : ""}\n${bundle.summary.file}\nstatus: ${state?.status ?? "not run"}${state?.reason ? `\n${state.reason}` : ""}`;
    this.iconPath = runStateIcon(state);
    this.contextValue = workstreamContextValue(state);
    this.resourceUri = bundle.uri;
    this.command = {
      command: OPEN_BUNDLE_COMMAND,
      title: "Open Bundle",
      arguments: [bundle.uri, bundle.idRange.offset, bundle.idRange.length],
    };
  }
}
