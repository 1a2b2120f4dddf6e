import * as vscode from "vscode";
import { type SpecWorkspace, rangeOf } from "./specWorkspace";

/** Undefined, duplicate and malformed tags, republished whenever the index changes. */
export function registerSpecDiagnostics(
  context: vscode.ExtensionContext,
  deps: { spec: SpecWorkspace },
): void {
  const collection = vscode.languages.createDiagnosticCollection("wsp-spec");
  const publish = () => {
    const byFile = new Map<string, vscode.Diagnostic[]>();
    for (const problem of deps.spec.index.diagnostics()) {
      const diagnostic = new vscode.Diagnostic(
        rangeOf(problem),
        problem.message,
        problem.severity === "error" ? vscode.DiagnosticSeverity.Error : vscode.DiagnosticSeverity.Warning,
      );
      diagnostic.source = "wsp-spec";
      diagnostic.code = problem.code;
      byFile.set(problem.file, [...(byFile.get(problem.file) ?? []), diagnostic]);
    }
    collection.clear();
    for (const [file, diagnostics] of byFile) collection.set(deps.spec.uriOf(file), diagnostics);
  };
  context.subscriptions.push(collection, deps.spec.onDidChange(publish));
  publish();
}
