import assert from "node:assert/strict";
import * as vscode from "vscode";
import { activateExtension, waitFor, workspaceRoot } from "./helpers";

function bundleUri(id: string): vscode.Uri {
  return vscode.Uri.joinPath(workspaceRoot(), "workstreams", `${id}.json`);
}

function ours(uri: vscode.Uri): vscode.Diagnostic[] {
  return vscode.languages.getDiagnostics(uri).filter((diagnostic) => diagnostic.source === "wsp");
}

/** Replaces the first `find` in the open editor's text with `replace`, as typing would. */
async function typeInto(editor: vscode.TextEditor, find: string, replace: string): Promise<void> {
  const offset = editor.document.getText().indexOf(find);
  assert.ok(offset >= 0, `"${find}" is in ${editor.document.uri.path}`);
  const range = new vscode.Range(
    editor.document.positionAt(offset),
    editor.document.positionAt(offset + find.length),
  );
  assert.ok(await editor.edit((builder) => builder.replace(range, replace)));
}

suite("validation as you type", () => {
  suiteSetup(async () => {
    await activateExtension();
  });
  teardown(async () => {
    await vscode.commands.executeCommand("workbench.action.files.revert");
    await vscode.commands.executeCommand("workbench.action.closeAllEditors");
  });

  test("an unknown dependency is flagged within 1 s of the keystroke and cleared when removed", async () => {
    const uri = bundleUri("ws-inventory-report");
    const editor = await vscode.window.showTextDocument(uri);
    assert.deepEqual(ours(uri), []);
    const typed = Date.now();
    await typeInto(
      editor,
      '"depends_on": ["ws-inventory-core"]',
      '"depends_on": ["ws-inventory-core", "ws-nowhere"]',
    );
    const [diagnostic] = await waitFor("the unknown-dependency diagnostic", () => {
      const found = ours(uri).filter((entry) => entry.code === "dependency");
      return found.length > 0 ? found : undefined;
    });
    assert.ok(Date.now() - typed < 1000, `shown after ${Date.now() - typed} ms`);
    assert.match(diagnostic.message, /Unknown dependency "ws-nowhere"/);
    assert.equal(editor.document.getText(diagnostic.range), '"ws-nowhere"');

    await typeInto(editor, ', "ws-nowhere"', "");
    await waitFor("the diagnostic to clear", () => (ours(uri).length === 0 ? true : undefined), 1000);
  });

  test("a cycle edited in one file marks every member", async () => {
    const core = bundleUri("ws-inventory-core");
    const report = bundleUri("ws-inventory-report");
    const audit = bundleUri("ws-inventory-audit");
    const editor = await vscode.window.showTextDocument(core);
    await typeInto(editor, '"depends_on": []', '"depends_on": ["ws-inventory-report"]');
    await waitFor("cycle diagnostics on both members", () =>
      [core, report].every((uri) => ours(uri).some((entry) => entry.code === "cycle")) ? true : undefined,
    );
    assert.ok(!ours(audit).some((entry) => entry.code === "cycle"), "a non-member is not marked");
    await typeInto(editor, '"depends_on": ["ws-inventory-report"]', '"depends_on": []');
    await waitFor("the cycle to clear everywhere", () =>
      [core, report].every((uri) => ours(uri).length === 0) ? true : undefined,
    );
  });

  test("the quick fix removes an unknown dependency", async () => {
    const uri = bundleUri("ws-inventory-audit");
    const editor = await vscode.window.showTextDocument(uri);
    await typeInto(
      editor,
      '"depends_on": ["ws-inventory-core"]',
      '"depends_on": ["ws-inventory-core", "ws-ghost"]',
    );
    const diagnostic = await waitFor("the diagnostic", () =>
      ours(uri).find((entry) => entry.code === "dependency"),
    );
    const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>(
      "vscode.executeCodeActionProvider",
      uri,
      diagnostic.range,
      vscode.CodeActionKind.QuickFix.value,
    );
    const titles = actions.map((action) => action.title);
    assert.ok(titles.includes('Create a bundle for "ws-ghost"'), titles.join(", "));
    const remove = actions.find((action) => action.title === 'Remove unknown dependency "ws-ghost"');
    assert.ok(remove?.edit, titles.join(", "));
    assert.ok(await vscode.workspace.applyEdit(remove.edit));
    assert.ok(!editor.document.getText().includes("ws-ghost"));
    assert.deepEqual((JSON.parse(editor.document.getText()) as { depends_on: string[] }).depends_on, [
      "ws-inventory-core",
    ]);
    await waitFor("the diagnostic to clear", () => (ours(uri).length === 0 ? true : undefined));
  });

  test("an id that breaks the pattern gets a rename fix", async () => {
    const uri = bundleUri("ws-inventory-audit");
    const editor = await vscode.window.showTextDocument(uri);
    await typeInto(editor, '"id": "ws-inventory-audit"', '"id": "Inventory Audit"');
    const offset = editor.document.getText().indexOf('"Inventory Audit"') + 2;
    const position = editor.document.positionAt(offset);
    const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>(
      "vscode.executeCodeActionProvider",
      uri,
      new vscode.Range(position, position),
      vscode.CodeActionKind.QuickFix.value,
    );
    const rename = actions.find((action) => action.title === 'Rename id to "ws-inventory-audit"');
    assert.ok(rename?.edit, actions.map((action) => action.title).join(", "));
    assert.ok(await vscode.workspace.applyEdit(rename.edit));
    assert.equal((JSON.parse(editor.document.getText()) as { id: string }).id, "ws-inventory-audit");
  });
});
