/**
 * The state store, read-only (safe beside the CLI writing it): opened lazily once the file exists,
 * and announcing changes (debounced) when the store's file or journal changes on disk.
 */
import { existsSync } from "node:fs";
import path from "node:path";
import * as vscode from "vscode";
import { type Logger } from "../../core/logger";
import { type Store } from "../../core/store";
import { debounce } from "../../shared/debounce";
import { resolveDbPath } from "../../node/paths";
import { openStore } from "../../node/store";

export class StoreReader implements vscode.Disposable {
  private store: Store | undefined;
  private opening: Promise<Store | undefined> | undefined;
  private readonly changed = new vscode.EventEmitter<void>();
  /** Fires (debounced) after the store changed on disk. */
  readonly onDidChange = this.changed.event;
  private readonly watcher: vscode.FileSystemWatcher;
  private readonly fire = debounce(() => this.changed.fire(), 250);
  readonly dbPath: string;

  constructor(
    readonly root: string,
    private readonly log: Logger,
  ) {
    this.dbPath = resolveDbPath(undefined, process.env, root);
    this.watcher = vscode.workspace.createFileSystemWatcher(
      new vscode.RelativePattern(
        vscode.Uri.file(path.dirname(this.dbPath)),
        `${path.basename(this.dbPath)}*`,
      ),
    );
    const onFile = () => this.fire.schedule();
    this.watcher.onDidChange(onFile);
    this.watcher.onDidCreate(onFile);
    this.watcher.onDidDelete(onFile);
  }

  /** Tells listeners the store changed (a run this window started just wrote to it). */
  poke(): void {
    this.fire.schedule();
  }

  /** The store, or undefined while none exists yet. */
  async get(): Promise<Store | undefined> {
    if (this.store) return this.store;
    if (!existsSync(this.dbPath)) return undefined;
    this.opening ??= openStore({ path: this.dbPath, readOnly: true })
      .then((store) => (this.store = store))
      .catch((error: unknown) => {
        this.log.warn(`cannot read the state store ${this.dbPath}: ${String(error)}`);
        return undefined;
      })
      .finally(() => (this.opening = undefined));
    return this.opening;
  }

  dispose(): void {
    this.fire.cancel();
    this.watcher.dispose();
    this.changed.dispose();
    void this.store?.close();
  }
}
