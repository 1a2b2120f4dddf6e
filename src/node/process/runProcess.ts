/**
 * Runs one tool without a shell: the door every tool start goes through (see finalToolLaunch). Output
 * is streamed live and captured with a cap (head and tail); a timeout or cancel kills the process's
 * group (or the process alone when it shares wsp's group), SIGTERM first and SIGKILL after a grace.
 */
import { randomUUID } from "node:crypto";
import type * as Execa from "execa";
import { timerDelay } from "../../core/timers";
import { CappedOutput } from "./outputCap";
import { killProcessTree, runTagVariable } from "./processTree";
import { type SandboxRequest } from "./sandbox/sandboxLaunch";
import { finalToolLaunch } from "./toolLaunch";

export interface RunProcessOptions {
  cwd: string;
  env?: NodeJS.ProcessEnv;
  /** Seconds before the process is killed; undefined for no limit. */
  timeoutSec?: number;
  signal?: AbortSignal;
  /** Live output, as it arrives. */
  onOutput?: (stream: "stdout" | "stderr", chunk: string) => void;
  /** Characters kept from the start and from the end of each stream; an infinite head keeps it whole. */
  headChars?: number;
  tailChars?: number;
  /** Seconds between SIGTERM and SIGKILL. */
  killGraceSec?: number;
  /**
   * Whether the process leads a process group of its own (the default), so a kill reaches its
   * grandchildren too. A tool left in wsp's group gets the terminal's Ctrl-C along with wsp.
   */
  ownGroup?: boolean;
  /**
   * Tags every process of the run (runTagVariable in its environment). Helpers that left the group
   * (new sessions) still carry it, so once the process exits no tagged process may outlive the run.
   */
  runTag?: string;
  /** Run inside the sandbox this describes (bubblewrap); undefined runs the tool bare. */
  sandbox?: SandboxRequest;
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
  /** Why it could not start, as a system error code (ENOENT: not found). */
  spawnErrorCode?: string;
  stdout: string;
  stderr: string;
  startedAt: string;
  endedAt: string;
  durationMs: number;
}

/** How long output may keep arriving after the tool's own process has exited. */
const PIPE_DRAIN_MS = 1000;

/** Grace for tagged survivors once the run's own process has exited. */
const TAGGED_SURVIVOR_GRACE_MS = 500;

// execa is ESM-only and one of its dependencies has no CommonJS entry, so load it with import().
let execaModule: Promise<typeof Execa> | undefined;
const loadExeca = () => (execaModule ??= import("execa"));

function kill(target: number | undefined, signal: NodeJS.Signals): void {
  if (target === undefined) return;
  try {
    process.kill(target, signal);
  } catch {
    // Already gone.
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
  // A result for a process that never started: cancelled before it could, or refused.
  const notStarted = (outcome: { cancelled: true } | { spawnError: string }): ProcessResult => ({
    ...base,
    exitCode: null,
    signal: null,
    timedOut: false,
    cancelled: "cancelled" in outcome,
    ...("spawnError" in outcome ? { spawnError: outcome.spawnError } : {}),
    stdout: "",
    stderr: "spawnError" in outcome ? outcome.spawnError : "",
    endedAt: new Date().toISOString(),
    durationMs: Date.now() - started,
  });
  if (options.signal?.aborted) return notStarted({ cancelled: true });
  const ownGroup = options.ownGroup ?? true;
  // Outside a sandbox nothing else finds a helper that started a session of its own, so every bare
  // run is tagged and swept; in the sandbox the PID namespace dies with the tool.
  const runTag = options.runTag ?? (options.sandbox === undefined ? randomUUID() : undefined);
  const env =
    runTag === undefined ? options.env : { ...(options.env ?? process.env), [runTagVariable]: runTag };
  let launch;
  try {
    launch = finalToolLaunch({ command, args, cwd: options.cwd, env }, options.sandbox);
  } catch (error) {
    // The sandbox refused this start (its worktree's .git was tampered with): nothing ran.
    return notStarted({ spawnError: error instanceof Error ? error.message : String(error) });
  }
  const { execa } = await loadExeca();
  const child = execa(launch.command, launch.args, {
    cwd: launch.cwd,
    env: launch.env,
    extendEnv: false,
    shell: false,
    stdin: "ignore",
    buffer: false,
    reject: false,
    detached: ownGroup,
    encoding: "utf8",
  });
  // The group's id is the leader's pid: a negative pid signals every process in the group.
  const killTarget = child.pid === undefined ? undefined : ownGroup ? -child.pid : child.pid;
  let timedOut = false;
  let cancelled = false;
  let killTimer: NodeJS.Timeout | undefined;
  const stop = (why: "timeout" | "cancel") => {
    if (why === "timeout") timedOut = true;
    else cancelled = true;
    kill(killTarget, "SIGTERM");
    killTimer ??= setTimeout(
      () => kill(killTarget, "SIGKILL"),
      timerDelay((options.killGraceSec ?? 2) * 1000),
    );
  };
  const timer =
    options.timeoutSec !== undefined
      ? setTimeout(() => stop("timeout"), timerDelay(options.timeoutSec * 1000))
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
  // A grandchild that left the group can hold the output pipes open long after the tool itself has
  // exited: give the pipes a moment to drain, then close them, so neither a timeout nor a normal
  // end waits on whoever holds them.
  let pipeTimer: NodeJS.Timeout | undefined;
  child.once("exit", () => {
    pipeTimer = setTimeout(() => {
      child.stdout?.destroy();
      child.stderr?.destroy();
    }, PIPE_DRAIN_MS);
  });
  const result = await child;
  if (pipeTimer) clearTimeout(pipeTimer);
  if (timer) clearTimeout(timer);
  options.signal?.removeEventListener("abort", onAbort);
  // Grandchildren may still hold the group: make sure nothing of the tree outlives a kill. (A process
  // in wsp's group has been reaped by now, and its pid may already be someone else's.)
  if ((timedOut || cancelled) && ownGroup) kill(killTarget, "SIGKILL");
  if (killTimer) clearTimeout(killTimer);
  const ended = Date.now();
  const spawnFailed = result.failed && result.exitCode === undefined && !result.isTerminated;
  const spawnErrorCode = (result as { code?: unknown }).code;
  const outcome: ProcessResult = {
    ...base,
    exitCode: result.exitCode ?? null,
    signal: result.signal ?? null,
    timedOut,
    cancelled,
    ...(spawnFailed ? { spawnError: result.originalMessage ?? result.shortMessage } : {}),
    ...(spawnFailed && typeof spawnErrorCode === "string" ? { spawnErrorCode } : {}),
    stdout: stdout.toString(),
    stderr:
      spawnFailed && stderr.toString() === ""
        ? (result.originalMessage ?? result.shortMessage ?? "")
        : stderr.toString(),
    endedAt: new Date(ended).toISOString(),
    durationMs: ended - started,
  };
  if (runTag !== undefined) await killProcessTree(undefined, runTag, TAGGED_SURVIVOR_GRACE_MS);
  return outcome;
}
