import { type Command } from "commander";
import { type CommandIO, type ExitCodeSink } from "../../io";

/** Registers `wsp aim status`; the action lazy-imports its implementation. */
export function registerAimCommands(program: Command, io: CommandIO, setExitCode: ExitCodeSink): void {
  const aim = program
    .command("aim")
    .description("The AI tool registry: detected tools and capability routing");
  aim
    .command("status")
    .description("Show which AI tools are installed, their versions, and the capability routing")
    .option("--json", "print JSON")
    .action(async (options: { json?: boolean }) => {
      const { aimStatus } = await import("./index");
      setExitCode(await aimStatus(options, io));
    });
}
