/**
 * The git operations the orchestrator needs: worktrees on `workstream/<ws-id>` branches, the
 * worktree's diff against its base (for scope checks and oscillation), commits and merges that never
 * leave the base half-changed. Everything a run does calls git directly (see `gitRun`); simple-git
 * remains for parsing `git status` before a merge.
 */
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, readFileSync, appendFileSync } from "node:fs";
import path from "node:path";
import { simpleGit, type SimpleGit } from "simple-git";
import { UserError } from "../../core/errors";
import { execCapture } from "../process/execCapture";

const FULL_HASH = /^(?:[0-9a-f]{40}|[0-9a-f]{64})$/;

/** The branch a workstream's work lives on. */
export function workstreamBranch(wsId: string): string {
  return `workstream/${wsId}`;
}

export interface WorktreeInfo {
  path: string;
  branch?: string;
  head?: string;
}

interface GitResult {
  exitCode: number;
  stdout: string;
  stderr: string;
}

/** Runs git directly (no shell) and resolves with its exit code; rejects only when git cannot start. Paths are never quoted (core.quotepath=false). */
function gitRun(cwd: string, args: readonly string[]): Promise<GitResult> {
  return execCapture("git", ["-c", "core.quotepath=false", ...args], { cwd }).catch((error: unknown) => {
    throw new Error(`git ${args.join(" ")}: ${error instanceof Error ? error.message : String(error)}`, {
      cause: error,
    });
  });
}

/** Runs git and resolves with its output; rejects with git's stderr on a non-zero exit. */
async function gitFast(cwd: string, args: readonly string[]): Promise<string> {
  const result = await gitRun(cwd, args);
  if (result.exitCode !== 0)
    throw new Error(`git ${args.join(" ")}: ${result.stderr.trim() || `exit code ${result.exitCode}`}`);
  return result.stdout;
}

/** NUL-separated path lists (`-z`), sorted. */
function pathList(text: string): string[] {
  return text
    .split("\0")
    .filter((line) => line !== "")
    .sort();
}

function git(dir: string): SimpleGit {
  return simpleGit({ baseDir: dir, config: ["core.quotepath=false"] });
}

/** The repository's top-level directory; a UserError when `dir` is not inside a git repository. */
export async function repoRoot(dir: string): Promise<string> {
  try {
    return (await gitFast(dir, ["rev-parse", "--show-toplevel"])).trim();
  } catch {
    throw new UserError(`${dir} is not inside a git repository`);
  }
}

/** The branch currently checked out in `dir` (or HEAD's commit when detached). */
export async function currentBranch(dir: string): Promise<string> {
  const name = (await gitFast(dir, ["rev-parse", "--abbrev-ref", "HEAD"])).trim();
  return name === "HEAD" ? (await gitFast(dir, ["rev-parse", "HEAD"])).trim() : name;
}

export async function resolveCommit(dir: string, ref: string): Promise<string> {
  try {
    return (await gitFast(dir, ["rev-parse", `${ref}^{commit}`])).trim();
  } catch {
    throw new UserError(`unknown base revision '${ref}'`);
  }
}

/**
 * Git's worktree bookkeeping (`.git/worktrees`) is not safe against concurrent add/remove/prune in
 * one repository, so those operations take turns per repository within this process. Even two adds
 * collide: an add reads every other worktree's admin folder, which a concurrent add may have created
 * but not yet filled ("failed to read .git/worktrees/<id>/commondir"; see test/orchestrator/worktrees.test.ts).
 * Waiting operations go by urgency: what a starting workstream waits on first, then worktrees
 * prepared ahead of their workstream, then removals, which nothing waits on.
 */
type WorktreeTurn = "urgent" | "ahead" | "cleanup";
interface WorktreeTurns extends Record<WorktreeTurn, (() => void)[]> {
  busy: boolean;
}
const worktreeTurns = new Map<string, WorktreeTurns>();

function withWorktreeLock<T>(
  root: string,
  operation: () => Promise<T>,
  turn: WorktreeTurn = "urgent",
): Promise<T> {
  const key = path.resolve(root);
  let turns = worktreeTurns.get(key);
  if (!turns) worktreeTurns.set(key, (turns = { busy: false, urgent: [], ahead: [], cleanup: [] }));
  const queue = turns;
  const next = () => {
    const waiting = queue.urgent.shift() ?? queue.ahead.shift() ?? queue.cleanup.shift();
    if (waiting) waiting();
    else queue.busy = false;
  };
  return new Promise<T>((resolve, reject) => {
    const go = () => {
      queue.busy = true;
      operation().then(resolve, reject).finally(next);
    };
    if (!queue.busy) go();
    else queue[turn].push(go);
  });
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

/** `git worktree prune`, taking its turn with adds and removes (see withWorktreeLock). */
export function pruneWorktrees(root: string): Promise<void> {
  return withWorktreeLock(root, async () => {
    await gitFast(root, ["worktree", "prune"]);
  });
}

export async function listWorktrees(root: string): Promise<WorktreeInfo[]> {
  const text = await gitFast(root, ["worktree", "list", "--porcelain"]);
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
  const text = await gitFast(root, ["for-each-ref", "--format=%(refname:short)", "refs/heads/workstream/"]);
  return text.split("\n").filter((line) => line !== "");
}

/**
 * Creates (or recreates) the worktree of a workstream at `worktreesDir/<ws-id>` on a fresh
 * `workstream/<ws-id>` branch at `baseCommit`. A leftover worktree from an earlier attempt is removed.
 * `detached` leaves the branch alone (HEAD detached at `baseCommit`): a worktree prepared ahead of
 * its workstream's start, which `attachWorkstreamBranch` puts on its branch when it does start.
 */
export async function createWorktree(
  root: string,
  worktreesDir: string,
  wsId: string,
  baseCommit: string,
  { detached = false }: { detached?: boolean } = {},
): Promise<string> {
  const target = path.join(worktreesDir, wsId);
  mkdirSync(worktreesDir, { recursive: true });
  excludeFromStatus(root, worktreesDir);
  return withWorktreeLock(
    root,
    async () => {
      // Only a leftover from an earlier attempt needs cleaning; checking the admin dir spares a git call.
      const leftover = existsSync(target) || existsSync(path.join(root, ".git", "worktrees", wsId));
      const registered =
        leftover && (await listWorktrees(root)).some((w) => path.resolve(w.path) === path.resolve(target));
      if (registered) {
        if (existsSync(target)) await gitFast(root, ["worktree", "remove", "--force", "--force", target]);
        else await gitFast(root, ["worktree", "prune"]);
      }
      const branch = detached ? ["--detach"] : ["-B", workstreamBranch(wsId)];
      await gitFast(root, ["worktree", "add", "--quiet", ...branch, target, baseCommit]);
      return target;
    },
    detached ? "ahead" : "urgent",
  );
}

/** Puts a worktree prepared with `detached` on a fresh `workstream/<ws-id>` branch at its HEAD. */
export async function attachWorkstreamBranch(worktree: string, wsId: string): Promise<void> {
  await gitFast(worktree, ["checkout", "--quiet", "-B", workstreamBranch(wsId)]);
}

/**
 * Removes a worktree (forcefully: its changes were committed or it failed); the branch stays.
 * Removal is clean-up: it waits while worktree adds are queued, so new workstreams start first.
 */
export async function removeWorktree(root: string, worktreePath: string): Promise<boolean> {
  return withWorktreeLock(
    root,
    async () => {
      if (
        !existsSync(worktreePath) &&
        !existsSync(path.join(root, ".git", "worktrees", path.basename(worktreePath)))
      )
        return false;
      try {
        await gitFast(root, ["worktree", "remove", "--force", "--force", worktreePath]);
      } catch {
        return false; // not a worktree of this repository
      }
      return true;
    },
    "cleanup",
  );
}

/** Paths (repo-relative, forward slashes) changed in the worktree against `base`, untracked files included. */
export async function changedPaths(worktree: string, base: string): Promise<string[]> {
  const tracked = await gitFast(worktree, ["diff", "-z", "--name-only", "--no-renames", base, "--"]);
  const untracked = await gitFast(worktree, ["ls-files", "-z", "--others", "--exclude-standard"]);
  return [...new Set(pathList(`${tracked}\0${untracked}`))];
}

/**
 * A hash of the worktree's state against `base`: the full diff of tracked files plus the names and
 * contents of untracked files. The same hash twice means the edits returned to an earlier state.
 */
export async function diffHash(worktree: string, base: string): Promise<string> {
  const hash = createHash("sha1");
  hash.update(await gitFast(worktree, ["diff", "--binary", "--no-renames", base, "--"]));
  const untracked = pathList(await gitFast(worktree, ["ls-files", "--others", "--exclude-standard", "-z"]));
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

const identities = new Map<string, Promise<string[]>>();
/** `-c user.*` options when the repository has no identity configured (looked up once per repository). */
function identityConfig(repo: string): Promise<string[]> {
  let found = identities.get(repo);
  if (!found) {
    found = gitFast(repo, ["config", "--get", "user.email"])
      .catch(() => "")
      .then((email) =>
        email.trim() === "" ? ["-c", "user.name=Workstream Pipeline", "-c", "user.email=wsp@localhost"] : [],
      );
    identities.set(repo, found);
  }
  return found;
}

/**
 * Stages everything in the worktree and returns the staged paths that differ from `base`
 * (untracked files included): the scope check's input, and what `commitStaged` then commits.
 */
export async function stageAll(worktree: string, base: string): Promise<string[]> {
  await gitFast(worktree, ["add", "-A"]);
  return pathList(
    await gitFast(worktree, ["diff", "-z", "--cached", "--name-only", "--no-renames", base, "--"]),
  );
}

/** Commits what is staged in the worktree on its branch; returns the new commit. */
export async function commitStaged(worktree: string, repo: string, message: string): Promise<string> {
  const config = await identityConfig(repo);
  await gitFast(worktree, [...config, "commit", "--quiet", "--allow-empty", "--no-verify", "-m", message]);
  return looseHead(worktree) ?? (await gitFast(worktree, ["rev-parse", "HEAD"])).trim();
}

function readTrimmed(file: string): string | undefined {
  try {
    return readFileSync(file, "utf8").trim();
  } catch {
    return undefined;
  }
}

/**
 * The worktree's HEAD commit read from git's files, sparing a `git rev-parse` per workstream: the
 * worktree's `.git` file names its admin folder, whose HEAD names the branch, whose loose ref (which
 * `git commit` has just written, and which wins over packed-refs) holds the commit. Anything else
 * (detached HEAD, packed or reftable refs, an unusual layout) gives undefined, and the caller asks git.
 */
function looseHead(worktree: string): string | undefined {
  const gitdir = /^gitdir: (.+)$/.exec(readTrimmed(path.join(worktree, ".git")) ?? "")?.[1];
  if (gitdir === undefined) return undefined;
  const admin = path.resolve(worktree, gitdir);
  const commondir = readTrimmed(path.join(admin, "commondir"));
  const ref = /^ref: (refs\/heads\/\S+)$/.exec(readTrimmed(path.join(admin, "HEAD")) ?? "")?.[1];
  if (commondir === undefined || ref === undefined) return undefined;
  const commit = readTrimmed(path.join(path.resolve(admin, commondir), ...ref.split("/")));
  return commit !== undefined && FULL_HASH.test(commit) ? commit : undefined;
}

export async function branchExists(root: string, branch: string): Promise<boolean> {
  const result = await gitRun(root, ["rev-parse", "--verify", "--quiet", `refs/heads/${branch}`]);
  return result.exitCode === 0;
}

export async function deleteBranch(root: string, branch: string): Promise<void> {
  await gitFast(root, ["branch", "-D", branch]);
}

/**
 * `ours` and `theirs` merged with `git merge-tree` (no checkout touched) and committed with both as
 * parents; or the conflicting files when they conflict.
 */
async function mergeCommitPair(
  root: string,
  ours: string,
  theirs: string,
  message: string,
): Promise<{ commit: string } | { conflicts: string[] }> {
  const tree = await gitRun(root, [
    "merge-tree",
    "--write-tree",
    "--name-only",
    "--no-messages",
    ours,
    theirs,
  ]);
  if (tree.exitCode === 1) {
    const files = tree.stdout
      .split("\n")
      .slice(1)
      .filter((line) => line !== "");
    return { conflicts: [...new Set(files)].sort() };
  }
  if (tree.exitCode !== 0) throw new UserError(`git merge-tree failed: ${tree.stderr.trim()}`);
  const treeId = tree.stdout.split("\n")[0].trim();
  const config = await identityConfig(root);
  const commit = await gitFast(root, [
    ...config,
    "commit-tree",
    treeId,
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
    const contained = await gitRun(root, ["merge-base", "--is-ancestor", branchCommit, current]);
    if (contained.exitCode === 0) {
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
  const checkedOut = (await listWorktrees(root)).find((w) => w.branch === base);
  if (checkedOut) {
    // Untracked files (the store, say) do not matter; a fast-forward refuses to overwrite them anyway.
    const status = await git(checkedOut.path).status();
    if (status.files.some((file) => file.index !== "?" && file.working_dir !== "?"))
      throw new UserError(
        `cannot merge into ${base}: its checkout at ${checkedOut.path} has uncommitted changes`,
      );
    // Clean (checked above), so a fast-forward moves branch, index and files together.
    await gitFast(checkedOut.path, ["merge", "--ff-only", "--quiet", current]);
  } else {
    await gitFast(root, [
      "update-ref",
      "-m",
      `wsp merge into ${base}`,
      `refs/heads/${base}`,
      current,
      baseCommit,
    ]);
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
