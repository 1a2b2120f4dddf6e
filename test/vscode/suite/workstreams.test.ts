import assert from "node:assert/strict";
import * as vscode from "vscode";
import { activateExtension, waitFor, workspaceRoot } from "./helpers";

suite("workstreams view", () => {
  test("lists every bundle in workstreams/ with its title", async () => {
    const api = await activateExtension();
    const ids = api.workstreams().map((workstream) => workstream.id);
    assert.deepEqual(ids.sort(), [
      "ws-inventory-audit",
      "ws-inventory-core",
      "ws-inventory-report",
      "ws-run-hang",
      "ws-run-ok",
      "ws-run-xss",
    ]);
    const report = api.workstreams().find((workstream) => workstream.id === "ws-inventory-report");
    assert.equal(report?.title, "Low-stock report");
    assert.deepEqual(report?.dependsOn, ["ws-inventory-core"]);
  });

  test("clicking a workstream opens its bundle with the id selected", async () => {
    await activateExtension();
    const uri = vscode.Uri.joinPath(workspaceRoot(), "workstreams", "ws-inventory-report.json");
    const text = new TextDecoder().decode(await vscode.workspace.fs.readFile(uri));
    const offset = text.indexOf('"ws-inventory-report"');
    await vscode.commands.executeCommand(
      "workstreamPipeline.workstreams.open",
      uri,
      offset,
      '"ws-inventory-report"'.length,
    );
    const editor = vscode.window.activeTextEditor;
    assert.equal(editor?.document.uri.toString(), uri.toString());
    assert.equal(editor?.document.getText(editor.selection), '"ws-inventory-report"');
  });

  test("a new bundle file appears without a manual refresh, and leaves when deleted", async () => {
    const api = await activateExtension();
    await vscode.commands.executeCommand("workstreamPipeline.bundle.create", "ws-inventory-extra");
    await waitFor("the new bundle in the index", () =>
      api.workstreams().some((workstream) => workstream.id === "ws-inventory-extra") ? true : undefined,
    );
    await vscode.commands.executeCommand("workbench.action.closeAllEditors");
    await vscode.workspace.fs.delete(
      vscode.Uri.joinPath(workspaceRoot(), "workstreams", "ws-inventory-extra.json"),
    );
    await waitFor("the deleted bundle to leave the index", () =>
      api.workstreams().some((workstream) => workstream.id === "ws-inventory-extra") ? undefined : true,
    );
  });
});
