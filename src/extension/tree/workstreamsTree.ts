import * as vscode from "vscode";
import { type Logger } from "../../core/logger";
import { type GroupBy, groupWorkstreams } from "../../shared/workstreamTree";
import { idOf } from "../commands/target";
import { type AttentionSource } from "../attention/attentionModel";
import { type BundleIndex } from "../workstreams/bundleIndex";
import { ATTENTION_COMMANDS, AttentionNode, AttentionSectionNode } from "./attentionNode";
import { DetailNode, EntryNode } from "./detailNode";
import { GroupNode } from "./groupNode";
import { type RunStateSource } from "./runState";
import { OPEN_BUNDLE_COMMAND, WorkstreamNode } from "./workstreamNode";

export const WORKSTREAMS_VIEW = "workstreamPipeline.workstreams";
const GROUP_BY_KEY = "workstreamPipeline.groupBy";
const STATE_KEY = "workstreamPipeline.workstreams.state";

type Node = AttentionSectionNode | AttentionNode | GroupNode | WorkstreamNode | DetailNode | EntryNode;

class WorkstreamsTreeProvider implements vscode.TreeDataProvider<Node> {
  private readonly _onDidChangeTreeData = new vscode.EventEmitter<void>();
  readonly onDidChangeTreeData = this._onDidChangeTreeData.event;
  groupBy: GroupBy = "level";
  /** Each shown workstream node and its group, from the last listing: what `reveal` needs. */
  private parents = new Map<string, GroupNode>();
  private nodes = new Map<string, WorkstreamNode>();
  private section: AttentionSectionNode | undefined;

  constructor(
    private readonly index: BundleIndex<vscode.Uri>,
    private readonly runState: RunStateSource,
    private readonly attention: AttentionSource | undefined,
  ) {}

  /** The node of a workstream as last listed (after the root was asked for). */
  workstreamNode(id: string): WorkstreamNode | undefined {
    return this.nodes.get(id);
  }

  getParent(node: Node): Node | undefined {
    if (node instanceof WorkstreamNode) return this.parents.get(node.bundle.summary.id);
    if (node instanceof AttentionNode) return this.section;
    return undefined;
  }

  refresh(): void {
    this._onDidChangeTreeData.fire();
  }

  getTreeItem(node: Node): vscode.TreeItem {
    return node;
  }

  getChildren(node?: Node): Node[] {
    if (!node) return this.roots();
    if (node instanceof AttentionSectionNode) return node.children;
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

  private roots(): Node[] {
    const summaries = this.index.bundles();
    const byId = new Map(summaries.map((bundle) => [bundle.summary.id, bundle]));
    this.parents = new Map();
    this.nodes = new Map();
    const groups = groupWorkstreams(
      summaries.map((bundle) => bundle.summary),
      this.groupBy,
      (id) => this.runState.stateOf(id),
    ).map((group) => {
      const children = group.workstreams.flatMap((summary) => {
        const bundle = byId.get(summary.id);
        if (!bundle) return [];
        const child = new WorkstreamNode(bundle, this.runState.stateOf(summary.id));
        this.nodes.set(summary.id, child);
        return [child];
      });
      const groupNode = new GroupNode(group, children);
      for (const child of children) this.parents.set(child.bundle.summary.id, groupNode);
      return groupNode;
    });
    const waiting = this.attention?.items() ?? [];
    this.section =
      waiting.length > 0
        ? new AttentionSectionNode(waiting.map((item) => new AttentionNode(item)))
        : undefined;
    return this.section ? [this.section, ...groups] : groups;
  }

  dispose(): void {
    this._onDidChangeTreeData.dispose();
  }
}

export interface WorkstreamsTreeDeps {
  index: BundleIndex<vscode.Uri>;
  runState: RunStateSource;
  /** Who waits on a person: the section at the top and the view's badge (absent without a folder). */
  attention?: AttentionSource;
  log: Logger;
}

/** The Workstreams view: grouping switch in its title bar, empty/error states, click to open. */
export function registerWorkstreamsTree(context: vscode.ExtensionContext, deps: WorkstreamsTreeDeps): void {
  const provider = new WorkstreamsTreeProvider(deps.index, deps.runState, deps.attention);
  const view = vscode.window.createTreeView(WORKSTREAMS_VIEW, {
    treeDataProvider: provider,
    showCollapseAll: true,
  });
  const setGroupBy = async (groupBy: GroupBy) => {
    provider.groupBy = groupBy;
    await vscode.commands.executeCommand("setContext", GROUP_BY_KEY, groupBy);
    provider.refresh();
  };
  // Until the index has read the folder once, an empty tree means "loading", not "no workstreams".
  let loaded = false;
  const updateState = async () => {
    const state = deps.index.error()
      ? "error"
      : deps.index.bundles().length > 0
        ? "ready"
        : loaded
          ? "empty"
          : "loading";
    view.message =
      deps.index.unreadableFiles() > 0
        ? `${deps.index.unreadableFiles()} bundle file(s) are not valid JSON`
        : undefined;
    await vscode.commands.executeCommand("setContext", STATE_KEY, state);
    provider.refresh();
  };
  const updateBadge = () => {
    const waiting = deps.attention?.items().length ?? 0;
    view.badge =
      waiting > 0 ? { value: waiting, tooltip: `${waiting} workstream(s) wait on you` } : undefined;
    provider.refresh();
  };
  /** Shows a workstream in the tree (the one a blocked workstream waits for). */
  const reveal = async (argument?: unknown) => {
    const blockedBy =
      argument instanceof AttentionNode && argument.item.kind === "blocked" ? argument.item.blockedBy : [];
    const id = blockedBy[0] ?? idOf(argument);
    if (id === undefined) return undefined;
    if (!provider.workstreamNode(id)) provider.getChildren();
    const node = provider.workstreamNode(id);
    if (!node) {
      void vscode.window.showInformationMessage(`${id} has no bundle in workstreams/.`);
      return undefined;
    }
    await view.reveal(node, { select: true, focus: true, expand: false });
    return id;
  };
  context.subscriptions.push(
    provider,
    view,
    ...(deps.attention ? [deps.attention.onDidChange(updateBadge)] : []),
    vscode.commands.registerCommand(ATTENTION_COMMANDS.revealBlocker, reveal),
    deps.index.onDidChange(() => {
      loaded = true;
      void updateState();
    }),
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
