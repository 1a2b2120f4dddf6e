/**
 * The light runner for short commands whose whole output is wanted at once (git, mostly): plain
 * execFile, no shell. A run calls git several times per workstream, and execa's per-call set-up
 * costs more than git's own work for the small commands involved (see bench/orchestrator.ts).
 * execa is also ESM-only, so it cannot be required from the CommonJS the tests run under.
 */
import { execFile } from "node:child_process";

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
}

/** Runs `command args` and resolves with its exit code and output; rejects only when it cannot start. */
export function execCapture(
  command: string,
  args: readonly string[],
  options: ExecCaptureOptions,
): Promise<CapturedRun> {
  return new Promise((resolve, reject) => {
    execFile(
      command,
      args,
      {
        cwd: options.cwd,
        maxBuffer: options.maxBuffer ?? 64 * 1024 * 1024,
        encoding: "utf8",
        ...(options.env ? { env: options.env } : {}),
      },
      (error, stdout, stderr) => {
        if (error && typeof error.code !== "number")
          reject(new Error(`${command} ${args.join(" ")}: ${error.message}`, { cause: error }));
        else resolve({ exitCode: error ? Number(error.code) : 0, stdout, stderr });
      },
    );
  });
}
