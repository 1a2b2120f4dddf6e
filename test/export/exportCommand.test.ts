/** `wsp export github-actions` refusals and options, called in-process on a real temp repo. */
import assert from "node:assert/strict";
import { createHash } from "node:crypto";
import { existsSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { exportGithubActions } from "../../src/cli/commands/export";
import { captureIO } from "../../src/cli/io";
import { type TempRepo } from "../support/tempRepo";
import { BUILT_CLI, createExampleRepo } from "./support";

describe("wsp export github-actions", function () {
  this.timeout(60_000);
  let repo: TempRepo;
  beforeEach(() => (repo = createExampleRepo("wsp-export-")));
  afterEach(() => repo.remove());

  const io = () => captureIO(repo.root, { ...process.env, WSP_CLI_PATH: BUILT_CLI });
  const workflowFile = () => path.join(repo.root, ".github/workflows/workstreams.yml");

  it("refuses a workstream whose scope covers .github/workflows/, naming it, and writes nothing", async () => {
    const file = path.join(repo.root, "workstreams/ws-docs.json");
    const bundle = JSON.parse(readFileSync(file, "utf8")) as { files_scope: string[] };
    bundle.files_scope.push(".github/");
    writeFileSync(file, JSON.stringify(bundle));
    await assert.rejects(
      exportGithubActions({}, io()),
      /ws-docs: its scope "\.github\/" covers \.github\/workflows\/, which a job's GITHUB_TOKEN cannot push/,
    );
    assert.ok(!existsSync(path.join(repo.root, ".github")), "nothing written");
  });

  it("refuses --only without a dependency and a --jobs that is not a positive integer", async () => {
    await assert.rejects(
      exportGithubActions({ only: "ws-pricing" }, io()),
      /ws-pricing depends on ws-stock-core, which is not exported/,
    );
    await assert.rejects(exportGithubActions({ jobs: "0" }, io()), /--jobs must be a positive integer/);
    assert.ok(!existsSync(workflowFile()));
  });

  it("writes the CLI copy its checksums name, or only the workflow with --install", async () => {
    const capture = io();
    assert.equal(await exportGithubActions({ only: "ws-stock-core,ws-pricing" }, capture), 0);
    const summary = JSON.parse(capture.stdout) as { jobs: string[]; cli_copy: string };
    assert.deepEqual(summary.jobs, ["ws-stock-core", "ws-pricing"]);
    const yaml = readFileSync(workflowFile(), "utf8");
    const copy = readFileSync(path.join(repo.root, summary.cli_copy, "cli.js"));
    assert.ok(yaml.includes(createHash("sha512").update(copy).digest("hex")));
    assert.deepEqual(copy, readFileSync(BUILT_CLI));

    const custom = captureIO(repo.root, process.env);
    const line = 'npm ci --prefix tools/wsp && echo "$PWD/tools/wsp/node_modules/.bin" >> "$GITHUB_PATH"';
    assert.equal(await exportGithubActions({ install: line, output: "ci.yml" }, custom), 0);
    const customYaml = readFileSync(path.join(repo.root, "ci.yml"), "utf8");
    assert.ok(customYaml.includes("npm ci --prefix tools/wsp"));
    assert.ok(!customYaml.includes("WSP_CLI_SHA512"));
  });
});
