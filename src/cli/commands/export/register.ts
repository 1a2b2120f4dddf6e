import { type Command } from "commander";
import { type CommandIO, type ExitCodeSink } from "../../io";

/** Registers `wsp export github-actions`; the action lazy-imports its implementation. */
export function registerExportCommands(program: Command, io: CommandIO, setExitCode: ExitCodeSink): void {
  const exportCommand = program.command("export").description("Export the workstream DAG to run elsewhere.");
  exportCommand
    .command("github-actions")
    .description(
      "Write a GitHub Actions workflow: one job per workstream, then one that merges them all (docs/github-actions.md).",
    )
    .option("--output <file>", "the workflow file", ".github/workflows/workstreams.yml")
    .option("--only <ids>", "only these workstreams (comma-separated; their dependencies must be among them)")
    .option("--jobs <n>", "at most N workstream jobs at once (chains the jobs into N lanes)")
    .option(
      "--install <command>",
      "shell line that puts wsp on PATH in each job (default: a verified copy of this CLI written to .github/wsp/)",
    )
    .option("--no-pull-request", "push the integration branch only, open no pull request")
    .option("--runs-on <label>", "runner label", "ubuntu-24.04")
    .option("--node-version <version>", "Node.js version for setup-node", "20")
    .option("--ignore-validation-errors", "export although validation reports errors")
    .action(async (options: Record<string, unknown>) => {
      const { exportGithubActions } = await import("./index");
      setExitCode(await exportGithubActions(options, io));
    });
}
