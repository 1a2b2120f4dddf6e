import { type Command } from "commander";
import { type CommandIO, type ExitCodeSink } from "../../io";

/** Registers `wsp init`; the action lazy-imports its implementation. */
export function registerInitCommand(program: Command, io: CommandIO, setExitCode: ExitCodeSink): void {
  program
    .command("init")
    .description(
      "Bootstrap this repository: workstreams/, config/ defaults, state/, .gitignore entries; report tools",
    )
    .option("--json", "print JSON")
    .action(async (options: { json?: boolean }) => {
      const { init } = await import("./index");
      setExitCode(await init(options, io));
    });
}
