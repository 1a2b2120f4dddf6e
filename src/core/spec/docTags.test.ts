import { strict as assert } from "node:assert";
import { DocTagCollector } from "./docTags";
import { SpecIndex } from "./specIndex";

const DOCS: Array<[string, string]> = [
  ["docs/a.md", "# [IDX-A-X-01] One\r\ntext [IDX-A-X-02] [idx-bad-1]\n## [IDX-A-X-02] Two\n"],
  ["docs/b/c.md", "```\n# [IDX-A-X-01] fenced\n```\n# [IDX-A-X-01] Again\n[IDX-NO-NUMBER]\n"],
  ["docs/b/d.txt", "😀 [IDX-A-X-02]\n# [IDX-A-X-02] Third"],
];

describe("DocTagCollector", () => {
  it("gives the same occurrences and diagnostics as a SpecIndex of the same docs", () => {
    const collector = new DocTagCollector();
    const index = new SpecIndex();
    for (const [file, text] of DOCS) {
      collector.add(file, text);
      index.updateFile(file, text);
    }
    const { occurrences, diagnostics } = collector.result();
    assert.deepEqual(occurrences, index.docOccurrences());
    assert.deepEqual(diagnostics, index.diagnostics());
    assert.deepEqual(
      diagnostics.map((d) => `${d.code} ${d.file}:${d.line}:${d.column}`),
      [
        "malformed-tag docs/a.md:2:19",
        "duplicate-definition docs/b/c.md:4:3",
        "missing-number docs/b/c.md:5:1",
        "duplicate-definition docs/b/d.txt:2:3",
      ],
    );
  });

  it("insists on path order, which decides definitions", () => {
    const collector = new DocTagCollector();
    collector.add("docs/b.md", "");
    assert.throws(() => collector.add("docs/a.md", ""), RangeError);
  });
});
