import { formatStatus } from "../../../core/status/status";
import { collectStatus } from "../../../node/status/collectStatus";
import { type CommandIO } from "../../io";

export interface StatusCommandOptions {
  json?: boolean;
  base?: string;
}

/** `wsp status`: per workstream its bundle, branch, worktree, last run and divergence; then orphans. */
export async function status(options: StatusCommandOptions, io: CommandIO): Promise<number> {
  const report = await collectStatus({
    cwd: io.cwd,
    env: io.env,
    ...(options.base ? { base: options.base } : {}),
  });
  if (options.json) io.out(`${JSON.stringify(report, null, 2)}\n`);
  else {
    io.out(formatStatus(report, report.base));
    for (const file of report.invalidBundleFiles)
      io.err(`status: ${file} has invalid bundles (run wsp validate)\n`);
  }
  return 0;
}
