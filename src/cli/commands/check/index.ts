import path from "node:path";
import { UserError } from "../../../core/errors";
import { formatFileLine, formatIssue, runCheck } from "../../../node/check";
import { type CommandIO } from "../../io";
import { stderrLogger } from "./logger";

export interface CheckCommandOptions {
  cache?: string;
  json?: boolean;
  fix?: boolean;
}

/**
 * `wsp check <files...>`: one line per file on stdout (`file: STATUS | errors=N warnings=M`), the
 * issues and missing tools on stderr; exit 1 when any file has errors.
 */
export async function check(files: string[], options: CheckCommandOptions, io: CommandIO): Promise<number> {
  if (files.length === 0) throw new UserError("check: name at least one file");
  const report = await runCheck({
    files,
    cwd: io.cwd,
    env: io.env,
    cachePath: options.cache ? path.resolve(io.cwd, options.cache) : undefined,
    fix: options.fix === true,
    logger: stderrLogger(io),
  });
  if (options.json) {
    io.out(`${JSON.stringify(report, null, 2)}\n`);
  } else {
    for (const file of report.files) {
      io.out(`${formatFileLine(file)}\n`);
      for (const issue of file.issues) io.err(`  ${formatIssue(issue)}\n`);
    }
    for (const plugin of report.plugins.filter((state) => state.state === "missing")) {
      io.err(`check: ${plugin.id} is not installed; ${plugin.files} file(s) SKIPPED for it\n`);
    }
  }
  return report.failed ? 1 : 0;
}
