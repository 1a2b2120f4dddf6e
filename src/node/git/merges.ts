/**
 * Merges that never leave the base half-changed: each merge is computed with `git merge-tree`
 * (no checkout touched) before any ref moves. simple-git parses `git status` of the base's checkout.
 */
import { type SimpleGit } from "simple-git";
import { UserError } from "../../core/errors";
import { isAncestor, resolveCommit } from "./repository";
import { FULL_HASH, gitFast, gitRun, identityConfig, splitNul } from "./run";
import { listWorktrees } from "./worktrees";

/**
 * simple-git for one checkout. Loaded on first use: `wsp validate`, `wsp status` and the editor load
 * the git door too, and only a merge needs simple-git.
 */
async function git(dir: string): Promise<SimpleGit> {
  const { simpleGit } = await import("simple-git");
  return simpleGit({ baseDir: dir, config: ["core.quotepath=false"] });
}

/**
 * `git merge-tree` of `ours` and `theirs`, touching no checkout: its exit code (0 clean, 1
 * conflicts), the tree it wrote (conflict markers and all) and the conflicting files, sorted.
 */
export async function writeMergeTree(
  root: string,
  ours: string,
  theirs: string,
): Promise<{ exitCode: number; stderr: string; tree: string; conflicts: string[] }> {
  const result = await gitRun(root, [
    "merge-tree",
    "--write-tree",
    "--name-only",
    "--no-messages",
    "-z",
    ours,
    theirs,
  ]);
  // NUL-separated, so a file name holding a newline stays one name.
  const [tree = "", ...files] = splitNul(result.stdout);
  return { exitCode: result.exitCode, stderr: result.stderr, tree, conflicts: [...new Set(files)].sort() };
}

/**
 * `ours` and `theirs` merged with `git merge-tree` (no checkout touched) and committed with both as
 * parents; or the conflicting files when they conflict.
 */
export async function mergeCommitPair(
  root: string,
  ours: string,
  theirs: string,
  message: string,
): Promise<{ commit: string } | { conflicts: string[]; conflictTree: string }> {
  const merged = await writeMergeTree(root, ours, theirs);
  if (merged.exitCode === 1) return { conflicts: merged.conflicts, conflictTree: merged.tree };
  if (merged.exitCode !== 0) throw new UserError(`git merge-tree failed: ${merged.stderr.trim()}`);
  const config = await identityConfig(root);
  const commit = await gitFast(root, [
    ...config,
    "commit-tree",
    merged.tree,
    "-p",
    ours,
    "-p",
    theirs,
    "-m",
    message,
  ]);
  return { commit: commit.trim() };
}

export type MergeOutcome =
  | { merged: true; commit: string; merges: { branch: string; commit: string; alreadyMerged: boolean }[] }
  | { merged: false; branch: string; conflicts: string[]; message: string };

/**
 * Merges `branches` into `base`, in order, all or nothing. Every merge is computed with
 * `git merge-tree` first, so a conflict leaves the base untouched and names the files. When the
 * base is checked out it must be clean, and its checkout moves along by fast-forward.
 */
export async function mergeBranches(
  root: string,
  base: string,
  branches: readonly { branch: string; message: string }[],
): Promise<MergeOutcome> {
  const baseCommit = await resolveCommit(root, base);
  let current = baseCommit;
  const merges: { branch: string; commit: string; alreadyMerged: boolean }[] = [];
  for (const { branch, message } of branches) {
    const branchCommit = await resolveCommit(root, branch);
    if (await isAncestor(root, branchCommit, current)) {
      merges.push({ branch, commit: current, alreadyMerged: true });
      continue;
    }
    const merged = await mergeCommitPair(root, current, branchCommit, message);
    if ("conflicts" in merged)
      return {
        merged: false,
        branch,
        conflicts: merged.conflicts,
        message: `merging ${branch} into ${base} conflicts in ${merged.conflicts.join(", ")}`,
      };
    current = merged.commit;
    merges.push({ branch, commit: current, alreadyMerged: false });
  }
  if (current === baseCommit) return { merged: true, commit: current, merges };
  await fastForwardBranch(root, base, baseCommit, current);
  return { merged: true, commit: current, merges };
}

/**
 * Moves `branch` from `from` to `to` (a descendant), never overwriting: when the branch is checked
 * out its checkout must be clean and moves along by `merge --ff-only`; otherwise the ref moves only
 * if it still points at `from`. Throws a UserError when the branch moved meanwhile.
 */
export async function fastForwardBranch(
  root: string,
  branch: string,
  from: string,
  to: string,
): Promise<void> {
  const checkedOut = (await listWorktrees(root)).find((w) => w.branch === branch);
  if (checkedOut) {
    // Untracked files (the store, say) do not matter; a fast-forward refuses to overwrite them anyway.
    const status = await (await git(checkedOut.path)).status();
    if (status.files.some((file) => file.index !== "?" && file.working_dir !== "?"))
      throw new UserError(
        `cannot merge into ${branch}: its checkout at ${checkedOut.path} has uncommitted changes`,
      );
    if ((await resolveCommit(checkedOut.path, "HEAD")) !== from)
      throw new UserError(`${branch} moved while merging (expected ${from.slice(0, 12)})`);
    // Clean (checked above), so a fast-forward moves branch, index and files together.
    await gitFast(checkedOut.path, ["merge", "--ff-only", "--quiet", to]);
    return;
  }
  const moved = await gitRun(root, [
    "update-ref",
    "-m",
    `wsp merge into ${branch}`,
    `refs/heads/${branch}`,
    to,
    from,
  ]);
  if (moved.exitCode !== 0)
    throw new UserError(
      `${branch} moved while merging (expected ${from.slice(0, 12)}): ${moved.stderr.trim()}`,
    );
}

/**
 * A commit combining `base` with each of `commits` (merged in order, without touching any
 * checkout), for a workstream whose dependencies' work it must build on. Returns `base` when there
 * is nothing to combine; throws a UserError naming the files on a conflict.
 */
export async function combineCommits(
  root: string,
  base: string,
  commits: readonly string[],
  message: string,
): Promise<string> {
  if (commits.length === 0) return base;
  // Full hashes (what a run passes) need no resolving; anything else is resolved in one call.
  const refs = [base, ...commits];
  let resolved = refs;
  if (!refs.every((ref) => FULL_HASH.test(ref))) {
    const result = await gitRun(root, ["rev-parse", ...refs.map((ref) => `${ref}^{commit}`)]);
    const lines = result.stdout.split("\n").filter((line) => line !== "");
    if (result.exitCode !== 0 || lines.length !== refs.length) {
      const unknown = refs.find((_, i) => !FULL_HASH.test(lines[i] ?? "")) ?? base;
      throw new UserError(`unknown base revision '${unknown}'`);
    }
    resolved = lines;
  }
  let [current] = resolved;
  for (const commit of resolved.slice(1)) {
    // One merge-base says both: commit already contained (it is the base), or a fast-forward.
    const mergeBase = await gitRun(root, ["merge-base", current, commit]);
    const shared = mergeBase.stdout.trim();
    if (mergeBase.exitCode === 0 && shared === commit) continue;
    if (mergeBase.exitCode === 0 && shared === current) {
      current = commit;
      continue;
    }
    const merged = await mergeCommitPair(root, current, commit, message);
    if ("conflicts" in merged)
      throw new UserError(`the dependencies' branches conflict in: ${merged.conflicts.join(", ")}`);
    current = merged.commit;
  }
  return current;
}
