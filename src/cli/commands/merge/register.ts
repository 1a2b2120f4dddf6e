import { type Command, Option } from "commander";
import { type CommandIO, type ExitCodeSink } from "../../io";
import { untilSignalled } from "../../shared/cancelOnSignals";
import { sandboxOption, withWorkspaceOptions } from "../../shared/workspaceOptions";

/** Registers `wsp merge`; the action lazy-imports its implementation. */
export function registerMergeCommand(program: Command, io: CommandIO, setExitCode: ExitCodeSink): void {
  withWorkspaceOptions(program.command("merge [ws-id]"))
    .description(
      "Merge done workstreams into the base through the merge queue: one at a time in dependency order, the gate after each, conflicts and red gates sent back to their workstream.",
    )
    .option("--all", "merge every done (and, where review is required, approved) workstream")
    .option("--queue", "through the merge queue (the default)")
    .option("--atomic", "all or nothing, with no gate: a conflict leaves the base untouched")
    .addOption(new Option("--events <format>", "stream the queue's events on stdout").choices(["ndjson"]))
    .addOption(sandboxOption())
    .action(async (wsId: string | undefined, options: Record<string, unknown>) => {
      const { merge } = await import("./index");
      setExitCode(await untilSignalled(io, (signal) => merge(wsId, options, io, signal)));
    });
}
