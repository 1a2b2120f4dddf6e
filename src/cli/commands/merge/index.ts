/**
 * `wsp merge <ws-id> | --all`: done workstreams into the base, in dependency order. By default
 * through the merge queue (gated, one at a time, failures sent back); `--atomic` merges all or
 * nothing with no gate, as before the queue.
 */
import { UserError } from "../../../core/errors";
import { buildDag } from "../../../core/orchestrator/schedule";
import { branchExists, currentBranch, mergeBranches, workstreamBranch } from "../../../node/git";
import { type CommandIO } from "../../io";
import { loadWorkspace, openWorkspaceStore, type CommonOptions } from "../../shared/context";
import { latestRows } from "../../../node/merge/latestRows";

export interface MergeOptions extends CommonOptions {
  all?: boolean;
  atomic?: boolean;
  queue?: boolean;
  events?: string;
}

/** Exit code: 0 merged (or nothing to merge), 1 a conflict, a red gate or work left (base never half-merged), 2 usage error. */
export async function merge(
  wsId: string | undefined,
  options: MergeOptions,
  io: CommandIO,
  signal: AbortSignal = new AbortController().signal,
): Promise<number> {
  if (options.all === (wsId !== undefined)) throw new UserError("give either a workstream id or --all");
  if (options.atomic === true && options.queue === true)
    throw new UserError("give --queue or --atomic, not both");
  const workspace = await loadWorkspace(io, options, { overlapsBlock: false });
  if (options.atomic !== true) {
    const { mergeQueue } = await import("./queue");
    return mergeQueue(workspace, wsId, options, io, signal);
  }
  const base = options.base ?? (await currentBranch(workspace.root));
  const store = await openWorkspaceStore(io, options.db, true);
  let rows;
  try {
    rows = await latestRows(store);
  } finally {
    await store.close();
  }
  const done = workspace.bundles
    .filter(({ bundle }) => rows.get(bundle.id)?.status === "done")
    .map(({ bundle }) => bundle);
  let chosen = done;
  if (wsId !== undefined) {
    const row = rows.get(wsId);
    if (!workspace.bundles.some(({ bundle }) => bundle.id === wsId))
      throw new UserError(`unknown workstream '${wsId}'`);
    if (row?.status !== "done")
      throw new UserError(`${wsId} is not done (latest status: ${row?.status ?? "never run"})`);
    chosen = done.filter((bundle) => bundle.id === wsId);
  }
  for (const bundle of chosen)
    if (!(await branchExists(workspace.root, workstreamBranch(bundle.id))))
      throw new UserError(`branch ${workstreamBranch(bundle.id)} of done workstream ${bundle.id} is gone`);
  // Dependency order: the DAG of the chosen workstreams (dependencies outside it were merged or are carried by the branch).
  const order = buildDag(chosen.map((b) => ({ id: b.id, dependsOn: b.depends_on, scope: [] }))).order;
  const outcome = await mergeBranches(
    workspace.root,
    base,
    order.map((id) => ({
      branch: workstreamBranch(id),
      message: `wsp: merge ${id} (run ${rows.get(id)!.runId})`,
    })),
  );
  if (!outcome.merged) {
    io.out(
      `${JSON.stringify({ base, merged: false, conflict: { branch: outcome.branch, files: outcome.conflicts } }, null, 2)}\n`,
    );
    io.err(`wsp merge: ${outcome.message}; ${base} was left untouched\n`);
    return 1;
  }
  io.out(
    `${JSON.stringify({ base, merged: true, commit: outcome.commit, workstreams: outcome.merges.map((m, i) => ({ ws_id: order[i], branch: m.branch, already_merged: m.alreadyMerged })) }, null, 2)}\n`,
  );
  return 0;
}
