/**
 * The attention list the tree, badge, status bar and notification show: read again (one read at a
 * time) whenever the store or the bundles change.
 */
import * as vscode from "vscode";
import { type AttentionItem } from "../../core/attention/attention";
import { type Logger } from "../../core/logger";
import { type ReviewPolicy } from "../../core/merge/queueSettings";
import { readAttention } from "../../node/attention/readAttention";
import { loadMergeQueueSettings } from "../../node/tools/mergeQueueConfig";
import { type StoreReader } from "../runs/storeReader";
import { type BundleIndex } from "../workstreams/bundleIndex";

export interface AttentionSource {
  items(): readonly AttentionItem[];
  readonly onDidChange: vscode.Event<void>;
}

export class AttentionModel implements AttentionSource, vscode.Disposable {
  private current: AttentionItem[] = [];
  private reading: Promise<void> | undefined;
  private again = false;
  private readonly changed = new vscode.EventEmitter<void>();
  readonly onDidChange = this.changed.event;
  private readonly subscriptions: { dispose(): void }[];
  private started = false;
  private loaded = false;

  constructor(
    private readonly reader: StoreReader,
    private readonly index: BundleIndex<vscode.Uri>,
    private readonly log: Logger,
  ) {
    this.subscriptions = [
      reader.onDidChange(() => void this.reload()),
      index.onDidChange(() => void this.reload()),
    ];
  }

  items(): readonly AttentionItem[] {
    return this.current;
  }

  /** The first reading, once the bundles are loaded: it always fires, so listeners know what already waits. */
  start(): Promise<void> {
    this.started = true;
    return this.reload();
  }

  /** Reads again; a call during a read makes one more read after it, never two at once. */
  reload(): Promise<void> {
    if (!this.started) return Promise.resolve();
    if (this.reading) {
      this.again = true;
      return this.reading;
    }
    this.reading = this.read().finally(() => {
      this.reading = undefined;
      if (this.again) {
        this.again = false;
        void this.reload();
      }
    });
    return this.reading;
  }

  private async read(): Promise<void> {
    const store = await this.reader.get();
    let items: AttentionItem[] = [];
    if (store) {
      try {
        const workstreams = this.index.bundles().map(({ summary }) => ({
          id: summary.id,
          ...(summary.review ? { review: summary.review } : {}),
        }));
        items = await readAttention(store, workstreams, this.configuredReview());
      } catch (error) {
        this.log.warn(`reading who waits on you failed: ${String(error)}`);
        return;
      }
    }
    const first = !this.loaded;
    const before = JSON.stringify(this.current);
    this.current = items;
    this.loaded = true;
    if (first || JSON.stringify(items) !== before) this.changed.fire();
  }

  /** config/merge_queue.yaml's `review:`; a config that does not load is logged and counts as optional. */
  private configuredReview(): ReviewPolicy {
    try {
      return loadMergeQueueSettings(this.reader.root).review;
    } catch (error) {
      this.log.warn(`config/merge_queue.yaml: ${error instanceof Error ? error.message : String(error)}`);
      return "optional";
    }
  }

  dispose(): void {
    for (const subscription of this.subscriptions) subscription.dispose();
    this.changed.dispose();
  }
}
