import { type Command, Option } from "commander";

/** Adds the options every command that works on the workspace's runs shares: store, base branch, worktrees. */
export function withWorkspaceOptions(command: Command): Command {
  return command
    .option("--db <path>", "state store (default: $PIPELINE_DB_PATH or state/pipeline.db)")
    .option("--base <ref>", "branch workstreams start from and merge into (default: the current branch)")
    .option("--worktrees <dir>", "where worktrees go (default: $PIPELINE_WORKTREES_DIR or .worktrees)")
    .option(
      "--ignore-validation-errors",
      "go on although the bundles have validation errors (each is printed as it is ignored)",
    );
}

/** The option of every command that starts tools: how they are contained (docs/sandbox.md). */
export function sandboxOption(): Option {
  return new Option(
    "--sandbox <mode>",
    "contain every tool: required, auto or off (default: config/sandbox.yaml, else auto)",
  ).choices(["required", "auto", "off"]);
}
