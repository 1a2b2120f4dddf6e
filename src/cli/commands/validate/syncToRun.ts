/**
 * `--run-id`: records valid bundles as pending workstreams of a run. The state store is another
 * area's work and is not wired in yet; this is the one place to replace when it is.
 */
import { type CommandIO } from "../../io";
import { type LoadedBundle } from "../../../core/bundle";

export function syncToRun(runId: string, _bundles: readonly LoadedBundle[], io: CommandIO): Promise<number> {
  io.err(
    `wsp validate: --run-id ${runId}: the state store is not available in this build yet; nothing was recorded.\n`,
  );
  return Promise.resolve(2);
}
