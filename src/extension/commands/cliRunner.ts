/**
 * The one-shot `wsp` runs the editor's commands make (validate, merge, review, ...): each spawns the
 * bundled CLI in the workspace and writes its command line, output and exit code to one channel.
 */
import * as vscode from "vscode";
import { spawnCli } from "../runs/cliProcess";
import { type StoreReader } from "../runs/storeReader";

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export const COMMANDS_CHANNEL = "Workstream Pipeline: Commands";

export class CliRunner implements vscode.Disposable {
  readonly channel = vscode.window.createOutputChannel(COMMANDS_CHANNEL);

  constructor(
    private readonly extensionPath: string,
    private readonly root: string,
    private readonly store: StoreReader,
  ) {}

  /** Runs `wsp args…` to the end; the store is poked after, since most commands write to it. */
  async run(args: string[]): Promise<CliResult> {
    const channel = this.channel;
    channel.appendLine(`$ wsp ${args.join(" ")}`);
    let stdout = "";
    let stderr = "";
    const process = spawnCli({
      extensionPath: this.extensionPath,
      cwd: this.root,
      args,
      onStdoutLine: (line) => {
        stdout += `${line}\n`;
        channel.appendLine(line);
      },
      onStderr: (text) => {
        stderr += text;
        channel.append(text);
      },
    });
    const { code } = await process.exited;
    channel.appendLine(`[exit ${code}]\n`);
    this.store.poke();
    return { code, stdout, stderr };
  }

  /** Tells the user how a command ended: done, or failed with its last line and a way to the output. */
  report(what: string, result: CliResult): CliResult {
    if (result.code === 0) void vscode.window.showInformationMessage(`${what}: done.`);
    else
      void vscode.window
        .showErrorMessage(
          `${what} failed (exit ${result.code}): ${lastLine(result.stderr || result.stdout)}`,
          "Show Output",
        )
        .then((choice) => (choice ? this.channel.show() : undefined));
    return result;
  }

  dispose(): void {
    this.channel.dispose();
  }
}

export function lastLine(text: string): string {
  const lines = text.trim().split("\n");
  return lines[lines.length - 1] ?? "";
}
