/**
 * Files of a base checkout that look like secrets (`.env`, private keys) and that git does not track:
 * the sandbox hides them from every tool. Listed once per run; a tracked one is in every worktree
 * anyway, so hiding it in the base would protect nothing.
 */
import path from "node:path";
import { looksLikeSecret } from "../../core/sandbox/policy";
import { gitRun, LARGE_OUTPUT } from "./run";

export async function untrackedSecretFiles(repoRoot: string): Promise<string[]> {
  // Nested repositories (the worktrees) are not entered: git stops at their .git file.
  const listed = await gitRun(repoRoot, ["ls-files", "-z", "--others"], { maxBuffer: LARGE_OUTPUT });
  if (listed.exitCode !== 0) return [];
  return listed.stdout
    .split("\0")
    .filter((file) => file !== "" && looksLikeSecret(path.posix.basename(file)));
}
