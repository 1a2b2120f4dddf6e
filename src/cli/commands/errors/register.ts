import { type Command } from "commander";
import { type CommandIO, type ExitCodeSink } from "../../io";

/** Registers `wsp errors tick|show`; each action lazy-imports its implementation. */
export function registerErrorsCommands(program: Command, io: CommandIO, setExitCode: ExitCodeSink): void {
  const errors = program
    .command("errors")
    .description("The error pipeline: check, autofix, AI editors in routing order, quarantine");
  errors
    .command("tick")
    .description("Advance the error pipeline of a workstream in a run by one step")
    .requiredOption("--run-id <id>", "run id")
    .requiredOption("--ws-id <id>", "workstream id")
    .option("--files <files...>", "files to check (first tick only; kept afterwards)")
    .option("--json", "print JSON")
    .action(async (options: { runId: string; wsId: string; files?: string[]; json?: boolean }) => {
      const { errorsTick } = await import("./index");
      setExitCode(await errorsTick(options, io));
    });
  errors
    .command("show")
    .description("Show the error pipeline's state for a workstream in a run")
    .requiredOption("--run-id <id>", "run id")
    .requiredOption("--ws-id <id>", "workstream id")
    .option("--json", "print JSON")
    .action(async (options: { runId: string; wsId: string; json?: boolean }) => {
      const { errorsShow } = await import("./index");
      setExitCode(await errorsShow(options, io));
    });
}
