/**
 * A worktree's changes against its base (the scope check's input and the oscillation hash), the
 * commit that records them, and what a workstream's branch changed (for review in the editor).
 */
import { createHash } from "node:crypto";
import { lstatSync, readlinkSync } from "node:fs";
import path from "node:path";
import { fingerprintContent } from "../files/regularFile";
import { FULL_HASH, gitFast, gitRun, identityConfig, pathList, splitNul } from "./run";

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
    hash.update(untrackedContent(path.join(worktree, file)));
  }
  return hash.digest("hex");
}

/** Far above a source file; a larger untracked file is hashed by its size alone. */
const MAX_HASHED_BYTES = 64 * 1024 * 1024;

/**
 * What an untracked file holds, as git would record it: a link by its target (never followed: a tool
 * may point one at /dev/zero or a named pipe), a regular file by its bytes, anything else by its kind.
 */
function untrackedContent(file: string): Buffer | string {
  try {
    if (lstatSync(file).isSymbolicLink()) return `<link>${readlinkSync(file)}`;
  } catch {
    return "<missing>";
  }
  const content = fingerprintContent(file, MAX_HASHED_BYTES);
  return typeof content === "string" ? `<${content}>` : content;
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
  // No automatic maintenance after each workstream's commit: a process per workstream, and a gc or
  // pack-refs while other workstreams commit beside it; the user's own next commit still runs it.
  await gitFast(worktree, [
    ...config,
    "-c",
    "maintenance.auto=false",
    "commit",
    "--quiet",
    "--allow-empty",
    "--no-verify",
    "-m",
    message,
  ]);
  return looseHead(worktree) ?? (await gitFast(worktree, ["rev-parse", "HEAD"])).trim();
}

/** A small git file's trimmed text; undefined for anything but a regular file (git is asked instead). */
function readTrimmed(file: string): string | undefined {
  const content = fingerprintContent(file, 64 * 1024);
  return typeof content === "string" ? undefined : content.toString("utf8").trim();
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

export interface BranchChange {
  /** git's status letter: A, M, D, T… */
  status: string;
  path: string;
}

/**
 * Files changed on `branch` since it left `HEAD` (git's three-dot diff), with that merge base.
 * Rejects with git's stderr (or how git failed) when the branch cannot be read.
 */
export async function branchChanges(
  root: string,
  branch: string,
): Promise<{ base: string; files: BranchChange[] }> {
  const base = (await gitOrStderr(root, ["merge-base", "HEAD", branch])).trim();
  const output = await gitOrStderr(root, ["diff", "--name-status", "--no-renames", "-z", base, branch]);
  const fields = splitNul(output);
  const files: BranchChange[] = [];
  for (let i = 0; i + 1 < fields.length; i += 2) files.push({ status: fields[i], path: fields[i + 1] });
  return { base, files };
}

/** The content of `file` at `ref` (`git show <ref>:<file>`); undefined when it does not exist there. */
export async function showFile(root: string, ref: string, file: string): Promise<string | undefined> {
  try {
    const result = await gitRun(root, ["show", `${ref}:${file}`]);
    return result.exitCode === 0 ? result.stdout : undefined;
  } catch {
    return undefined;
  }
}

/** Git's output; on failure an Error carrying git's stderr alone, or the underlying failure's message. */
async function gitOrStderr(cwd: string, args: string[]): Promise<string> {
  let result;
  try {
    result = await gitRun(cwd, args);
  } catch (error) {
    throw new Error(rootMessage(error), { cause: error });
  }
  if (result.exitCode !== 0)
    throw new Error(result.stderr.trim() || `Command failed: git ${args.join(" ")}\n`);
  return result.stdout;
}

function rootMessage(error: unknown): string {
  let current = error;
  while (current instanceof Error && current.cause instanceof Error) current = current.cause;
  return current instanceof Error ? current.message : String(current);
}
