/**
 * The git operations the orchestrator needs, on simple-git: worktrees on `workstream/<ws-id>`
 * branches, the worktree's diff against its base (for scope checks and oscillation), commits and
 * merges that never leave the base half-changed.
 */
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, appendFileSync } from "node:fs";
import path from "node:path";
import { simpleGit, type SimpleGit } from "simple-git";
import { UserError } from "../../core/errors";
import { runProcess } from "../process/runProcess";

/** The branch a workstream's work lives on. */
export function workstreamBranch(wsId: string): string {
  return `workstream/${wsId}`;
}

export interface WorktreeInfo {
  path: string;
  branch?: string;
  head?: string;
}

function git(dir: string): SimpleGit {
  return simpleGit({ baseDir: dir, config: ["core.quotepath=false"] });
}

/** The repository's top-level directory; a UserError when `dir` is not inside a git repository. */
export async function repoRoot(dir: string): Promise<string> {
  try {
    return (await git(dir).revparse(["--show-toplevel"])).trim();
  } catch {
    throw new UserError(`${dir} is not inside a git repository`);
  }
}

/** The branch currently checked out in `dir` (or HEAD's commit when detached). */
export async function currentBranch(dir: string): Promise<string> {
  const name = (await git(dir).revparse(["--abbrev-ref", "HEAD"])).trim();
  return name === "HEAD" ? (await git(dir).revparse(["HEAD"])).trim() : name;
}

export async function resolveCommit(dir: string, ref: string): Promise<string> {
  try {
    return (await git(dir).revparse([`${ref}^{commit}`])).trim();
  } catch {
    throw new UserError(`unknown base revision '${ref}'`);
  }
}

/** Keeps the worktrees folder out of the main checkout's `git status` without touching .gitignore. */
function excludeFromStatus(root: string, worktreesDir: string): void {
  const relative = path.relative(root, worktreesDir);
  if (relative.startsWith("..") || path.isAbsolute(relative)) return;
  const exclude = path.join(root, ".git", "info", "exclude");
  if (!existsSync(path.dirname(exclude))) return;
  const line = `/${relative.split(path.sep).join("/")}/`;
  const current = existsSync(exclude) ? readFileSync(exclude, "utf8") : "";
  if (!current.split("\n").includes(line))
    appendFileSync(exclude, `${current.endsWith("\n") || current === "" ? "" : "\n"}${line}\n`);
}

export async function listWorktrees(root: string): Promise<WorktreeInfo[]> {
  const text = await git(root).raw(["worktree", "list", "--porcelain"]);
  const entries: WorktreeInfo[] = [];
  for (const block of text.split("\n\n")) {
    const info: Partial<WorktreeInfo> = {};
    for (const line of block.split("\n")) {
      if (line.startsWith("worktree ")) info.path = line.slice(9);
      else if (line.startsWith("HEAD ")) info.head = line.slice(5);
      else if (line.startsWith("branch ")) info.branch = line.slice(7).replace(/^refs\/heads\//, "");
    }
    if (info.path) entries.push(info as WorktreeInfo);
  }
  return entries;
}

export async function listWorkstreamBranches(root: string): Promise<string[]> {
  const text = await git(root).raw(["for-each-ref", "--format=%(refname:short)", "refs/heads/workstream/"]);
  return text.split("\n").filter((line) => line !== "");
}

/**
 * Creates (or recreates) the worktree of a workstream at `worktreesDir/<ws-id>` on a fresh
 * `workstream/<ws-id>` branch at `baseCommit`. A leftover worktree from an earlier attempt is removed.
 */
export async function createWorktree(
  root: string,
  worktreesDir: string,
  wsId: string,
  baseCommit: string,
): Promise<string> {
  const target = path.join(worktreesDir, wsId);
  mkdirSync(worktreesDir, { recursive: true });
  excludeFromStatus(root, worktreesDir);
  await removeWorktree(root, target);
  await git(root).raw(["worktree", "prune"]);
  await git(root).raw(["worktree", "add", "--quiet", "-B", workstreamBranch(wsId), target, baseCommit]);
  return target;
}

/** Removes a worktree (forcefully: its changes were committed or it failed); the branch stays. */
export async function removeWorktree(root: string, worktreePath: string): Promise<boolean> {
  const known = (await listWorktrees(root)).some((w) => path.resolve(w.path) === path.resolve(worktreePath));
  if (!known) return false;
  await git(root).raw(["worktree", "remove", "--force", "--force", worktreePath]);
  return true;
}

/** Paths (repo-relative, forward slashes) changed in the worktree against `base`, untracked files included. */
export async function changedPaths(worktree: string, base: string): Promise<string[]> {
  const g = git(worktree);
  const tracked = await g.raw(["diff", "--name-only", "--no-renames", base, "--"]);
  const untracked = await g.raw(["ls-files", "--others", "--exclude-standard"]);
  const all = `${tracked}\n${untracked}`.split("\n").filter((line) => line !== "");
  return [...new Set(all)].sort();
}

/**
 * A hash of the worktree's state against `base`: the full diff of tracked files plus the names and
 * contents of untracked files. The same hash twice means the edits returned to an earlier state.
 */
export async function diffHash(worktree: string, base: string): Promise<string> {
  const g = git(worktree);
  const hash = createHash("sha1");
  hash.update(await g.raw(["diff", "--binary", "--no-renames", base, "--"]));
  const untracked = (await g.raw(["ls-files", "--others", "--exclude-standard", "-z"]))
    .split("\0")
    .filter(Boolean)
    .sort();
  for (const file of untracked) {
    hash.update(`\0untracked\0${file}\0`);
    try {
      hash.update(readFileSync(path.join(worktree, file)));
    } catch {
      hash.update("<unreadable>");
    }
  }
  return hash.digest("hex");
}

/** Commits everything in the worktree on its branch; returns the new commit. */
export async function commitAll(worktree: string, message: string): Promise<string> {
  const g = git(worktree);
  await g.raw(["add", "-A"]);
  const identity = (await g.raw(["config", "--get", "user.email"]).catch(() => "")).trim();
  const config =
    identity === "" ? ["-c", "user.name=Workstream Pipeline", "-c", "user.email=wsp@localhost"] : [];
  await g.raw([...config, "commit", "--quiet", "--allow-empty", "--no-verify", "-m", message]);
  return (await g.revparse(["HEAD"])).trim();
}

export async function branchExists(root: string, branch: string): Promise<boolean> {
  const text = await git(root).raw(["branch", "--list", branch]);
  return text.trim() !== "";
}

export async function deleteBranch(root: string, branch: string): Promise<void> {
  await git(root).raw(["branch", "-D", branch]);
}

export type MergeOutcome =
  | { merged: true; commit: string; merges: { branch: string; commit: string; alreadyMerged: boolean }[] }
  | { merged: false; branch: string; conflicts: string[]; message: string };

async function identityConfig(g: SimpleGit): Promise<string[]> {
  const identity = (await g.raw(["config", "--get", "user.email"]).catch(() => "")).trim();
  return identity === "" ? ["-c", "user.name=Workstream Pipeline", "-c", "user.email=wsp@localhost"] : [];
}

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
  const g = git(root);
  const baseCommit = await resolveCommit(root, base);
  let current = baseCommit;
  const merges: { branch: string; commit: string; alreadyMerged: boolean }[] = [];
  const config = await identityConfig(g);
  for (const { branch, message } of branches) {
    const branchCommit = await resolveCommit(root, branch);
    const contained = await runProcess("git", ["merge-base", "--is-ancestor", branchCommit, current], {
      cwd: root,
      env: process.env,
    });
    if (contained.exitCode === 0) {
      merges.push({ branch, commit: current, alreadyMerged: true });
      continue;
    }
    const tree = await runProcess(
      "git",
      ["merge-tree", "--write-tree", "--name-only", "--no-messages", current, branchCommit],
      { cwd: root, env: process.env },
    );
    if (tree.exitCode === 1) {
      const conflicts = [
        ...new Set(
          tree.stdout
            .split("\n")
            .slice(1)
            .filter((line) => line !== ""),
        ),
      ].sort();
      return {
        merged: false,
        branch,
        conflicts,
        message: `merging ${branch} into ${base} conflicts in ${conflicts.join(", ")}`,
      };
    }
    if (tree.exitCode !== 0) throw new UserError(`git merge-tree failed: ${tree.stderr.trim()}`);
    const treeId = tree.stdout.split("\n")[0].trim();
    current = (
      await g.raw([...config, "commit-tree", treeId, "-p", current, "-p", branchCommit, "-m", message])
    ).trim();
    merges.push({ branch, commit: current, alreadyMerged: false });
  }
  if (current === baseCommit) return { merged: true, commit: current, merges };
  const checkedOut = (await listWorktrees(root)).find((w) => w.branch === base);
  if (checkedOut) {
    // Untracked files (the store, say) do not matter; a fast-forward refuses to overwrite them anyway.
    const status = await git(checkedOut.path).status();
    if (status.files.some((file) => file.index !== "?" && file.working_dir !== "?"))
      throw new UserError(
        `cannot merge into ${base}: its checkout at ${checkedOut.path} has uncommitted changes`,
      );
    // Clean (checked above), so a fast-forward moves branch, index and files together.
    await git(checkedOut.path).raw(["merge", "--ff-only", "--quiet", current]);
  } else {
    await g.raw(["update-ref", "-m", `wsp merge into ${base}`, `refs/heads/${base}`, current, baseCommit]);
  }
  return { merged: true, commit: current, merges };
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
  const g = git(root);
  let current = await resolveCommit(root, base);
  for (const commit of commits) {
    const resolved = await resolveCommit(root, commit);
    const contained = await runProcess("git", ["merge-base", "--is-ancestor", resolved, current], {
      cwd: root,
      env: process.env,
    });
    if (contained.exitCode === 0) continue;
    const fastForward = await runProcess("git", ["merge-base", "--is-ancestor", current, resolved], {
      cwd: root,
      env: process.env,
    });
    if (fastForward.exitCode === 0) {
      current = resolved;
      continue;
    }
    const tree = await runProcess(
      "git",
      ["merge-tree", "--write-tree", "--name-only", "--no-messages", current, resolved],
      { cwd: root, env: process.env },
    );
    if (tree.exitCode !== 0) {
      const files = tree.stdout.split("\n").slice(1).filter(Boolean);
      throw new UserError(
        `the dependencies' branches conflict in: ${files.join(", ") || tree.stderr.trim()}`,
      );
    }
    const identity = (await g.raw(["config", "--get", "user.email"]).catch(() => "")).trim();
    const config =
      identity === "" ? ["-c", "user.name=Workstream Pipeline", "-c", "user.email=wsp@localhost"] : [];
    current = (
      await g.raw([
        ...config,
        "commit-tree",
        tree.stdout.split("\n")[0].trim(),
        "-p",
        current,
        "-p",
        resolved,
        "-m",
        message,
      ])
    ).trim();
  }
  return current;
}
