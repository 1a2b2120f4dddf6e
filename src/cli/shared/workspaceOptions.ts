import { type Command } from "commander";

/** Adds the options every command that works on the workspace's runs shares: store, base branch, worktrees. */
export function withWorkspaceOptions(command: Command): Command {
  return command
    .option("--db <path>", "state store (default: $PIPELINE_DB_PATH or state/pipeline.db)")
    .option("--base <ref>", "branch workstreams start from and merge into (default: the current branch)")
    .option("--worktrees <dir>", "where worktrees go (default: $PIPELINE_WORKTREES_DIR or .worktrees)");
}
