import * as vscode from "vscode";

/** A section (Tasks, Files scope, Depends on) under a workstream, or one entry in it. */
export class DetailNode extends vscode.TreeItem {
  readonly kind = "detail";

  constructor(
    label: string,
    readonly entries: string[],
    icon: string,
    parentId: string,
  ) {
    super(
      label,
      entries.length > 0 ? vscode.TreeItemCollapsibleState.Collapsed : vscode.TreeItemCollapsibleState.None,
    );
    this.id = `${parentId}/${label}`;
    this.description = entries.length === 0 ? "none" : String(entries.length);
    this.iconPath = new vscode.ThemeIcon(icon);
    this.contextValue = "detail";
  }
}

/** One task, path or dependency id. */
export class EntryNode extends vscode.TreeItem {
  readonly kind = "entry";

  constructor(label: string, icon: string, parentId: string, index: number) {
    super(label, vscode.TreeItemCollapsibleState.None);
    this.id = `${parentId}/${index}`;
    this.iconPath = new vscode.ThemeIcon(icon);
    this.tooltip = label;
    this.contextValue = "entry";
  }
}
