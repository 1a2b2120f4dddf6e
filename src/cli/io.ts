/** Where a command writes: results to `out` (stdout), logs and progress to `err` (stderr). */
export interface CommandIO {
  cwd: string;
  env: NodeJS.ProcessEnv;
  out(text: string): void;
  /**
   * Resolves once the reader has taken what `out` queued. A command that writes megabytes in a
   * synchronous loop awaits it between chunks: otherwise a pipe's whole output waits in memory
   * (on 120,000 lines, that made `wsp spec index` into a pipe take 0.8 s instead of 0.6 s).
   */
  drained(): Promise<void>;
  err(text: string): void;
  /** True when stdout is a terminal, so live progress may redraw. */
  isTTY: boolean;
}

export function processIO(): CommandIO {
  // A reader that stops early (`wsp db events | head`) closes the pipe; that ends our output, not
  // with a crash but quietly, as other Unix tools do.
  for (const stream of [process.stdout, process.stderr]) {
    stream.on("error", (error: NodeJS.ErrnoException) => {
      if (error.code === "EPIPE") process.exit(0);
      throw error;
    });
  }
  return {
    cwd: process.cwd(),
    env: process.env,
    out: (text) => void process.stdout.write(text),
    drained: () =>
      process.stdout.writableNeedDrain
        ? new Promise((resolve) => process.stdout.once("drain", resolve))
        : Promise.resolve(),
    err: (text) => void process.stderr.write(text),
    isTTY: Boolean(process.stdout.isTTY),
  };
}

/** An IO that records everything, for tests that call commands directly. */
export function captureIO(
  cwd: string,
  env: NodeJS.ProcessEnv = {},
): CommandIO & { stdout: string; stderr: string } {
  const io = {
    cwd,
    env,
    stdout: "",
    stderr: "",
    isTTY: false,
    out(text: string) {
      io.stdout += text;
    },
    drained: () => Promise.resolve(),
    err(text: string) {
      io.stderr += text;
    },
  };
  return io;
}

/** Where a command's action reports the exit code the CLI should end with. */
export type ExitCodeSink = (code: number) => void;
