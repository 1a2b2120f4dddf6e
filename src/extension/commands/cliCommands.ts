/**
 * One-shot CLI commands: Validate all, Export to GitHub Actions, Initialize repository, Initialize
 * state store, Show AI tool status, Merge and Open worktree. Each runs the bundled `wsp` and shows its output in one channel.
 */
import { existsSync } from "node:fs";
import path from "node:path";
import * as vscode from "vscode";
import { resolveWorktreesDir } from "../../node/paths";
import { requireTrust } from "../trust";
import { type BundleIndex } from "../workstreams/bundleIndex";
import { type CliResult, type CliRunner, lastLine } from "./cliRunner";
import { pickWorkstream } from "./target";

export type { CliResult } from "./cliRunner";

export interface CliCommandsDeps {
  root: string;
  index: BundleIndex<vscode.Uri>;
  cli: CliRunner;
}

/** What Merge reports: merged, or the branch and files that conflict (the base untouched). */
export interface MergeOutcome {
  merged: boolean;
  conflict?: { branch: string; files: string[] };
  message?: string;
}

export function registerCliCommands(context: vscode.ExtensionContext, deps: CliCommandsDeps): void {
  const channel = deps.cli.channel;
  const wsp = (args: string[]) => deps.cli.run(args);
  const report = (what: string, result: CliResult) => deps.cli.report(what, result);

  context.subscriptions.push(
    vscode.commands.registerCommand("workstreamPipeline.workstreams.validate", async () => {
      const result = await wsp(["validate"]);
      channel.show(true);
      return report("Validate all workstreams", result);
    }),
    vscode.commands.registerCommand("workstreamPipeline.workstreams.exportGithubActions", async () => {
      // The export writes the workflow and a copy of the CLI into the repository.
      if (!requireTrust()) return undefined;
      const result = await wsp(["export", "github-actions"]);
      channel.show(true);
      return report("Export to GitHub Actions (.github/workflows/workstreams.yml)", result);
    }),
    vscode.commands.registerCommand("workstreamPipeline.repository.init", async () => {
      if (!requireTrust()) return undefined;
      const result = await wsp(["init"]);
      channel.show(true);
      return report("Initialize repository", result);
    }),
    vscode.commands.registerCommand("workstreamPipeline.store.init", async () => {
      if (!requireTrust()) return undefined;
      return report("Initialize state store", await wsp(["db", "init"]));
    }),
    vscode.commands.registerCommand("workstreamPipeline.tools.status", async () => {
      if (!requireTrust()) return undefined;
      const result = await wsp(["aim", "status"]);
      channel.show(true);
      return result;
    }),
    vscode.commands.registerCommand("workstreamPipeline.workstream.merge", async (argument?: unknown) => {
      if (!requireTrust()) return undefined;
      const id = await pickWorkstream(argument, deps.index, "Merge which workstream into the base?");
      if (id === undefined) return undefined;
      // Through the merge queue, as `wsp merge --all`: gated, and a conflict or red gate sends the
      // workstream back as a reopened FIX run while the base stays green.
      return reportMerge(id, await wsp(["merge", id]), channel);
    }),
    vscode.commands.registerCommand(
      "workstreamPipeline.workstream.openWorktree",
      async (argument?: unknown) => {
        const id = await pickWorkstream(argument, deps.index, "Open the worktree of which workstream?");
        if (id === undefined) return undefined;
        const folder = path.join(resolveWorktreesDir(deps.root, process.env), id);
        if (!existsSync(folder)) {
          void vscode.window.showInformationMessage(
            `${id} has no worktree (a successful run removes it; failed and cancelled runs keep theirs).`,
          );
          return undefined;
        }
        await vscode.commands.executeCommand("vscode.openFolder", vscode.Uri.file(folder), {
          forceNewWindow: true,
        });
        return folder;
      },
    ),
    vscode.commands.registerCommand(
      "workstreamPipeline.workstream.removeWorktree",
      async (argument?: unknown) => {
        if (!requireTrust()) return undefined;
        const id = await pickWorkstream(argument, deps.index, "Remove the worktree of which workstream?");
        if (id === undefined) return undefined;
        return report(`Remove the worktree of ${id}`, await wsp(["worktree", "remove", id]));
      },
    ),
  );
}

/** What `wsp merge` prints: the queue's report, or (with --atomic) a merged flag and any conflict. */
interface MergeReport {
  merged?: boolean | { ws_id: string }[];
  conflict?: { branch: string; files: string[] };
  left?: { ws_id: string; reason: string }[];
  awaiting_review?: { ws_id: string }[];
  stopped?: string;
  base?: string;
}

/** Reads `wsp merge`'s JSON result and tells the user, naming conflicting files or why the queue sent it back. */
function reportMerge(id: string, result: CliResult, channel: vscode.OutputChannel): MergeOutcome {
  let parsed: MergeReport = {};
  try {
    parsed = JSON.parse(result.stdout) as MergeReport;
  } catch {
    // usage errors print no JSON
  }
  const merged = Array.isArray(parsed.merged) ? parsed.merged.some((m) => m.ws_id === id) : parsed.merged;
  if (result.code === 0 && merged === true) {
    void vscode.window.showInformationMessage(`Merged ${id} into ${parsed.base ?? "the base"}.`);
    return { merged: true };
  }
  if (parsed.conflict) {
    const message = `Merging ${id} conflicts on ${parsed.conflict.branch}: ${parsed.conflict.files.join(", ")}. The base was left untouched.`;
    void vscode.window.showErrorMessage(message, "Show Output").then((c) => (c ? channel.show() : undefined));
    return { merged: false, conflict: parsed.conflict, message };
  }
  const why =
    parsed.left?.find((l) => l.ws_id === id)?.reason ??
    (parsed.awaiting_review?.some((r) => r.ws_id === id)
      ? "it waits for review (Approve it first)"
      : undefined) ??
    parsed.stopped;
  if (why !== undefined) {
    const message = `${id} was not merged: ${why}. The base was left green.`;
    void vscode.window
      .showWarningMessage(message, "Show Output")
      .then((c) => (c ? channel.show() : undefined));
    return { merged: false, message };
  }
  const message = `Merge of ${id} failed: ${lastLine(result.stderr || result.stdout)}`;
  void vscode.window.showErrorMessage(message, "Show Output").then((c) => (c ? channel.show() : undefined));
  return { merged: false, message };
}
