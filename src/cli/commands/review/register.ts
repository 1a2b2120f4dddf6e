import { type Command } from "commander";
import { type CommandIO, type ExitCodeSink } from "../../io";
import { untilSignalled } from "../../shared/cancelOnSignals";
import { sandboxOption, withWorkspaceOptions } from "../../shared/workspaceOptions";

/** Registers `wsp review list | approve | request-changes`; the actions lazy-import their implementation. */
export function registerReviewCommands(program: Command, io: CommandIO, setExitCode: ExitCodeSink): void {
  const review = program
    .command("review")
    .description("Review done workstreams before the merge queue takes them (review: required).");
  withWorkspaceOptions(review.command("list"))
    .description("List done workstreams and where each stands with review")
    .option("--json", "print JSON")
    .option("--waiting", "only those awaiting a person's review")
    .action(async (options: Record<string, unknown>) => {
      const { reviewList } = await import("./index");
      setExitCode(await reviewList(options, io));
    });
  withWorkspaceOptions(review.command("approve <ws-id>"))
    .description("Approve a done workstream's finished commit: it may enter the merge queue")
    .option("--comment <text>", "a note kept with the approval")
    .action(async (wsId: string, options: Record<string, unknown>) => {
      const { reviewApprove } = await import("./index");
      setExitCode(await reviewApprove(wsId, options, io));
    });
  withWorkspaceOptions(review.command("request-changes <ws-id>"))
    .description("Send a done workstream back: the comment becomes its FIX prompt and it runs again")
    .requiredOption("--comment <text>", "what should change")
    .option("--no-run", "record the request only; do not run the FIX now")
    .addOption(sandboxOption())
    .action(async (wsId: string, options: Record<string, unknown>) => {
      const { reviewRequestChanges } = await import("./index");
      setExitCode(await untilSignalled(io, (signal) => reviewRequestChanges(wsId, options, io, signal)));
    });
}
