import { type Command } from "commander";
import { type CommandIO, type ExitCodeSink } from "../../io";

/** Registers the hidden `wsp scripted-edit` (the `scripted` tool's editor); the action lazy-imports it. */
export function registerScriptedEditCommand(
  program: Command,
  io: CommandIO,
  setExitCode: ExitCodeSink,
): void {
  program
    .command("scripted-edit", { hidden: true })
    .requiredOption("--bundle <file>")
    .requiredOption("--ws-id <id>")
    .requiredOption("--mode <mode>")
    .option("--attempt <n>", "1-based FIX attempt", "1")
    .action(async (options: { bundle: string; wsId: string; mode: string; attempt?: string }) => {
      const { scriptedEdit } = await import("./index");
      setExitCode(await scriptedEdit(options, io));
    });
}
