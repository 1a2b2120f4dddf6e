import * as vscode from "vscode";
import { type WorkstreamGroup } from "../../shared/workstreamTree";
import { type WorkstreamNode } from "./workstreamNode";

/** A status or dependency-level heading in the Workstreams tree. */
export class GroupNode extends vscode.TreeItem {
  readonly kind = "group";

  constructor(
    readonly group: WorkstreamGroup,
    readonly children: WorkstreamNode[],
  ) {
    super(group.label, vscode.TreeItemCollapsibleState.Expanded);
    this.id = `group:${group.label}`;
    this.description = String(group.workstreams.length);
    this.contextValue = "group";
  }
}
