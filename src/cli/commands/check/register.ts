import { type Command } from "commander";
import { type CommandIO } from "../../io";
import { type ExitCodeSink } from "../../cli";

/** Registers the quality commands (check, errors, aim, init, status, plan); each action lazy-imports its implementation. */
export function registerQualityCommands(program: Command, io: CommandIO, setExitCode: ExitCodeSink): void {
  program
    .command("check")
    .description("Run the quality gates (linters, type checkers, formatters, syntax checks) on files")
    .argument("<files...>", "files to check")
    .option("--cache <path>", "content-hash cache file: skip files unchanged since their last check")
    .option("--json", "print the full report as JSON")
    .option("--fix", "run the formatters' fix modes first (the only mode that modifies files)")
    .action(async (files: string[], options: { cache?: string; json?: boolean; fix?: boolean }) => {
      const { check } = await import("./check");
      setExitCode(await check(files, options, io));
    });

  const aim = program
    .command("aim")
    .description("The AI tool registry: detected tools and capability routing");
  aim
    .command("status")
    .description("Show which AI tools are installed, their versions, and the capability routing")
    .option("--json", "print JSON")
    .action(async (options: { json?: boolean }) => {
      const { aimStatus } = await import("./aim");
      setExitCode(await aimStatus(options, io));
    });

  program
    .command("init")
    .description(
      "Bootstrap this repository: workstreams/, config/ defaults, state/, .gitignore entries; report tools",
    )
    .option("--json", "print JSON")
    .action(async (options: { json?: boolean }) => {
      const { init } = await import("./init");
      setExitCode(await init(options, io));
    });

  program
    .command("status")
    .description("Per workstream: bundle, branch, worktree, last run and divergence from the base; orphans")
    .option("--json", "print JSON")
    .option("--base <ref>", "compare workstream branches with this ref (default: main, else HEAD)")
    .action(async (options: { json?: boolean; base?: string }) => {
      const { status } = await import("./status");
      setExitCode(await status(options, io));
    });

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
      const { planCommand } = await import("./plan");
      setExitCode(await planCommand(options, io));
    });

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
      const { errorsTick } = await import("./errors");
      setExitCode(await errorsTick(options, io));
    });
  errors
    .command("show")
    .description("Show the error pipeline's state for a workstream in a run")
    .requiredOption("--run-id <id>", "run id")
    .requiredOption("--ws-id <id>", "workstream id")
    .option("--json", "print JSON")
    .action(async (options: { runId: string; wsId: string; json?: boolean }) => {
      const { errorsShow } = await import("./errors");
      setExitCode(await errorsShow(options, io));
    });
}
