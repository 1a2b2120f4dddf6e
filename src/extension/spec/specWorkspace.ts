import * as vscode from "vscode";
import { type Logger } from "../../core/logger";
import { SpecIndex } from "../../core/spec/specIndex";
import { type TagOccurrence } from "../../core/spec/types";
import { debounce } from "../../shared/debounce";
import { classifySpecFile, SPEC_FILES_GLOB } from "../../shared/specFiles";

const EXCLUDE = "{**/node_modules/**,**/.git/**,**/dist/**,**/out/**,**/.tools/**,**/.worktrees/**}";

/**
 * The core's incremental SpecIndex kept in step with the workspace: files on disk through a watcher,
 * open editors on every edit (debounced), each change re-scanning only the file that changed.
 */
export class SpecWorkspace implements vscode.Disposable {
  readonly index = new SpecIndex(classifySpecFile);
  private readonly _onDidChange = new vscode.EventEmitter<void>();
  /** Fires after the index changed. */
  readonly onDidChange = this._onDidChange.event;
  private readonly subscriptions: vscode.Disposable[] = [this._onDidChange];
  private readonly pending = new Map<string, string | null>();
  private markLoaded: () => void = () => undefined;
  /**
   * Settles once the first `load` has read every spec file (whether or not it succeeded): activation
   * no longer waits for it, so a hover or Go to Definition asked before then waits here instead of
   * answering from a half-read index.
   */
  readonly loaded = new Promise<void>((resolve) => (this.markLoaded = resolve));

  constructor(
    readonly root: vscode.Uri,
    private readonly log: Logger,
  ) {
    const flush = debounce(() => this.flush(), 100);
    const queue = (uri: vscode.Uri, text: string | null) => {
      const file = this.fileOf(uri);
      if (file === undefined || classifySpecFile(file) === undefined) return;
      this.pending.set(file, text);
      flush.schedule();
    };
    const fromDisk = async (uri: vscode.Uri) => queue(uri, await this.read(uri));
    const watcher = vscode.workspace.createFileSystemWatcher(
      new vscode.RelativePattern(root, SPEC_FILES_GLOB),
    );
    this.subscriptions.push(
      watcher,
      watcher.onDidCreate((uri) => void fromDisk(uri)),
      watcher.onDidChange((uri) => void fromDisk(uri)),
      watcher.onDidDelete((uri) => queue(uri, null)),
      vscode.workspace.onDidChangeTextDocument((event) => {
        if (event.contentChanges.length > 0) queue(event.document.uri, event.document.getText());
      }),
      { dispose: () => flush.cancel() },
    );
  }

  /** Reads every spec file once. */
  async load(): Promise<void> {
    try {
      await this.readAll();
    } finally {
      this.markLoaded();
    }
  }

  private async readAll(): Promise<void> {
    const uris = await vscode.workspace.findFiles(
      new vscode.RelativePattern(this.root, SPEC_FILES_GLOB),
      EXCLUDE,
      20_000,
    );
    let count = 0;
    for (const uri of uris) {
      const file = this.fileOf(uri);
      const text = file === undefined ? null : await this.read(uri);
      if (file !== undefined && text !== null && this.index.updateFile(file, text)) count++;
    }
    this.log.info(`indexed ${count} file(s), ${this.index.definedTags().length} defined tag(s)`);
    this._onDidChange.fire();
  }

  /** Workspace-relative '/'-separated path of a file inside the root, else undefined. */
  fileOf(uri: vscode.Uri): string | undefined {
    const base = this.root.path.endsWith("/") ? this.root.path : `${this.root.path}/`;
    if (uri.scheme !== this.root.scheme || !uri.path.startsWith(base)) return undefined;
    const file = uri.path.slice(base.length);
    // Workstream worktrees hold copies of the repository; their tags are not new definitions.
    return file.startsWith(".worktrees/") ? undefined : file;
  }

  uriOf(file: string): vscode.Uri {
    return vscode.Uri.joinPath(this.root, file);
  }

  /** The tag under a position of a document, if any. */
  tagAt(document: vscode.TextDocument, position: vscode.Position): TagOccurrence | undefined {
    const file = this.fileOf(document.uri);
    return file === undefined ? undefined : this.index.tagAt(file, position.line + 1, position.character + 1);
  }

  /** Where an occurrence sits (the whole `[IDX-…]`, brackets included). */
  locationOf(occurrence: TagOccurrence): vscode.Location {
    return new vscode.Location(this.uriOf(occurrence.file), rangeOf(occurrence));
  }

  dispose(): void {
    vscode.Disposable.from(...this.subscriptions).dispose();
  }

  private flush(): void {
    for (const [file, text] of this.pending) {
      if (text === null) this.index.removeFile(file);
      else this.index.updateFile(file, text);
    }
    this.pending.clear();
    this._onDidChange.fire();
  }

  private async read(uri: vscode.Uri): Promise<string | null> {
    const open = vscode.workspace.textDocuments.find(
      (document) => document.uri.toString() === uri.toString(),
    );
    if (open) return open.getText();
    try {
      return new TextDecoder().decode(await vscode.workspace.fs.readFile(uri));
    } catch {
      return null;
    }
  }
}

/** The range of a position given 1-based line/column and a same-line length. */
export function rangeOf(position: { line: number; column: number; length: number }): vscode.Range {
  const start = new vscode.Position(position.line - 1, position.column - 1);
  return new vscode.Range(start, start.translate(0, position.length));
}
