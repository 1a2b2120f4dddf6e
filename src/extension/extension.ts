/**
 * Workstream Pipeline for VS Code. This file is the table of contents: each feature registers
 * itself and hands its disposables to the extension context.
 */
import * as vscode from "vscode";
import { type AttentionItem } from "../core/attention/attention";
import { registerAttentionCommands } from "./attention/attentionCommands";
import { AttentionModel } from "./attention/attentionModel";
import { registerAttentionNotices } from "./attention/attentionNotices";
import { CliRunner } from "./commands/cliRunner";
import { registerCreateBundle } from "./commands/createBundle";
import { createLogger } from "./logger";
import { registerCliCommands } from "./commands/cliCommands";
import { type PanelRenderState, registerRunEventsPanel } from "./panel/runEventsPanel";
import { registerReviewChanges } from "./review/reviewChanges";
import { registerRunCommands } from "./runs/runCommands";
import { type ActiveRun, RunManager } from "./runs/runManager";
import { registerRunStatusBar } from "./runs/runStatusBar";
import { StoreReader } from "./runs/storeReader";
import { StoreRunState } from "./runs/storeRunState";
import { registerTaskProvider } from "./tasks/taskProvider";
import { type RunStateSource, noRunState } from "./tree/runState";
import { registerSpecDiagnostics } from "./spec/specDiagnostics";
import { registerSpecProviders } from "./spec/specProviders";
import { registerSpecTagsView } from "./spec/specTagsView";
import { SpecWorkspace } from "./spec/specWorkspace";
import { registerWorkstreamsTree } from "./tree/workstreamsTree";
import { registerBundleDiagnostics } from "./validation/bundleDiagnostics";
import { registerBundleQuickFixes } from "./validation/bundleQuickFixes";
import { createWorkspaceApi } from "./workspaceApi";
import { BundleIndex } from "./workstreams/bundleIndex";

/** What the extension offers other extensions (and the in-host tests). */
export interface WorkstreamPipelineApi {
  /** The workstreams currently read from workstreams/*.json. */
  workstreams(): { id: string; title?: string; file: string; dependsOn: string[] }[];
  /** The tree's run state of a workstream (live, else the store's latest). */
  runStatus(id: string): string | undefined;
  /** Runs started from this window, oldest first. */
  runs(): readonly ActiveRun[];
  /** What the run-events panel last rendered, while it is open. */
  panelRendered(): PanelRenderState | undefined;
  /** The workstreams waiting on a person, as the attention section shows them. */
  attention(): readonly AttentionItem[];
  /** Reads the store again for the attention section (tests call it instead of waiting on the watcher). */
  refreshAttention(): Promise<void>;
  /** Resolves once the bundles and spec tags have been read the first time (activation does not wait). */
  ready(): Promise<void>;
}

export function activate(context: vscode.ExtensionContext): WorkstreamPipelineApi {
  const log = createLogger(context);
  const workspace = createWorkspaceApi();

  // Bundles: the one model. Read once, then kept current (one watcher, one debounce) as files and
  // editors change; the tree, the Problems panel, commands and tasks all read it.
  const index = new BundleIndex(workspace, log.child("bundles"));
  context.subscriptions.push(index);

  // Runs: the bundled CLI does the work; the store (read-only) and its live events say how it went.
  const folder = vscode.workspace.workspaceFolders?.[0];
  const root = folder?.uri.scheme === "file" ? folder.uri.fsPath : undefined;
  const extensionPath = context.extensionUri.fsPath;
  let runState: RunStateSource = noRunState;
  let panel: { rendered(): PanelRenderState | undefined } | undefined;
  let runs: RunManager | undefined;
  let attention: AttentionModel | undefined;
  if (root) {
    const store = new StoreReader(root, log.child("store"));
    runs = new RunManager(extensionPath, root, log.child("runs"));
    const storeState = new StoreRunState(store, runs, log.child("store"));
    context.subscriptions.push(store, runs, storeState);
    runState = storeState;
    void storeState.reload();
    registerRunCommands(context, { runs, index, store, log: log.child("runs") });
    registerRunStatusBar(context, { runs });
    panel = registerRunEventsPanel(context, {
      extensionUri: context.extensionUri,
      runs,
      store,
      log: log.child("panel"),
    });
    const cli = new CliRunner(extensionPath, root, store);
    context.subscriptions.push(cli);
    registerCliCommands(context, { root, index, cli });
    registerReviewChanges(context, { root, index });
    // Who waits on a person: review, a failure to judge, a blocker; with a badge, a count and a notice.
    attention = new AttentionModel(store, index, log.child("attention"));
    context.subscriptions.push(attention);
    registerAttentionCommands(context, { index, cli, attention });
    registerAttentionNotices(context, { attention });
    registerTaskProvider(context, { extensionPath, index });
  }

  // The Workstreams view, its icons following the store and live runs.
  registerWorkstreamsTree(context, { index, runState, attention, log: log.child("tree") });
  registerCreateBundle(context, { log: log.child("commands") });

  // Validation as you type: the index's cross-file rules in our own DiagnosticCollection, plus fixes.
  registerBundleDiagnostics(context, { index });
  registerBundleQuickFixes(context);

  // Spec tags: the core's incremental index, navigation, coverage view and tag diagnostics.
  const spec = folder ? new SpecWorkspace(folder.uri, log.child("spec")) : undefined;
  if (spec) {
    context.subscriptions.push(spec);
    registerSpecProviders(context, { spec });
    registerSpecTagsView(context, { spec });
    registerSpecDiagnostics(context, { spec });
  }

  // Reading the bundles and the spec goes on after activation: the views fill in as each lands.
  const loaded = Promise.all([index.reload(), spec?.load()])
    .then(() => log.info(`loaded ${index.bundles().length} workstream(s)`))
    .catch((error: unknown) => log.error(`loading the workspace failed: ${String(error)}`))
    .then(() => attention?.start());
  return {
    workstreams: () =>
      index.bundles().map(({ summary }) => ({
        id: summary.id,
        title: summary.title,
        file: summary.file,
        dependsOn: summary.dependsOn,
      })),
    runStatus: (id) => runState.stateOf(id)?.status,
    runs: () => runs?.history() ?? [],
    panelRendered: () => panel?.rendered(),
    attention: () => attention?.items() ?? [],
    refreshAttention: () => attention?.reload() ?? Promise.resolve(),
    ready: () => loaded,
  };
}

export function deactivate(): void {}
