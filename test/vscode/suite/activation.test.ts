import assert from "node:assert/strict";
import * as vscode from "vscode";

import { EXTENSION_ID as extensionId } from "./helpers";

suite("activation", () => {
  test("the extension activates in a workspace with workstreams", async () => {
    const extension = vscode.extensions.getExtension(extensionId);
    assert.ok(extension, `extension ${extensionId} is loaded`);
    await extension.activate();
    assert.equal(extension.isActive, true);
  });

  test("every contributed command is registered", async () => {
    const extension = vscode.extensions.getExtension(extensionId);
    assert.ok(extension);
    await extension.activate();
    const manifest = extension.packageJSON as { contributes?: { commands?: { command: string }[] } };
    const contributed = (manifest.contributes?.commands ?? []).map((entry) => entry.command);
    assert.ok(contributed.length > 0, "the manifest contributes commands");
    const registered = new Set(await vscode.commands.getCommands(true));
    const missing = contributed.filter((command) => !registered.has(command));
    assert.deepEqual(missing, []);
  });
});
