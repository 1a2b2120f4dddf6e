import { type Command } from "commander";
import { type CommandIO, type ExitCodeSink } from "../../io";

/** Registers this area's commands on the program; each action lazy-imports its implementation. */
export function registerValidateCommands(program: Command, io: CommandIO, setExitCode: ExitCodeSink): void {
  program
    .command("validate")
    .description("Check the workstream bundles: shape, ids, dependencies, cycles, file scopes and tool ids.")
    .option("--dir <dir>", "workstreams directory (default: $PIPELINE_WORKSTREAM_DIR or workstreams/)")
    .option("--json", "print a JSON report instead of compiler-style lines")
    .option("--run-id <run>", "also record the bundles as pending workstreams of this run in the state store")
    .option("--db <path>", "store file for --run-id (default: $PIPELINE_DB_PATH or state/pipeline.db)")
    .action(async (options: { dir?: string; json?: boolean; runId?: string; db?: string }) => {
      const { validate } = await import("./index");
      setExitCode(await validate(options, io));
    });
}
