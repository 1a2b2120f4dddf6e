import { strict as assert } from "node:assert";
import { cpSync, mkdirSync, readdirSync, symlinkSync, writeFileSync } from "node:fs";
import path from "node:path";
import fc from "fast-check";
import { collectDocTags } from "../../src/node/spec/buildIndex";
import { DEFAULT_SCAN_CONFIG } from "../../src/node/spec/config";
import { locateRipgrep, ripgrepDocLines } from "../../src/node/spec/ripgrepLines";
import { createTempDir } from "../support/tempRepo";

const ripgrep = locateRipgrep({ ...process.env, PIPELINE_RIPGREP: "rg" }, process.cwd());
const repoRoot = path.resolve(__dirname, "../..");

/** Both readers over one tree; offsets are left out, as the rg reader counts them in a stand-in text. */
async function bothReaders(root: string, docsDir?: string) {
  const scan = async (withRipgrep: boolean) => {
    const result = await collectDocTags({
      root,
      scan: DEFAULT_SCAN_CONFIG,
      ...(docsDir === undefined ? {} : { docsDir }),
      ...(withRipgrep ? { ripgrep: ripgrep! } : {}),
    });
    return {
      occurrences: result.occurrences.map(({ offset: _offset, ...rest }) => rest),
      diagnostics: result.diagnostics.map(({ offset: _offset, ...rest }) => rest),
      problems: result.problems,
    };
  };
  // The rg reader falls back to Node on any error of rg's; here it must really have been used.
  assert.notEqual(await ripgrepDocLines(ripgrep!, root, [docsDir ?? "docs"]), undefined, "rg failed");
  return { node: await scan(false), rg: await scan(true) };
}

/** What a line may start with: the constructs the scanner reads at a line's start, or nothing. */
const lineStart = fc.constantFrom(
  "",
  "",
  "# ",
  "## ",
  "   ### ",
  "    # ",
  "#nospace",
  "####### ",
  "## ##",
  "```",
  "~~~",
  "````",
  "  ```js",
  "\t# ",
  "\ufeff",
);
/** What follows on the line: tags well- and ill-formed, code spans, words and odd characters. */
const linePiece = fc.constantFrom(
  "[IDX-DB-SCHEMA-01]",
  "[IDX-A-1]",
  "[idx-lower-01]",
  "[IDX-NO-NUMBER]",
  "[IDX-]",
  "[IdX-MIXED-02]",
  "[IDX-UNCLOSED-03",
  "[[IDX-DOUBLE-04]]",
  "`",
  "``",
  " ",
  "\t",
  "words",
  "naïve 🚀",
  "\u0000",
  "#",
  "[",
  "]",
  "\r",
);
const lineBreak = fc.constantFrom("\n", "\n", "\n", "\r\n", "\r");
const line = fc
  .tuple(lineStart, fc.array(linePiece, { maxLength: 6 }), lineBreak)
  .map(([start, pieces, end]) => `${start}${pieces.join("")}${end}`);
const docText = fc
  .tuple(fc.boolean(), fc.array(line, { maxLength: 25 }), fc.boolean())
  .map(([bom, lines, cutLastBreak]) => {
    const text = `${bom ? "\ufeff" : ""}${lines.join("")}`;
    return cutLastBreak ? text.replace(/\r?\n$|\r$/, "") : text;
  });

(ripgrep === undefined ? describe.skip : describe)(
  "spec: the ripgrep reader gives the Node reader's index @slow",
  function () {
    this.timeout(120_000);

    it("on generated docs (fast-check), line breaks, fences, headings, BOMs and bad bytes included", async () => {
      const dir = createTempDir("wsp-rg-prop-");
      try {
        let round = 0;
        await fc.assert(
          fc.asyncProperty(fc.array(docText, { minLength: 1, maxLength: 6 }), async (texts) => {
            const root = path.join(dir.root, `r${(round += 1)}`);
            texts.forEach((text, at) => {
              const file = path.join(root, "docs", at % 2 === 0 ? "" : "sub", `d${at}.md`);
              mkdirSync(path.dirname(file), { recursive: true });
              writeFileSync(file, text);
            });
            const { node, rg } = await bothReaders(root);
            assert.deepEqual(rg, node);
          }),
          { numRuns: 200 },
        );
      } finally {
        dir.remove();
      }
    });

    it("on invalid UTF-8, a symbolic link, a dangling one and a file named with a newline", async () => {
      const dir = createTempDir("wsp-rg-odd-");
      try {
        const docs = path.join(dir.root, "docs");
        mkdirSync(docs, { recursive: true });
        writeFileSync(
          path.join(docs, "bad.md"),
          Buffer.from([0x23, 0x20, 0xff, 0x5b, 0x49, 0x44, 0x58, 0x2d, 0x41, 0x2d, 0x31, 0x5d, 0x0a, 0xc3]),
        );
        writeFileSync(path.join(docs, "target.md"), "## [IDX-LINKED-01] Linked\n");
        symlinkSync("target.md", path.join(docs, "link.md"));
        symlinkSync("missing.md", path.join(docs, "dangling.md"));
        writeFileSync(path.join(docs, "new\nline.md"), "[IDX-NEWLINE-NAME-01]\n");
        const { node, rg } = await bothReaders(dir.root);
        assert.deepEqual(rg, node);
        assert.equal(node.problems.length, 1, "the dangling link is reported by both");
        assert.ok(node.occurrences.some((o) => o.idx === "IDX-NEWLINE-NAME-01"));
      } finally {
        dir.remove();
      }
    });

    it("on the real corpora and the example's docs", async () => {
      const dir = createTempDir("wsp-rg-corpus-");
      try {
        const sources = [path.join(repoRoot, "docs"), path.join(repoRoot, "example")];
        const corpus = path.resolve(repoRoot, "..", "shared", "corpus");
        try {
          for (const entry of readdirSync(corpus)) sources.push(path.join(corpus, entry));
        } catch {
          // No shared corpus on this machine: the project's own docs still count.
        }
        sources.forEach((source, at) =>
          cpSync(source, path.join(dir.root, "docs", `s${at}`), { recursive: true }),
        );
        const { node, rg } = await bothReaders(dir.root);
        assert.ok(node.occurrences.length > 0, "the corpora hold tags");
        assert.deepEqual(rg, node);
        const byDocsDir = await bothReaders(dir.root, "docs/s0");
        assert.deepEqual(byDocsDir.rg, byDocsDir.node);
      } finally {
        dir.remove();
      }
    });
  },
);
