import assert from "node:assert/strict";
import { silentLogger } from "../../src/core/logger";
import { type BundleFiles, BundleIndex } from "../../src/extension/workstreams/bundleIndex";

/** A fake of our own BundleFiles wrapper: files in a map, change notifications on demand. */
class FakeBundleFiles implements BundleFiles<string> {
  readonly files = new Map<string, string>();
  reads = 0;
  failWith: Error | undefined;
  private listeners: (() => void)[] = [];

  findBundleFiles(): Promise<string[]> {
    if (this.failWith) return Promise.reject(this.failWith);
    return Promise.resolve([...this.files.keys()].sort());
  }
  readText(uri: string): Promise<string> {
    this.reads++;
    return Promise.resolve(this.files.get(uri) ?? "");
  }
  asRelativePath(uri: string): string {
    return uri;
  }
  onBundlesChanged(listener: () => void) {
    this.listeners.push(listener);
    return { dispose: () => (this.listeners = this.listeners.filter((entry) => entry !== listener)) };
  }
  change(): void {
    for (const listener of this.listeners) listener();
  }
}

const bundle = (id: string, dependsOn: string[] = []) =>
  JSON.stringify({ id, title: id.toUpperCase(), depends_on: dependsOn });
const nextChange = (index: BundleIndex<string>) =>
  new Promise<void>((resolve) => {
    const subscription = index.onDidChange(() => {
      subscription.dispose();
      resolve();
    });
  });

describe("BundleIndex (extension layer, on a fake of our own wrapper)", () => {
  it("reads every bundle file and reports file, id and dependencies", async () => {
    const files = new FakeBundleFiles();
    files.files.set("workstreams/a.json", bundle("ws-a"));
    files.files.set("workstreams/b.json", bundle("ws-b", ["ws-a"]));
    const index = new BundleIndex(files, silentLogger, 10);
    await index.reload();
    assert.deepEqual(
      index.bundles().map((entry) => [entry.uri, entry.summary.id, entry.summary.dependsOn]),
      [
        ["workstreams/a.json", "ws-a", []],
        ["workstreams/b.json", "ws-b", ["ws-a"]],
      ],
    );
    index.dispose();
  });

  it("coalesces a burst of changes into one debounced reload", async () => {
    const files = new FakeBundleFiles();
    files.files.set("workstreams/a.json", bundle("ws-a"));
    const index = new BundleIndex(files, silentLogger, 20);
    await index.reload();
    const readsBefore = files.reads;
    const changed = nextChange(index);
    files.files.set("workstreams/c.json", bundle("ws-c"));
    for (let burst = 0; burst < 5; burst++) files.change();
    await changed;
    assert.equal(files.reads - readsBefore, 2, "one reload reads each of the two files once");
    assert.deepEqual(
      index.bundles().map((entry) => entry.summary.id),
      ["ws-a", "ws-c"],
    );
    index.dispose();
  });

  it("counts files that are not valid JSON and reports a failed reload as an error state", async () => {
    const files = new FakeBundleFiles();
    files.files.set("workstreams/a.json", '{"id": "ws-a",');
    const index = new BundleIndex(files, silentLogger, 10);
    await index.reload();
    assert.equal(index.unreadableFiles(), 1);
    assert.equal(index.error(), undefined);
    files.failWith = new Error("disk on fire");
    await index.reload();
    assert.equal(index.error(), "disk on fire");
    assert.deepEqual(index.bundles(), []);
    index.dispose();
  });

  it("stops listening once disposed", async () => {
    const files = new FakeBundleFiles();
    const index = new BundleIndex(files, silentLogger, 5);
    let fired = 0;
    index.onDidChange(() => fired++);
    index.dispose();
    files.change();
    await new Promise((resolve) => setTimeout(resolve, 30));
    assert.equal(fired, 0);
  });
});
