import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import path from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { dropPreparedBranch, prepareWorktree } from "../../src/node/git";
import { RunWorktrees } from "../../src/node/orchestrator/runWorktrees";
import { createTempRepo, type TempRepo } from "../support/tempRepo";

describe("worktrees made for a run's workstreams", function () {
  this.timeout(60_000);
  let repo: TempRepo;
  let base: string;
  let worktreesDir: string;
  beforeEach(() => {
    repo = createTempRepo({ "src/a.txt": "a\n" }, "wsp-run-worktrees-");
    base = repo.git("rev-parse", "HEAD").trim();
    worktreesDir = path.join(repo.root, ".worktrees");
  });
  afterEach(() => repo.remove());

  const branchAt = (wsId: string) =>
    repo.git("for-each-ref", "--format=%(objectname)", `refs/heads/workstream/${wsId}`).trim();
  const headOf = (folder: string) => repo.git("-C", folder, "rev-parse", "--abbrev-ref", "HEAD").trim();

  it("puts a worktree prepared ahead on its new branch, so the start runs no git", async () => {
    const prepared = await prepareWorktree(repo.root, worktreesDir, "ws-new", base);
    assert.deepEqual(prepared, { folder: path.join(worktreesDir, "ws-new"), commit: base, onBranch: true });
    assert.equal(headOf(prepared.folder), "workstream/ws-new");
    assert.equal(branchAt("ws-new"), base);
    assert.ok(existsSync(path.join(prepared.folder, "src", "a.txt")), "it is checked out");
  });

  it("leaves an existing branch where it is and the prepared worktree detached", async () => {
    repo.write({ "src/b.txt": "earlier work\n" });
    repo.commitAll("an earlier run's work");
    const earlier = repo.git("rev-parse", "HEAD").trim();
    repo.git("branch", "workstream/ws-old", earlier);
    const prepared = await prepareWorktree(repo.root, worktreesDir, "ws-old", base);
    assert.equal(prepared.onBranch, false);
    assert.equal(headOf(prepared.folder), "HEAD", "detached");
    assert.equal(branchAt("ws-old"), earlier, "the earlier work is still on its branch");
  });

  it("drops a prepared branch only while it still points where it was made", async () => {
    await prepareWorktree(repo.root, worktreesDir, "ws-moved", base);
    repo.git("worktree", "remove", "--force", path.join(worktreesDir, "ws-moved"));
    repo.write({ "src/c.txt": "c\n" });
    repo.commitAll("moved on");
    const moved = repo.git("rev-parse", "HEAD").trim();
    repo.git("branch", "--force", "workstream/ws-moved", moved);
    await dropPreparedBranch(repo.root, "ws-moved", base);
    assert.equal(branchAt("ws-moved"), moved, "a branch that moved on is kept");
    await dropPreparedBranch(repo.root, "ws-moved", moved);
    assert.equal(branchAt("ws-moved"), "", "one still where it was made is gone");
  });

  it("makes a starting workstream's worktree before any asked for ahead meanwhile", async () => {
    const worktrees = new RunWorktrees({ repoRoot: repo.root, worktreesDir, dryRun: false }, "run-1");
    // The start's base is still being combined when the look-ahead asks for the next worktree.
    const starting = worktrees.take("ws-now", () => sleep(200).then(() => base));
    assert.ok(starting !== undefined);
    worktrees.prepare("ws-next", () => Promise.resolve(base));
    const started = await starting;
    // Asked for after the start but not made before it: git had not even begun on it.
    assert.ok(!existsSync(path.join(worktreesDir, "ws-next")), "the look-ahead waited for the start");
    assert.equal(headOf(started.folder), "workstream/ws-now");
    const next = await worktrees.take("ws-next", () => Promise.resolve(base));
    assert.equal(next?.onBranch, true);
    assert.ok(existsSync(path.join(worktreesDir, "ws-next", "src", "a.txt")));
    await worktrees.settle();
  });

  it("at the end removes what nobody took, with the branch made for it", async () => {
    const worktrees = new RunWorktrees({ repoRoot: repo.root, worktreesDir, dryRun: false }, "run-2");
    worktrees.prepare("ws-unused", () => Promise.resolve(base));
    const taken = await worktrees.take("ws-used", () => Promise.resolve(base));
    assert.ok(taken);
    await worktrees.settle();
    assert.ok(!existsSync(path.join(worktreesDir, "ws-unused")));
    assert.equal(branchAt("ws-unused"), "");
    assert.equal(branchAt("ws-used"), base, "the started workstream's branch stays");
  });
});
