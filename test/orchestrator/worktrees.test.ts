import assert from "node:assert/strict";
import { existsSync } from "node:fs";
import path from "node:path";
import { execFileSync } from "node:child_process";
import { writeFileSync } from "node:fs";
import { commitStaged, createWorktree, listWorktrees, removeWorktree, stageAll } from "../../src/node/git";
import { createTempRepo, type TempRepo } from "../support/tempRepo";

describe("worktrees added and removed concurrently @slow", function () {
  this.timeout(120_000);
  let repo: TempRepo;
  beforeEach(() => {
    const files: Record<string, string> = {};
    for (let i = 0; i < 30; i++) files[`src/file-${i}.txt`] = `content ${i}\n`;
    repo = createTempRepo(files, "wsp-worktrees-");
  });
  afterEach(() => repo.remove());

  const linked = async () =>
    (await listWorktrees(repo.root))
      .filter((w) => path.resolve(w.path) !== path.resolve(repo.root))
      .map((w) => `${path.basename(w.path)} ${w.branch ?? "-"}`)
      .sort();

  it("adds many at once and removes some while others are being added, losing none", async () => {
    const base = repo.git("rev-parse", "HEAD").trim();
    const dir = path.join(repo.root, ".worktrees");
    const ids = Array.from({ length: 8 }, (_, i) => `ws-${i}`);
    const first = await Promise.all(ids.map((id) => createWorktree(repo.root, dir, id, base)));
    assert.deepEqual(
      first,
      ids.map((id) => path.join(dir, id)),
    );
    // Removing the first four (git empties .git/worktrees when the last one goes) while adding four more.
    const more = Array.from({ length: 4 }, (_, i) => `ws-more-${i}`);
    const removed = await Promise.all([
      ...ids.slice(0, 4).map((id) => removeWorktree(repo.root, path.join(dir, id))),
      ...more.map((id) => createWorktree(repo.root, dir, id, base).then(() => true)),
    ]);
    assert.ok(removed.every(Boolean));
    const expected = [...ids.slice(4), ...more].map((id) => `${id} workstream/${id}`).sort();
    assert.deepEqual(await linked(), expected);
    for (const id of [...ids.slice(4), ...more])
      assert.ok(existsSync(path.join(dir, id, "src", "file-29.txt")), `${id} is checked out`);
    for (const id of ids.slice(0, 4)) assert.ok(!existsSync(path.join(dir, id)), `${id} is gone`);
    // Then everything goes at once, while the last ones are still being added.
    await Promise.all([
      ...[...ids.slice(4), ...more].map((id) => removeWorktree(repo.root, path.join(dir, id))),
      createWorktree(repo.root, dir, "ws-last", base),
    ]);
    assert.deepEqual(await linked(), ["ws-last workstream/ws-last"]);
  });

  it("returns the commit it made, on a branch (read from git's files) and on a detached HEAD (asked of git)", async () => {
    const base = repo.git("rev-parse", "HEAD").trim();
    const dir = path.join(repo.root, ".worktrees");
    const worktree = await createWorktree(repo.root, dir, "ws-commit", base);
    const head = () => execFileSync("git", ["rev-parse", "HEAD"], { cwd: worktree, encoding: "utf8" }).trim();
    writeFileSync(path.join(worktree, "src", "new.txt"), "new\n");
    assert.deepEqual(await stageAll(worktree, base), ["src/new.txt"]);
    const onBranch = await commitStaged(worktree, repo.root, "on the branch");
    assert.equal(onBranch, head());
    assert.equal(repo.git("rev-parse", "workstream/ws-commit").trim(), onBranch);
    execFileSync("git", ["checkout", "--quiet", "--detach"], { cwd: worktree });
    const detached = await commitStaged(worktree, repo.root, "detached");
    assert.equal(detached, head());
    assert.notEqual(detached, onBranch);
  });
});
