/**
 * What the merge queue asks of git: an integration head built in a worktree of its own (the base
 * checkout is never touched), conflicts with their hunks, the queue's progress kept in a ref, and a
 * workstream's work laid onto a newer head for its reopening.
 */
import { conflictHunks } from "../../core/merge/conflicts";
import { mergeCommitPair, writeMergeTree } from "./merges";
import { FULL_HASH, gitFast, gitOutputOrUndefined, gitRun, identityConfig, splitNul } from "./run";

export interface ConflictReport {
  files: string[];
  /** Per file, the conflicting regions as git marked them. */
  hunks: { file: string; line: number; text: string }[];
}

export type IntegrationStep = { commit: string } | { conflict: ConflictReport };

/** The conflicting files of merging `theirs` into `ours`, with the hunks git marks in each. */
export async function conflictReport(root: string, ours: string, theirs: string): Promise<ConflictReport> {
  const { tree, conflicts } = await writeMergeTree(root, ours, theirs);
  return conflictHunksIn(root, tree, conflicts);
}

/** The hunks git marked in each conflicting file of a merged tree (the one `merge-tree` wrote). */
async function conflictHunksIn(root: string, tree: string, files: string[]): Promise<ConflictReport> {
  const hunks: ConflictReport["hunks"] = [];
  for (const file of files) {
    const text = await gitOutputOrUndefined(root, ["cat-file", "blob", `${tree}:${file}`]);
    for (const hunk of conflictHunks(text ?? "", 120)) hunks.push({ file, ...hunk });
  }
  return { files, hunks };
}

/** `theirs` merged onto `head` as a merge commit, computed without touching any checkout. */
export async function mergeOnto(
  root: string,
  head: string,
  theirs: string,
  message: string,
): Promise<IntegrationStep> {
  const merged = await mergeCommitPair(root, head, theirs, message);
  if ("commit" in merged) return merged;
  // The conflicting merge already wrote its tree, markers and all: read the hunks from it.
  return { conflict: await conflictHunksIn(root, merged.conflictTree, merged.conflicts) };
}

/**
 * `theirs`'s commits (those not in `head`) replayed onto `head` in the integration worktree; on a
 * conflict the rebase is abandoned and the worktree left where it was.
 */
export async function rebaseOnto(
  root: string,
  worktree: string,
  head: string,
  theirs: string,
): Promise<IntegrationStep> {
  await gitFast(worktree, ["checkout", "--quiet", "--detach", "--force", theirs]);
  const config = await identityConfig(root);
  const rebase = await gitRun(worktree, [...config, "rebase", "--quiet", "--no-autostash", head]);
  if (rebase.exitCode === 0) return { commit: (await gitFast(worktree, ["rev-parse", "HEAD"])).trim() };
  await gitRun(worktree, ["rebase", "--abort"]);
  return { conflict: await conflictReport(root, head, theirs) };
}

/** Puts the integration worktree at `commit` with no leftovers of the last gate but ignored files (shared dependencies). */
export async function checkOutIntegration(worktree: string, commit: string): Promise<void> {
  await gitFast(worktree, ["checkout", "--quiet", "--detach", "--force", commit]);
  await gitFast(worktree, ["clean", "--quiet", "-d", "--force"]);
}

/** The ref that keeps a queue's green integration head between invocations, per base branch. */
export function queueRef(base: string): string {
  return `refs/wsp/merge-queue/${base}`;
}

export async function readQueueHead(root: string, base: string): Promise<string | undefined> {
  const out = await gitOutputOrUndefined(root, [
    "rev-parse",
    "--verify",
    "--quiet",
    `${queueRef(base)}^{commit}`,
  ]);
  const commit = out?.trim();
  return commit !== undefined && FULL_HASH.test(commit) ? commit : undefined;
}

/** Moves the queue's ref to `to` (from `from`, or creating it); never overwrites another queue's progress. */
export async function writeQueueHead(
  root: string,
  base: string,
  to: string,
  from: string | undefined,
): Promise<void> {
  const expected = from ?? "0".repeat(to.length);
  await gitFast(root, ["update-ref", "-m", "wsp merge queue", queueRef(base), to, expected]);
}

export async function clearQueueHead(root: string, base: string): Promise<void> {
  await gitRun(root, ["update-ref", "-d", queueRef(base)]);
}

/**
 * Lays a workstream's work (`source`, its old branch tip) onto the fresh worktree's HEAD, uncommitted,
 * for its reopening: conflicting files keep git's markers for the editing tool to resolve. Returns
 * the files left in conflict.
 */
export async function layWorkOnto(worktree: string, source: string): Promise<string[]> {
  const squash = await gitRun(worktree, ["merge", "--squash", "--quiet", source]);
  const conflicted = splitNul(
    (await gitRun(worktree, ["diff", "-z", "--name-only", "--diff-filter=U"])).stdout,
  ).sort();
  if (squash.exitCode !== 0 && conflicted.length === 0)
    throw new Error(
      `git merge --squash ${source}: ${squash.stderr.trim() || `exit code ${squash.exitCode}`}`,
    );
  // Unstage: the pipeline stages and commits everything after its checks, markers resolved or not.
  await gitFast(worktree, ["reset", "--quiet"]);
  return conflicted;
}

/**
 * Where a reopened workstream's earlier work is kept: the reopened run resets `workstream/<id>` to
 * the new head, so a reopening that fails must not take the finished work with it.
 */
export function earlierWorkRef(wsId: string): string {
  return `refs/wsp/earlier-work/${wsId}`;
}

export async function keepEarlierWork(root: string, wsId: string, commit: string): Promise<string> {
  const ref = earlierWorkRef(wsId);
  await gitFast(root, ["update-ref", "-m", "wsp: before reopening", ref, commit]);
  return ref;
}

export async function dropEarlierWork(root: string, wsId: string): Promise<void> {
  await gitRun(root, ["update-ref", "-d", earlierWorkRef(wsId)]);
}
