import { type Command } from "commander";
import { type CommandIO, type ExitCodeSink } from "../../io";

/** Registers `wsp status`; the action lazy-imports its implementation. */
export function registerStatusCommand(program: Command, io: CommandIO, setExitCode: ExitCodeSink): void {
  program
    .command("status")
    .description("Per workstream: bundle, branch, worktree, last run and divergence from the base; orphans")
    .option("--json", "print JSON")
    .option("--base <ref>", "compare workstream branches with this ref (default: main, else HEAD)")
    .action(async (options: { json?: boolean; base?: string }) => {
      const { status } = await import("./index");
      setExitCode(await status(options, io));
    });
}
