/**
 * The command table. Each command registers itself from `commands/<name>/register.ts`, which
 * declares its options and lazy-imports the implementation, so `wsp --help` loads almost nothing.
 * Helpers several commands share live in `shared/`.
 */
import { Command } from "commander";
import packageJson from "../../package.json";
import { type CommandIO, type ExitCodeSink } from "./io";
import { registerValidateCommands } from "./commands/validate/register";
import { registerDbCommands } from "./commands/db/register";
import { registerSpecCommands } from "./commands/spec/register";
import { registerRunCommand } from "./commands/run/register";
import { registerResumeCommand } from "./commands/resume/register";
import { registerMergeCommand } from "./commands/merge/register";
import { registerReviewCommands } from "./commands/review/register";
import { registerWorktreeCommands } from "./commands/worktree/register";
import { registerScriptedEditCommand } from "./commands/scriptedEdit/register";
import { registerCheckCommand } from "./commands/check/register";
import { registerAimCommands } from "./commands/aim/register";
import { registerInitCommand } from "./commands/init/register";
import { registerStatusCommand } from "./commands/status/register";
import { registerPlanCommand } from "./commands/plan/register";
import { registerErrorsCommands } from "./commands/errors/register";
import { registerExportCommands } from "./commands/export/register";

/** Builds the `wsp` program; every usage error throws a CommanderError (see `throwOnUsageErrors`). */
export function buildProgram(io: CommandIO, setExitCode: ExitCodeSink): Command {
  const program = new Command("wsp")
    .description("Workstream Pipeline: run AI-coding workstreams in git worktrees, safely and in parallel.")
    .version(packageJson.version, "-V, --version")
    .showHelpAfterError()
    .configureOutput({ writeOut: (text) => io.out(text), writeErr: (text) => io.err(text) });
  // The order here is the order `wsp --help` lists the commands in.
  const commands = [
    registerValidateCommands,
    registerDbCommands,
    registerSpecCommands,
    registerRunCommand,
    registerResumeCommand,
    registerMergeCommand,
    registerReviewCommands,
    registerExportCommands,
    registerWorktreeCommands,
    registerScriptedEditCommand,
    registerCheckCommand,
    registerAimCommands,
    registerInitCommand,
    registerStatusCommand,
    registerPlanCommand,
    registerErrorsCommands,
  ];
  for (const register of commands) register(program, io, setExitCode);
  throwOnUsageErrors(program);
  return program;
}

/**
 * Commander copies `exitOverride` only into commands created after it is set, and a subcommand
 * without it calls `process.exit(1)` on an unknown option. Setting it on every command lets the
 * entry turn each usage error into exit 2.
 */
function throwOnUsageErrors(command: Command): void {
  command.exitOverride();
  for (const sub of command.commands) throwOnUsageErrors(sub);
}
