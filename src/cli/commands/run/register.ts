import { type Command, Option } from "commander";
import { type CommandIO, type ExitCodeSink } from "../../io";
import { untilSignalled } from "../../shared/cancelOnSignals";
import { sandboxOption, withWorkspaceOptions } from "../../shared/workspaceOptions";

/** Registers `wsp run`; the action lazy-imports its implementation. */
export function registerRunCommand(program: Command, io: CommandIO, setExitCode: ExitCodeSink): void {
  withWorkspaceOptions(program.command("run [ws-id]"))
    .description(
      "Run a workstream (or --all) through EDIT → STATIC → RUNTIME with bounded FIX loops in git worktrees.",
    )
    .option("--run-id <id>", "run id (default: run-<UTC timestamp>)")
    .option("--dry-run", "plan and record, but run no tool (also PIPELINE_DRY_RUN=1)")
    .option("--all", "run every workstream in dependency order")
    .option("-j, --jobs <n>", "with --all: at most N workstreams at a time", "1")
    .option("--only <ids>", "with --all: only these workstreams (comma-separated)")
    .option("--continue", "with --all: keep starting independent workstreams after a failure")
    .addOption(new Option("--events <format>", "stream events on stdout").choices(["ndjson"]))
    .option("--keep-worktrees", "keep worktrees after success too")
    .option("--verbose", "stream the tools' output on stderr")
    .addOption(sandboxOption())
    .action(async (wsId: string | undefined, options: Record<string, unknown>) => {
      const { run } = await import("./index");
      setExitCode(await untilSignalled(io, (signal) => run(wsId, options, io, signal)));
    });
}
