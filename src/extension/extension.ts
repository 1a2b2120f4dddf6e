/**
 * Workstream Pipeline for VS Code. This file is the table of contents: each feature registers
 * itself and hands its disposables to the extension context.
 */
import * as vscode from "vscode";
import { registerCreateBundle } from "./commands/createBundle";
import { createLogger } from "./logger";
import { noRunState } from "./tree/runState";
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
}

export async function activate(context: vscode.ExtensionContext): Promise<WorkstreamPipelineApi> {
  const log = createLogger(context);
  const workspace = createWorkspaceApi();

  // Bundles: read once, then kept current (debounced) as files and editors change.
  const index = new BundleIndex(workspace, log.child("bundles"));
  context.subscriptions.push(index);

  // The Workstreams view. Run states come from the state store once it is wired in.
  registerWorkstreamsTree(context, { index, runState: noRunState, log: log.child("tree") });
  registerCreateBundle(context, { log: log.child("commands") });

  // Validation as you type: the core's cross-file rules in our own DiagnosticCollection, plus fixes.
  const validation = registerBundleDiagnostics(context, { log: log.child("validation") });
  registerBundleQuickFixes(context);

  // Spec tags: the core's incremental index, navigation, coverage view and tag diagnostics.
  const folder = vscode.workspace.workspaceFolders?.[0];
  const spec = folder ? new SpecWorkspace(folder.uri, log.child("spec")) : undefined;
  if (spec) {
    context.subscriptions.push(spec);
    registerSpecProviders(context, { spec });
    registerSpecTagsView(context, { spec });
    registerSpecDiagnostics(context, { spec });
  }

  await Promise.all([index.reload(), validation.ready, spec?.load()]);
  log.info(`activated with ${index.bundles().length} workstream(s)`);
  return {
    workstreams: () =>
      index.bundles().map(({ summary }) => ({
        id: summary.id,
        title: summary.title,
        file: summary.file,
        dependsOn: summary.dependsOn,
      })),
  };
}

export function deactivate(): void {}
