import { type Command } from "commander";
import { type CommandIO } from "../../io";
import { type ExitCodeSink } from "../../cli";

/** Registers this area's commands on the program; each action lazy-imports its implementation. */
export function registerDbCommands(_program: Command, _io: CommandIO, _setExitCode: ExitCodeSink): void {}
