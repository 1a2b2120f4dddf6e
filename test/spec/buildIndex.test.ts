import { strict as assert } from "node:assert";
import { chmodSync, mkdirSync, symlinkSync, writeFileSync } from "node:fs";
import path from "node:path";
import { buildSpecIndex, collectDocTags } from "../../src/node/spec/buildIndex";
import { DEFAULT_SCAN_CONFIG } from "../../src/node/spec/config";
import { listRepositoryFiles } from "../../src/node/git";
import { createTempDir, createTempRepo } from "../support/tempRepo";

const docsOnly = new Set(["doc"] as const);

describe("spec: building the index from a repository @slow", () => {
  it("reads CRLF docs, UTF-16 columns, several tags per line and tags at both ends of a file", async () => {
    const repo = createTempRepo({
      "docs/crlf.md": "# Title\r\n\r\n## [IDX-DB-SCHEMA-01] Schema\r\nbody [IDX-DB-SCHEMA-01]\r\n",
      "docs/emoji.txt": "🚀 naïve [IDX-TOOL-RUN-01] and [IDX-TOOL-RUN-02][IDX-TOOL-RUN-03]",
      "docs/ends.md": "[IDX-A-START-01] first\nlast [IDX-A-END-02]",
      "docs/ignored.rst": "[IDX-NOT-SCANNED-01]",
    });
    try {
      const { index, problems, counts } = await buildSpecIndex({
        root: repo.root,
        scan: DEFAULT_SCAN_CONFIG,
        kinds: docsOnly,
      });
      assert.deepEqual(problems, []);
      assert.equal(counts.doc, 3);
      const positions = index.docOccurrences().map((o) => `${o.idx} ${o.file}:${o.line}:${o.column}`);
      assert.deepEqual(positions, [
        "IDX-DB-SCHEMA-01 docs/crlf.md:3:4",
        "IDX-DB-SCHEMA-01 docs/crlf.md:4:6",
        "IDX-TOOL-RUN-01 docs/emoji.txt:1:10",
        "IDX-TOOL-RUN-02 docs/emoji.txt:1:32",
        "IDX-TOOL-RUN-03 docs/emoji.txt:1:49",
        "IDX-A-START-01 docs/ends.md:1:1",
        "IDX-A-END-02 docs/ends.md:2:6",
      ]);
      assert.equal(index.definitionOf("IDX-DB-SCHEMA-01")?.description, "[IDX-DB-SCHEMA-01] Schema");
    } finally {
      repo.remove();
    }
  });

  it("returns an empty index for an empty or missing docs folder", async () => {
    const repo = createTempRepo({});
    try {
      const missing = await buildSpecIndex({ root: repo.root, scan: DEFAULT_SCAN_CONFIG, kinds: docsOnly });
      assert.deepEqual([missing.index.allTags(), missing.problems], [[], []]);
      mkdirSync(path.join(repo.root, "docs"));
      const empty = await buildSpecIndex({ root: repo.root, scan: DEFAULT_SCAN_CONFIG, kinds: docsOnly });
      assert.deepEqual([empty.index.allTags(), empty.problems], [[], []]);
    } finally {
      repo.remove();
    }
  });

  it("reads docs larger than its read buffer whole, and a small doc after a large one holds only its own text", async () => {
    // 300,000 two-byte characters: the reused read buffer grows several times, with characters
    // split across its boundaries, before the tag at the very end.
    const large = `${"é".repeat(300_000)} [IDX-BIG-END-01]`;
    const repo = createTempRepo({ "docs/a-large.md": large, "docs/b-small.md": "[IDX-SMALL-X-01]\n" });
    try {
      const { occurrences, problems } = await collectDocTags({ root: repo.root, scan: DEFAULT_SCAN_CONFIG });
      assert.deepEqual(problems, []);
      assert.deepEqual(
        occurrences.map(({ idx, file, line, column }) => [idx, file, line, column]),
        [
          ["IDX-BIG-END-01", "docs/a-large.md", 1, 300_002],
          ["IDX-SMALL-X-01", "docs/b-small.md", 1, 1],
        ],
      );
      assert.equal(occurrences[1].description, "[IDX-SMALL-X-01]");
    } finally {
      repo.remove();
    }
  });

  it("reports unreadable files and goes on: dangling symlink, symlink loop, a directory behind a .md link", async () => {
    // Tests run as root, where chmod 000 does not stop a read; these three fail for everyone.
    const repo = createTempRepo({ "docs/good.md": "# [IDX-OK-GOOD-01] Good\n", "docs/folder/inner.md": "x" });
    try {
      const docs = path.join(repo.root, "docs");
      symlinkSync("does-not-exist.md", path.join(docs, "dangling.md"));
      symlinkSync("loop.md", path.join(docs, "loop.md"));
      symlinkSync("folder", path.join(docs, "folder-link.md"));
      // chmod 000 blocks reads only for a non-root user; when tests run as one, check that too.
      const asRoot = process.getuid?.() === 0;
      if (!asRoot) {
        writeFileSync(path.join(docs, "locked.md"), "[IDX-LOCKED-X-01]");
        chmodSync(path.join(docs, "locked.md"), 0o000);
      }
      const { index, problems } = await buildSpecIndex({
        root: repo.root,
        scan: DEFAULT_SCAN_CONFIG,
        kinds: docsOnly,
      });
      assert.deepEqual(
        problems.map((problem) => `${problem.file}: ${problem.message}`),
        [
          "docs/dangling.md: does not exist (a dangling symlink?)",
          "docs/folder-link.md: is a directory",
          ...(asRoot ? [] : ["docs/locked.md: permission denied"]),
          "docs/loop.md: symlink loop",
        ],
      );
      assert.deepEqual(index.allTags(), ["IDX-OK-GOOD-01"]);
    } finally {
      repo.remove();
    }
  });

  it("does not follow symlinked directories, so a loop back to the root cannot hang the walk", async () => {
    const dir = createTempDir();
    try {
      mkdirSync(path.join(dir.root, "docs", "deep"), { recursive: true });
      symlinkSync("..", path.join(dir.root, "docs", "deep", "up"));
      symlinkSync(".", path.join(dir.root, "docs", "self"));
      writeFileSync(path.join(dir.root, "docs", "deep", "spec.md"), "# [IDX-DEEP-SPEC-01] Deep\n");
      const { index, problems } = await buildSpecIndex({
        root: dir.root,
        scan: DEFAULT_SCAN_CONFIG,
        kinds: docsOnly,
      });
      assert.deepEqual(problems, []);
      assert.deepEqual(index.indexedFiles(), ["docs/deep/spec.md"]);
    } finally {
      dir.remove();
    }
  });

  it("classifies git-listed files into bundles, code and tests, skipping deleted and ignored ones", async () => {
    const repo = createTempRepo({
      ".gitignore": "build/\n",
      "docs/spec.md": "# [IDX-A-X-01] A\n",
      "workstreams/ws-a.json": '{ "id": "ws-a", "tasks": ["Implement [IDX-A-X-01]"] }\n',
      "src/a.ts": "// [IDX-A-X-01]\n",
      "src/a.test.ts": "// [IDX-A-X-01]\n",
      "test/b.test.ts": "// [IDX-A-X-01]\n",
      "src/gone.ts": "// [IDX-A-X-01]\n",
      "README.md": "[IDX-A-X-01]\n",
    });
    try {
      repo.write({ "build/out.js": "// [IDX-A-X-01]\n", "src/untracked.ts": "// [IDX-A-X-01]\n" });
      repo.git("rm", "-q", "--cached", "src/gone.ts");
      const { rmSync } = await import("node:fs");
      rmSync(path.join(repo.root, "src/gone.ts"));
      const { index, problems } = await buildSpecIndex({
        root: repo.root,
        scan: DEFAULT_SCAN_CONFIG,
        kinds: new Set(["doc", "bundle", "code", "test"] as const),
        listRepositoryFiles: () => listRepositoryFiles(repo.root),
      });
      assert.deepEqual(problems, []);
      assert.deepEqual(
        index.indexedFiles().map((file) => `${file}=${index.kindOf(file)}`),
        [
          "docs/spec.md=doc",
          "src/a.test.ts=test",
          "src/a.ts=code",
          "src/untracked.ts=code",
          "test/b.test.ts=test",
          "workstreams/ws-a.json=bundle",
        ],
      );
      const reference = index.referencesOf("IDX-A-X-01").find((o) => o.file === "workstreams/ws-a.json");
      assert.deepEqual([reference?.line, reference?.column], [1, 38]);
      const excluded = await buildSpecIndex({
        root: repo.root,
        scan: { ...DEFAULT_SCAN_CONFIG, exclude: ["src/**"] },
        kinds: new Set(["doc", "bundle", "code", "test"] as const),
        listRepositoryFiles: () => listRepositoryFiles(repo.root),
      });
      assert.deepEqual(excluded.index.indexedFiles(), [
        "docs/spec.md",
        "test/b.test.ts",
        "workstreams/ws-a.json",
      ]);
    } finally {
      repo.remove();
    }
  });

  it("lists nothing from git outside a repository", async () => {
    const dir = createTempDir();
    try {
      assert.equal(await listRepositoryFiles(dir.root), undefined);
    } finally {
      dir.remove();
    }
  });
});
