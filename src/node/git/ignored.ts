/**
 * What git ignores in a checkout: the folders a worktree shares from its base (node_modules and the
 * like are ignored, never tracked) and the ignored files the worktree config copies in.
 */
import { gitRun, LARGE_OUTPUT, splitNul } from "./run";

/** Those of `paths` (relative to `root`) that git ignores and does not track. */
export async function ignoredPaths(root: string, paths: readonly string[]): Promise<string[]> {
  if (paths.length === 0) return [];
  // One path a line (-z works only with --stdin); core.quotepath=false keeps names as they are.
  const result = await gitRun(root, ["check-ignore", "--", ...paths]);
  // Exit 1 means none of them is ignored; anything above is a real failure, treated as none.
  return result.exitCode === 0 ? result.stdout.split("\n").filter((line) => line !== "") : [];
}

/**
 * Ignored, untracked files of `root` matching `patterns` (git's glob pathspecs, where `*` stays within
 * one folder and `**` crosses folders). Nested repositories (the worktrees) are not entered.
 */
export async function ignoredFilesMatching(root: string, patterns: readonly string[]): Promise<string[]> {
  if (patterns.length === 0) return [];
  const result = await gitRun(
    root,
    [
      "ls-files",
      "-z",
      "--others",
      "--ignored",
      "--exclude-standard",
      "--",
      ...patterns.map((p) => `:(glob)${p}`),
    ],
    { maxBuffer: LARGE_OUTPUT },
  );
  return result.exitCode === 0 ? splitNul(result.stdout) : [];
}
