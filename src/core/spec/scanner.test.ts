import { strict as assert } from "node:assert";
import { scanText, MAX_DIAGNOSTICS_PER_FILE } from "./scanner";

const md = (text: string) => scanText("docs/a.md", text, { markdown: true });
const code = (text: string) => scanText("src/a.ts", text, { markdown: false });
const brief = (text: string) => md(text).occurrences.map((o) => `${o.idx}@${o.line}:${o.column}`);

describe("spec scanner", () => {
  it("finds tags at the very start and very end of a file, with 1-based positions", () => {
    const result = md("[IDX-A-B-01] first\nmiddle\nlast [IDX-C-D-02]");
    assert.deepEqual(
      result.occurrences.map((o) => [o.idx, o.line, o.column, o.offset, o.length]),
      [
        ["IDX-A-B-01", 1, 1, 0, 12],
        ["IDX-C-D-02", 3, 6, 31, 12],
      ],
    );
  });

  it("finds several tags on one line", () => {
    assert.deepEqual(brief("see [IDX-A-B-01], [IDX-A-B-02][IDX-A-B-03]"), [
      "IDX-A-B-01@1:5",
      "IDX-A-B-02@1:19",
      "IDX-A-B-03@1:31",
    ]);
  });

  it("counts columns in UTF-16 code units, as VS Code does", () => {
    // "😀" is two UTF-16 code units, "é" one: the tag starts at column 1 + 2 + 1 + 1 = 5.
    const [occurrence] = md("😀é [IDX-A-B-01]").occurrences;
    assert.equal(occurrence?.column, 5);
    assert.equal(
      "😀é [IDX-A-B-01]".slice(occurrence.offset, occurrence.offset + occurrence.length),
      "[IDX-A-B-01]",
    );
  });

  it("handles CRLF and lone CR line breaks", () => {
    assert.deepEqual(brief("# T\r\n\r\nx [IDX-A-B-01]\r\n[IDX-A-B-02]\ry [IDX-A-B-03]\r\n"), [
      "IDX-A-B-01@3:3",
      "IDX-A-B-02@4:1",
      "IDX-A-B-03@5:3",
    ]);
    assert.equal(md("line [IDX-A-B-01]\r\n").occurrences[0]?.description, "line [IDX-A-B-01]");
  });

  it("ignores a byte-order mark when counting columns", () => {
    const [occurrence] = md("\uFEFF[IDX-A-B-01]").occurrences;
    assert.deepEqual([occurrence?.line, occurrence?.column, occurrence?.offset], [1, 1, 0]);
  });

  it("describes a tag by the nearest preceding heading, else by its trimmed line", () => {
    const result = md(
      "  plain [IDX-A-B-01] text  \n## Schema rules ##\nbody [IDX-A-B-02]\n# [IDX-A-B-03] Title",
    );
    assert.deepEqual(
      result.occurrences.map((o) => [o.description, o.inHeading]),
      [
        ["plain [IDX-A-B-01] text", false],
        ["Schema rules", false],
        ["[IDX-A-B-03] Title", true],
      ],
    );
  });

  it("does not take '#tag' or seven hashes for a heading", () => {
    const result = md("#nospace [IDX-A-B-01]\n####### seven [IDX-A-B-02]");
    assert.deepEqual(
      result.occurrences.map((o) => o.inHeading),
      [false, false],
    );
  });

  it("skips fenced code blocks in docs, but not in code", () => {
    const text =
      "```md\n## [IDX-A-B-01] example\n```\n~~~~\n[IDX-A-B-02]\n~~~\nstill fenced [IDX-A-B-03]\n~~~~\nafter [IDX-A-B-04]";
    assert.deepEqual(brief(text), ["IDX-A-B-04@9:7"]);
    assert.equal(code(text).occurrences.length, 4);
  });

  it("skips inline code spans in docs, matching backtick runs of equal length", () => {
    const text =
      "`[IDX-A-B-01]` real [IDX-A-B-02] ``a ` [IDX-A-B-03]`` unmatched `` [IDX-A-B-04] ` [idx-bad-1]";
    assert.deepEqual(brief(text), [
      `IDX-A-B-02@1:${text.indexOf("[IDX-A-B-02]") + 1}`,
      `IDX-A-B-04@1:${text.indexOf("[IDX-A-B-04]") + 1}`,
    ]);
    assert.deepEqual(
      md(text).diagnostics.map((d) => d.idx),
      ["idx-bad-1"],
    );
    assert.equal(code(text).occurrences.length, 4);
  });

  it("treats an unclosed fence as running to the end of the file, as CommonMark does", () => {
    assert.deepEqual(brief("[IDX-A-B-01]\n```\n[IDX-A-B-02]"), ["IDX-A-B-01@1:1"]);
  });

  it("reports malformed tags with their position and does not index them", () => {
    const result = md("ok [IDX-A-B-01] bad [idx-a-b-01] [IDX-a-B-01] [IDX-A_B-01] [IDX-]");
    assert.deepEqual(
      result.occurrences.map((o) => o.idx),
      ["IDX-A-B-01"],
    );
    assert.deepEqual(
      result.diagnostics.map((d) => [d.code, d.idx, d.column]),
      [
        ["malformed-tag", "idx-a-b-01", 21],
        ["malformed-tag", "IDX-a-B-01", 34],
        ["malformed-tag", "IDX-A_B-01", 47],
        ["malformed-tag", "IDX-", 60],
      ],
    );
  });

  it("indexes a tag without a number but warns about it", () => {
    const result = md("[IDX-CATEGORY-SUBCATEGORY-NUMBER] [IDX-7]");
    assert.deepEqual(
      result.occurrences.map((o) => o.idx),
      ["IDX-CATEGORY-SUBCATEGORY-NUMBER", "IDX-7"],
    );
    assert.deepEqual(
      result.diagnostics.map((d) => [d.code, d.severity, d.column]),
      [["missing-number", "warning", 1]],
    );
  });

  it("ignores prose that is not a closed tag", () => {
    assert.deepEqual(brief("[IDX- x] [IDX-A-B-01 [IDX-...] [IDXA-01] [[IDX-A-B-01]]"), ["IDX-A-B-01@1:43"]);
  });

  it("caps malformed-tag diagnostics per file", () => {
    const result = md("[idx-a-1] ".repeat(MAX_DIAGNOSTICS_PER_FILE * 3));
    assert.equal(result.diagnostics.length, MAX_DIAGNOSTICS_PER_FILE);
  });

  it("returns nothing for empty text", () => {
    assert.deepEqual(md(""), { occurrences: [], diagnostics: [] });
  });

  describe("hostile input @slow", () => {
    // Not a timing assertion on its own: it compares the scanner with a plain linear pass over the
    // same text, in the same process, and allows a wide factor. A quadratic scan of these inputs
    // would take minutes, not a few multiples of the baseline.
    const bestOf = (runs: number, work: () => void): number => {
      let best = Number.POSITIVE_INFINITY;
      for (let run = 0; run < runs; run += 1) {
        const started = process.hrtime.bigint();
        work();
        best = Math.min(best, Number(process.hrtime.bigint() - started) / 1e6);
      }
      return best;
    };
    const linearBaseline = (text: string): number => {
      let sum = 0;
      for (let i = 0; i < text.length; i += 1) sum = (sum + text.charCodeAt(i)) | 0;
      return sum;
    };
    const size = 10 * 1024 * 1024;
    const manyLines = (line: string): string => `${line}\n`.repeat(Math.floor(size / (line.length + 1)));
    const inputs: Record<string, string> = {
      "a 10 MB single line of unclosed [IDX-": "[IDX-".repeat(size / 5),
      "a 10 MB single line of unclosed [IDX-ABC": "[IDX-ABC-1 ".repeat(size / 11),
      "a 10 MB tag body with no closing bracket": `[IDX-${"A-1".repeat(size / 3)}`,
      "a 10 MB line of closed tags": "[IDX-A-B-1]".repeat(size / 11),
      "10 MB of short lines with [": "[ x\n".repeat(size / 4),
      "10 MB of tagged lines with a single backtick at the end": `${manyLines("[IDX-A-B-1] x")}\``,
      "a 10 MB line of backtick runs and tags": "`` [IDX-A-B-1] ` ".repeat(size / 18),
    };
    for (const [name, text] of Object.entries(inputs)) {
      it(`scans ${name} in time linear in its size`, () => {
        const scanner = bestOf(2, () => md(text));
        const baseline = bestOf(2, () => linearBaseline(text));
        assert.ok(
          scanner < Math.max(baseline, 5) * 200,
          `scanner ${scanner.toFixed(1)} ms vs linear baseline ${baseline.toFixed(1)} ms`,
        );
      });
    }
  });
});
