/** `wsp worktree list|prune`: workstream worktrees and branches, and the orphans among them. */
import path from "node:path";
import {
  listWorkstreamBranches,
  listWorktrees,
  pruneWorktrees,
  removeWorktree,
  deleteBranch,
} from "../../../node/git";
import { resolveWorktreesDir } from "../../../node/paths";
import { type CommandIO } from "../../io";
import { loadWorkspace, openWorkspaceStore, type CommonOptions } from "../../shared/context";
import { runIsLive } from "../../shared/liveness";

export interface WorktreeEntry {
  ws_id: string;
  branch: string | null;
  worktree: string | null;
  has_bundle: boolean;
  live_run: string | null;
  orphan: boolean;
  why: string | null;
}

async function inventory(
  options: CommonOptions,
  io: CommandIO,
): Promise<{ root: string; entries: WorktreeEntry[] }> {
  const workspace = await loadWorkspace(io, options, { overlapsBlock: false });
  const root = workspace.root;
  const worktreesDir = resolveWorktreesDir(root, io.env, options.worktrees);
  const bundleIds = new Set(workspace.bundles.map(({ bundle }) => bundle.id));
  const live = new Map<string, string>();
  const store = await openWorkspaceStore(io, options.db, true).catch(() => undefined);
  if (store) {
    try {
      for (const run of await store.listRuns({ limit: 100 })) {
        if (!runIsLive(run)) continue;
        for (const row of await store.listWorkstreams(run.runId)) live.set(row.wsId, run.runId);
      }
    } finally {
      await store.close();
    }
  }
  const byId = new Map<string, WorktreeEntry>();
  const entry = (wsId: string): WorktreeEntry => {
    let found = byId.get(wsId);
    if (!found) {
      found = {
        ws_id: wsId,
        branch: null,
        worktree: null,
        has_bundle: bundleIds.has(wsId),
        live_run: live.get(wsId) ?? null,
        orphan: false,
        why: null,
      };
      byId.set(wsId, found);
    }
    return found;
  };
  for (const branch of await listWorkstreamBranches(root))
    entry(branch.slice("workstream/".length)).branch = branch;
  for (const worktree of await listWorktrees(root)) {
    const inDir = path.dirname(path.resolve(worktree.path)) === worktreesDir;
    const fromBranch = worktree.branch?.startsWith("workstream/")
      ? worktree.branch.slice("workstream/".length)
      : undefined;
    if (!inDir && fromBranch === undefined) continue;
    entry(fromBranch ?? path.basename(worktree.path)).worktree = worktree.path;
  }
  for (const found of byId.values()) {
    if (!found.has_bundle) {
      found.orphan = true;
      found.why = "no bundle with this id";
    } else if (found.worktree !== null && found.live_run === null) {
      found.orphan = true;
      found.why = "worktree without a live run (kept from a failed or stopped run)";
    }
  }
  return { root, entries: [...byId.values()].sort((a, b) => a.ws_id.localeCompare(b.ws_id)) };
}

export async function worktreeList(
  options: CommonOptions & { json?: boolean },
  io: CommandIO,
): Promise<number> {
  const { entries } = await inventory(options, io);
  if (options.json) io.out(`${JSON.stringify(entries, null, 2)}\n`);
  else if (entries.length === 0) io.out("no workstream worktrees or branches\n");
  else
    for (const e of entries)
      io.out(
        `${e.ws_id}\t${e.branch ?? "-"}\t${e.worktree ?? "-"}\t${e.live_run ? `live run ${e.live_run}` : "-"}\t${e.orphan ? `orphan: ${e.why}` : "ok"}\n`,
      );
  return 0;
}

export async function worktreePrune(
  options: CommonOptions & { dryRun?: boolean; branches?: boolean },
  io: CommandIO,
): Promise<number> {
  const { root, entries } = await inventory(options, io);
  const removed: { ws_id: string; worktree?: string; branch?: string }[] = [];
  for (const e of entries.filter((x) => x.orphan)) {
    const record: { ws_id: string; worktree?: string; branch?: string } = { ws_id: e.ws_id };
    if (e.worktree) {
      if (!options.dryRun) await removeWorktree(root, e.worktree);
      record.worktree = e.worktree;
    }
    if (options.branches && !e.has_bundle && e.branch) {
      if (!options.dryRun) await deleteBranch(root, e.branch);
      record.branch = e.branch;
    }
    if (record.worktree || record.branch) removed.push(record);
  }
  if (!options.dryRun) await pruneWorktrees(root);
  io.out(`${JSON.stringify({ dry_run: options.dryRun === true, removed }, null, 2)}\n`);
  return 0;
}
