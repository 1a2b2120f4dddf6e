/**
 * A job that fails and is re-run, under the GitHub stand-in harness: the failed attempt's journal
 * must survive the re-run's upload, so the final store records both attempts.
 */
import assert from "node:assert/strict";
import { chmodSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { execFileSync } from "node:child_process";
import { openStore } from "../../src/node/store";
import { createTempDir, type TempRepo } from "../support/tempRepo";
import { GitHubActionsHarness, type JobRecord } from "./githubActionsHarness";
import { createExampleRepo, wsp } from "./support";

const RUN_ID = 5151;

/** A gh that opens nothing and finds nothing: this test is about journals, not pull requests. */
const QUIET_GH = '#!/bin/bash\nif [ "$1 $2" = "pr list" ]; then echo 0; fi\nexit 0\n';

/** Origin refuses workstream/ws-docs while the flag file exists: a push that fails once. */
const REFUSING_HOOK = (flag: string) => `#!/bin/bash
while read -r old new ref; do
  if [ "$ref" = refs/heads/workstream/ws-docs ] && [ -e ${JSON.stringify(flag)} ]; then
    echo "refusing $ref for this attempt" >&2
    exit 1
  fi
done
exit 0
`;

describe("a failed job re-run under the GitHub Actions harness @slow", function () {
  this.timeout(300_000);
  let repo: TempRepo;
  let scratch: { root: string; remove(): void };
  let origin: string;
  let workflow: string;
  let flag: string;
  let first: JobRecord[];
  let second: JobRecord[];
  let rerun: GitHubActionsHarness;

  before(() => {
    repo = createExampleRepo("wsp-gha-rerun-");
    const exported = wsp(["export", "github-actions"], repo.root);
    assert.equal(exported.status, 0, exported.stderr);
    repo.commitAll("the exported workflow and its CLI copy");
    workflow = readFileSync(path.join(repo.root, ".github/workflows/workstreams.yml"), "utf8");
    scratch = createTempDir("wsp-gha-rerun-harness-");
    origin = path.join(scratch.root, "origin.git");
    execFileSync("git", ["clone", "-q", "--bare", repo.root, origin]);
    flag = path.join(scratch.root, "refuse-ws-docs");
    writeFileSync(flag, "");
    writeFileSync(path.join(origin, "hooks", "pre-receive"), REFUSING_HOOK(flag));
    chmodSync(path.join(origin, "hooks", "pre-receive"), 0o755);
    const bin = path.join(scratch.root, "bin");
    execFileSync("mkdir", ["-p", bin]);
    writeFileSync(path.join(bin, "gh"), QUIET_GH);
    chmodSync(path.join(bin, "gh"), 0o755);
    const settings = {
      origin,
      workDir: scratch.root,
      runId: RUN_ID,
      refName: "main",
      secrets: {},
      env: { ...process.env, PATH: `${bin}${path.delimiter}${process.env.PATH ?? ""}` },
    };
    const harness = new GitHubActionsHarness({ ...settings, runAttempt: 1 });
    first = harness.runWorkflow(workflow);
    rmSync(flag);
    rerun = new GitHubActionsHarness({ ...settings, runAttempt: 2 });
    for (const [name, files] of harness.artifacts) rerun.artifacts.set(name, files);
    second = rerun.runWorkflow(workflow);
  });
  after(() => {
    repo.remove();
    scratch.remove();
  });

  const resultOf = (records: JobRecord[], id: string) => records.find((job) => job.id === id)?.result;

  it("fails the job whose push is refused, and the re-run finishes it", () => {
    assert.equal(resultOf(first, "ws-docs"), "failure");
    assert.equal(resultOf(first, "ws-stock-core"), "success");
    assert.equal(resultOf(second, "ws-docs"), "success", second.find((job) => job.id === "ws-docs")?.log);
    assert.equal(resultOf(second, "integrate"), "success", second.find((job) => job.id === "integrate")?.log);
  });

  it("uploads the failed attempt's journal again with the re-run's", () => {
    const files = [...(rerun.artifacts.get("wsp-journal-ws-docs")?.keys() ?? [])].sort();
    assert.deepEqual(files, ["ws-docs-attempt-1.ndjson", "ws-docs-attempt-2.ndjson"]);
    // A job the re-run skipped keeps the journal of the attempt that ran it.
    assert.deepEqual(
      [...(rerun.artifacts.get("wsp-journal-ws-stock-core")?.keys() ?? [])],
      ["ws-stock-core-attempt-1.ndjson"],
    );
  });

  it("ends with one store holding both attempts of the re-run workstream", async () => {
    const integrate = second.find((job) => job.id === "integrate")!;
    const store = await openStore({
      path: path.join(integrate.runnerTemp, "wsp-state", "pipeline.db"),
      readOnly: true,
    });
    try {
      const runIds = (await store.listRuns()).map((run) => run.runId);
      for (const attempt of [1, 2])
        assert.ok(runIds.includes(`gha-${RUN_ID}-${attempt}-ws-docs`), runIds.join(" "));
      assert.ok(!runIds.includes(`gha-${RUN_ID}-2-ws-stock-core`), "a skipped job runs nothing");
    } finally {
      await store.close();
    }
  });
});
