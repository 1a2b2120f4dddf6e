import { runTool } from "../process/toolProcess";

/** Runs git without a shell; the trimmed stdout, or undefined when git fails. */
export async function gitOutput(
  cwd: string,
  env: NodeJS.ProcessEnv,
  args: string[],
): Promise<string | undefined> {
  const result = await runTool({ command: "git", args }, cwd, env, 60_000);
  return result.notFound || result.exitCode !== 0 ? undefined : result.stdout.trim();
}
