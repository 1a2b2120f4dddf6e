import { findNodeAtOffset, type Node, getNodePath, parseTree } from "jsonc-parser";
import * as vscode from "vscode";
import { WORKSTREAM_ID_PATTERN, toWorkstreamId } from "../../shared/newBundle";
import { CREATE_BUNDLE_COMMAND } from "../commands/createBundle";
import { BUNDLE_GLOB, bundlePattern } from "../workspaceApi";
import { DIAGNOSTIC_SOURCE } from "./bundleDiagnostics";

const UNKNOWN_DEPENDENCY = /^Unknown dependency "([^"]+)"/;

/** The string value at `offset`; undefined on keys and non-strings. */
function stringAt(text: string, offset: number): Node | undefined {
  const root = parseTree(text);
  const node = root && findNodeAtOffset(root, offset);
  if (node?.type !== "string") return undefined;
  if (node.parent?.type === "property" && node.parent.children?.[0] === node) return undefined;
  return node;
}

/** Deletes an array element together with the comma that joins it to a neighbour. */
function removeElement(document: vscode.TextDocument, node: Node): vscode.WorkspaceEdit {
  const siblings = node.parent?.type === "array" ? (node.parent.children ?? []) : [node];
  const position = siblings.indexOf(node);
  const previous = siblings[position - 1];
  const next = siblings[position + 1];
  const start = previous ? previous.offset + previous.length : node.offset;
  const end = previous || !next ? node.offset + node.length : next.offset;
  const edit = new vscode.WorkspaceEdit();
  edit.delete(document.uri, new vscode.Range(document.positionAt(start), document.positionAt(end)));
  return edit;
}

function replaceString(document: vscode.TextDocument, node: Node, value: string): vscode.WorkspaceEdit {
  const edit = new vscode.WorkspaceEdit();
  const range = new vscode.Range(
    document.positionAt(node.offset),
    document.positionAt(node.offset + node.length),
  );
  edit.replace(document.uri, range, JSON.stringify(value));
  return edit;
}

/** Quick fixes where the fix is clear: drop or create an unknown dependency, fix an id's shape. */
class BundleQuickFixes implements vscode.CodeActionProvider {
  static readonly kinds = [vscode.CodeActionKind.QuickFix];

  provideCodeActions(
    document: vscode.TextDocument,
    range: vscode.Range,
    context: vscode.CodeActionContext,
  ): vscode.CodeAction[] {
    const actions: vscode.CodeAction[] = [];
    for (const diagnostic of context.diagnostics) {
      if (diagnostic.source !== DIAGNOSTIC_SOURCE || diagnostic.code !== "dependency") continue;
      const missing = UNKNOWN_DEPENDENCY.exec(diagnostic.message)?.[1];
      const target = stringAt(document.getText(), document.offsetAt(diagnostic.range.start) + 1);
      if (!missing || !target) continue;
      const remove = new vscode.CodeAction(
        `Remove unknown dependency "${missing}"`,
        vscode.CodeActionKind.QuickFix,
      );
      remove.diagnostics = [diagnostic];
      remove.isPreferred = true;
      remove.edit = removeElement(document, target);
      const create = new vscode.CodeAction(
        `Create a bundle for "${missing}"`,
        vscode.CodeActionKind.QuickFix,
      );
      create.diagnostics = [diagnostic];
      create.command = { command: CREATE_BUNDLE_COMMAND, title: create.title, arguments: [missing] };
      actions.push(remove, ...(WORKSTREAM_ID_PATTERN.test(missing) ? [create] : []));
    }
    const atCursor = stringAt(document.getText(), document.offsetAt(range.start));
    const atCursorPath = atCursor ? getNodePath(atCursor) : [];
    const currentId = String(atCursor?.value);
    if (
      atCursor &&
      atCursorPath[atCursorPath.length - 1] === "id" &&
      !WORKSTREAM_ID_PATTERN.test(currentId)
    ) {
      const fixed = toWorkstreamId(currentId);
      const rename = new vscode.CodeAction(`Rename id to "${fixed}"`, vscode.CodeActionKind.QuickFix);
      rename.edit = replaceString(document, atCursor, fixed);
      rename.diagnostics = context.diagnostics.filter((diagnostic) => diagnostic.range.contains(range.start));
      actions.push(rename);
    }
    return actions;
  }
}

export function registerBundleQuickFixes(context: vscode.ExtensionContext): void {
  context.subscriptions.push(
    vscode.languages.registerCodeActionsProvider(
      { pattern: bundlePattern() ?? `**/${BUNDLE_GLOB}` },
      new BundleQuickFixes(),
      {
        providedCodeActionKinds: BundleQuickFixes.kinds,
      },
    ),
  );
}
