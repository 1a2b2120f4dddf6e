/** The merge queue's git steps on a real repository: a merge that conflicts reports its hunks. */
import { strict as assert } from "node:assert";
import { conflictReport, mergeOnto } from "../../src/node/git/integration";
import { createTempRepo, type TempRepo } from "../support/tempRepo";

describe("integration merges", () => {
  let repo: TempRepo;
  const oddName = "notes\nwith a newline.txt";

  beforeEach(() => {
    repo = createTempRepo({ "shared.txt": "one\ntwo\nthree\n", [oddName]: "first\n" });
    repo.git("checkout", "-q", "-b", "theirs");
    repo.write({ "shared.txt": "one\ntheirs\nthree\n", [oddName]: "theirs\n" });
    repo.commitAll("theirs");
    repo.git("checkout", "-q", "main");
    repo.write({ "shared.txt": "one\nours\nthree\n", [oddName]: "ours\n" });
    repo.commitAll("ours");
  });
  afterEach(() => repo.remove());

  it("names every conflicting file, a newline in its name included, with the hunks git marked", async () => {
    const head = repo.git("rev-parse", "main").trim();
    const theirs = repo.git("rev-parse", "theirs").trim();
    const step = await mergeOnto(repo.root, head, theirs, "merge theirs");
    if (!("conflict" in step)) throw new Error("expected a conflict");
    assert.deepEqual(step.conflict.files, [oddName, "shared.txt"].sort());
    const shared = step.conflict.hunks.filter((hunk) => hunk.file === "shared.txt");
    assert.equal(shared.length, 1);
    for (const part of ["<<<<<<<", "ours", "theirs", ">>>>>>>"])
      assert.ok(shared[0].text.includes(part), part);
    assert.ok(step.conflict.hunks.some((hunk) => hunk.file === oddName));
    // The report read from the merge's own tree is the one a fresh merge-tree gives.
    assert.deepEqual(await conflictReport(repo.root, head, theirs), step.conflict);
    // Nothing moved: the branches are where they were.
    assert.equal(repo.git("rev-parse", "main").trim(), head);
  });

  it("commits a clean merge with both parents", async () => {
    repo.git("checkout", "-q", "-b", "clean", "main~1");
    repo.write({ "other.txt": "new\n" });
    repo.commitAll("clean");
    const head = repo.git("rev-parse", "main").trim();
    const step = await mergeOnto(repo.root, head, repo.git("rev-parse", "clean").trim(), "merge clean");
    if (!("commit" in step)) throw new Error("expected a commit");
    assert.equal(repo.git("rev-list", "--parents", "-n", "1", step.commit).trim().split(" ").length, 3);
    assert.equal(repo.git("show", `${step.commit}:other.txt`), "new\n");
  });
});
