import * as vscode from "vscode";
import {
  BundleWorkspace,
  parseToolProfiles,
  type Diagnostic,
  type ValidationResult,
} from "../../core/bundle";
import { type Logger } from "../../core/logger";
import { TOOL_PROFILES_FILE } from "../../node/paths";
import { debounce } from "../../shared/debounce";
import { BUNDLE_GLOB, bundlePattern, isBundleDocument } from "../workspaceApi";

export const DIAGNOSTIC_SOURCE = "wsp";
/** Shape and syntax errors come from the JSON language service through `jsonValidation`; we add the rest. */
const LEFT_TO_JSON_SERVICE = new Set<Diagnostic["type"]>(["parse", "schema"]);

function toVscodeDiagnostic(diagnostic: Diagnostic): vscode.Diagnostic {
  const start = new vscode.Position(diagnostic.line - 1, diagnostic.column - 1);
  const range = new vscode.Range(start, start.translate(0, Math.max(diagnostic.length, 1)));
  const severity =
    diagnostic.severity === "error"
      ? vscode.DiagnosticSeverity.Error
      : diagnostic.severity === "warning"
        ? vscode.DiagnosticSeverity.Warning
        : vscode.DiagnosticSeverity.Information;
  const result = new vscode.Diagnostic(range, diagnostic.message, severity);
  result.source = DIAGNOSTIC_SOURCE;
  result.code = diagnostic.type;
  return result;
}

/** Files the overlap rule compares scopes against: the workspace's files, without build output. */
async function trackedFiles(): Promise<string[]> {
  const uris = await vscode.workspace.findFiles(
    "**/*",
    "{**/node_modules/**,**/.git/**,**/dist/**,**/out/**,**/.tools/**,**/.worktrees/**}",
    20_000,
  );
  return uris.map((uri) => vscode.workspace.asRelativePath(uri, false));
}

async function readOrNull(uri: vscode.Uri): Promise<string | null> {
  const open = vscode.workspace.textDocuments.find((document) => document.uri.toString() === uri.toString());
  if (open) return open.getText();
  try {
    return new TextDecoder().decode(await vscode.workspace.fs.readFile(uri));
  } catch {
    return null;
  }
}

/**
 * Cross-file validation as you type: every edit of a bundle goes to the core's incremental
 * `BundleWorkspace` (debounced), and the whole result is published, so a cycle edited in one file
 * marks all its members and fixing it clears them all.
 */
export function registerBundleDiagnostics(
  context: vscode.ExtensionContext,
  deps: { log: Logger; debounceMs?: number },
): { ready: Promise<void> } {
  const collection = vscode.languages.createDiagnosticCollection(DIAGNOSTIC_SOURCE);
  const folder = vscode.workspace.workspaceFolders?.[0];
  const workspace = new BundleWorkspace({ trackedFiles: [] });
  let published = new Set<string>();

  const publish = (result: ValidationResult) => {
    const byFile = new Map<string, vscode.Diagnostic[]>();
    for (const diagnostic of result.diagnostics) {
      if (LEFT_TO_JSON_SERVICE.has(diagnostic.type)) continue;
      byFile.set(diagnostic.file, [...(byFile.get(diagnostic.file) ?? []), toVscodeDiagnostic(diagnostic)]);
    }
    for (const file of published) if (!byFile.has(file)) collection.delete(vscode.Uri.parse(file));
    for (const [file, diagnostics] of byFile) collection.set(vscode.Uri.parse(file), diagnostics);
    published = new Set(byFile.keys());
  };

  const pending = new Map<string, string>();
  const flush = debounce(() => {
    for (const [uri, text] of pending) workspace.setDocument(uri, text, { deferred: true });
    pending.clear();
    publish(workspace.result());
  }, deps.debounceMs ?? 100);
  const setText = (uri: vscode.Uri, text: string) => {
    pending.set(uri.toString(), text);
    flush.schedule();
  };
  const reloadFile = async (uri: vscode.Uri) => {
    const text = await readOrNull(uri);
    if (text === null) {
      pending.delete(uri.toString());
      publish(workspace.removeDocument(uri.toString()));
    } else setText(uri, text);
  };
  const reloadToolProfiles = async () => {
    if (!folder) return;
    const uri = vscode.Uri.joinPath(folder.uri, TOOL_PROFILES_FILE);
    publish(workspace.setToolProfiles(parseToolProfiles(uri.toString(), await readOrNull(uri))));
  };

  // Root-relative patterns: copies in workstream worktrees (.worktrees/<id>/workstreams/) are not bundles.
  const watcher = vscode.workspace.createFileSystemWatcher(bundlePattern() ?? `**/${BUNDLE_GLOB}`);
  const profilesWatcher = vscode.workspace.createFileSystemWatcher(
    folder ? new vscode.RelativePattern(folder, TOOL_PROFILES_FILE) : `**/${TOOL_PROFILES_FILE}`,
  );
  context.subscriptions.push(
    collection,
    watcher,
    profilesWatcher,
    { dispose: () => flush.cancel() },
    vscode.workspace.onDidChangeTextDocument((event) => {
      if (isBundleDocument(event.document) && event.contentChanges.length > 0)
        setText(event.document.uri, event.document.getText());
    }),
    watcher.onDidCreate((uri) => void reloadFile(uri)),
    watcher.onDidChange((uri) => void reloadFile(uri)),
    watcher.onDidDelete((uri) => void reloadFile(uri)),
    profilesWatcher.onDidCreate(() => void reloadToolProfiles()),
    profilesWatcher.onDidChange(() => void reloadToolProfiles()),
    profilesWatcher.onDidDelete(() => void reloadToolProfiles()),
  );

  const ready = (async () => {
    if (!folder) return;
    workspace.setTrackedFiles(await trackedFiles());
    await reloadToolProfiles();
    for (const uri of await vscode.workspace.findFiles(BUNDLE_GLOB)) {
      const text = await readOrNull(uri);
      if (text !== null) workspace.setDocument(uri.toString(), text, { deferred: true });
    }
    publish(workspace.result());
    deps.log.info(`validated ${workspace.uris().length} bundle file(s)`);
  })().catch((error: unknown) => deps.log.error(`validation failed: ${String(error)}`));
  return { ready };
}
