import * as vscode from "vscode";
import { type Logger } from "../../core/logger";
import { DEFAULT_WORKSTREAM_DIR } from "../../node/paths";
import { WORKSTREAM_ID_PATTERN, newBundleText } from "../../shared/newBundle";

export const CREATE_BUNDLE_COMMAND = "workstreamPipeline.bundle.create";

/** Creates `workstreams/<id>.json` from a template and opens it; asks for the id when none is given. */
export function registerCreateBundle(context: vscode.ExtensionContext, deps: { log: Logger }): void {
  context.subscriptions.push(
    vscode.commands.registerCommand(CREATE_BUNDLE_COMMAND, async (givenId?: string) => {
      const folder = vscode.workspace.workspaceFolders?.[0];
      if (!folder) {
        void vscode.window.showErrorMessage(
          "Open a folder first: workstreams live in its workstreams/ folder.",
        );
        return;
      }
      const id =
        givenId ??
        (await vscode.window.showInputBox({
          title: "New workstream",
          prompt: "Workstream id",
          value: "ws-",
          validateInput: (value) =>
            WORKSTREAM_ID_PATTERN.test(value) ? undefined : "Use ws- then a-z, 0-9 and -",
        }));
      if (!id) return;
      const uri = vscode.Uri.joinPath(folder.uri, DEFAULT_WORKSTREAM_DIR, `${id}.json`);
      try {
        await vscode.workspace.fs.stat(uri);
        void vscode.window.showErrorMessage(`workstreams/${id}.json already exists.`);
        return;
      } catch {
        // does not exist yet: create it
      }
      await vscode.workspace.fs.writeFile(uri, new TextEncoder().encode(newBundleText(id)));
      deps.log.info(`created workstreams/${id}.json`);
      await vscode.window.showTextDocument(uri);
    }),
  );
}
