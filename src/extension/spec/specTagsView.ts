import * as vscode from "vscode";
import { computeCoverage, type TagCoverage } from "../../core/spec/coverage";
import { type SpecWorkspace } from "./specWorkspace";

export const SPEC_TAGS_VIEW = "workstreamPipeline.specTags";

/** One defined tag with its coverage; clicking opens its definition. */
class SpecTagNode extends vscode.TreeItem {
  constructor(coverage: TagCoverage, spec: SpecWorkspace) {
    super(coverage.idx, vscode.TreeItemCollapsibleState.None);
    this.id = `tag:${coverage.idx}`;
    const parts = [
      `${coverage.bundles.length} bundle(s)`,
      `${coverage.code.length} code`,
      `${coverage.tests.length} test(s)`,
    ];
    this.description = `${coverage.covered ? "covered" : "not covered"} · ${parts.join(", ")}`;
    this.tooltip = `${coverage.description}\n${coverage.file}:${coverage.line}`;
    this.iconPath = new vscode.ThemeIcon(
      coverage.covered ? "pass" : "circle-large-outline",
      coverage.covered ? new vscode.ThemeColor("testing.iconPassed") : undefined,
    );
    this.contextValue = coverage.covered ? "specTag covered" : "specTag uncovered";
    const definition = spec.index.definitionOf(coverage.idx);
    if (definition) {
      const location = spec.locationOf(definition);
      this.command = {
        command: "vscode.open",
        title: "Open Definition",
        arguments: [location.uri, { selection: location.range }],
      };
    }
  }
}

class SpecTagsProvider implements vscode.TreeDataProvider<SpecTagNode> {
  private readonly _onDidChangeTreeData = new vscode.EventEmitter<void>();
  readonly onDidChangeTreeData = this._onDidChangeTreeData.event;

  constructor(private readonly spec: SpecWorkspace) {}

  refresh(): void {
    this._onDidChangeTreeData.fire();
  }

  getTreeItem(node: SpecTagNode): vscode.TreeItem {
    return node;
  }

  getChildren(): SpecTagNode[] {
    return computeCoverage(this.spec.index).tags.map((coverage) => new SpecTagNode(coverage, this.spec));
  }

  dispose(): void {
    this._onDidChangeTreeData.dispose();
  }
}

/** The Spec tags view: every defined tag with its coverage, overall percentage in the view's message. */
export function registerSpecTagsView(context: vscode.ExtensionContext, deps: { spec: SpecWorkspace }): void {
  const provider = new SpecTagsProvider(deps.spec);
  const view = vscode.window.createTreeView(SPEC_TAGS_VIEW, { treeDataProvider: provider });
  const update = () => {
    const report = computeCoverage(deps.spec.index);
    view.description = report.percent === undefined ? undefined : `${Math.round(report.percent)}% covered`;
    provider.refresh();
  };
  context.subscriptions.push(provider, view, deps.spec.onDidChange(update));
  update();
}
