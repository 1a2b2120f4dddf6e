/**
 * The exported workflow, run for real by the GitHub stand-in harness against a bare "origin": every
 * workstream job, then the integrate job. It must end with the tree a local `wsp run --all` plus
 * `wsp merge --all` makes, one store holding every job's events, and a re-run must change nothing.
 */
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import path from "node:path";
import { execFileSync } from "node:child_process";
import { type TempRepo } from "../support/tempRepo";
import { GitHubActionsHarness, type JobRecord } from "./githubActionsHarness";
import { openIntegrateStore, stageExportedWorkflow, wsp, type StagedWorkflow } from "./support";

const RUN_ID = 4242;
const WORKSTREAMS = ["ws-docs", "ws-pricing", "ws-reorder", "ws-report", "ws-stock-core"];

/** A `gh` that remembers the pull requests it "opened" in a file, so a re-run finds one open. */
const FAKE_GH = `#!/bin/bash
log="$GH_STANDIN_LOG"
if [ "$1 $2" = "pr list" ]; then grep -c '^pr create' "$log" 2>/dev/null || echo 0; exit 0; fi
echo "$*" >> "$log"
`;

describe("the exported workflow under the GitHub Actions harness @slow", function () {
  this.timeout(300_000);
  let staged: StagedWorkflow;
  let repo: TempRepo;
  let origin: string;
  let harness: GitHubActionsHarness;
  let ghLog: string;
  let firstAttempt: JobRecord[];

  before(() => {
    staged = stageExportedWorkflow("wsp-gha-", ["--jobs", "2"], FAKE_GH);
    ({ repo, origin } = staged);
    ghLog = path.join(staged.scratch, "gh.log");
    harness = new GitHubActionsHarness(harnessSettings(1));
    firstAttempt = harness.runWorkflow(staged.workflow);
  });
  after(() => staged.remove());

  const originGit = (...args: string[]): string =>
    execFileSync("git", ["-C", origin, ...args], { encoding: "utf8" }).trim();

  it("runs every job to success and pushes every workstream branch and the integration branch", () => {
    const failed = firstAttempt.filter((job) => job.result !== "success");
    assert.deepEqual(
      failed.map((job) => `${job.id}: ${job.result}\n${job.log}`),
      [],
    );
    for (const id of WORKSTREAMS) assert.ok(originGit("rev-parse", `refs/heads/workstream/${id}`));
    assert.ok(originGit("rev-parse", `refs/heads/wsp/integration-${RUN_ID}`));
    assert.deepEqual(readFileSync(ghLog, "utf8").trim().split("\n"), [
      `pr create --base main --head wsp/integration-${RUN_ID} --title wsp: workstreams of workflow run ${RUN_ID} --body Merged by wsp from: ws-docs ws-stock-core ws-pricing ws-reorder ws-report`,
    ]);
  });

  it("ends with the tree a local run --all and merge --all make", () => {
    // The same bundles on the same commit, run and merged on one machine.
    const local = wsp(["run", "--all", "--jobs", "2"], repo.root);
    assert.equal(local.status, 0, local.stderr);
    const merged = wsp(["merge", "--all"], repo.root);
    assert.equal(merged.status, 0, merged.stderr);
    assert.equal(
      originGit("rev-parse", `refs/heads/wsp/integration-${RUN_ID}^{tree}`),
      repo.git("rev-parse", "main^{tree}").trim(),
    );
  });

  it("leaves one store holding every job's events", async () => {
    const store = await openIntegrateStore(firstAttempt);
    try {
      // Every job's run, imported, plus the merge queue's own run in the integrating job.
      const allRuns = await store.listRuns();
      const queueRuns = allRuns.filter((run) => run.metadata?.kind === "merge_queue");
      assert.equal(queueRuns.length, 1, "the integrating job ran the merge queue once");
      assert.equal(queueRuns[0].status, "succeeded");
      const runs = allRuns.filter((run) => run.metadata?.kind !== "merge_queue");
      assert.deepEqual(
        runs.map((run) => run.runId).sort(),
        WORKSTREAMS.map((id) => `gha-${RUN_ID}-1-${id}`).sort(),
      );
      for (const run of runs) assert.equal(run.status, "succeeded", run.runId);
      const journalLines = [...harness.artifacts.values()]
        .flatMap((files) => [...files.values()])
        .reduce((sum, content) => sum + content.toString("utf8").trimEnd().split("\n").length, 0);
      const imported = (await store.eventsAfter(0, { limit: 1_000_000 })).filter(
        (event) => event.runId !== queueRuns[0].runId,
      );
      assert.equal(imported.length, journalLines);
      assert.deepEqual(new Set(imported.map((event) => event.runId)), new Set(runs.map((run) => run.runId)));
    } finally {
      await store.close();
    }
  });

  it("a re-run of every job skips the finished workstreams and changes no branch", () => {
    const branches = () => originGit("for-each-ref", "--format=%(refname) %(objectname)");
    const before = branches();
    const rerun = new GitHubActionsHarness(harnessSettings(2));
    for (const [name, files] of harness.artifacts) rerun.artifacts.set(name, files);
    const second = rerun.runWorkflow(staged.workflow);
    assert.deepEqual(
      second.filter((job) => job.result !== "success").map((job) => `${job.id}\n${job.log}`),
      [],
    );
    for (const job of second.filter((record) => record.id !== "integrate"))
      assert.match(job.log, /already holds its finished commit from this workflow run: skipping it/, job.id);
    assert.equal(branches(), before);
    assert.equal(readFileSync(ghLog, "utf8").trim().split("\n").length, 1, "the open pull request was left");
  });

  function harnessSettings(runAttempt: number) {
    return staged.settings(RUN_ID, runAttempt, { GH_STANDIN_LOG: ghLog });
  }
});
