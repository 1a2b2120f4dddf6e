/**
 * The editor's one bundle model. One watcher and one debounce feed the core's incremental
 * `BundleWorkspace` (validation, for the Problems panel) and, from the very same texts in the same
 * update, the summaries the Workstreams tree, commands and tasks read; so every view shows the same
 * version of every file.
 */
import { BundleWorkspace, parseToolProfiles, type ValidationResult } from "../../core/bundle";
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
  /**
   * The text of a file: the open editor's text when it is open, otherwise what is on disk;
   * undefined when the file does not exist on disk (even if an editor still holds its text) or
   * cannot be read.
   */
  readText(uri: U): Promise<string | undefined>;
  asRelativePath(uri: U): string;
  /** The tool profiles file (`config/tool_profiles.json`), when a folder is open. */
  toolProfilesFile(): U | undefined;
  /** Workspace-relative paths of the files the overlap rule compares scopes against. */
  trackedFiles(): Promise<string[]>;
  /**
   * Calls back with the file on any create, change or delete of a bundle file or of the tool
   * profiles file, and on edits of open bundles.
   */
  onDidChangeFile(listener: (uri: U) => void): DisposableLike;
}

/** One bundle with the file it lives in. */
export interface IndexedBundle<U = unknown> extends BundleInFile {
  uri: U;
}

/** One bundle file: the text the workspace holds and the tree's reading of that same text. */
interface IndexedFile<U> {
  uri: U;
  /** Workspace-relative path. */
  file: string;
  text: string;
  parsed: ParsedBundleFile;
}

/**
 * Bundle files in the workspace and their validation, kept current (debounced) as files change on
 * disk or in an editor. Only the files that changed are read again and handed to the workspace.
 */
export class BundleIndex<U extends { toString(): string }> implements DisposableLike {
  private readonly _onDidChange = new Emitter<void>();
  /** Fires after every update; `bundles()` and `result()` then both reflect it. */
  readonly onDidChange = this._onDidChange.event;
  private readonly workspace = new BundleWorkspace({ trackedFiles: [] });
  /** Keyed by `uri.toString()`, the workspace's document uri. */
  private readonly files = new Map<string, IndexedFile<U>>();
  private sorted: IndexedBundle<U>[] | undefined;
  private loadError: string | undefined;
  private trackedFilesLoaded = false;
  /** Files changed since the last update, read again at the next one. */
  private readonly pending = new Map<string, U>();
  /** Updates run one at a time, in order: each reads its files, then applies them all at once. */
  private queue: Promise<void> = Promise.resolve();
  private readonly subscriptions: DisposableLike[] = [];

  constructor(
    private readonly api: BundleFiles<U>,
    private readonly log: Logger,
    debounceMs = 100,
  ) {
    const update = debounce(() => void this.enqueue(() => this.applyPending()), debounceMs);
    this.subscriptions.push(
      this._onDidChange,
      api.onDidChangeFile((uri) => {
        this.pending.set(uri.toString(), uri);
        update.schedule();
      }),
      {
        dispose: () => update.cancel(),
      },
    );
  }

  /** Reads every bundle file (and the tool profiles) again and fires onDidChange. */
  reload(): Promise<void> {
    return this.enqueue(() => this.loadAll());
  }

  /** All bundles, in file order. */
  bundles(): IndexedBundle<U>[] {
    this.sorted ??= [...this.files.values()]
      .sort((a, b) => a.file.localeCompare(b.file))
      .flatMap(({ uri, parsed }) => parsed.bundles.map((bundle) => ({ ...bundle, uri })));
    return this.sorted.slice();
  }

  /** The validation of the same texts `bundles()` reads; diagnostics' `file` is `uri.toString()`. */
  result(): ValidationResult {
    return this.workspace.result();
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

  private enqueue(update: () => Promise<void>): Promise<void> {
    const done = this.queue.then(update);
    this.queue = done.catch(() => undefined);
    return done;
  }

  private async loadAll(): Promise<void> {
    if (!this.trackedFilesLoaded) {
      try {
        this.workspace.setTrackedFiles(await this.api.trackedFiles(), { deferred: true });
        this.trackedFilesLoaded = true;
      } catch (error) {
        this.log.error(`listing tracked files failed: ${String(error)}`);
      }
    }
    const profilesFile = this.api.toolProfilesFile();
    let read: { uri: U; text: string | undefined }[];
    let profiles: string | undefined;
    try {
      const found = await this.api.findBundleFiles();
      read = await Promise.all(found.map(async (uri) => ({ uri, text: await this.readText(uri) })));
      if (profilesFile) profiles = await this.readText(profilesFile);
      this.loadError = undefined;
    } catch (error) {
      this.loadError = error instanceof Error ? error.message : String(error);
      this.log.error(`reading bundles failed: ${this.loadError}`);
      read = [];
    }
    // Everything is read; from here on nothing awaits, so no view sees half an update.
    const present = new Set(read.map(({ uri }) => uri.toString()));
    for (const key of [...this.files.keys()]) if (!present.has(key)) this.removeFile(key);
    for (const { uri, text } of read) this.applyText(uri, text);
    if (profilesFile && this.loadError === undefined) this.applyProfiles(profilesFile, profiles);
    this.publish();
    this.log.info(`validated ${this.files.size} bundle file(s)`);
  }

  private async applyPending(): Promise<void> {
    const batch = [...this.pending.values()];
    this.pending.clear();
    const texts = await Promise.all(batch.map((uri) => this.readText(uri)));
    const profilesFile = this.api.toolProfilesFile()?.toString();
    batch.forEach((uri, position) => {
      if (uri.toString() === profilesFile) this.applyProfiles(uri, texts[position]);
      else this.applyText(uri, texts[position]);
    });
    this.publish();
  }

  private async readText(uri: U): Promise<string | undefined> {
    try {
      return await this.api.readText(uri);
    } catch {
      return undefined;
    }
  }

  /** Hands one file's text (undefined: it is gone) to the workspace and the tree's reading alike. */
  private applyText(uri: U, text: string | undefined): void {
    const key = uri.toString();
    if (text === undefined) {
      this.removeFile(key);
      return;
    }
    if (this.files.get(key)?.text === text) return;
    this.workspace.setDocument(key, text, { deferred: true });
    const file = this.api.asRelativePath(uri);
    const parsed = parseBundleFile(text, file);
    if (parsed.syntaxErrors > 0) this.log.warn(`${file}: not valid JSON`);
    this.files.set(key, { uri, file, text, parsed });
    this.sorted = undefined;
  }

  private removeFile(key: string): void {
    if (!this.files.delete(key)) return;
    this.workspace.removeDocument(key, { deferred: true });
    this.sorted = undefined;
  }

  private applyProfiles(uri: U, text: string | undefined): void {
    this.workspace.setToolProfiles(parseToolProfiles(uri.toString(), text ?? null), { deferred: true });
  }

  private publish(): void {
    this._onDidChange.fire();
  }
}
