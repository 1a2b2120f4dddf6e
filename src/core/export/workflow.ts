/**
 * The exported workflow as data: one job per workstream and a final `integrate` job. Pure; the CLI
 * gathers the inputs (bundles, profiles, breakers) and writes the YAML `renderWorkflow` returns.
 */
import { dump } from "js-yaml";
import { type AgentCli } from "../agents/types";
import { ACTIONS, commentPinnedVersions, usesLine } from "./actions";
import { allNeeds, buildJobGraph, type JobEdges, type JobGraph } from "./jobGraph";
import {
  jobIds,
  journalArtifactName,
  journalFileStem,
  journalFolder,
  JOURNAL_ARTIFACT_PREFIX,
} from "./names";
import * as scripts from "./scripts";

export interface ExportedWorkstream {
  id: string;
  dependsOn: string[];
  /** files_scope + files_create. */
  scope: string[];
  /** From the breakers' wall clock, plus the job's own setup. */
  timeoutMinutes: number;
  agent?: { cli: AgentCli; npmPackage: string; keyEnv?: string };
}

export interface WorkflowSettings {
  wspVersion: string;
  runsOn: string;
  nodeVersion: string;
  /** At most this many workstream jobs at once (lanes of `needs`); undefined: no cap. */
  maxParallel?: number;
  /** Shell lines that put `wsp` on PATH; `env` is the step's environment. */
  install: { run: string; env: Record<string, string> };
  /** Open a pull request from the integration branch (else push it only). */
  pullRequest: boolean;
}

export const INTEGRATE_JOB = "integrate";
/** The secret that, when set, pushes the integration branch and opens the PR so they start CI. */
export const PUSH_TOKEN_SECRET = "WSP_PUSH_TOKEN";

export interface ExportedWorkflow {
  /** The workflow as plain data, in YAML key order. */
  workflow: Record<string, unknown>;
  graph: JobGraph;
  /** Job id of each workstream. */
  jobIds: Map<string, string>;
}

type Step = Record<string, unknown>;

const NOT_SKIPPED = "steps.done.outputs.skip != 'true'";

export function buildWorkflow(
  workstreams: readonly ExportedWorkstream[],
  settings: WorkflowSettings,
): ExportedWorkflow {
  const graph = buildJobGraph(
    workstreams.map((ws) => ({ id: ws.id, dependsOn: ws.dependsOn, scope: ws.scope })),
    settings.maxParallel,
  );
  const ids = jobIds(graph.order);
  const byId = new Map(workstreams.map((ws) => [ws.id, ws]));
  const jobs: Record<string, unknown> = {};
  for (const id of graph.order)
    jobs[ids.get(id)!] = workstreamJob(byId.get(id)!, graph.edges.get(id)!, ids, settings);
  jobs[INTEGRATE_JOB] = integrateJob(graph.order, ids, settings);
  const workflow = {
    name: "Workstreams",
    on: { workflow_dispatch: {} },
    // Least privilege: read by default; each job asks for what it writes.
    permissions: { contents: "read" },
    defaults: { run: { shell: "bash" } },
    jobs,
  };
  return { workflow, graph, jobIds: ids };
}

/** The YAML text, with a header and each pinned action's version beside its SHA. */
export function renderWorkflow(exported: ExportedWorkflow, settings: WorkflowSettings): string {
  const header = [
    `# Written by \`wsp export github-actions\` (wsp ${settings.wspVersion}); re-export rather than edit.`,
    "# One job per workstream, `needs:` from depends_on, overlapping scopes and the --jobs lanes;",
    "# the `integrate` job merges every branch. Setup, secrets and costs: docs/github-actions.md.",
  ].join("\n");
  const body = dump(exported.workflow, { lineWidth: -1, noRefs: true });
  return `${header}\n${commentPinnedVersions(body)}`;
}

function checkoutSteps(settings: WorkflowSettings): Step[] {
  return [
    {
      uses: usesLine(ACTIONS.checkout),
      // All history and branches (dependencies' branches, earlier attempts'); no token left for the agent.
      with: { "fetch-depth": 0, "persist-credentials": false },
    },
    { uses: usesLine(ACTIONS.setupNode), with: { "node-version": settings.nodeVersion } },
    { name: "Install wsp", env: settings.install.env, run: settings.install.run },
    { name: "Prepare the store", run: scripts.PREPARE_STORE },
  ];
}

function workstreamJob(
  ws: ExportedWorkstream,
  edges: JobEdges,
  ids: ReadonlyMap<string, string>,
  settings: WorkflowSettings,
): Record<string, unknown> {
  const jobId = ids.get(ws.id)!;
  const needs = allNeeds(edges).map((id) => ids.get(id)!);
  const orderOnly = edges.overlaps.length + edges.lane.length > 0;
  const steps: Step[] = [
    ...checkoutSteps(settings),
    { name: "Skip when done by an earlier attempt", id: "done", run: scripts.SKIP_IF_DONE },
  ];
  for (const dep of edges.dependencies)
    steps.push({
      name: `Download the journal of ${dep}`,
      if: NOT_SKIPPED,
      uses: usesLine(ACTIONS.downloadArtifact),
      with: { name: journalArtifactName(ids.get(dep)!), path: "${{ runner.temp }}/wsp-deps" },
    });
  if (edges.dependencies.length > 0)
    steps.push({
      name: "Start from the dependencies' branches",
      if: NOT_SKIPPED,
      env: { WSP_DEPENDENCIES: edges.dependencies.join(" ") },
      run: scripts.TAKE_DEPENDENCIES,
    });
  if (ws.agent !== undefined)
    steps.push({
      name: `Install the ${ws.agent.cli} CLI`,
      if: NOT_SKIPPED,
      env: { WSP_AGENT_PACKAGE: ws.agent.npmPackage },
      run: scripts.INSTALL_AGENT,
    });
  const keyEnv = ws.agent?.keyEnv;
  const journals = `\${{ runner.temp }}/${journalFolder(jobId)}`;
  steps.push(
    {
      // A re-run would otherwise replace the failed attempt's journal, and with it the record of
      // why it failed: the upload below carries the earlier attempts' journals along.
      name: "Keep the journals of earlier attempts",
      if: `${NOT_SKIPPED} && github.run_attempt != '1'`,
      // An earlier attempt may have ended before it uploaded anything.
      "continue-on-error": true,
      uses: usesLine(ACTIONS.downloadArtifact),
      with: { name: journalArtifactName(jobId), path: journals },
    },
    {
      name: "Run the workstream",
      if: NOT_SKIPPED,
      env: {
        WSP_JOURNAL_DIR: journals,
        WSP_JOURNAL_STEM: journalFileStem(jobId),
        ...(keyEnv === undefined ? {} : { [keyEnv]: `\${{ secrets.${keyEnv} }}` }),
      },
      run: scripts.RUN_WORKSTREAM,
    },
    {
      name: "Push the workstream's branch",
      if: NOT_SKIPPED,
      env: { WSP_BRANCH: `workstream/${ws.id}`, WSP_PUSH_TOKEN: "${{ github.token }}" },
      run: scripts.PUSH_BRANCH,
    },
    {
      name: "Upload the journal",
      // A failed run's journal is uploaded too: it says why.
      if: `always() && ${NOT_SKIPPED}`,
      uses: usesLine(ACTIONS.uploadArtifact),
      with: {
        name: journalArtifactName(jobId),
        path: journals,
        "if-no-files-found": "error",
        // A re-run uploads again under the same name, every attempt's journal included.
        overwrite: true,
      },
    },
  );
  return {
    name: ws.id,
    ...(needs.length > 0 ? { needs } : {}),
    // Overlap and lane edges only order: the job runs after those jobs whatever their result.
    ...(orderOnly ? { if: orderOnlyCondition(edges.dependencies.map((id) => ids.get(id)!)) } : {}),
    "runs-on": settings.runsOn,
    "timeout-minutes": ws.timeoutMinutes,
    permissions: { contents: "write" },
    env: { WSP_WS_ID: ws.id },
    steps,
  };
}

function orderOnlyCondition(dependencyJobs: readonly string[]): string {
  const parts = ["!cancelled()", ...dependencyJobs.map((job) => `needs.${job}.result == 'success'`)];
  return `\${{ ${parts.join(" && ")} }}`;
}

function integrateJob(
  order: readonly string[],
  ids: ReadonlyMap<string, string>,
  settings: WorkflowSettings,
): Record<string, unknown> {
  const token = `\${{ secrets.${PUSH_TOKEN_SECRET} || github.token }}`;
  const steps: Step[] = [
    ...checkoutSteps(settings),
    {
      name: "Download every journal",
      uses: usesLine(ACTIONS.downloadArtifact),
      with: {
        pattern: `${JOURNAL_ARTIFACT_PREFIX}*`,
        "merge-multiple": true,
        path: "${{ runner.temp }}/wsp-journals",
      },
    },
    { name: "Name the integration branch", run: scripts.INTEGRATION_BRANCH },
    { name: "Import the journals and merge", run: scripts.MERGE_ALL },
    { name: "Push the integration branch", env: { WSP_PUSH_TOKEN: token }, run: scripts.PUSH_BRANCH },
  ];
  if (settings.pullRequest)
    steps.push({ name: "Open the pull request", env: { GH_TOKEN: token }, run: scripts.OPEN_PULL_REQUEST });
  return {
    name: "Merge the workstreams",
    needs: order.map((id) => ids.get(id)!),
    "runs-on": settings.runsOn,
    "timeout-minutes": 30,
    permissions: settings.pullRequest
      ? { contents: "write", "pull-requests": "write" }
      : { contents: "write" },
    env: { WSP_WORKSTREAMS: order.join(" ") },
    steps,
  };
}
