/**
 * git never waits for good: a named pipe a bare tool put among the repository's own files (here
 * info/exclude, which every status reads) stops the git command after its time, with a reason that
 * says so, and git never waits on its standard input.
 */
import { strict as assert } from "node:assert";
import { execFileSync } from "node:child_process";
import { unlinkSync } from "node:fs";
import path from "node:path";
import { gitRun, gitTimeoutSec } from "../../src/node/git/run";
import { createTempRepo, type TempRepo } from "../support/tempRepo";

describe("the git door's time limit", function () {
  this.timeout(30_000);
  let repo: TempRepo;
  const saved = process.env.PIPELINE_GIT_TIMEOUT_SEC;
  beforeEach(function () {
    if (process.platform === "win32") this.skip();
    repo = createTempRepo({ "src/a.txt": "a\n" });
  });
  afterEach(() => {
    repo?.remove();
    if (saved === undefined) delete process.env.PIPELINE_GIT_TIMEOUT_SEC;
    else process.env.PIPELINE_GIT_TIMEOUT_SEC = saved;
  });

  it("stops a git that waits on a named pipe among the repository's files, and says why", async () => {
    const exclude = path.join(repo.root, ".git", "info", "exclude");
    unlinkSync(exclude);
    execFileSync("mkfifo", [exclude]);
    process.env.PIPELINE_GIT_TIMEOUT_SEC = "1";
    const started = Date.now();
    await assert.rejects(
      gitRun(repo.root, ["status", "--porcelain"]),
      /git status --porcelain: .*did not finish within 1 s and was stopped \(a named pipe or device among the repository.s files can make git wait for good; PIPELINE_GIT_TIMEOUT_SEC sets the limit\)/,
    );
    assert.ok(Date.now() - started < 10_000, "stopped after about a second");
    // Without the pipe the same repository answers at once again.
    unlinkSync(exclude);
    assert.equal((await gitRun(repo.root, ["status", "--porcelain"])).exitCode, 0);
  });

  it("gives git an empty standard input rather than one that never ends", async () => {
    process.env.PIPELINE_GIT_TIMEOUT_SEC = "5";
    const hashed = await gitRun(repo.root, ["hash-object", "--stdin"]);
    assert.equal(hashed.stdout.trim(), "e69de29bb2d1d6434b8b29ae775ad8c2e48c5391", "the empty blob");
  });

  it("reads its limit from PIPELINE_GIT_TIMEOUT_SEC: 0 for none, the default for what is not a number", () => {
    assert.equal(gitTimeoutSec({}), 600);
    assert.equal(gitTimeoutSec({ PIPELINE_GIT_TIMEOUT_SEC: "" }), 600);
    assert.equal(gitTimeoutSec({ PIPELINE_GIT_TIMEOUT_SEC: "2.5" }), 2.5);
    assert.equal(gitTimeoutSec({ PIPELINE_GIT_TIMEOUT_SEC: "0" }), undefined);
    assert.equal(gitTimeoutSec({ PIPELINE_GIT_TIMEOUT_SEC: "soon" }), 600);
    assert.equal(gitTimeoutSec({ PIPELINE_GIT_TIMEOUT_SEC: "-3" }), 600);
  });
});
