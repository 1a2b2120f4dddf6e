/**
 * Thin wrappers around the parts of the `vscode` API the features use. Unit tests hand the features
 * a fake of this interface instead of stubbing the module loader.
 */
import * as vscode from "vscode";
import { DEFAULT_WORKSTREAM_DIR } from "../node/paths";
import { type BundleFiles } from "./workstreams/bundleIndex";

/** The bundle-file access the Workstreams index needs, on real `vscode.Uri`s. */
export type WorkspaceApi = BundleFiles<vscode.Uri>;

/** The bundles: the editor reads the default folder (it does not follow `$PIPELINE_WORKSTREAM_DIR`). */
export const BUNDLE_GLOB = `${DEFAULT_WORKSTREAM_DIR}/*.json`;

/** `workstreams/*.json` of the first folder only: worktrees under it hold copies that are not bundles. */
export function bundlePattern(): vscode.RelativePattern | undefined {
  const folder = vscode.workspace.workspaceFolders?.[0];
  return folder ? new vscode.RelativePattern(folder, BUNDLE_GLOB) : undefined;
}

export function isBundleDocument(document: vscode.TextDocument): boolean {
  return vscode.languages.match({ pattern: bundlePattern() ?? `**/${BUNDLE_GLOB}` }, document) > 0;
}

export function createWorkspaceApi(): WorkspaceApi {
  return {
    async findBundleFiles() {
      const files = await vscode.workspace.findFiles(BUNDLE_GLOB);
      return files.sort((a, b) => a.fsPath.localeCompare(b.fsPath));
    },
    async readText(uri) {
      const open = vscode.workspace.textDocuments.find(
        (document) => document.uri.toString() === uri.toString(),
      );
      if (open) return open.getText();
      return new TextDecoder().decode(await vscode.workspace.fs.readFile(uri));
    },
    asRelativePath: (uri) => vscode.workspace.asRelativePath(uri, false),
    onBundlesChanged(listener) {
      const watcher = vscode.workspace.createFileSystemWatcher(bundlePattern() ?? `**/${BUNDLE_GLOB}`);
      const subscriptions = [
        watcher,
        watcher.onDidCreate(listener),
        watcher.onDidChange(listener),
        watcher.onDidDelete(listener),
        vscode.workspace.onDidChangeTextDocument((event) => {
          if (isBundleDocument(event.document) && event.contentChanges.length > 0) listener();
        }),
      ];
      return vscode.Disposable.from(...subscriptions);
    },
  };
}
