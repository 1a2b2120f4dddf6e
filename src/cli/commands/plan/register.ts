import { type Command } from "commander";
import { type CommandIO, type ExitCodeSink } from "../../io";

/** Registers `wsp plan`; the action lazy-imports its implementation. */
export function registerPlanCommand(program: Command, io: CommandIO, setExitCode: ExitCodeSink): void {
  program
    .command("plan")
    .description("Draft a workstream bundle from an OpenSpec change or a Markdown spec into workstreams/")
    .option("--openspec <change-dir>", "an OpenSpec change folder (proposal.md, tasks.md, specs/)")
    .option("--spec <markdown>", "a Markdown spec file")
    .option("--id <ws-id>", "bundle id (default: from the change or spec name)")
    .option("--tool <profile>", "edit tool profile id", "aider")
    .option("--capability <name>", "route by this capability of the AI tool registry")
    .option("--gate <n>", "gate number", "1")
    .option("--ccpm-issue <issue>", "CCPM issue number", "TBD")
    .option("--files-scope <paths...>", "extra files_scope entries")
    .option("--dry-run", "print the draft; write nothing")
    .option("--json", "print JSON")
    .action(async (options: Record<string, unknown>) => {
      const { planCommand } = await import("./index");
      setExitCode(await planCommand(options, io));
    });
}
