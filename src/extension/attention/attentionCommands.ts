/**
 * The actions of the attention section: Approve and Request Changes (both spawn `wsp review`),
 * the failing output, and the bundle to edit. Review, Retry and the jump to a blocker reuse the
 * commands the tree already has. Approve and Request Changes refuse in an untrusted workspace.
 */
import * as vscode from "vscode";
import { type CliResult, type CliRunner } from "../commands/cliRunner";
import { idOf, pickWorkstream } from "../commands/target";
import { ATTENTION_COMMANDS, AttentionNode } from "../tree/attentionNode";
import { OPEN_BUNDLE_COMMAND } from "../tree/workstreamNode";
import { requireTrust } from "../trust";
import { type BundleIndex } from "../workstreams/bundleIndex";
import { type AttentionSource } from "./attentionModel";

export interface AttentionCommandsDeps {
  index: BundleIndex<vscode.Uri>;
  cli: CliRunner;
  attention: AttentionSource;
}

export function registerAttentionCommands(
  context: vscode.ExtensionContext,
  deps: AttentionCommandsDeps,
): void {
  const approve = async (argument?: unknown): Promise<CliResult | undefined> => {
    if (!requireTrust()) return undefined;
    const id = await pickWorkstream(argument, deps.index, "Approve the finished work of which workstream?");
    if (id === undefined) return undefined;
    const result = await deps.cli.run(["review", "approve", id]);
    if (result.code === 0)
      void vscode.window.showInformationMessage(
        `Approved ${id}: the merge queue (wsp merge --all) takes it.`,
      );
    else deps.cli.report(`Approve ${id}`, result);
    return result;
  };

  /** `comment` is for callers that already have one (other extensions, tests); people get a box. */
  const requestChanges = async (argument?: unknown, comment?: unknown): Promise<CliResult | undefined> => {
    if (!requireTrust()) return undefined;
    const id = await pickWorkstream(argument, deps.index, "Request changes on which workstream?");
    if (id === undefined) return undefined;
    const text =
      typeof comment === "string"
        ? comment
        : await vscode.window.showInputBox({
            title: `Request changes on ${id}`,
            prompt: "What should change? Your comment becomes the FIX prompt, and the workstream runs again.",
            placeHolder: "e.g. Keep the report's totals in cents, not floats",
            ignoreFocusOut: true,
            validateInput: (value) => (value.trim() === "" ? "Say what should change." : undefined),
          });
    if (text === undefined || text.trim() === "") return undefined;
    deps.cli.channel.show(true);
    const result = await vscode.window.withProgress(
      {
        location: vscode.ProgressLocation.Notification,
        title: `Requesting changes on ${id}: running its FIX`,
      },
      () => deps.cli.run(["review", "request-changes", id, "--comment", text.trim()]),
    );
    return deps.cli.report(`Request changes on ${id}`, result);
  };

  const showFailure = async (argument?: unknown) => {
    const id = idOf(argument);
    const item = deps.attention.items().find((candidate) => candidate.wsId === id);
    const runId = argument instanceof AttentionNode ? argument.item.runId : item?.runId;
    await vscode.commands.executeCommand("workstreamPipeline.runEvents.show", runId ? { runId } : undefined);
  };

  const editBundle = async (argument?: unknown) => {
    const id = await pickWorkstream(argument, deps.index, "Edit the bundle of which workstream?");
    const bundle = deps.index.bundles().find(({ summary }) => summary.id === id);
    if (!bundle) return;
    await vscode.commands.executeCommand(
      OPEN_BUNDLE_COMMAND,
      bundle.uri,
      bundle.idRange.offset,
      bundle.idRange.length,
    );
  };

  context.subscriptions.push(
    vscode.commands.registerCommand(ATTENTION_COMMANDS.approve, approve),
    vscode.commands.registerCommand(ATTENTION_COMMANDS.requestChanges, requestChanges),
    vscode.commands.registerCommand(ATTENTION_COMMANDS.showOutput, showFailure),
    vscode.commands.registerCommand(ATTENTION_COMMANDS.editBundle, editBundle),
  );
}
