import { type CommandIO } from "../io";

/** Aborts on Ctrl-C or SIGTERM so tools stop and the run is recorded cancelled; a second signal is not caught. */
export function cancelOnSignals(io: CommandIO): { signal: AbortSignal; dispose(): void } {
  const controller = new AbortController();
  const onSignal = (name: string) => {
    io.err(`wsp: ${name}: stopping the tools and recording the run as cancelled\n`);
    controller.abort();
    dispose();
  };
  const onInt = () => onSignal("SIGINT");
  const onTerm = () => onSignal("SIGTERM");
  const dispose = () => {
    process.off("SIGINT", onInt);
    process.off("SIGTERM", onTerm);
  };
  process.once("SIGINT", onInt);
  process.once("SIGTERM", onTerm);
  return { signal: controller.signal, dispose };
}

/** Runs a command's work with the signal `cancelOnSignals` gives, and stops listening once it ends. */
export async function untilSignalled<T>(
  io: CommandIO,
  work: (signal: AbortSignal) => Promise<T>,
): Promise<T> {
  const cancel = cancelOnSignals(io);
  try {
    return await work(cancel.signal);
  } finally {
    cancel.dispose();
  }
}
