/** `wsp export github-actions`: the workstream DAG as a GitHub Actions workflow (docs/github-actions.md). */
import path from "node:path";
import packageJson from "../../../../package.json";
import { UserError } from "../../../core/errors";
import { exportRefusals } from "../../../core/export/refusals";
import { INSTALL_WSP_COPY } from "../../../core/export/scripts";
import { buildWorkflow, renderWorkflow, type WorkflowSettings } from "../../../core/export/workflow";
import { writeFileAtomic } from "../../../node/files/atomicFile";
import { loadBreakerConfig, loadToolProfiles } from "../../../node/tools/config";
import { type CommandIO } from "../../io";
import { loadWorkspace, wspCliPath } from "../../shared/context";
import { prepareCliCopy, writeCliCopy } from "./cliCopy";
import { exportedWorkstreams, selectBundles } from "./workstreamInputs";

export interface ExportOptions {
  output?: string;
  only?: string;
  jobs?: string;
  install?: string;
  pullRequest?: boolean;
  runsOn?: string;
  nodeVersion?: string;
  ignoreValidationErrors?: boolean;
}

/** Exit code: 0 written, 2 refused (nothing written). */
export async function exportGithubActions(options: ExportOptions, io: CommandIO): Promise<number> {
  const maxParallel = parseJobs(options.jobs);
  // Overlapping scopes are no error here: the workflow serialises them.
  const workspace = await loadWorkspace(io, options, { overlapsBlock: false });
  const selected = selectBundles(workspace.bundles, options.only);
  if (selected.length === 0) throw new UserError("no workstreams to export");
  const refusals = exportRefusals(
    selected.map(({ bundle }) => ({
      id: bundle.id,
      filesScope: bundle.files_scope,
      filesCreate: bundle.files_create,
    })),
  );
  if (refusals.length > 0)
    throw new UserError(
      `cannot export to GitHub Actions:\n${refusals.map((line) => `  ${line}`).join("\n")}`,
    );
  const warn = (line: string): void => io.err(`wsp export: ${line}\n`);
  const workstreams = exportedWorkstreams(
    selected,
    loadToolProfiles(workspace.root, io.env, warn),
    loadBreakerConfig(workspace.root, io.env),
    warn,
  );
  const output = path.resolve(io.cwd, options.output ?? ".github/workflows/workstreams.yml");
  const base: Omit<WorkflowSettings, "install"> = {
    wspVersion: packageJson.version,
    runsOn: options.runsOn ?? "ubuntu-24.04",
    nodeVersion: options.nodeVersion ?? "20",
    ...(maxParallel === undefined ? {} : { maxParallel }),
    pullRequest: options.pullRequest !== false,
  };
  const copy = options.install === undefined ? prepareCliCopy(wspCliPath(io.env)) : undefined;
  const settings: WorkflowSettings = {
    ...base,
    install:
      copy === undefined
        ? { run: options.install!, env: {} }
        : {
            run: INSTALL_WSP_COPY,
            env: {
              WSP_CLI_DIR: copy.dir,
              WSP_CLI_SHA512: copy.cliSha512,
              WSP_CLI_MAIN_SHA512: copy.cliMainSha512,
              WSP_WASM_SHA512: copy.wasmSha512,
            },
          },
  };
  // Built before anything is written, so a dependency cycle leaves no half-export behind.
  const exported = buildWorkflow(workstreams, settings);
  if (copy !== undefined) writeCliCopy(copy, workspace.root);
  writeFileAtomic(output, renderWorkflow(exported, settings), { durable: false });
  const edges = [...exported.graph.edges.values()];
  io.out(
    `${JSON.stringify(
      {
        workflow: path.relative(io.cwd, output),
        ...(copy === undefined ? {} : { cli_copy: copy.dir }),
        jobs: exported.graph.order.map((id) => exported.jobIds.get(id)),
        overlap_edges: edges.reduce((sum, own) => sum + own.overlaps.length, 0),
        lane_edges: edges.reduce((sum, own) => sum + own.lane.length, 0),
        pull_request: settings.pullRequest,
      },
      null,
      2,
    )}\n`,
  );
  return 0;
}

function parseJobs(value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const jobs = Number(value);
  if (!Number.isInteger(jobs) || jobs < 1)
    throw new UserError(`--jobs must be a positive integer, got '${value}'`);
  return jobs;
}
