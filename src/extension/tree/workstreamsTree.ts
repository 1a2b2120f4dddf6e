import * as vscode from "vscode";
import { type Logger } from "../../core/logger";
import { type GroupBy, groupWorkstreams } from "../../shared/workstreamTree";
import { type BundleIndex } from "../workstreams/bundleIndex";
import { DetailNode, EntryNode } from "./detailNode";
import { GroupNode } from "./groupNode";
import { type RunStateSource } from "./runState";
import { OPEN_BUNDLE_COMMAND, WorkstreamNode } from "./workstreamNode";

export const WORKSTREAMS_VIEW = "workstreamPipeline.workstreams";
const GROUP_BY_KEY = "workstreamPipeline.groupBy";
const STATE_KEY = "workstreamPipeline.workstreams.state";

type Node = GroupNode | WorkstreamNode | DetailNode | EntryNode;

class WorkstreamsTreeProvider implements vscode.TreeDataProvider<Node> {
  private readonly _onDidChangeTreeData = new vscode.EventEmitter<void>();
  readonly onDidChangeTreeData = this._onDidChangeTreeData.event;
  groupBy: GroupBy = "level";

  constructor(
    private readonly index: BundleIndex<vscode.Uri>,
    private readonly runState: RunStateSource,
  ) {}

  refresh(): void {
    this._onDidChangeTreeData.fire();
  }

  getTreeItem(node: Node): vscode.TreeItem {
    return node;
  }

  getChildren(node?: Node): Node[] {
    if (!node) {
      const summaries = this.index.bundles();
      const byId = new Map(summaries.map((bundle) => [bundle.summary.id, bundle]));
      return groupWorkstreams(
        summaries.map((bundle) => bundle.summary),
        this.groupBy,
        (id) => this.runState.stateOf(id),
      ).map(
        (group) =>
          new GroupNode(
            group,
            group.workstreams.flatMap((summary) => {
              const bundle = byId.get(summary.id);
              return bundle ? [new WorkstreamNode(bundle, this.runState.stateOf(summary.id))] : [];
            }),
          ),
      );
    }
    if (node instanceof GroupNode) return node.children;
    if (node instanceof WorkstreamNode) {
      const { summary } = node.bundle;
      const parentId = String(node.id);
      return [
        new DetailNode("Tasks", summary.tasks, "checklist", parentId),
        new DetailNode("Files scope", summary.filesScope, "files", parentId),
        new DetailNode("Depends on", summary.dependsOn, "references", parentId),
      ];
    }
    if (node instanceof DetailNode) {
      const icon =
        node.label === "Tasks" ? "circle-small" : node.label === "Files scope" ? "file" : "arrow-right";
      return node.entries.map((entry, index) => new EntryNode(entry, icon, String(node.id), index));
    }
    return [];
  }

  dispose(): void {
    this._onDidChangeTreeData.dispose();
  }
}

export interface WorkstreamsTreeDeps {
  index: BundleIndex<vscode.Uri>;
  runState: RunStateSource;
  log: Logger;
}

/** The Workstreams view: grouping switch in its title bar, empty/error states, click to open. */
export function registerWorkstreamsTree(context: vscode.ExtensionContext, deps: WorkstreamsTreeDeps): void {
  const provider = new WorkstreamsTreeProvider(deps.index, deps.runState);
  const view = vscode.window.createTreeView(WORKSTREAMS_VIEW, {
    treeDataProvider: provider,
    showCollapseAll: true,
  });
  const setGroupBy = async (groupBy: GroupBy) => {
    provider.groupBy = groupBy;
    await vscode.commands.executeCommand("setContext", GROUP_BY_KEY, groupBy);
    provider.refresh();
  };
  const updateState = async () => {
    const state = deps.index.error() ? "error" : deps.index.bundles().length === 0 ? "empty" : "ready";
    view.message =
      deps.index.unreadableFiles() > 0
        ? `${deps.index.unreadableFiles()} bundle file(s) are not valid JSON`
        : undefined;
    await vscode.commands.executeCommand("setContext", STATE_KEY, state);
    provider.refresh();
  };
  context.subscriptions.push(
    provider,
    view,
    deps.index.onDidChange(() => void updateState()),
    deps.runState.onDidChange(() => provider.refresh()),
    vscode.commands.registerCommand("workstreamPipeline.workstreams.groupByStatus", () =>
      setGroupBy("status"),
    ),
    vscode.commands.registerCommand("workstreamPipeline.workstreams.groupByLevel", () => setGroupBy("level")),
    vscode.commands.registerCommand("workstreamPipeline.workstreams.refresh", () => deps.index.reload()),
    vscode.commands.registerCommand(OPEN_BUNDLE_COMMAND, openBundleAt),
  );
  void setGroupBy(provider.groupBy);
  void updateState();
}

/** Opens a bundle file with the id's value selected. */
async function openBundleAt(uri: vscode.Uri, offset?: number, length?: number): Promise<void> {
  const document = await vscode.workspace.openTextDocument(uri);
  const start = document.positionAt(offset ?? 0);
  const end = document.positionAt((offset ?? 0) + (length ?? 0));
  await vscode.window.showTextDocument(document, { selection: new vscode.Range(start, end), preview: true });
}
