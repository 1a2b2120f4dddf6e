/**
 * The command table. Each area registers its commands from `commands/<area>/register.ts`, which
 * declares options and lazy-imports the implementation, so `wsp --help` loads almost nothing.
 */
import { Command } from "commander";
import packageJson from "../../package.json";
import { type CommandIO } from "./io";
import { registerValidateCommands } from "./commands/validate/register";
import { registerDbCommands } from "./commands/db/register";
import { registerSpecCommands } from "./commands/spec/register";
import { registerOrchestrationCommands } from "./commands/orchestration/register";
import { registerQualityCommands } from "./commands/quality/register";

/** Sets the exit code a command's action produced; commander itself only knows success or throw. */
export type ExitCodeSink = (code: number) => void;

export function buildProgram(io: CommandIO, setExitCode: ExitCodeSink): Command {
  const program = new Command("wsp")
    .description("Workstream Pipeline: run AI-coding workstreams in git worktrees, safely and in parallel.")
    .version(packageJson.version, "-V, --version")
    .showHelpAfterError()
    .configureOutput({ writeOut: (text) => io.out(text), writeErr: (text) => io.err(text) });
  const areas = [
    registerValidateCommands,
    registerDbCommands,
    registerSpecCommands,
    registerOrchestrationCommands,
    registerQualityCommands,
  ];
  for (const register of areas) register(program, io, setExitCode);
  return program;
}
