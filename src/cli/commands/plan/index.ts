import { UserError } from "../../../core/errors";
import { plan } from "../../../node/plan/plan";
import { type CommandIO } from "../../io";

export interface PlanCommandOptions {
  openspec?: string;
  spec?: string;
  id?: string;
  tool?: string;
  capability?: string;
  gate?: string;
  ccpmIssue?: string;
  filesScope?: string[];
  dryRun?: boolean;
  json?: boolean;
}

/** `wsp plan`: drafts a bundle from an OpenSpec change or a Markdown spec into workstreams/. */
export async function planCommand(options: PlanCommandOptions, io: CommandIO): Promise<number> {
  if (Boolean(options.openspec) === Boolean(options.spec)) {
    throw new UserError("plan: give exactly one of --openspec <change-dir> or --spec <markdown>");
  }
  const gate = options.gate === undefined ? 1 : Number(options.gate);
  if (!Number.isInteger(gate) || gate < 1)
    throw new UserError(`plan: --gate must be an integer >= 1, got ${options.gate}`);
  const issue = options.ccpmIssue ?? "TBD";
  const result = await plan({
    cwd: io.cwd,
    env: io.env,
    ...(options.openspec ? { openspec: options.openspec } : {}),
    ...(options.spec ? { spec: options.spec } : {}),
    dryRun: options.dryRun === true,
    draft: {
      ...(options.id ? { id: options.id } : {}),
      tool: options.tool ?? "aider",
      ...(options.capability ? { capability: options.capability } : {}),
      gate,
      ccpmIssue: /^\d+$/.test(issue) ? Number(issue) : issue,
      filesScope: options.filesScope ?? [],
    },
  });
  if (options.json) io.out(`${JSON.stringify(result, null, 2)}\n`);
  else if (result.outcome === "dry-run") io.out(`${JSON.stringify(result.bundle, null, 2)}\n`);
  else {
    const messages = {
      written: `wrote ${result.file}`,
      exists: `${result.file} already exists; kept it, wrote nothing (choose another --id)`,
      invalid: `${result.file} not written: the draft does not validate`,
    };
    io.out(`${messages[result.outcome]}\n`);
  }
  for (const diagnostic of result.diagnostics) {
    io.err(
      `${diagnostic.file}:${diagnostic.line}:${diagnostic.column}: ${diagnostic.severity}: ${diagnostic.message}\n`,
    );
  }
  if (result.outcome === "written") {
    io.err("plan: a draft: fill in acceptance_tests (see metadata.acceptance_hints) and check the scope\n");
  }
  return result.outcome === "written" || result.outcome === "dry-run" ? 0 : 1;
}
