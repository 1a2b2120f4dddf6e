/**
 * Runs one process without a shell. A timeout or cancel kills the whole process tree (the child
 * leads its own process group); output is streamed live and captured with a cap (head and tail).
 */
import type * as Execa from "execa";
import { CappedOutput } from "./outputCap";

export interface RunProcessOptions {
  cwd: string;
  env?: NodeJS.ProcessEnv;
  /** Seconds before the process tree is killed; undefined for no limit. */
  timeoutSec?: number;
  signal?: AbortSignal;
  /** Live output, as it arrives. */
  onOutput?: (stream: "stdout" | "stderr", chunk: string) => void;
  /** Characters kept from the start and from the end of each stream. */
  headChars?: number;
  tailChars?: number;
  /** Seconds between SIGTERM and SIGKILL. */
  killGraceSec?: number;
}

export interface ProcessResult {
  command: string;
  args: string[];
  cwd: string;
  /** null when the process was killed by a signal or never started. */
  exitCode: number | null;
  signal: string | null;
  timedOut: boolean;
  cancelled: boolean;
  /** The executable could not be found or started. */
  spawnError?: string;
  stdout: string;
  stderr: string;
  startedAt: string;
  endedAt: string;
  durationMs: number;
}

// execa is ESM-only and one of its dependencies has no CommonJS entry, so load it with import().
let execaModule: Promise<typeof Execa> | undefined;
const loadExeca = () => (execaModule ??= import("execa"));

function killTree(pid: number | undefined, signal: NodeJS.Signals): void {
  if (pid === undefined) return;
  try {
    process.kill(-pid, signal);
  } catch {
    // The group is already gone.
  }
}

/** Runs `command args` in `cwd` and resolves when it exits; never rejects for a failing process. */
export async function runProcess(
  command: string,
  args: readonly string[],
  options: RunProcessOptions,
): Promise<ProcessResult> {
  const started = Date.now();
  const stdout = new CappedOutput(options.headChars ?? 64_000, options.tailChars ?? 192_000);
  const stderr = new CappedOutput(options.headChars ?? 64_000, options.tailChars ?? 192_000);
  const base = { command, args: [...args], cwd: options.cwd, startedAt: new Date(started).toISOString() };
  if (options.signal?.aborted) {
    const now = new Date().toISOString();
    return {
      ...base,
      exitCode: null,
      signal: null,
      timedOut: false,
      cancelled: true,
      stdout: "",
      stderr: "",
      endedAt: now,
      durationMs: 0,
    };
  }
  const { execa } = await loadExeca();
  const child = execa(command, args, {
    cwd: options.cwd,
    env: options.env,
    extendEnv: false,
    shell: false,
    stdin: "ignore",
    buffer: false,
    reject: false,
    detached: true,
    encoding: "utf8",
  });
  let timedOut = false;
  let cancelled = false;
  let killTimer: NodeJS.Timeout | undefined;
  const stop = (why: "timeout" | "cancel") => {
    if (why === "timeout") timedOut = true;
    else cancelled = true;
    killTree(child.pid, "SIGTERM");
    killTimer ??= setTimeout(() => killTree(child.pid, "SIGKILL"), (options.killGraceSec ?? 2) * 1000);
  };
  const timer =
    options.timeoutSec !== undefined
      ? setTimeout(() => stop("timeout"), options.timeoutSec * 1000)
      : undefined;
  const onAbort = () => stop("cancel");
  options.signal?.addEventListener("abort", onAbort, { once: true });
  child.stdout?.setEncoding("utf8");
  child.stderr?.setEncoding("utf8");
  child.stdout?.on("data", (chunk: string) => {
    stdout.push(chunk);
    options.onOutput?.("stdout", chunk);
  });
  child.stderr?.on("data", (chunk: string) => {
    stderr.push(chunk);
    options.onOutput?.("stderr", chunk);
  });
  const result = await child;
  if (timer) clearTimeout(timer);
  options.signal?.removeEventListener("abort", onAbort);
  // Grandchildren may still hold the group: make sure nothing of the tree outlives a kill.
  if (timedOut || cancelled) killTree(child.pid, "SIGKILL");
  if (killTimer) clearTimeout(killTimer);
  const ended = Date.now();
  const spawnFailed = result.failed && result.exitCode === undefined && !result.isTerminated;
  return {
    ...base,
    exitCode: result.exitCode ?? null,
    signal: result.signal ?? null,
    timedOut,
    cancelled,
    ...(spawnFailed ? { spawnError: result.originalMessage ?? result.shortMessage } : {}),
    stdout: stdout.toString(),
    stderr:
      spawnFailed && stderr.toString() === ""
        ? (result.originalMessage ?? result.shortMessage ?? "")
        : stderr.toString(),
    endedAt: new Date(ended).toISOString(),
    durationMs: ended - started,
  };
}
