import { type Command } from "commander";
import { type CommandIO, type ExitCodeSink } from "../../io";

/** Registers `wsp check`; the action lazy-imports its implementation. */
export function registerCheckCommand(program: Command, io: CommandIO, setExitCode: ExitCodeSink): void {
  program
    .command("check")
    .description("Run the quality gates (linters, type checkers, formatters, syntax checks) on files")
    .argument("<files...>", "files to check")
    .option("--cache <path>", "content-hash cache file: skip files unchanged since their last check")
    .option("--json", "print the full report as JSON")
    .option("--fix", "run the formatters' fix modes first (the only mode that modifies files)")
    .action(async (files: string[], options: { cache?: string; json?: boolean; fix?: boolean }) => {
      const { check } = await import("./index");
      setExitCode(await check(files, options, io));
    });
}
