/** `wsp worktree list|prune`: workstream worktrees and branches, and the orphans among them. */
import { statSync } from "node:fs";
import path from "node:path";
import ms from "ms";
import { UserError } from "../../../core/errors";
import { diskUsage, readableSize } from "../../../node/files/diskUsage";
import { removeSharedState } from "../../../node/orchestrator/worktreeEnvironment";
import { loadWorktreeSettings } from "../../../node/tools/worktreeConfig";
import {
  listWorkstreamBranches,
  listWorktrees,
  pruneWorktrees,
  removeWorktree,
  deleteBranch,
} from "../../../node/git";
import { resolveWorktreesDir, sharedStateDir } from "../../../node/paths";
import { type CommandIO } from "../../io";
import { loadWorkspace, openWorkspaceStore, type CommonOptions } from "../../shared/context";
import { runIsLive } from "../../shared/liveness";

export interface WorktreeEntry {
  ws_id: string;
  branch: string | null;
  worktree: string | null;
  /** The worktree's own disk use, its changes to shared folders included; the shared folders are not. */
  disk_bytes: number;
  /** When the worktree last changed (ISO), for retention. */
  modified_at: string | null;
  has_bundle: boolean;
  live_run: string | null;
  orphan: boolean;
  why: string | null;
}

async function inventory(
  options: CommonOptions,
  io: CommandIO,
): Promise<{ root: string; worktreesDir: string; entries: WorktreeEntry[] }> {
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
        disk_bytes: 0,
        modified_at: null,
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
    if (found.worktree !== null) {
      found.disk_bytes = diskUsage([found.worktree, sharedStateDir(worktreesDir, found.ws_id)]);
      const info = statSync(found.worktree, { throwIfNoEntry: false });
      found.modified_at = info ? info.mtime.toISOString() : null;
    }
    if (!found.has_bundle) {
      found.orphan = true;
      found.why = "no bundle with this id";
    } else if (found.worktree !== null && found.live_run === null) {
      found.orphan = true;
      found.why = "worktree without a live run (kept from a failed or stopped run)";
    }
  }
  return { root, worktreesDir, entries: [...byId.values()].sort((a, b) => a.ws_id.localeCompare(b.ws_id)) };
}

export async function worktreeList(
  options: CommonOptions & { json?: boolean },
  io: CommandIO,
): Promise<number> {
  const { entries } = await inventory(options, io);
  if (options.json) io.out(`${JSON.stringify(entries, null, 2)}\n`);
  else if (entries.length === 0) io.out("no workstream worktrees or branches\n");
  else {
    for (const e of entries)
      io.out(
        `${e.ws_id}\t${e.branch ?? "-"}\t${e.worktree ?? "-"}\t${e.worktree ? readableSize(e.disk_bytes) : "-"}\t${e.live_run ? `live run ${e.live_run}` : "-"}\t${e.orphan ? `orphan: ${e.why}` : "ok"}\n`,
      );
    const total = entries.reduce((sum, e) => sum + e.disk_bytes, 0);
    io.out(
      `total: ${readableSize(total)} in ${entries.filter((e) => e.worktree).length} worktree(s), shared folders not counted\n`,
    );
  }
  return 0;
}

/** `7d`, `12h`, `0`: an age in milliseconds; a UserError naming the option otherwise. */
function parseAge(text: string): number {
  const value = ms(text as ms.StringValue);
  if (typeof value !== "number" || !Number.isFinite(value) || value < 0)
    throw new UserError(`--older-than takes an age like 7d, 12h or 30m (got ${JSON.stringify(text)})`);
  return value;
}

export async function worktreePrune(
  options: CommonOptions & { dryRun?: boolean; branches?: boolean; olderThan?: string },
  io: CommandIO,
  now = Date.now(),
): Promise<number> {
  const { root, worktreesDir, entries } = await inventory(options, io);
  // Without --older-than, the retention of config/worktree.yaml (keep_failed_days) decides.
  const minAgeMs =
    options.olderThan !== undefined
      ? parseAge(options.olderThan)
      : loadWorktreeSettings(root).keep_failed_days * 86_400_000;
  const removed: { ws_id: string; worktree?: string; branch?: string; disk_bytes?: number }[] = [];
  const kept: { ws_id: string; worktree: string; until: string }[] = [];
  for (const e of entries.filter((x) => x.orphan)) {
    const record: { ws_id: string; worktree?: string; branch?: string; disk_bytes?: number } = {
      ws_id: e.ws_id,
    };
    if (e.worktree) {
      const modified = e.modified_at === null ? 0 : Date.parse(e.modified_at);
      if (now - modified < minAgeMs) {
        kept.push({
          ws_id: e.ws_id,
          worktree: e.worktree,
          until: new Date(modified + minAgeMs).toISOString(),
        });
        continue;
      }
      if (!options.dryRun) {
        await removeWorktree(root, e.worktree);
        removeSharedState(worktreesDir, e.ws_id);
      }
      record.worktree = e.worktree;
      record.disk_bytes = e.disk_bytes;
    }
    if (options.branches && !e.has_bundle && e.branch) {
      if (!options.dryRun) await deleteBranch(root, e.branch);
      record.branch = e.branch;
    }
    if (record.worktree || record.branch) removed.push(record);
  }
  if (!options.dryRun) await pruneWorktrees(root);
  const freed = removed.reduce((sum, entry) => sum + (entry.disk_bytes ?? 0), 0);
  io.out(
    `${JSON.stringify({ dry_run: options.dryRun === true, removed, kept, freed_bytes: freed }, null, 2)}\n`,
  );
  return 0;
}

/** `wsp worktree remove <ws-id>`: frees one workstream's worktree now; never one a live run uses. */
export async function worktreeRemove(wsId: string, options: CommonOptions, io: CommandIO): Promise<number> {
  const { root, worktreesDir, entries } = await inventory(options, io);
  const entry = entries.find((e) => e.ws_id === wsId);
  if (!entry?.worktree) throw new UserError(`${wsId} has no worktree`);
  if (entry.live_run !== null)
    throw new UserError(`${wsId}'s worktree belongs to live run ${entry.live_run}`);
  await removeWorktree(root, entry.worktree);
  removeSharedState(worktreesDir, wsId);
  io.out(
    `removed ${entry.worktree} (${readableSize(entry.disk_bytes)} freed; branch ${entry.branch ?? "-"} kept)\n`,
  );
  return 0;
}
