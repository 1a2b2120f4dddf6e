import { type Command } from "commander";
import { type CommandIO, type ExitCodeSink } from "../../io";
import { withWorkspaceOptions } from "../../shared/workspaceOptions";

/** Registers `wsp merge`; the action lazy-imports its implementation. */
export function registerMergeCommand(program: Command, io: CommandIO, setExitCode: ExitCodeSink): void {
  withWorkspaceOptions(program.command("merge [ws-id]"))
    .description(
      "Merge done workstream branches into the base, in dependency order; a conflict leaves the base untouched.",
    )
    .option("--all", "merge every done workstream")
    .action(async (wsId: string | undefined, options: Record<string, unknown>) => {
      const { merge } = await import("./index");
      setExitCode(await merge(wsId, options, io));
    });
}
