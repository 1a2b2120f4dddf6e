/**
 * Review changes: a diff editor for each file the workstream's branch changed against its base
 * (the merge base with the current HEAD). Both sides come from `git show` through a read-only
 * content provider, so nothing is checked out or written.
 */
import * as vscode from "vscode";
import { execCapture } from "../../node/process/execCapture";
import { pickWorkstream } from "../commands/target";
import { type BundleIndex } from "../workstreams/bundleIndex";

export const GIT_SHOW_SCHEME = "workstream-pipeline-git";

async function git(root: string, args: string[]): Promise<string> {
  const run = await execCapture("git", args, { cwd: root, maxBuffer: 64 * 1024 * 1024 }).catch(
    (error: Error) => {
      // Keep git's own words (execFile's), not the wrapper's "git <args>: " prefix.
      throw error.cause instanceof Error ? new Error(error.cause.message) : error;
    },
  );
  if (run.exitCode !== 0) throw new Error(run.stderr.trim() || `Command failed: git ${args.join(" ")}\n`);
  return run.stdout;
}

/** A URI whose content is `git show <ref>:<path>` (empty when the file does not exist at ref). */
function showUri(ref: string, file: string): vscode.Uri {
  return vscode.Uri.from({
    scheme: GIT_SHOW_SCHEME,
    path: `/${file}`,
    query: new URLSearchParams({ ref }).toString(),
  });
}

export interface ChangedFile {
  status: string;
  path: string;
}

/** Files changed on `branch` since it left `HEAD` (git's three-dot diff). */
export async function changedFiles(
  root: string,
  branch: string,
): Promise<{ base: string; files: ChangedFile[] }> {
  const base = (await git(root, ["merge-base", "HEAD", branch])).trim();
  const output = await git(root, ["diff", "--name-status", "--no-renames", "-z", base, branch]);
  const fields = output.split("\0").filter((field) => field !== "");
  const files: ChangedFile[] = [];
  for (let i = 0; i + 1 < fields.length; i += 2) files.push({ status: fields[i], path: fields[i + 1] });
  return { base, files };
}

export function registerReviewChanges(
  context: vscode.ExtensionContext,
  deps: { root: string; index: BundleIndex<vscode.Uri> },
): void {
  const provider: vscode.TextDocumentContentProvider = {
    async provideTextDocumentContent(uri) {
      const ref = new URLSearchParams(uri.query).get("ref") ?? "HEAD";
      try {
        return await git(deps.root, ["show", `${ref}:${uri.path.slice(1)}`]);
      } catch {
        return "";
      }
    },
  };
  context.subscriptions.push(
    vscode.workspace.registerTextDocumentContentProvider(GIT_SHOW_SCHEME, provider),
    vscode.commands.registerCommand(
      "workstreamPipeline.workstream.reviewChanges",
      async (argument?: unknown) => {
        const id = await pickWorkstream(argument, deps.index, "Review the changes of which workstream?");
        if (id === undefined) return undefined;
        const branch = `workstream/${id}`;
        let changes;
        try {
          changes = await changedFiles(deps.root, branch);
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
