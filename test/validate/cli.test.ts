import assert from "node:assert/strict";
import { execFileSync, spawnSync } from "node:child_process";
import { cpSync, existsSync } from "node:fs";
import path from "node:path";
import { validate } from "../../src/cli/commands/validate";
import { type JsonReport } from "../../src/cli/commands/validate/report";
import { captureIO } from "../../src/cli/io";
import { createTempDir, createTempRepo, type TempRepo } from "../support/tempRepo";

const root = path.resolve(__dirname, "..", "..");
const profiles = JSON.stringify({ $schema: "./x.json", scripted: {}, "node-check": {}, "node-test": {} });

function bundle(id: string, extra: Record<string, unknown> = {}): string {
  const value = {
    id,
    openspec_change: "OS-1",
    ccpm_issue: 1,
    gate: 1,
    files_scope: [`src/${id}.js`],
    tasks: [],
    tool: "scripted",
    ...extra,
  };
  return JSON.stringify(value, null, 2) + "\n";
}

/** A repository holding a copy of the example set and its project, plus our own tool profiles fixture. */
function exampleRepo(): TempRepo {
  const repo = createTempRepo({ "config/tool_profiles.json": profiles });
  cpSync(path.join(root, "workstreams"), path.join(repo.root, "workstreams"), { recursive: true });
  cpSync(path.join(root, "example"), path.join(repo.root, "example"), { recursive: true });
  repo.commitAll("example");
  return repo;
}

describe("wsp validate", () => {
  let repo: TempRepo;
  afterEach(() => repo?.remove());

  it("passes the example set with exit 0, showing the ordered overlap as info", async () => {
    repo = exampleRepo();
    const io = captureIO(repo.root);
    assert.equal(await validate({}, io), 0);
    const lines = io.stdout.trim().split("\n");
    assert.deepEqual(lines, [
      'workstreams/ws-report.json:7:44: info overlap: Shares "example/src/index.js" with ws-stock-core; they are ordered by depends_on, so they never run at once.',
      'workstreams/ws-stock-core.json:7:47: info overlap: Shares "example/src/index.js" with ws-report; they are ordered by depends_on, so they never run at once.',
      "5 bundles in 5 files: 0 errors, 0 warnings, 2 info",
    ]);
  });

  it("prints compiler-style errors and exits 1", async () => {
    repo = createTempRepo({
      "config/tool_profiles.json": profiles,
      "ws/a.json": bundle("ws-a", { depends_on: ["ws-b"] }),
      "ws/b.json": bundle("ws-b", { depends_on: ["ws-a"], tool: "nope" }),
      "ws/c.json": '{\n  "id": "ws-c",\n}\n',
    });
    const io = captureIO(repo.root);
    assert.equal(await validate({ dir: "ws" }, io), 1);
    assert.deepEqual(io.stdout.trim().split("\n"), [
      "ws/a.json:12:5: error cycle: Dependency cycle: ws-a → ws-b → ws-a.",
      'ws/b.json:10:11: error config: Unknown tool profile "nope" in tool; defined profiles: node-check, node-test, scripted.',
      "ws/b.json:12:5: error cycle: Dependency cycle: ws-a → ws-b → ws-a.",
      'ws/c.json:2:15: error parse: Trailing comma before "}"; JSON does not allow it.',
      "2 bundles in 3 files: 4 errors, 0 warnings, 0 info",
    ]);
  });

  it("prints the JSON report with the original validator's fields", async () => {
    repo = createTempRepo({
      "workstreams/a.json": bundle("ws-a", { files_scope: ["README.md"] }),
      "workstreams/b.json": bundle("ws-b", { files_scope: ["README.md"], depends_on: ["ws-x"] }),
    });
    const io = captureIO(repo.root);
    assert.equal(await validate({ json: true }, io), 1);
    const report = JSON.parse(io.stdout) as JsonReport;
    assert.equal(report.ok, false);
    assert.equal(report.bundles_checked, 2);
    assert.deepEqual(
      report.errors.map((e) => [e.type, e.file, e.id, e.line, e.column, e.pointer]),
      [
        ["overlap", "workstreams/a.json", "ws-a", 7, 5, "/files_scope/0"],
        ["overlap", "workstreams/b.json", "ws-b", 7, 5, "/files_scope/0"],
        ["dependency", "workstreams/b.json", "ws-b", 12, 5, "/depends_on/0"],
      ],
    );
    assert.match(report.errors[0].details, /Overlaps ws-b on "README.md"/);
    assert.deepEqual(
      report.warnings.map((w) => [w.type, w.file]),
      [["config", "config/tool_profiles.json"]],
    );
  });

  it("reads PIPELINE_WORKSTREAM_DIR when --dir is not given", async () => {
    repo = createTempRepo({ "config/tool_profiles.json": profiles, "bundles/a.json": bundle("ws-a") });
    const io = captureIO(repo.root, { PIPELINE_WORKSTREAM_DIR: "bundles" });
    assert.equal(await validate({}, io), 0);
    assert.equal(io.stdout, "1 bundle in 1 file: 0 errors, 0 warnings, 0 info\n");
  });

  it("exits 2 when the directory does not exist", async () => {
    const temp = createTempDir();
    try {
      const io = captureIO(temp.root);
      assert.equal(await validate({ dir: "missing" }, io), 2);
      assert.match(io.stderr, /workstreams directory not found: .*missing/);
      assert.equal(io.stdout, "");
    } finally {
      temp.remove();
    }
  });

  it("records the bundles as pending workstreams of the --run-id run in the state store", async () => {
    repo = createTempRepo({ "config/tool_profiles.json": profiles, "workstreams/a.json": bundle("ws-a") });
    const io = captureIO(repo.root);
    assert.equal(await validate({ runId: "run-1" }, io), 0);
    assert.match(io.stderr, /run run-1: 1 workstream\(s\) recorded as pending/);
    assert.ok(existsSync(path.join(repo.root, "state", "pipeline.db")));
  });

  it("works outside a git repository by walking the directory", async () => {
    const temp = createTempDir();
    try {
      const io = captureIO(temp.root);
      cpSync(path.join(root, "workstreams"), path.join(temp.root, "workstreams"), { recursive: true });
      cpSync(path.join(root, "example"), path.join(temp.root, "example"), { recursive: true });
      assert.equal(await validate({ json: true }, io), 0);
      const report = JSON.parse(io.stdout) as JsonReport;
      assert.equal(report.infos.length, 2);
    } finally {
      temp.remove();
    }
  });

  describe("end to end through dist/cli.js @slow", () => {
    before(function () {
      this.timeout(120_000);
      if (!existsSync(path.join(root, "dist", "cli.js")) || process.env.CI)
        execFileSync(process.execPath, ["esbuild.mjs"], { cwd: root });
    });

    it("prints the JSON report and the exit code", () => {
      repo = createTempRepo({
        "config/tool_profiles.json": profiles,
        "workstreams/a.json": bundle("ws-a"),
        "workstreams/b.json": bundle("ws-a"),
      });
      const result = spawnSync(process.execPath, [path.join(root, "dist", "cli.js"), "validate", "--json"], {
        cwd: repo.root,
        encoding: "utf8",
      });
      assert.equal(result.status, 1, result.stderr);
      const report = JSON.parse(result.stdout) as JsonReport;
      assert.deepEqual(
        report.errors.map((e) => [e.type, e.file]),
        [
          ["duplicate", "workstreams/a.json"],
          ["duplicate", "workstreams/b.json"],
        ],
      );
    });
  });
});
