import assert from "node:assert/strict";
import * as vscode from "vscode";
import { activateExtension, waitFor, workspaceRoot } from "./helpers";

const bundle = () => vscode.Uri.joinPath(workspaceRoot(), "workstreams", "ws-inventory-core.json");
const spec = () => vscode.Uri.joinPath(workspaceRoot(), "docs", "example", "spec.md");

/** The position just inside `[IDX-INV-STOCK-01]` in a document. */
async function positionOfTag(uri: vscode.Uri, tag: string): Promise<vscode.Position> {
  const document = await vscode.workspace.openTextDocument(uri);
  const offset = document.getText().indexOf(`[${tag}]`);
  assert.ok(offset >= 0, `${tag} is in ${uri.path}`);
  return document.positionAt(offset + 3);
}

function hoverText(hovers: vscode.Hover[]): string {
  return hovers
    .flatMap((hover) => hover.contents)
    .map((content) => (typeof content === "string" ? content : content.value))
    .join("\n");
}

suite("spec tags", () => {
  suiteSetup(async () => {
    await activateExtension();
  });
  teardown(async () => {
    await vscode.commands.executeCommand("workbench.action.files.revert");
    await vscode.commands.executeCommand("workbench.action.closeAllEditors");
  });

  test("Go to Definition on a tag in a bundle lands on the doc heading", async () => {
    const position = await positionOfTag(bundle(), "IDX-INV-STOCK-01");
    const locations = await vscode.commands.executeCommand<(vscode.Location | vscode.LocationLink)[]>(
      "vscode.executeDefinitionProvider",
      bundle(),
      position,
    );
    assert.equal(locations.length, 1);
    const location = locations[0];
    const uri = "targetUri" in location ? location.targetUri : location.uri;
    const range = "targetRange" in location ? location.targetRange : location.range;
    assert.equal(uri.toString(), spec().toString());
    const document = await vscode.workspace.openTextDocument(uri);
    assert.equal(document.lineAt(range.start.line).text, "## Stock levels [IDX-INV-STOCK-01]");
  });

  test("hover shows the description, the mapping and the coverage", async () => {
    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>(
      "vscode.executeHoverProvider",
      bundle(),
      await positionOfTag(bundle(), "IDX-INV-STOCK-01"),
    );
    const text = hoverText(hovers);
    assert.match(text, /\*\*IDX-INV-STOCK-01\*\*/);
    assert.match(text, /Stock levels/);
    assert.match(text, /Module `[^`]+` · function `[^`]+` · phase \S+ · v[\d.]+/);
    assert.match(text, /Coverage: covered \(bundles: 1, code: 0, tests: 1\)/);
  });

  test("Find All References lists the bundle and the test", async () => {
    const locations = await vscode.commands.executeCommand<vscode.Location[]>(
      "vscode.executeReferenceProvider",
      spec(),
      await positionOfTag(spec(), "IDX-INV-STOCK-01"),
    );
    // Markdown's own provider may add the heading itself once its server is up: compare the files.
    const files = [
      ...new Set(locations.map((location) => vscode.workspace.asRelativePath(location.uri, false))),
    ].sort();
    assert.deepEqual(files, [
      "docs/example/spec.md",
      "example/test/inventory.test.js",
      "workstreams/ws-inventory-core.json",
    ]);
  });

  test("typing IDX- in Go to Symbol in Workspace lists the tags", async () => {
    const symbols = await vscode.commands.executeCommand<vscode.SymbolInformation[]>(
      "vscode.executeWorkspaceSymbolProvider",
      "IDX-",
    );
    const names = symbols.map((symbol) => symbol.name).filter((name) => name.startsWith("IDX-"));
    assert.deepEqual(names.sort(), ["IDX-INV-AUDIT-03", "IDX-INV-REPORT-02", "IDX-INV-STOCK-01"]);
  });

  test("document links in a bundle point at the definition", async () => {
    const links = await vscode.commands.executeCommand<vscode.DocumentLink[]>(
      "vscode.executeLinkProvider",
      bundle(),
    );
    const targets = links
      .map((link) => link.target?.path)
      .filter((path) => path?.endsWith("/docs/example/spec.md"));
    assert.equal(targets.length, 1);
  });

  test("an undefined tag typed into a bundle is flagged, and cleared when fixed", async () => {
    const editor = await vscode.window.showTextDocument(bundle());
    const text = editor.document.getText();
    const offset = text.indexOf("[IDX-INV-STOCK-01]");
    const range = new vscode.Range(
      editor.document.positionAt(offset),
      editor.document.positionAt(offset + 18),
    );
    assert.ok(await editor.edit((builder) => builder.replace(range, "[IDX-INV-STOCK-99]")));
    const flagged = await waitFor("the undefined-tag diagnostic", () =>
      vscode.languages
        .getDiagnostics(bundle())
        .find((diagnostic) => diagnostic.source === "wsp-spec" && diagnostic.code === "undefined-tag"),
    );
    assert.match(flagged.message, /IDX-INV-STOCK-99/);
    const undo = new vscode.Range(
      editor.document.positionAt(offset),
      editor.document.positionAt(offset + 18),
    );
    assert.ok(await editor.edit((builder) => builder.replace(undo, "[IDX-INV-STOCK-01]")));
    await waitFor("the diagnostic to clear", () =>
      vscode.languages.getDiagnostics(bundle()).some((diagnostic) => diagnostic.source === "wsp-spec")
        ? undefined
        : true,
    );
  });
});
