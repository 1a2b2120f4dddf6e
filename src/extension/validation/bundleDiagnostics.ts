import * as vscode from "vscode";
import { type Diagnostic, type ValidationResult } from "../../core/bundle";
import { type BundleIndex } from "../workstreams/bundleIndex";

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

/**
 * Cross-file validation as you type, in the Problems panel: publishes the bundle index's validation
 * (the core's incremental `BundleWorkspace`, fed by the index's one watcher and debounce) after
 * every update, so a cycle edited in one file marks all its members and fixing it clears them all,
 * and the tree never shows another version of a file than the diagnostics do.
 */
export function registerBundleDiagnostics(
  context: vscode.ExtensionContext,
  deps: { index: BundleIndex<vscode.Uri> },
): void {
  const collection = vscode.languages.createDiagnosticCollection(DIAGNOSTIC_SOURCE);
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

  context.subscriptions.push(
    collection,
    deps.index.onDidChange(() => publish(deps.index.result())),
  );
}
