import { strict as assert } from "node:assert";
import { computeCoverage } from "./coverage";
import { SpecIndex } from "./specIndex";

describe("spec coverage", () => {
  it("counts a tag covered when a bundle or code implements it and a test refers to it", () => {
    const index = new SpecIndex();
    index.updateFile(
      "docs/spec.md",
      "# [IDX-A-X-01] one\n# [IDX-A-X-02] two\n# [IDX-A-X-03] three\n# [IDX-A-X-04] four\n",
    );
    index.updateFile("workstreams/ws.json", '{"tasks": ["[IDX-A-X-01]", "[IDX-A-X-02]"]}', "bundle");
    index.updateFile("src/a.ts", "// [IDX-A-X-03] [IDX-A-X-01]", "code");
    index.updateFile("test/a.test.ts", "// [IDX-A-X-01] [IDX-A-X-03] [IDX-A-X-04]", "test");
    const report = computeCoverage(index);
    assert.deepEqual(
      report.tags.map((tag) => [tag.idx, tag.bundles.length, tag.code.length, tag.tests.length, tag.covered]),
      [
        ["IDX-A-X-01", 1, 1, 1, true],
        ["IDX-A-X-02", 1, 0, 0, false],
        ["IDX-A-X-03", 0, 1, 1, true],
        ["IDX-A-X-04", 0, 0, 1, false],
      ],
    );
    assert.equal(report.percent, 50);
  });

  it("has no percentage when no tag is defined", () => {
    const index = new SpecIndex();
    index.updateFile("src/a.ts", "// [IDX-A-X-01]", "code");
    assert.deepEqual(computeCoverage(index), { tags: [], coveredCount: 0, percent: undefined });
  });
});
