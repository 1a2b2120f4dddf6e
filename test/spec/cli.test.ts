import { strict as assert } from "node:assert";
import { execFileSync, spawnSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { UserError } from "../../src/core/errors";
import { captureIO } from "../../src/cli/io";
import { specCoverage, specIndex, specMap } from "../../src/cli/commands/spec";
import { slowReader } from "../support/slowReader";
import { createTempRepo, type TempRepo } from "../support/tempRepo";

const SPEC = [
  "# Inventory spec",
  "",
  "## [IDX-DB-SCHEMA-01] Database schema definition",
  "",
  "Items live in one table.",
  "",
  "## [IDX-TOOL-AIDER-CONFIG-05] Aider tool configuration",
  "",
  "```markdown",
  "## [IDX-EXAMPLE-ONLY-01] inside a fence: not a tag",
  "```",
  "",
  "## [IDX-PROMPT-TEMPLATE-10] Prompt template",
  "See [IDX-DB-SCHEMA-01] and [idx-bad-01].",
  "",
].join("\n");

function workspace(extra: Record<string, string> = {}): TempRepo {
  return createTempRepo({
    "docs/spec.md": SPEC,
    "workstreams/ws-db.json": JSON.stringify(
      { id: "ws-db", tasks: ["Create the schema [IDX-DB-SCHEMA-01]"] },
      null,
      2,
    ),
    "src/db.ts": "// [IDX-DB-SCHEMA-01]\nexport const x = 1;\n",
    "src/tools.ts": "// [IDX-TOOL-AIDER-CONFIG-05] [IDX-UNKNOWN-TAG-01]\n",
    "test/db.test.ts": 'it("[IDX-DB-SCHEMA-01] creates the table", () => {});\n',
    ...extra,
  });
}

describe("wsp spec commands @slow", () => {
  let repo: TempRepo;
  beforeEach(() => {
    repo = workspace();
  });
  afterEach(() => repo.remove());

  describe("index", () => {
    it("prints text lines like the original, skipping fenced examples and reporting malformed tags", async () => {
      const io = captureIO(path.join(repo.root, "docs"));
      assert.equal(await specIndex({}, io), 0);
      assert.equal(
        io.stdout,
        [
          "IDX-DB-SCHEMA-01: docs/spec.md:3 - [IDX-DB-SCHEMA-01] Database schema definition",
          "IDX-TOOL-AIDER-CONFIG-05: docs/spec.md:7 - [IDX-TOOL-AIDER-CONFIG-05] Aider tool configuration",
          "IDX-PROMPT-TEMPLATE-10: docs/spec.md:13 - [IDX-PROMPT-TEMPLATE-10] Prompt template",
          "IDX-DB-SCHEMA-01: docs/spec.md:14 - [IDX-PROMPT-TEMPLATE-10] Prompt template",
          "",
        ].join("\n"),
      );
      assert.match(io.stderr, /^docs\/spec\.md:14:28: error: Malformed IDX tag \[idx-bad-01\]/m);
    });

    it("prints JSON with repo-relative paths and columns", async () => {
      const io = captureIO(repo.root);
      assert.equal(await specIndex({ format: "json" }, io), 0);
      const entries = JSON.parse(io.stdout) as Array<Record<string, unknown>>;
      assert.deepEqual(entries[3], {
        idx: "IDX-DB-SCHEMA-01",
        file: "docs/spec.md",
        line: 14,
        column: 5,
        description: "[IDX-PROMPT-TEMPLATE-10] Prompt template",
      });
    });

    it("cuts text descriptions at 200 characters", async () => {
      repo.write({ "docs/long.md": `[IDX-LONG-LINE-01] ${"x".repeat(300)}\n` });
      const io = captureIO(repo.root);
      await specIndex({}, io);
      const line = io.stdout.split("\n").find((entry) => entry.startsWith("IDX-LONG-LINE-01"))!;
      assert.equal(line, `IDX-LONG-LINE-01: docs/long.md:1 - [IDX-LONG-LINE-01] ${"x".repeat(200 - 19)}`);
    });

    it("hands each output chunk to a slow reader before scanning on, and loses no line", async () => {
      const docs: Record<string, string> = {};
      for (let file = 0; file < 40; file += 1) {
        const lines = Array.from({ length: 40 }, (_, tag) => `[IDX-BULK-F${file}-${tag}] ${"y".repeat(60)}`);
        docs[`docs/bulk/${String(file).padStart(2, "0")}.md`] = `${lines.join("\n")}\n`;
      }
      repo.write(docs);
      const io = captureIO(repo.root);
      const reader = slowReader(io);
      assert.equal(await specIndex({ docsDir: "docs/bulk" }, reader.io), 0);
      assert.ok(reader.writes > 1, `expected several chunks, got ${reader.writes}`);
      assert.equal(reader.mostUnread, 1, "a chunk was written before the one before it was read");
      const printed = io.stdout.split("\n").filter((line) => line !== "");
      assert.equal(printed.length, 40 * 40);
      assert.equal(printed[0], `IDX-BULK-F0-0: docs/bulk/00.md:1 - [IDX-BULK-F0-0] ${"y".repeat(60)}`);
    });

    it("scans another directory with --docs-dir, and an empty one prints nothing", async () => {
      repo.write({ "specs/more/a.txt": "[IDX-OTHER-DIR-01]\n", "specs/empty/.keep": "" });
      const io = captureIO(repo.root);
      assert.equal(await specIndex({ docsDir: "specs" }, io), 0);
      assert.equal(io.stdout, "IDX-OTHER-DIR-01: specs/more/a.txt:1 - [IDX-OTHER-DIR-01]\n");
      const empty = captureIO(repo.root);
      assert.equal(await specIndex({ docsDir: "specs/empty", format: "json" }, empty), 0);
      assert.equal(empty.stdout, "[]\n");
      await assert.rejects(specIndex({ docsDir: "nope" }, captureIO(repo.root)), UserError);
      await assert.rejects(
        specIndex({ format: "xml" }, captureIO(repo.root)),
        /--format must be text or json/,
      );
    });
  });

  describe("map", () => {
    it("writes the mapping document atomically, by the original's rules", async () => {
      const io = captureIO(repo.root);
      assert.equal(await specMap({}, io), 0);
      const output = path.join(repo.root, "docs/spec/spec_index_map.md");
      const document = readFileSync(output, "utf8");
      assert.match(document, /\*\*Total IDX Tags Found:\*\* 3/);
      assert.match(
        document,
        /\| IDX-DB-SCHEMA-01 \| .* \| docs\/spec\.md \| 3 \| schema\/schema\.sql \| init_schema \| PH-02 \| v1\.0 \|/,
      );
      assert.match(
        document,
        /\| IDX-TOOL-AIDER-CONFIG-05 \| .* \| src\/pipeline\/tools\.py \| run_aider_config \| PH-03 \| v1\.0 \|/,
      );
      assert.match(
        document,
        /\| IDX-PROMPT-TEMPLATE-10 \| .* \| src\/pipeline\/prompts\.py \| render_template \| PH-03 \| v1\.0 \|/,
      );
      assert.deepEqual(
        readdirSync(path.dirname(output)).filter((name) => name.endsWith(".tmp")),
        [],
      );
      assert.equal(io.stdout, "Wrote docs/spec/spec_index_map.md (3 IDX tags)\n");
      // Regenerating does not index the map itself.
      const again = captureIO(repo.root);
      await specMap({}, again);
      assert.equal(readFileSync(output, "utf8"), document);
    });

    it("applies config/spec_mapping.yaml overrides and writes where --output says", async () => {
      repo.write({
        "config/spec_mapping.yaml": [
          "modules:",
          "  TOOL: src/node/tools/",
          "tags:",
          "  IDX-DB-SCHEMA-01: { function: openStore, phase: PH-07 }",
        ].join("\n"),
      });
      const io = captureIO(path.join(repo.root, "docs"));
      assert.equal(await specMap({ output: "../out/map.md" }, io), 0);
      const document = readFileSync(path.join(repo.root, "out/map.md"), "utf8");
      assert.match(
        document,
        /\| IDX-TOOL-AIDER-CONFIG-05 \| .* \| src\/node\/tools\/ \| run_aider_config \|/,
      );
      assert.match(
        document,
        /\| IDX-DB-SCHEMA-01 \| .* \| schema\/schema\.sql \| openStore \| PH-07 \| v1\.0 \|/,
      );
      assert.match(document, /- TOOL → `src\/node\/tools\/`/);
    });

    it("rejects a malformed configuration, naming file and position", async () => {
      repo.write({ "config/spec_mapping.yaml": "modules:\n  DB: [unclosed\n" });
      await assert.rejects(specMap({}, captureIO(repo.root)), /spec_mapping\.yaml:\d+:\d+: invalid YAML/);
      repo.write({ "config/spec_mapping.yaml": "modulez: {}\n" });
      await assert.rejects(specMap({}, captureIO(repo.root)), /unknown key 'modulez'/);
      repo.write({ "config/spec_mapping.yaml": "scan:\n  docs: docs/*.md\n" });
      await assert.rejects(specMap({}, captureIO(repo.root)), /scan\.docs must be a list of globs/);
      await assert.rejects(
        specMap({ config: "missing.yaml" }, captureIO(repo.root)),
        /cannot read missing\.yaml/,
      );
      assert.equal(existsSync(path.join(repo.root, "docs/spec/spec_index_map.md")), false);
    });
  });

  describe("coverage", () => {
    it("reports per tag whether bundles, code and tests refer to it, and undefined references", async () => {
      const io = captureIO(repo.root);
      assert.equal(await specCoverage({ json: true }, io), 0);
      const report = JSON.parse(io.stdout) as {
        total: number;
        covered: number;
        percent: number;
        tags: Array<{ idx: string; bundles: string[]; code: string[]; tests: string[]; covered: boolean }>;
      };
      assert.deepEqual(
        report.tags.map((tag) => [tag.idx, tag.bundles, tag.code, tag.tests, tag.covered]),
        [
          ["IDX-DB-SCHEMA-01", ["workstreams/ws-db.json"], ["src/db.ts"], ["test/db.test.ts"], true],
          ["IDX-PROMPT-TEMPLATE-10", [], [], [], false],
          ["IDX-TOOL-AIDER-CONFIG-05", [], ["src/tools.ts"], [], false],
        ],
      );
      assert.equal(report.percent, 100 / 3);
      assert.match(io.stderr, /^src\/tools\.ts:1:31: error: \[IDX-UNKNOWN-TAG-01\] is not defined/m);
    });

    it("prints a table and exits 1 below --min", async () => {
      const io = captureIO(repo.root);
      assert.equal(await specCoverage({ min: "50" }, io), 1);
      assert.match(io.stdout, /^IDX-DB-SCHEMA-01 +yes \(1\) +yes \(1\) +yes \(1\) +yes$/m);
      assert.match(io.stdout, /1 of 3 tags covered \(33\.3%\)/);
      assert.match(io.stderr, /spec coverage 33\.3% is below --min 50%/);
      assert.equal(await specCoverage({ min: "33" }, captureIO(repo.root)), 0);
      await assert.rejects(specCoverage({ min: "abc" }, captureIO(repo.root)), /--min must be a percentage/);
    });

    it("passes with a warning when no tag is defined", async () => {
      const bare = createTempRepo({ "src/a.ts": "// nothing\n" });
      try {
        const io = captureIO(bare.root);
        assert.equal(await specCoverage({ min: "90" }, io), 0);
        assert.equal(io.stdout, "No IDX tags are defined in the spec docs.\n");
        assert.match(io.stderr, /no IDX tags are defined/);
      } finally {
        bare.remove();
      }
    });
  });

  describe("the built CLI", () => {
    const cli = path.resolve("dist/cli.js");
    before(function () {
      if (!existsSync(cli)) execFileSync("node", ["esbuild.mjs"], { stdio: "inherit" });
    });

    it("runs `wsp spec index --format json` and `wsp spec coverage --min` end to end", () => {
      const index = spawnSync("node", [cli, "spec", "index", "--format", "json"], {
        cwd: repo.root,
        encoding: "utf8",
      });
      assert.equal(index.status, 0, index.stderr);
      assert.equal((JSON.parse(index.stdout) as unknown[]).length, 4);
      const coverage = spawnSync("node", [cli, "spec", "coverage", "--min", "90"], {
        cwd: repo.root,
        encoding: "utf8",
      });
      assert.equal(coverage.status, 1, coverage.stderr);
      const usage = spawnSync("node", [cli, "spec", "coverage", "--min", "x"], {
        cwd: repo.root,
        encoding: "utf8",
      });
      assert.equal(usage.status, 2);
    });
  });
});
