import assert from "node:assert/strict";
import * as vscode from "vscode";
import { activateExtension, EXTENSION_ID } from "./helpers";

suite("walkthrough", () => {
  test("walks from the example to a merge, each step's page shipped with the extension", async () => {
    await activateExtension();
    const extension = vscode.extensions.getExtension(EXTENSION_ID)!;
    const manifest = extension.packageJSON as {
      contributes: { walkthroughs: { steps: { id: string; media: { markdown: string } }[] }[] };
    };
    const [walkthrough] = manifest.contributes.walkthroughs;
    assert.deepEqual(
      walkthrough?.steps.map((step) => step.id),
      ["open-example", "validate", "run", "panel", "review", "merge"],
    );
    for (const step of walkthrough.steps) {
      const page = vscode.Uri.joinPath(extension.extensionUri, step.media.markdown);
      const text = new TextDecoder().decode(await vscode.workspace.fs.readFile(page));
      assert.match(text, /^# /, `${step.media.markdown} has a heading`);
    }
  });
});
