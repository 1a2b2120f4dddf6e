/**
 * What a tool may leave where wsp later looks: a link to /dev/zero, a named pipe, a link to a pipe.
 * The looks that run outside the sandbox (the oscillation hash of a worktree's untracked files and
 * the tamper guard's snapshot of .git) must finish and tell such files apart, never read them.
 */
import { strict as assert } from "node:assert";
import { execFileSync } from "node:child_process";
import { mkdirSync, rmSync, symlinkSync, unlinkSync } from "node:fs";
import path from "node:path";
import { captureGuard, diffHash, tamperFindings } from "../../src/node/git";
import { createTempRepo, type TempRepo } from "../support/tempRepo";

/** Resolves with `work`, or rejects once `ms` have passed: a read of /dev/zero never ends by itself. */
function within<T>(ms: number, work: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`still running after ${ms} ms`)), ms);
  });
  return Promise.race([work, timeout]).finally(() => clearTimeout(timer));
}

describe("files a tool leaves where wsp looks", function () {
  this.timeout(30_000);
  let repo: TempRepo;
  let base: string;
  beforeEach(function () {
    if (process.platform === "win32") this.skip();
    repo = createTempRepo({ "src/a.txt": "a\n" });
    base = repo.git("rev-parse", "HEAD").trim();
  });
  afterEach(() => repo?.remove());

  it("hashes an untracked link to /dev/zero by its target, and a named pipe by its kind", async () => {
    symlinkSync("/dev/zero", path.join(repo.root, "src", "zero.txt"));
    execFileSync("mkfifo", [path.join(repo.root, "src", "pipe.txt")]);
    symlinkSync("pipe.txt", path.join(repo.root, "src", "to-pipe.txt"));
    const first = await within(10_000, diffHash(repo.root, base));
    assert.equal(await within(10_000, diffHash(repo.root, base)), first, "the same state hashes the same");

    unlinkSync(path.join(repo.root, "src", "zero.txt"));
    symlinkSync("/dev/null", path.join(repo.root, "src", "zero.txt"));
    assert.notEqual(await within(10_000, diffHash(repo.root, base)), first, "a link's target counts");
  });

  it("reports a named pipe or a link to /dev/zero put among the hooks and refs, without reading it", async () => {
    const before = await captureGuard(repo.root, repo.root, "workstream/ws-x");
    const common = path.join(repo.root, ".git");
    execFileSync("mkfifo", [path.join(common, "hooks", "post-commit")]);
    mkdirSync(path.join(common, "refs", "heads", "sneaky"), { recursive: true });
    symlinkSync("/dev/zero", path.join(common, "refs", "heads", "sneaky", "zero"));
    // git would wait on this one for ever: the guard must not ask git anything now.
    execFileSync("mkfifo", [path.join(common, "packed-refs")]);
    const after = await within(10_000, captureGuard(repo.root, repo.root, "workstream/ws-x"));
    const findings = tamperFindings(before, after).join("\n");
    assert.match(findings, /hooks\/post-commit/);
    assert.match(findings, /refs\/heads\/sneaky\/zero/);
    assert.match(findings, /packed-refs/);
  });

  it("reports the repository's config replaced by a link to /dev/zero, without reading it", async () => {
    const before = await captureGuard(repo.root, repo.root, "workstream/ws-x");
    const config = path.join(repo.root, ".git", "config");
    const saved = path.join(repo.root, "config.saved");
    execFileSync("cp", [config, saved]);
    rmSync(config);
    symlinkSync("/dev/zero", config);
    try {
      // git itself would read /dev/zero for ever: the guard does not ask it.
      const after = await within(10_000, captureGuard(repo.root, repo.root, "workstream/ws-x"));
      assert.match(tamperFindings(before, after).join("\n"), /config/);
    } finally {
      rmSync(config);
      execFileSync("cp", [saved, config]);
    }
  });
});
