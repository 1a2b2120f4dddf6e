/**
 * Questions about the repository itself: where it is, its branches and commits, its files, and the
 * git found on PATH. Nothing here changes the repository except `deleteBranch`.
 */
import { UserError } from "../../core/errors";
import { gitFast, gitOutputOrUndefined, gitRun, LARGE_OUTPUT, splitNul } from "./run";

/** The branch a workstream's work lives on. */
export function workstreamBranch(wsId: string): string {
  return `workstream/${wsId}`;
}

/** The repository's top-level directory; a UserError when `dir` is not inside a git repository. */
export async function repoRoot(dir: string): Promise<string> {
  try {
    return (await gitFast(dir, ["rev-parse", "--show-toplevel"])).trim();
  } catch {
    throw new UserError(`${dir} is not inside a git repository`);
  }
}

/**
 * The repository's top-level directory, or undefined when `dir` is not inside one (or git cannot
 * run). `env`, when given, is the whole environment git runs with.
 */
export async function findRepoRoot(dir: string, env?: NodeJS.ProcessEnv): Promise<string | undefined> {
  return (await gitOutputOrUndefined(dir, ["rev-parse", "--show-toplevel"], env ? { env } : {}))?.trim();
}

/** The branch currently checked out in `dir` (or HEAD's commit when detached). */
export async function currentBranch(dir: string): Promise<string> {
  const name = (await gitFast(dir, ["rev-parse", "--abbrev-ref", "HEAD"])).trim();
  return name === "HEAD" ? (await gitFast(dir, ["rev-parse", "HEAD"])).trim() : name;
}

/** The commit `ref` names; a UserError when it names none. */
export async function resolveCommit(dir: string, ref: string): Promise<string> {
  try {
    return (await gitFast(dir, ["rev-parse", `${ref}^{commit}`])).trim();
  } catch {
    throw new UserError(`unknown base revision '${ref}'`);
  }
}

export async function branchExists(root: string, branch: string): Promise<boolean> {
  const result = await gitRun(root, ["rev-parse", "--verify", "--quiet", `refs/heads/${branch}`]);
  return result.exitCode === 0;
}

export async function deleteBranch(root: string, branch: string): Promise<void> {
  await gitFast(root, ["branch", "-D", branch]);
}

/** Every local branch's short name; none when git fails. `env` as for `findRepoRoot`. */
export async function listBranches(root: string, env?: NodeJS.ProcessEnv): Promise<string[]> {
  const refs = await gitOutputOrUndefined(
    root,
    ["for-each-ref", "--format=%(refname:short)", "refs/heads/"],
    env ? { env } : {},
  );
  return (refs ?? "")
    .trim()
    .split("\n")
    .filter((name) => name !== "");
}

export async function listWorkstreamBranches(root: string): Promise<string[]> {
  const text = await gitFast(root, ["for-each-ref", "--format=%(refname:short)", "refs/heads/workstream/"]);
  return text.split("\n").filter((line) => line !== "");
}

/**
 * `git rev-list --left-right --count base...branch` (commits only on `base`, then only on
 * `branch`, tab-separated), trimmed; undefined when git fails. `env` as for `findRepoRoot`.
 */
export async function leftRightCount(
  root: string,
  base: string,
  branch: string,
  env?: NodeJS.ProcessEnv,
): Promise<string | undefined> {
  const args = ["rev-list", "--left-right", "--count", `${base}...${branch}`];
  return (await gitOutputOrUndefined(root, args, env ? { env } : {}))?.trim();
}

/** What `git --version` prints, or undefined when git is missing or fails. `env` as for `findRepoRoot`. */
export function gitVersion(cwd: string, env?: NodeJS.ProcessEnv): Promise<string | undefined> {
  return gitOutputOrUndefined(cwd, ["--version"], env ? { env } : {});
}

/** The files git tracks in `root` (`git ls-files`), in git's order; undefined when git fails. */
export async function listTrackedFiles(root: string): Promise<string[] | undefined> {
  const listed = await gitOutputOrUndefined(root, ["ls-files", "-z"], { maxBuffer: LARGE_OUTPUT });
  return listed === undefined ? undefined : splitNul(listed);
}

/**
 * The repository's files as git sees them: tracked plus untracked-but-not-ignored, minus deleted;
 * repo-relative '/'-separated paths, sorted. Undefined when `root` is not inside a git work tree.
 */
export async function listRepositoryFiles(root: string): Promise<string[] | undefined> {
  const [listed, deleted] = await Promise.all([
    gitOutputOrUndefined(root, ["ls-files", "-z", "--cached", "--others", "--exclude-standard"], {
      maxBuffer: LARGE_OUTPUT,
    }),
    gitOutputOrUndefined(root, ["ls-files", "-z", "--deleted"], { maxBuffer: LARGE_OUTPUT }),
  ]);
  if (listed === undefined || deleted === undefined) return undefined;
  const gone = new Set(splitNul(deleted));
  return [...new Set(splitNul(listed))].filter((file) => !gone.has(file)).sort();
}

/** Whether `ancestor` is contained in `descendant`. */
export async function isAncestor(root: string, ancestor: string, descendant: string): Promise<boolean> {
  return (await gitRun(root, ["merge-base", "--is-ancestor", ancestor, descendant])).exitCode === 0;
}
