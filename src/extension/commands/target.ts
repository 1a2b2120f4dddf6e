/** Which workstream a command is about: the tree node it was invoked on, an id, or the user's pick. */
import * as vscode from "vscode";
import { type BundleIndex } from "../workstreams/bundleIndex";

/** The id in a command's argument: a string, a workstream node (its bundle) or an attention node (its wsId). */
export function idOf(argument: unknown): string | undefined {
  if (typeof argument === "string") return argument;
  if (typeof argument === "object" && argument !== null && "wsId" in argument) {
    const wsId = (argument as { wsId?: unknown }).wsId;
    if (typeof wsId === "string") return wsId;
  }
  if (typeof argument === "object" && argument !== null && "bundle" in argument) {
    const bundle = (argument as { bundle?: { summary?: { id?: unknown } } }).bundle;
    if (typeof bundle?.summary?.id === "string") return bundle.summary.id;
  }
  return undefined;
}

/** The workstream id, asking with a quick pick when the command came from the palette. */
export async function pickWorkstream(
  argument: unknown,
  index: BundleIndex<vscode.Uri>,
  placeHolder: string,
): Promise<string | undefined> {
  const given = idOf(argument);
  if (given !== undefined) return given;
  const items = index.bundles().map(({ summary }) => ({
    label: summary.id,
    description: summary.title,
  }));
  if (items.length === 0) {
    void vscode.window.showInformationMessage("There are no workstreams in workstreams/ yet.");
    return undefined;
  }
  return (await vscode.window.showQuickPick(items, { placeHolder }))?.label;
}
