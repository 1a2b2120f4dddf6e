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
 * which asks this. A sandbox (e.g. bubblewrap) would wrap the launch here; today it passes unchanged.
 * Results and logs keep showing the command as requested.
 */
export function finalToolLaunch(requested: ProcessLaunch): ProcessLaunch {
  return requested;
}
