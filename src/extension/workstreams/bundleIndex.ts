import { type Logger } from "../../core/logger";
import { type BundleInFile, type ParsedBundleFile, parseBundleFile } from "../../shared/bundleFile";
import { debounce } from "../../shared/debounce";
import { type DisposableLike, Emitter } from "../../shared/emitter";

/**
 * What the index needs from the editor; `createWorkspaceApi` (workspaceApi.ts) wraps `vscode` for
 * it, and unit tests hand in a fake, so this file never loads `vscode` at run time.
 */
export interface BundleFiles<U> {
  /** Bundle files, sorted. */
  findBundleFiles(): Promise<U[]>;
  /** The text of a file: the open editor's text when it is open, otherwise what is on disk. */
  readText(uri: U): Promise<string>;
  asRelativePath(uri: U): string;
  /** Calls back on any create, change or delete of a bundle file, and on edits of open bundles. */
  onBundlesChanged(listener: () => void): DisposableLike;
}

/** One bundle with the file it lives in. */
export interface IndexedBundle<U = unknown> extends BundleInFile {
  uri: U;
}

/** Bundle files in the workspace, re-read (debounced) whenever one changes on disk or in an editor. */
export class BundleIndex<U extends { toString(): string }> implements DisposableLike {
  private readonly _onDidChange = new Emitter<void>();
  /** Fires after every reload. */
  readonly onDidChange = this._onDidChange.event;
  private files = new Map<string, { uri: U; parsed: ParsedBundleFile }>();
  private loadError: string | undefined;
  private readonly subscriptions: DisposableLike[] = [];

  constructor(
    private readonly api: BundleFiles<U>,
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
    const next = new Map<string, { uri: U; parsed: ParsedBundleFile }>();
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
  bundles(): IndexedBundle<U>[] {
    return [...this.files.values()].flatMap(({ uri, parsed }) =>
      parsed.bundles.map((bundle) => ({ ...bundle, uri })),
    );
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
    for (const subscription of this.subscriptions) subscription.dispose();
  }
}
