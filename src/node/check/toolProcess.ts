/** Runs check tools: no shell, a timeout, a C locale, and the project's own node_modules/.bin first. */
import { accessSync, constants, existsSync, realpathSync, statSync } from "node:fs";
import path from "node:path";
import { type CommandSpec, type ToolOutput } from "../../core/check/types";

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
export function locateExecutable(command: string, cwd: string, env: NodeJS.ProcessEnv): string | undefined {
  const candidates = command.includes("/")
    ? [path.resolve(cwd, command)]
    : [
        path.join(cwd, "node_modules", ".bin", command),
        ...(env.PATH ?? "")
          .split(path.delimiter)
          .filter((dir) => dir !== "")
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

export async function runTool(
  spec: CommandSpec,
  cwd: string,
  env: NodeJS.ProcessEnv,
  timeoutMs = TOOL_TIMEOUT_MS,
): Promise<ToolRun> {
  // execa is ESM-only: a dynamic import keeps it loadable from the CommonJS build and under tsx.
  const { execa } = await import("execa");
  const result = await execa(resolveCommand(spec.command, cwd), spec.args, {
    cwd,
    env: toolEnvironment(env),
    extendEnv: false,
    reject: false,
    stdin: "ignore",
    timeout: timeoutMs,
    stripFinalNewline: false,
  });
  const notFound = (result as { code?: string }).code === "ENOENT";
  return {
    stdout: typeof result.stdout === "string" ? result.stdout : "",
    stderr: typeof result.stderr === "string" ? result.stderr : "",
    exitCode: result.exitCode ?? -1,
    notFound,
    timedOut: result.timedOut,
  };
}
