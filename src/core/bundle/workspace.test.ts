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
});
