import * as vscode from "vscode";
import { type Logger } from "../../core/logger";
import { type BundleInFile, type ParsedBundleFile, parseBundleFile } from "../../shared/bundleFile";
import { debounce } from "../../shared/debounce";
import { type WorkspaceApi } from "../workspaceApi";

/** One bundle with the file it lives in. */
export interface IndexedBundle extends BundleInFile {
  uri: vscode.Uri;
}

/** Bundle files in the workspace, re-read (debounced) whenever one changes on disk or in an editor. */
export class BundleIndex implements vscode.Disposable {
  private readonly _onDidChange = new vscode.EventEmitter<void>();
  /** Fires after every reload. */
  readonly onDidChange = this._onDidChange.event;
  private files = new Map<string, { uri: vscode.Uri; parsed: ParsedBundleFile }>();
  private loadError: string | undefined;
  private readonly subscriptions: vscode.Disposable[] = [];

  constructor(
    private readonly api: WorkspaceApi,
    private readonly log: Logger,
    debounceMs = 150,
  ) {
    const reload = debounce(() => void this.reload(), debounceMs);
    this.subscriptions.push(
      this._onDidChange,
      api.onBundlesChanged(() => reload.schedule()),
      {
        dispose: () => reload.cancel(),
      },
    );
  }

  /** Reads every bundle file again and fires onDidChange. */
  async reload(): Promise<void> {
    const next = new Map<string, { uri: vscode.Uri; parsed: ParsedBundleFile }>();
    try {
      for (const uri of await this.api.findBundleFiles()) {
        const parsed = parseBundleFile(await this.api.readText(uri), this.api.asRelativePath(uri));
        if (parsed.syntaxErrors > 0) this.log.warn(`${this.api.asRelativePath(uri)}: not valid JSON`);
        next.set(uri.toString(), { uri, parsed });
      }
      this.loadError = undefined;
    } catch (error) {
      this.loadError = error instanceof Error ? error.message : String(error);
      this.log.error(`reading bundles failed: ${this.loadError}`);
    }
    this.files = next;
    this._onDidChange.fire();
  }

  /** All bundles, in file order. */
  bundles(): IndexedBundle[] {
    return [...this.files.values()].flatMap(({ uri, parsed }) =>
      parsed.bundles.map((bundle) => ({ ...bundle, uri })),
    );
  }

  /** The bundle with this id, if exactly one file defines it first. */
  find(id: string): IndexedBundle | undefined {
    return this.bundles().find((bundle) => bundle.summary.id === id);
  }

  /** Number of bundle files that are not valid JSON. */
  unreadableFiles(): number {
    return [...this.files.values()].filter(({ parsed }) => parsed.syntaxErrors > 0).length;
  }

  /** Why the last reload failed as a whole, if it did. */
  error(): string | undefined {
    return this.loadError;
  }

  dispose(): void {
    vscode.Disposable.from(...this.subscriptions).dispose();
  }
}
