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
