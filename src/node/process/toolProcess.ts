/**
 * Runs short tool commands (check tools, version probes, `wsp check`'s fixes): no shell, a timeout, a C
 * locale, the project's own node_modules/.bin first, the whole output kept. They stay in wsp's process
 * group, so a Ctrl-C in the terminal reaches them too.
 */
import { accessSync, constants, existsSync, realpathSync, statSync } from "node:fs";
import path from "node:path";
import { type CommandSpec, type ToolOutput } from "../../core/check/types";
import { runProcess } from "./runProcess";

export const TOOL_TIMEOUT_MS = 120_000;

export interface ToolRun extends ToolOutput {
  /** The executable was not found. */
  notFound: boolean;
  timedOut: boolean;
}

/** The executable to run: `<cwd>/node_modules/.bin/<command>` when the project has it, else the name (PATH). */
export function resolveCommand(command: string, cwd: string): string {
  if (command.includes("/")) return command;
  const local = path.join(cwd, "node_modules", ".bin", command);
  return existsSync(local) ? local : command;
}

/**
 * Where a command would be found, without running it: the project's node_modules/.bin, then each
 * PATH folder. Undefined when it is nowhere (the tool is missing).
 */
export function locateExecutable(
  command: string,
  cwd: string,
  env: NodeJS.ProcessEnv,
  /**
   * `installedOnly`: skip the project's node_modules/.bin and relative PATH entries, for a helper
   * wsp itself runs in any repository, where a repository's own copy must not stand in for it.
   */
  options: { installedOnly?: boolean } = {},
): string | undefined {
  const installedOnly = options.installedOnly ?? false;
  const candidates = command.includes("/")
    ? [path.resolve(cwd, command)]
    : [
        ...(installedOnly ? [] : [path.join(cwd, "node_modules", ".bin", command)]),
        ...(env.PATH ?? "")
          .split(path.delimiter)
          .filter((dir) => dir !== "" && (!installedOnly || path.isAbsolute(dir)))
          .map((dir) => path.join(dir, command)),
      ];
  for (const candidate of candidates) {
    try {
      accessSync(candidate, constants.X_OK);
      if (statSync(candidate).isFile()) return candidate;
    } catch {
      // not here; try the next folder
    }
  }
  return undefined;
}

/** Identifies an installed executable by its real path, size and modification time: an upgrade changes it. */
export function executableIdentity(file: string): string {
  const real = realpathSync(file);
  const info = statSync(real);
  return `${real}:${info.size}:${info.mtimeMs}`;
}

/** The environment tools run with: a stable locale, and no variables that redirect Python or the network. */
export function toolEnvironment(env: NodeJS.ProcessEnv): NodeJS.ProcessEnv {
  const clean: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(env)) {
    if (key === "PYTHONPATH" || /_proxy$/i.test(key)) continue;
    clean[key] = value;
  }
  return { ...clean, LC_ALL: "C", NO_COLOR: "1", FORCE_COLOR: "0" };
}

/** Seconds a timed-out tool gets between SIGTERM and SIGKILL: execa's default, which these tools always had. */
const KILL_GRACE_SEC = 5;

/** Runs `spec` in `cwd`; a tool that cannot start reports no output, and notFound when it is missing. */
export async function runCommandSpec(
  spec: CommandSpec,
  cwd: string,
  env: NodeJS.ProcessEnv,
  timeoutMs = TOOL_TIMEOUT_MS,
): Promise<ToolRun> {
  const run = await runProcess(resolveCommand(spec.command, cwd), spec.args, {
    cwd,
    env: toolEnvironment(env),
    timeoutSec: timeoutMs / 1000,
    killGraceSec: KILL_GRACE_SEC,
    ownGroup: false,
    headChars: Infinity,
  });
  const started = run.spawnError === undefined;
  return {
    stdout: started ? run.stdout : "",
    stderr: started ? run.stderr : "",
    exitCode: run.exitCode ?? -1,
    notFound: run.spawnErrorCode === "ENOENT",
    timedOut: run.timedOut,
  };
}
