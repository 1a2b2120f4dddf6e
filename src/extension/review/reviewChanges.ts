/**
 * Review changes: a diff editor for each file the workstream's branch changed against its base
 * (the merge base with the current HEAD). Both sides come from `git show` through a read-only
 * content provider, so nothing is checked out or written.
 */
import * as vscode from "vscode";
import { branchChanges, showFile, workstreamBranch } from "../../node/git";
import { pickWorkstream } from "../commands/target";
import { type BundleIndex } from "../workstreams/bundleIndex";

export const GIT_SHOW_SCHEME = "workstream-pipeline-git";

/** A URI whose content is `git show <ref>:<path>` (empty when the file does not exist at ref). */
function showUri(ref: string, file: string): vscode.Uri {
  return vscode.Uri.from({
    scheme: GIT_SHOW_SCHEME,
    path: `/${file}`,
    query: new URLSearchParams({ ref }).toString(),
  });
}

export function registerReviewChanges(
  context: vscode.ExtensionContext,
  deps: { root: string; index: BundleIndex<vscode.Uri> },
): void {
  const provider: vscode.TextDocumentContentProvider = {
    async provideTextDocumentContent(uri) {
      const ref = new URLSearchParams(uri.query).get("ref") ?? "HEAD";
      return (await showFile(deps.root, ref, uri.path.slice(1))) ?? "";
    },
  };
  context.subscriptions.push(
    vscode.workspace.registerTextDocumentContentProvider(GIT_SHOW_SCHEME, provider),
    vscode.commands.registerCommand(
      "workstreamPipeline.workstream.reviewChanges",
      async (argument?: unknown) => {
        const id = await pickWorkstream(argument, deps.index, "Review the changes of which workstream?");
        if (id === undefined) return undefined;
        const branch = workstreamBranch(id);
        let changes;
        try {
          changes = await branchChanges(deps.root, branch);
        } catch (error) {
          void vscode.window.showErrorMessage(
            `Cannot review ${id}: branch ${branch} not found or unreadable (${error instanceof Error ? error.message : String(error)}). Run the workstream first.`,
          );
          return undefined;
        }
        if (changes.files.length === 0) {
          void vscode.window.showInformationMessage(`${branch} changes no file against its base.`);
          return [];
        }
        for (const file of changes.files) {
          await vscode.commands.executeCommand(
            "vscode.diff",
            showUri(changes.base, file.path),
            showUri(branch, file.path),
            `${file.path} (${id}: ${changes.base.slice(0, 7)} ↔ ${branch})`,
            { preview: false },
          );
        }
        return changes.files.map((file) => file.path);
      },
    ),
  );
}
