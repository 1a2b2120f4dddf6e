/**
 * A job that fails and is re-run, under the GitHub stand-in harness: the failed attempt's journal
 * must survive the re-run's upload, so the final store records both attempts.
 */
import assert from "node:assert/strict";
import { chmodSync, rmSync, writeFileSync } from "node:fs";
import path from "node:path";
import { GitHubActionsHarness, type JobRecord } from "./githubActionsHarness";
import { openIntegrateStore, stageExportedWorkflow, type StagedWorkflow } from "./support";

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
  let staged: StagedWorkflow;
  let first: JobRecord[];
  let second: JobRecord[];
  let rerun: GitHubActionsHarness;

  before(() => {
    staged = stageExportedWorkflow("wsp-gha-rerun-", [], QUIET_GH);
    const flag = path.join(staged.scratch, "refuse-ws-docs");
    writeFileSync(flag, "");
    const hook = path.join(staged.origin, "hooks", "pre-receive");
    writeFileSync(hook, REFUSING_HOOK(flag));
    chmodSync(hook, 0o755);
    const harness = new GitHubActionsHarness(staged.settings(RUN_ID, 1));
    first = harness.runWorkflow(staged.workflow);
    rmSync(flag);
    rerun = new GitHubActionsHarness(staged.settings(RUN_ID, 2));
    for (const [name, files] of harness.artifacts) rerun.artifacts.set(name, files);
    second = rerun.runWorkflow(staged.workflow);
  });
  after(() => staged.remove());

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
    const store = await openIntegrateStore(second);
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
