/**
 * The light runner for short commands whose whole output is wanted at once (git, mostly): plain
 * execFile, no shell. A run calls git several times per workstream, and execa's per-call set-up
 * costs more than git's own work for the small commands involved (see bench/orchestrator.ts).
 * execa is also ESM-only, so it cannot be required from the CommonJS the tests run under.
 */
import { execFile } from "node:child_process";
import { timerDelay } from "../../core/timers";

export interface CapturedRun {
  exitCode: number;
  stdout: string;
  stderr: string;
}

export interface ExecCaptureOptions {
  cwd: string;
  env?: NodeJS.ProcessEnv;
  /** Bytes of stdout or stderr kept before the command fails with an error; 64 MiB unless set. */
  maxBuffer?: number;
  /** Seconds before the command is killed and the run rejects; no limit unless set. */
  timeoutSec?: number;
}

/**
 * Runs `command args` and resolves with its exit code and output; rejects only when it cannot start,
 * overflows maxBuffer or outlives timeoutSec (then it is killed: nothing it started keeps waiting).
 */
export function execCapture(
  command: string,
  args: readonly string[],
  options: ExecCaptureOptions,
): Promise<CapturedRun> {
  return new Promise((resolve, reject) => {
    const child = execFile(
      command,
      args,
      {
        cwd: options.cwd,
        maxBuffer: options.maxBuffer ?? 64 * 1024 * 1024,
        encoding: "utf8",
        ...(options.timeoutSec !== undefined
          ? { timeout: timerDelay(options.timeoutSec * 1000), killSignal: "SIGKILL" as const }
          : {}),
        ...(options.env ? { env: options.env } : {}),
      },
      (error, stdout, stderr) => {
        if (error && child.killed && options.timeoutSec !== undefined && error.signal === "SIGKILL")
          reject(new CaptureTimeout(command, args, options.timeoutSec));
        else if (error && typeof error.code !== "number")
          reject(new Error(`${command} ${args.join(" ")}: ${error.message}`, { cause: error }));
        else resolve({ exitCode: error ? Number(error.code) : 0, stdout, stderr });
      },
    );
    // Nothing is ever written to it: a command that waits to read its input must not wait for ever.
    child.stdin?.end();
  });
}

/** A command execCapture stopped because it ran past its time. */
export class CaptureTimeout extends Error {
  constructor(command: string, args: readonly string[], timeoutSec: number) {
    super(`${command} ${args.join(" ")}: did not finish within ${timeoutSec} s and was stopped`);
  }
}
