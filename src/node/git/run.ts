/**
 * How the git door runs git: directly (no shell) through the process door's `execCapture`, with
 * paths never quoted (core.quotepath=false). Every git command Workstream Pipeline runs starts here.
 */
import { CaptureTimeout, execCapture } from "../process/execCapture";

/** A full commit id (SHA-1 or SHA-256): what needs no `rev-parse`. */
export const FULL_HASH = /^(?:[0-9a-f]{40}|[0-9a-f]{64})$/;

/** Room for the output of listing a whole repository's files (`ls-files`), far above execCapture's default. */
export const LARGE_OUTPUT = 256 * 1024 * 1024;

export interface GitResult {
  exitCode: number;
  stdout: string;
  stderr: string;
}

export interface GitRunOptions {
  /** The whole environment git runs with; the process's own unless set. */
  env?: NodeJS.ProcessEnv;
  /** Bytes of output kept before the run fails; execCapture's default unless set. */
  maxBuffer?: number;
}

/**
 * How long one git command may take before it is stopped: far beyond any checkout or merge wsp
 * asks for, but not for ever. A named pipe or device put among a repository's files (a loose
 * object, info/exclude) by a tool running without the sandbox would otherwise leave git, and the
 * run waiting on it, waiting for good. `$PIPELINE_GIT_TIMEOUT_SEC` sets it; 0 means no limit.
 */
export function gitTimeoutSec(env: NodeJS.ProcessEnv = process.env): number | undefined {
  const chosen = env.PIPELINE_GIT_TIMEOUT_SEC;
  const seconds = chosen === undefined || chosen.trim() === "" ? DEFAULT_GIT_TIMEOUT_SEC : Number(chosen);
  if (!Number.isFinite(seconds) || seconds < 0) return DEFAULT_GIT_TIMEOUT_SEC;
  return seconds === 0 ? undefined : seconds;
}

const DEFAULT_GIT_TIMEOUT_SEC = 600;

/**
 * Runs git and resolves with its exit code; rejects only when git cannot start, its output
 * overflows, or it outlives gitTimeoutSec.
 */
export function gitRun(
  cwd: string,
  args: readonly string[],
  options: GitRunOptions = {},
): Promise<GitResult> {
  const timeoutSec = gitTimeoutSec();
  return execCapture("git", ["-c", "core.quotepath=false", ...args], {
    cwd,
    ...options,
    ...(timeoutSec !== undefined ? { timeoutSec } : {}),
  }).catch((error: unknown) => {
    const why = error instanceof Error ? error.message : String(error);
    const hint =
      error instanceof CaptureTimeout
        ? ` (a named pipe or device among the repository's files can make git wait for good; PIPELINE_GIT_TIMEOUT_SEC sets the limit)`
        : "";
    throw new Error(`git ${args.join(" ")}: ${why}${hint}`, { cause: error });
  });
}

/** Runs git and resolves with its output; rejects with git's stderr on a non-zero exit. */
export async function gitFast(cwd: string, args: readonly string[]): Promise<string> {
  const result = await gitRun(cwd, args);
  if (result.exitCode !== 0)
    throw new Error(`git ${args.join(" ")}: ${result.stderr.trim() || `exit code ${result.exitCode}`}`);
  return result.stdout;
}

/** Git's output, or undefined when git fails for any reason (not a repository, git missing, an error). */
export async function gitOutputOrUndefined(
  cwd: string,
  args: readonly string[],
  options: GitRunOptions = {},
): Promise<string | undefined> {
  try {
    const result = await gitRun(cwd, args, options);
    return result.exitCode === 0 ? result.stdout : undefined;
  } catch {
    return undefined;
  }
}

/** NUL-separated path lists (`-z`), sorted. */
export function pathList(text: string): string[] {
  return splitNul(text).sort();
}

/** The entries of a NUL-separated list (`-z`), in git's order. */
export function splitNul(text: string): string[] {
  return text.split("\0").filter((entry) => entry !== "");
}

const identities = new Map<string, Promise<string[]>>();
/** `-c user.*` options when the repository has no identity configured (looked up once per repository). */
export function identityConfig(repo: string): Promise<string[]> {
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
