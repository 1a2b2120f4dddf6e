import * as vscode from "vscode";
import { type AttentionItem } from "../../core/attention/attention";

/** The section at the top of the Workstreams view listing what waits on a person. */
export class AttentionSectionNode extends vscode.TreeItem {
  readonly kind = "attention-section";

  constructor(readonly children: AttentionNode[]) {
    super("Waiting on you", vscode.TreeItemCollapsibleState.Expanded);
    this.id = "attention";
    this.description = String(children.length);
    this.iconPath = new vscode.ThemeIcon(
      "bell-dot",
      new vscode.ThemeColor("notificationsInfoIcon.foreground"),
    );
    this.contextValue = "attention-section";
  }
}

/** The command a click on an item runs: the one action that most often moves it on. */
export const ATTENTION_COMMANDS = {
  review: "workstreamPipeline.workstream.reviewChanges",
  approve: "workstreamPipeline.workstream.approve",
  requestChanges: "workstreamPipeline.workstream.requestChanges",
  showOutput: "workstreamPipeline.workstream.showFailure",
  editBundle: "workstreamPipeline.workstream.editBundle",
  revealBlocker: "workstreamPipeline.workstream.revealBlocker",
} as const;

const PRESENTATION: Record<
  AttentionItem["kind"],
  { icon: vscode.ThemeIcon; tag: string; click: string; title: string }
> = {
  awaiting_review: {
    icon: new vscode.ThemeIcon("eye", new vscode.ThemeColor("notificationsInfoIcon.foreground")),
    tag: "awaiting-review",
    click: ATTENTION_COMMANDS.review,
    title: "Review Changes",
  },
  needs_judgement: {
    icon: new vscode.ThemeIcon("warning", new vscode.ThemeColor("notificationsWarningIcon.foreground")),
    tag: "needs-judgement",
    click: ATTENTION_COMMANDS.showOutput,
    title: "Show Failing Output",
  },
  blocked: {
    icon: new vscode.ThemeIcon("debug-pause"),
    tag: "blocked",
    click: ATTENTION_COMMANDS.revealBlocker,
    title: "Go to Blocking Workstream",
  },
};

/** One workstream that waits on a person: its id, the reason, and (by its tags) the actions that apply. */
export class AttentionNode extends vscode.TreeItem {
  readonly kind = "attention";
  readonly wsId: string;

  constructor(readonly item: AttentionItem) {
    super(item.wsId, vscode.TreeItemCollapsibleState.None);
    const presentation = PRESENTATION[item.kind];
    this.wsId = item.wsId;
    this.id = `attention:${item.kind}:${item.wsId}`;
    this.description = item.reason;
    this.tooltip = `${item.wsId} (run ${item.runId})\n${item.reason}`;
    // Screen readers hear it apart from the same workstream's row further down.
    this.accessibilityInformation = { label: `Waiting on you: ${item.wsId}, ${item.reason}` };
    this.iconPath = presentation.icon;
    // "attention" plus the kind; a failure also carries "failed" so Retry's menu entry matches it.
    this.contextValue = `attention ${presentation.tag}${item.kind === "needs_judgement" ? " failed" : ""}`;
    this.command = { command: presentation.click, title: presentation.title, arguments: [this] };
  }
}
