import assert from "node:assert/strict";
import { type ValidationResult } from "../../src/core/bundle";
import { silentLogger } from "../../src/core/logger";
import { type BundleFiles, BundleIndex } from "../../src/extension/workstreams/bundleIndex";

const PROFILES = "config/tool_profiles.json";

/**
 * A fake of our own BundleFiles wrapper: files on "disk" and in open "editors" in maps, change
 * notifications on demand.
 */
class FakeBundleFiles implements BundleFiles<string> {
  readonly files = new Map<string, string>();
  /** Open editors' texts, read instead of the disk's. */
  readonly open = new Map<string, string>();
  tracked: string[] = [];
  reads: string[] = [];
  trackedListings = 0;
  failWith: Error | undefined;
  private listeners: ((uri: string) => void)[] = [];

  findBundleFiles(): Promise<string[]> {
    if (this.failWith) return Promise.reject(this.failWith);
    return Promise.resolve([...this.files.keys()].filter((uri) => uri !== PROFILES).sort());
  }
  readText(uri: string): Promise<string | undefined> {
    this.reads.push(uri);
    if (!this.files.has(uri)) return Promise.resolve(undefined); // deleted, even if still open
    return Promise.resolve(this.open.get(uri) ?? this.files.get(uri));
  }
  asRelativePath(uri: string): string {
    return uri;
  }
  toolProfilesFile(): string {
    return PROFILES;
  }
  trackedFiles(): Promise<string[]> {
    this.trackedListings++;
    return Promise.resolve(this.tracked);
  }
  onDidChangeFile(listener: (uri: string) => void) {
    this.listeners.push(listener);
    return { dispose: () => (this.listeners = this.listeners.filter((entry) => entry !== listener)) };
  }
  change(uri: string): void {
    for (const listener of this.listeners) listener(uri);
  }
}

/** A bundle that passes the shape check, so only the cross-file rules speak. */
const bundle = (id: string, dependsOn: string[] = [], extra: Record<string, unknown> = {}) =>
  JSON.stringify(
    {
      id,
      title: id.toUpperCase(),
      openspec_change: "OS-1",
      ccpm_issue: 1,
      gate: 1,
      files_scope: [`src/${id}.js`],
      tasks: [],
      tool: "claude",
      depends_on: dependsOn,
      ...extra,
    },
    null,
    2,
  );
const nextChange = (index: BundleIndex<string>) =>
  new Promise<void>((resolve) => {
    const subscription = index.onDidChange(() => {
      subscription.dispose();
      resolve();
    });
  });
const findings = (result: ValidationResult, type: string) =>
  result.diagnostics
    .filter((diagnostic) => diagnostic.type === type)
    .map((diagnostic) => [diagnostic.file, diagnostic.message]);

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
    assert.deepEqual(
      index.result().bundles.map((loaded) => [loaded.source.file, loaded.bundle.id]),
      [
        ["workstreams/a.json", "ws-a"],
        ["workstreams/b.json", "ws-b"],
      ],
      "the validation holds the same files",
    );
    index.dispose();
  });

  it("coalesces a burst of changes into one debounced update that reads only the changed file", async () => {
    const files = new FakeBundleFiles();
    files.files.set("workstreams/a.json", bundle("ws-a"));
    const index = new BundleIndex(files, silentLogger, 20);
    await index.reload();
    files.reads = [];
    let updates = 0;
    index.onDidChange(() => updates++);
    const changed = nextChange(index);
    files.files.set("workstreams/c.json", bundle("ws-c"));
    for (let burst = 0; burst < 5; burst++) files.change("workstreams/c.json");
    await changed;
    await new Promise((resolve) => setTimeout(resolve, 40));
    assert.equal(updates, 1);
    assert.deepEqual(files.reads, ["workstreams/c.json"]);
    assert.deepEqual(
      index.bundles().map((entry) => entry.summary.id),
      ["ws-a", "ws-c"],
    );
    assert.equal(files.trackedListings, 1, "the tracked files are listed once, at the first load");
    index.dispose();
  });

  it("shows an edit of an open document in the tree and the diagnostics after the same one debounce", async () => {
    const files = new FakeBundleFiles();
    files.files.set("workstreams/a.json", bundle("ws-a", ["ws-b"]));
    files.files.set("workstreams/b.json", bundle("ws-b"));
    const index = new BundleIndex(files, silentLogger, 10);
    await index.reload();
    const seen: { ids: string[]; unknown: unknown[] }[] = [];
    index.onDidChange(() =>
      seen.push({
        ids: index.bundles().map((entry) => entry.summary.id),
        unknown: findings(index.result(), "dependency"),
      }),
    );

    // Typed into the open editor, not saved: the disk still says ws-b.
    const changed = nextChange(index);
    files.open.set("workstreams/b.json", bundle("ws-renamed"));
    files.change("workstreams/b.json");
    await changed;
    assert.deepEqual(seen, [
      {
        ids: ["ws-a", "ws-renamed"],
        unknown: [
          [
            "workstreams/a.json",
            'Unknown dependency "ws-b": no bundle in the workstreams directory has this id.',
          ],
        ],
      },
    ]);

    // Reverted in the editor: both views go back together.
    const reverted = nextChange(index);
    files.open.delete("workstreams/b.json");
    files.change("workstreams/b.json");
    await reverted;
    assert.deepEqual(seen[1], { ids: ["ws-a", "ws-b"], unknown: [] });
    index.dispose();
  });

  it("takes a deleted file out of the tree and the validation in one update", async () => {
    const files = new FakeBundleFiles();
    files.files.set("workstreams/a.json", bundle("ws-a", ["ws-b"]));
    files.files.set("workstreams/b.json", bundle("ws-b"));
    const index = new BundleIndex(files, silentLogger, 10);
    await index.reload();
    const changed = nextChange(index);
    files.open.set("workstreams/b.json", bundle("ws-b")); // its editor was closed a moment ago
    files.files.delete("workstreams/b.json");
    files.change("workstreams/b.json");
    await changed;
    assert.deepEqual(
      index.bundles().map((entry) => entry.summary.id),
      ["ws-a"],
    );
    assert.equal(findings(index.result(), "dependency").length, 1);
    index.dispose();
  });

  it("feeds the tool profiles file into the same validation", async () => {
    const files = new FakeBundleFiles();
    files.files.set("workstreams/a.json", bundle("ws-a", [], { tool: "codex" }));
    const index = new BundleIndex(files, silentLogger, 10);
    await index.reload();
    assert.deepEqual(
      findings(index.result(), "config").map(([file]) => file),
      [PROFILES],
      "a missing profiles file is one warning",
    );
    const changed = nextChange(index);
    files.files.set(PROFILES, JSON.stringify({ claude: {} }));
    files.change(PROFILES);
    await changed;
    assert.deepEqual(findings(index.result(), "config"), [
      ["workstreams/a.json", 'Unknown tool profile "codex" in tool; defined profiles: claude.'],
    ]);
    assert.deepEqual(
      index.bundles().map((entry) => entry.summary.id),
      ["ws-a"],
      "the profiles file is not a bundle",
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
    assert.deepEqual(
      index.bundles().map((entry) => entry.summary.id),
      ["ws-a"],
      "the tree keeps what it can read of a file mid-edit",
    );
    files.failWith = new Error("disk on fire");
    await index.reload();
    assert.equal(index.error(), "disk on fire");
    assert.deepEqual(index.bundles(), []);
    assert.deepEqual(index.result().bundles, [], "nor does the validation keep them");
    index.dispose();
  });

  it("stops listening once disposed", async () => {
    const files = new FakeBundleFiles();
    const index = new BundleIndex(files, silentLogger, 5);
    let fired = 0;
    index.onDidChange(() => fired++);
    index.dispose();
    files.change("workstreams/a.json");
    await new Promise((resolve) => setTimeout(resolve, 30));
    assert.equal(fired, 0);
  });
});
