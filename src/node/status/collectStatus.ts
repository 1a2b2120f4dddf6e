import { existsSync } from "node:fs";
import path from "node:path";
import { validateDocuments } from "../../core/bundle";
import {
  buildStatus,
  BRANCH_PREFIX,
  parseLeftRightCount,
  type StatusInputs,
  type StatusReport,
} from "../../core/status/status";
import { loadWorkspaceBundles } from "../bundles";
import { findRepoRoot, leftRightCount, listBranches, listWorktrees } from "../git";
import { DEFAULT_WORKTREES_DIR, resolveDbPath, resolveWorkstreamDir } from "../paths";
import { openStore } from "../store";

export interface StatusOptions {
  cwd: string;
  env: NodeJS.ProcessEnv;
  /** The branch workstream branches are compared with; default `main` when it exists, else HEAD. */
  base?: string;
}

/** Gathers everything `wsp status` shows: bundles, branches, worktrees, last runs, divergence. */
export async function collectStatus(
  options: StatusOptions,
): Promise<StatusReport & { base: string; invalidBundleFiles: string[] }> {
  const { cwd, env } = options;
  const root = (await findRepoRoot(cwd, env)) ?? cwd;
  const dir = resolveWorkstreamDir(cwd, env);

  const bundles: StatusInputs["bundles"] = [];
  const invalid = new Set<string>();
  if (existsSync(dir)) {
    const workspace = await loadWorkspaceBundles(dir, { root });
    const result = validateDocuments(workspace.documents, { trackedFiles: workspace.trackedFiles });
    for (const loaded of result.bundles) {
      bundles.push({
        id: loaded.bundle.id,
        ...(loaded.bundle.title ? { title: loaded.bundle.title } : {}),
        file: path.relative(cwd, loaded.source.file).split(path.sep).join("/"),
      });
    }
    for (const diagnostic of result.diagnostics) {
      if (diagnostic.severity === "error" && (diagnostic.type === "parse" || diagnostic.type === "schema")) {
        invalid.add(path.relative(cwd, diagnostic.file));
      }
    }
    // Entries that were never read (a FIFO, a link out of the repository, invalid UTF-8) count too.
    for (const diagnostic of workspace.readDiagnostics)
      if (diagnostic.severity === "error") invalid.add(path.relative(cwd, diagnostic.file));
  }

  const branches = await listBranches(root, env);
  const base = options.base ?? (branches.includes("main") ? "main" : "HEAD");
  // Git's own list, not the folder's contents: the folder also holds the orchestrator's prompt files.
  // A workstream worktree is on a workstream branch, or (detached, its branch gone) in .worktrees/.
  const worktrees: StatusInputs["worktrees"] = {};
  for (const worktree of await listWorktrees(root)) {
    const relative = path.relative(root, worktree.path).split(path.sep).join("/");
    if (worktree.branch?.startsWith(BRANCH_PREFIX)) {
      worktrees[worktree.branch.slice(BRANCH_PREFIX.length)] = relative;
    } else if (relative.startsWith(`${DEFAULT_WORKTREES_DIR}/`)) {
      worktrees[path.basename(worktree.path)] = relative;
    }
  }

  const divergence: StatusInputs["divergence"] = {};
  for (const bundle of bundles) {
    const branch = `${BRANCH_PREFIX}${bundle.id}`;
    if (!branches.includes(branch)) continue;
    const counts = await leftRightCount(root, base, branch, env);
    const parsed = counts === undefined ? undefined : parseLeftRightCount(counts);
    if (parsed) divergence[bundle.id] = parsed;
  }

  const report = buildStatus({
    bundles,
    branches,
    worktrees,
    divergence,
    lastRuns: await lastRuns(cwd, env),
  });
  return { ...report, base, invalidBundleFiles: [...invalid].sort() };
}

/** The newest run status per workstream id, from the store when one exists (read-only). */
async function lastRuns(cwd: string, env: NodeJS.ProcessEnv): Promise<StatusInputs["lastRuns"]> {
  const dbPath = resolveDbPath(undefined, env, cwd);
  if (!existsSync(dbPath)) return {};
  const store = await openStore({ path: dbPath, readOnly: true });
  try {
    const found: StatusInputs["lastRuns"] = {};
    for (const run of await store.listRuns({ limit: 100 })) {
      for (const workstream of await store.listWorkstreams(run.runId)) {
        found[workstream.wsId] ??= {
          runId: run.runId,
          status: workstream.status,
          updatedAt: workstream.updatedAt,
        };
      }
    }
    return found;
  } finally {
    await store.close();
  }
}
