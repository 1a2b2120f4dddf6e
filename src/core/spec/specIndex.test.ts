import { strict as assert } from "node:assert";
import { SpecIndex } from "./specIndex";
import { type SpecFileKind } from "./types";

const classify = (file: string): SpecFileKind | undefined =>
  file.startsWith("docs/")
    ? "doc"
    : file.startsWith("workstreams/")
      ? "bundle"
      : file.startsWith("test/")
        ? "test"
        : file.startsWith("src/")
          ? "code"
          : undefined;

function sampleIndex(): SpecIndex {
  const index = new SpecIndex(classify);
  index.updateFile("docs/b.md", "# Intro\nmentions [IDX-DB-SCHEMA-01] early\n");
  index.updateFile("docs/c.md", "## [IDX-DB-SCHEMA-01] Schema definition\n\nbody\n");
  index.updateFile("docs/a.md", "Only a mention: [IDX-TOOL-RUN-02]\n");
  index.updateFile("workstreams/ws.json", '{\n  "tasks": ["do [IDX-DB-SCHEMA-01]"]\n}\n');
  index.updateFile("src/db.ts", "// implements [IDX-DB-SCHEMA-01] and [IDX-NOPE-X-01]\n");
  index.updateFile("test/db.test.ts", 'it("[IDX-DB-SCHEMA-01] works", () => {});\n');
  return index;
}

describe("SpecIndex", () => {
  it("prefers a heading occurrence as the definition, else the first doc occurrence", () => {
    const index = sampleIndex();
    assert.deepEqual(
      [index.definitionOf("IDX-DB-SCHEMA-01")?.file, index.definitionOf("IDX-DB-SCHEMA-01")?.line],
      ["docs/c.md", 1],
    );
    assert.equal(index.definitionOf("IDX-TOOL-RUN-02")?.file, "docs/a.md");
    assert.deepEqual(
      index.referencesOf("IDX-DB-SCHEMA-01").map((r) => `${r.file}:${r.line}:${r.column}`),
      ["docs/b.md:2:10", "src/db.ts:1:15", "test/db.test.ts:1:5", "workstreams/ws.json:2:17"],
    );
    assert.deepEqual(index.allTags(), ["IDX-DB-SCHEMA-01", "IDX-NOPE-X-01", "IDX-TOOL-RUN-02"]);
    assert.deepEqual(index.definedTags(), ["IDX-DB-SCHEMA-01", "IDX-TOOL-RUN-02"]);
  });

  it("takes the first doc occurrence in path order when there is no heading", () => {
    const index = new SpecIndex(classify);
    index.updateFile("docs/z.md", "[IDX-A-B-01]");
    index.updateFile("docs/m.md", "x\n[IDX-A-B-01]");
    assert.equal(index.definitionOf("IDX-A-B-01")?.file, "docs/m.md");
  });

  it("never defines a tag from code, tests or bundles", () => {
    const index = sampleIndex();
    assert.equal(index.definitionOf("IDX-NOPE-X-01"), undefined);
    assert.deepEqual(
      index.diagnostics().map((d) => [d.code, d.file, d.line, d.column]),
      [["undefined-tag", "src/db.ts", 1, 38]],
    );
  });

  it("reports a tag defined in two headings at the second heading", () => {
    const index = sampleIndex();
    index.updateFile("docs/d.md", "text\n### [IDX-DB-SCHEMA-01] again\n");
    const diagnostics = index.diagnosticsFor("docs/d.md");
    assert.deepEqual(
      diagnostics.map((d) => [d.code, d.line, d.column]),
      [["duplicate-definition", 2, 5]],
    );
    assert.match(diagnostics[0].message, /docs\/c\.md:1/);
  });

  it("updates incrementally when one file changes or goes away", () => {
    const index = sampleIndex();
    index.updateFile("docs/c.md", "no tags any more\n");
    assert.deepEqual(
      [index.definitionOf("IDX-DB-SCHEMA-01")?.file, index.definitionOf("IDX-DB-SCHEMA-01")?.description],
      ["docs/b.md", "Intro"],
    );
    index.removeFile("docs/b.md");
    assert.equal(index.definitionOf("IDX-DB-SCHEMA-01"), undefined);
    assert.equal(
      index.diagnostics().filter((d) => d.idx === "IDX-DB-SCHEMA-01" && d.code === "undefined-tag").length,
      3,
    );
    index.updateFile("docs/new.md", "# [IDX-NOPE-X-01] Now defined\n");
    assert.equal(index.diagnostics().filter((d) => d.idx === "IDX-NOPE-X-01").length, 0);
    index.removeFile("src/db.ts");
    index.removeFile("docs/new.md");
    assert.deepEqual(index.allTags(), ["IDX-DB-SCHEMA-01", "IDX-TOOL-RUN-02"]);
  });

  it("forgets a file the classifier does not index", () => {
    const index = new SpecIndex(classify);
    assert.equal(index.updateFile("elsewhere/x.md", "[IDX-A-B-01]"), false);
    assert.deepEqual(index.allTags(), []);
  });

  it("finds the tag at a position, brackets included, and nothing beside it", () => {
    const index = sampleIndex();
    // "// implements [IDX-DB-SCHEMA-01] and [IDX-NOPE-X-01]": the first tag spans columns 15–32.
    assert.equal(index.tagAt("src/db.ts", 1, 15)?.idx, "IDX-DB-SCHEMA-01");
    assert.equal(index.tagAt("src/db.ts", 1, 32)?.idx, "IDX-DB-SCHEMA-01");
    assert.equal(index.tagAt("src/db.ts", 1, 33), undefined);
    assert.equal(index.tagAt("src/db.ts", 1, 14), undefined);
    assert.equal(index.tagAt("src/db.ts", 1, 40)?.idx, "IDX-NOPE-X-01");
    assert.equal(index.tagAt("src/db.ts", 2, 1), undefined);
    assert.equal(index.tagAt("missing.ts", 1, 1), undefined);
  });

  it("lists doc occurrences in path then position order", () => {
    assert.deepEqual(
      sampleIndex()
        .docOccurrences()
        .map((o) => `${o.idx} ${o.file}:${o.line}`),
      ["IDX-TOOL-RUN-02 docs/a.md:1", "IDX-DB-SCHEMA-01 docs/b.md:2", "IDX-DB-SCHEMA-01 docs/c.md:1"],
    );
  });
});
