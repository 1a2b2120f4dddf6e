import { type Command, Option } from "commander";
import { type CommandIO, type ExitCodeSink } from "../../io";
import { untilSignalled } from "../../shared/cancelOnSignals";
import { sandboxOption, withWorkspaceOptions } from "../../shared/workspaceOptions";

/** Registers `wsp resume`; the action lazy-imports its implementation. */
export function registerResumeCommand(program: Command, io: CommandIO, setExitCode: ExitCodeSink): void {
  withWorkspaceOptions(program.command("resume <run-id>"))
    .description("Reconcile a run a killed orchestrator left running, then carry it on.")
    .addOption(sandboxOption())
    .option("-j, --jobs <n>", "at most N workstreams at a time", "1")
    .option("--continue", "keep starting independent workstreams after a failure")
    .addOption(new Option("--events <format>", "stream events on stdout").choices(["ndjson"]))
    .option("--verbose", "stream the tools' output on stderr")
    .action(async (runId: string, options: Record<string, unknown>) => {
      const { resume } = await import("./index");
      setExitCode(await untilSignalled(io, (signal) => resume(runId, options, io, signal)));
    });
}
