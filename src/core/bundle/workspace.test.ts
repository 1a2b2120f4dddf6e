import assert from "node:assert/strict";
import { BundleWorkspace, validateDocuments, type DocumentText } from "./workspace";

function text(id: string, extra: Record<string, unknown> = {}): string {
  const value = {
    id,
    openspec_change: "OS-1",
    ccpm_issue: 1,
    gate: 1,
    files_scope: [`src/${id}.js`],
    tasks: [],
    tool: "x",
    ...extra,
  };
  return JSON.stringify(value, null, 2);
}

describe("incremental validation", () => {
  const initial: DocumentText[] = [
    { uri: "a.json", text: text("ws-a") },
    { uri: "b.json", text: text("ws-b", { depends_on: ["ws-a"] }) },
    { uri: "c.json", text: text("ws-c", { depends_on: ["ws-b"] }) },
  ];

  function workspace(): BundleWorkspace {
    const loaded = new BundleWorkspace({ trackedFiles: ["src/shared.js"] });
    for (const document of initial) loaded.setDocument(document.uri, document.text);
    return loaded;
  }

  it("updates cross-file diagnostics in every affected file after one edit", () => {
    const loaded = workspace();
    assert.deepEqual(loaded.result().diagnostics, []);
    const result = loaded.setDocument("a.json", text("ws-a", { depends_on: ["ws-c"] }));
    assert.deepEqual(
      result.diagnostics.map((d) => [d.file, d.type]),
      [
        ["a.json", "cycle"],
        ["b.json", "cycle"],
        ["c.json", "cycle"],
      ],
    );
    assert.deepEqual(loaded.setDocument("a.json", text("ws-a")).diagnostics, []);
  });

  it("gives the same result as a full pass after a series of edits", () => {
    const loaded = workspace();
    const edits: DocumentText[] = [
      { uri: "b.json", text: text("ws-b", { files_scope: ["src/"] }) },
      { uri: "d.json", text: text("ws-a") },
      { uri: "c.json", text: text("ws-c", { depends_on: ["ws-zz"], files_create: ["src/new.js"] }) },
    ];
    for (const edit of edits) loaded.setDocument(edit.uri, edit.text);
    const documents = new Map(initial.map((d) => [d.uri, d.text]));
    for (const edit of edits) documents.set(edit.uri, edit.text);
    const full = validateDocuments(
      [...documents].map(([uri, value]) => ({ uri, text: value })),
      { trackedFiles: ["src/shared.js"] },
    );
    assert.deepEqual(loaded.result(), full);
    assert.ok(full.diagnostics.some((d) => d.type === "duplicate"));
    assert.ok(full.diagnostics.some((d) => d.type === "overlap" && d.file === "c.json"));
  });

  it("moves cross-file diagnostics with the text when an edit only shifts positions", () => {
    const loaded = workspace();
    loaded.setDocument("c.json", text("ws-c", { depends_on: ["ws-missing"] }));
    const before = loaded.result().diagnostics[0];
    const shifted = text("ws-c", { depends_on: ["ws-missing"] }).replace(
      '"tasks": []',
      '"tasks": [\n    "one",\n    "two"\n  ]',
    );
    const after = loaded.setDocument("c.json", shifted).diagnostics[0];
    assert.equal(after.type, "dependency");
    assert.equal(after.line, before.line + 3);
    assert.equal(shifted.slice(after.offset, after.offset + after.length), '"ws-missing"');
    const fresh = validateDocuments(
      [...initial.filter((d) => d.uri !== "c.json"), { uri: "c.json", text: shifted }],
      { trackedFiles: ["src/shared.js"] },
    );
    assert.deepEqual(loaded.result(), fresh);
  });

  it("keeps a broken document's last good bundles for the other files while it is being typed", () => {
    const loaded = workspace();
    const result = loaded.setDocument("a.json", '{ "id": "ws-a", ');
    assert.deepEqual(
      result.diagnostics.map((d) => [d.file, d.type]),
      [["a.json", "parse"]],
      "b.json's dependency on ws-a must not turn into an unknown-dependency error",
    );
  });

  it("drops a removed document's bundles", () => {
    const loaded = workspace();
    const result = loaded.removeDocument("a.json");
    assert.deepEqual(
      result.diagnostics.map((d) => [d.file, d.type]),
      [["b.json", "dependency"]],
    );
  });

  it("applies a deferred batch of changes with one result at the end, the same as one by one", () => {
    const [oneByOne, batched] = [workspace(), workspace()];
    const profiles = { uri: "tools.json", ids: new Set(["y"]), diagnostics: [] };
    oneByOne.removeDocument("a.json");
    oneByOne.setTrackedFiles(["src/a.ts"]);
    const expected = oneByOne.setToolProfiles(profiles);
    assert.deepEqual(batched.removeDocument("a.json", { deferred: true }).diagnostics, []);
    batched.setTrackedFiles(["src/a.ts"], { deferred: true });
    batched.setToolProfiles(profiles, { deferred: true });
    assert.deepEqual(batched.result(), expected);
  });

  it("refuses edits in a one-off workspace, which keeps nothing to redo them from", () => {
    const oneOff = BundleWorkspace.oneOff(initial, { trackedFiles: [] });
    assert.equal(oneOff.uris().length, 3);
    assert.throws(() => oneOff.setTrackedFiles(["a.txt"]), /one-off/);
    assert.throws(() => oneOff.setDocument("a.json", "{}"), /one-off/);
    assert.throws(() => oneOff.removeDocument("a.json"), /one-off/);
  });
});

describe("incremental validation, property: equals a full pass after any series of edits", () => {
  /** A small deterministic generator (mulberry32), so a failure always reproduces. */
  function random(seed: number): () => number {
    let state = seed;
    return () => {
      state = (state + 0x6d2b79f5) | 0;
      let t = Math.imul(state ^ (state >>> 15), 1 | state);
      t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
  }
  const tracked = ["src/a.js", "src/b.js", "src/deep/c.js", "docs/readme.md", "lib/x.ts", "README.md"];
  const scopes = [
    "src/",
    "src/a.js",
    "src/*.js",
    "src/**/*.js",
    "docs/",
    "lib/",
    "README.md",
    "new/",
    "new/*.ts",
    "gen/*.py",
    "../bad",
    "src/deep",
  ];
  const creates = ["new/file.ts", "src/made.js", "README.md", "gen/x.py"];
  const ids = ["ws-a", "ws-b", "ws-c", "ws-d", "ws-e"];

  function documentText(next: () => number, pick: <T>(list: readonly T[]) => T): string {
    const roll = next();
    const bundle = (): Record<string, unknown> => ({
      id: pick(ids),
      openspec_change: "OS-1",
      ccpm_issue: 1,
      gate: 1,
      files_scope: [pick(scopes), ...(next() < 0.5 ? [pick(scopes)] : [])],
      files_create: next() < 0.4 ? [pick(creates)] : [],
      depends_on: next() < 0.6 ? [pick(ids)] : [],
      tasks: [`task ${Math.floor(next() * 1000)}`],
      tool: "x",
    });
    if (roll < 0.2) return JSON.stringify([bundle(), bundle()], null, 2);
    // A rule on the text itself: a duplicate key. (Broken texts keep their last good entries in an
    // editing workspace, so they are compared in jsonLimits.test.ts on fresh workspaces instead.)
    if (roll < 0.26) return JSON.stringify(bundle(), null, 2).replace('"gate": 1', '"gate": 1,\n  "gate": 2');
    return JSON.stringify(bundle(), null, 2);
  }

  for (const seed of Array.from({ length: 16 }, (_, n) => n + 1)) {
    it(`seed ${seed}: 60 random edits, removals and tracked-file changes`, () => {
      const next = random(seed);
      const pick = <T>(list: readonly T[]): T => list[Math.floor(next() * list.length)];
      let trackedNow = tracked;
      const loaded = new BundleWorkspace({ trackedFiles: trackedNow });
      const texts = new Map<string, string>();
      const uris = ["a.json", "b.json", "c.json", "d.json", "e.json"];
      // A document broken while typing keeps its last good bundles for the others, which no full
      // pass of the current texts can show; so it is fixed by the next edit and compared after that.
      let broken: string | undefined;
      for (let step = 0; step < 60; step++) {
        const roll = next();
        const uri = broken ?? pick(uris);
        let incremental;
        if (broken === undefined && roll < 0.08) {
          broken = uri;
          loaded.setDocument(uri, '{ "id": "ws-a", ');
          continue;
        }
        const fixing = broken !== undefined;
        broken = undefined;
        if (!fixing && roll < 0.1 && texts.has(uri)) {
          texts.delete(uri);
          incremental = loaded.removeDocument(uri);
        } else if (!fixing && roll < 0.15) {
          trackedNow = tracked.filter(() => next() < 0.7).concat(next() < 0.5 ? ["new/file.ts"] : []);
          incremental = loaded.setTrackedFiles(trackedNow);
        } else {
          const text = documentText(next, pick);
          texts.set(uri, text);
          incremental = loaded.setDocument(uri, text);
        }
        const full = validateDocuments(
          [...texts].map(([documentUri, text]) => ({ uri: documentUri, text })),
          { trackedFiles: trackedNow },
        );
        assert.deepEqual(incremental, full, `after step ${step}`);
      }
    });
  }
});
