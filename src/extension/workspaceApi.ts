/**
 * Thin wrappers around the parts of the `vscode` API the features use. Unit tests hand the features
 * a fake of this interface instead of stubbing the module loader.
 */
import * as vscode from "vscode";
import { DEFAULT_WORKSTREAM_DIR, TOOL_PROFILES_FILE } from "../node/paths";
import { type BundleFiles } from "./workstreams/bundleIndex";

/** The bundle-file access the Workstreams index needs, on real `vscode.Uri`s. */
export type WorkspaceApi = BundleFiles<vscode.Uri>;

/** The bundles: the editor reads the default folder (it does not follow `$PIPELINE_WORKSTREAM_DIR`). */
export const BUNDLE_GLOB = `${DEFAULT_WORKSTREAM_DIR}/*.json`;
/** The tool profiles file, relative to the folder; rule 8 checks tool ids against it. */
export const TOOL_PROFILES = TOOL_PROFILES_FILE;

/** `workstreams/*.json` of the first folder only: worktrees under it hold copies that are not bundles. */
export function bundlePattern(): vscode.RelativePattern | undefined {
  const folder = vscode.workspace.workspaceFolders?.[0];
  return folder ? new vscode.RelativePattern(folder, BUNDLE_GLOB) : undefined;
}

export function isBundleDocument(document: vscode.TextDocument): boolean {
  return vscode.languages.match({ pattern: bundlePattern() ?? `**/${BUNDLE_GLOB}` }, document) > 0;
}

/** Files the overlap rule leaves out: dependencies, git, build output, tools and worktrees. */
const NOT_TRACKED = "{**/node_modules/**,**/.git/**,**/dist/**,**/out/**,**/.tools/**,**/.worktrees/**}";

export function createWorkspaceApi(): WorkspaceApi {
  const folder = () => vscode.workspace.workspaceFolders?.[0];
  return {
    async findBundleFiles() {
      const files = await vscode.workspace.findFiles(BUNDLE_GLOB);
      return files.sort((a, b) => a.fsPath.localeCompare(b.fsPath));
    },
    async readText(uri) {
      const open = vscode.workspace.textDocuments.find(
        (document) => document.uri.toString() === uri.toString(),
      );
      try {
        if (!open) return new TextDecoder().decode(await vscode.workspace.fs.readFile(uri));
        // A document stays in textDocuments a while after its editor closes: a deleted file is
        // gone even so, as the tree always had it (it listed the files on disk).
        await vscode.workspace.fs.stat(uri);
        return open.getText();
      } catch {
        return undefined;
      }
    },
    asRelativePath: (uri) => vscode.workspace.asRelativePath(uri, false),
    toolProfilesFile() {
      const root = folder();
      return root ? vscode.Uri.joinPath(root.uri, TOOL_PROFILES) : undefined;
    },
    async trackedFiles() {
      if (!folder()) return [];
      const uris = await vscode.workspace.findFiles("**/*", NOT_TRACKED, 20_000);
      return uris.map((uri) => vscode.workspace.asRelativePath(uri, false));
    },
    onDidChangeFile(listener) {
      // One watcher for the bundles and the tool profiles file, both of the first folder only.
      const watched = `{${BUNDLE_GLOB},${TOOL_PROFILES}}`;
      const root = folder();
      const watcher = vscode.workspace.createFileSystemWatcher(
        root ? new vscode.RelativePattern(root, watched) : `**/${watched}`,
      );
      const subscriptions = [
        watcher,
        watcher.onDidCreate(listener),
        watcher.onDidChange(listener),
        watcher.onDidDelete(listener),
        vscode.workspace.onDidChangeTextDocument((event) => {
          if (isBundleDocument(event.document) && event.contentChanges.length > 0)
            listener(event.document.uri);
        }),
      ];
      return vscode.Disposable.from(...subscriptions);
    },
  };
}
