import { sandboxLaunch, type SandboxRequest } from "./sandbox/sandboxLaunch";

/** What to start: the executable, its arguments, the folder it runs in and its complete environment. */
export interface ProcessLaunch {
  command: string;
  args: readonly string[];
  cwd: string;
  /** Undefined inherits wsp's own environment. */
  env?: NodeJS.ProcessEnv;
}

/**
 * The one place where every tool run gets its final argv and environment, just before it starts:
 * check tools, agent CLIs, acceptance tests and the pipeline's gates all start through runProcess,
 * which asks this. With a sandbox request the launch becomes a bubblewrap launch (see
 * sandbox/sandboxLaunch.ts). Results and logs keep showing the command as requested.
 */
export function finalToolLaunch(requested: ProcessLaunch, sandbox?: SandboxRequest): ProcessLaunch {
  if (sandbox === undefined) return requested;
  const wrapped = sandboxLaunch(
    requested.command,
    requested.args,
    { cwd: requested.cwd, env: requested.env ?? process.env },
    sandbox,
  );
  return { command: wrapped.command, args: wrapped.args, cwd: requested.cwd, env: wrapped.env };
}
