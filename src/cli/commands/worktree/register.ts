import { type Command } from "commander";
import { type CommandIO, type ExitCodeSink } from "../../io";
import { withWorkspaceOptions } from "../../shared/workspaceOptions";

/** Registers `wsp worktree list|prune`; each action lazy-imports its implementation. */
export function registerWorktreeCommands(program: Command, io: CommandIO, setExitCode: ExitCodeSink): void {
  const worktree = program
    .command("worktree")
    .description("List or prune workstream worktrees and branches.");
  withWorkspaceOptions(worktree.command("list"))
    .option("--json", "print JSON")
    .description("List workstream worktrees and branches, marking orphans.")
    .action(async (options: Record<string, unknown>) => {
      const { worktreeList } = await import("./index");
      setExitCode(await worktreeList(options, io));
    });
  withWorkspaceOptions(worktree.command("prune"))
    .option("--dry-run", "only say what would be removed")
    .option("--branches", "also delete orphan branches (not only worktrees)")
    .option(
      "--older-than <age>",
      "only worktrees unchanged for this long, e.g. 7d, 12h, 0 (default: keep_failed_days of config/worktree.yaml)",
    )
    .description(
      "Remove orphan worktrees (no bundle, or no live run) past their retention and, with --branches, orphan branches.",
    )
    .action(async (options: Record<string, unknown>) => {
      const { worktreePrune } = await import("./index");
      setExitCode(await worktreePrune(options, io));
    });
  withWorkspaceOptions(worktree.command("remove <ws-id>"))
    .description("Remove one workstream's worktree and its share of the dependencies now (its branch stays).")
    .action(async (wsId: string, options: Record<string, unknown>) => {
      const { worktreeRemove } = await import("./index");
      setExitCode(await worktreeRemove(wsId, options, io));
    });
}
