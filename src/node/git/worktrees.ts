/**
 * Workstream worktrees: `worktreesDir/<ws-id>` on `workstream/<ws-id>` branches, created, listed,
 * attached and removed. Git's worktree bookkeeping needs those operations to take turns.
 */
import { appendFileSync, existsSync, mkdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { workstreamBranch } from "./repository";
import { gitFast, gitRun } from "./run";

export interface WorktreeInfo {
  path: string;
  branch?: string;
  head?: string;
}

/**
 * Git's worktree bookkeeping (`.git/worktrees`) is not safe against concurrent add/remove/prune in
 * one repository, so those operations take turns per repository within this process. Even two adds
 * collide: an add reads every other worktree's admin folder, which a concurrent add may have created
 * but not yet filled ("failed to read .git/worktrees/<id>/commondir"; see test/orchestrator/worktrees.test.ts).
 * Waiting operations go by urgency: what a starting workstream waits on first, then worktrees
 * prepared ahead of their workstream, then removals, which nothing waits on.
 */
type WorktreeTurn = "urgent" | "ahead" | "cleanup";
interface WorktreeTurns extends Record<WorktreeTurn, (() => void)[]> {
  busy: boolean;
}
const worktreeTurns = new Map<string, WorktreeTurns>();

function withWorktreeLock<T>(
  root: string,
  operation: () => Promise<T>,
  turn: WorktreeTurn = "urgent",
): Promise<T> {
  const key = path.resolve(root);
  let turns = worktreeTurns.get(key);
  if (!turns) worktreeTurns.set(key, (turns = { busy: false, urgent: [], ahead: [], cleanup: [] }));
  const queue = turns;
  const next = () => {
    const waiting = queue.urgent.shift() ?? queue.ahead.shift() ?? queue.cleanup.shift();
    if (waiting) waiting();
    else queue.busy = false;
  };
  return new Promise<T>((resolve, reject) => {
    const go = () => {
      queue.busy = true;
      operation().then(resolve, reject).finally(next);
    };
    if (!queue.busy) go();
    else queue[turn].push(go);
  });
}

/** Keeps the worktrees folder out of the main checkout's `git status` without touching .gitignore. */
function excludeFromStatus(root: string, worktreesDir: string): void {
  const relative = path.relative(root, worktreesDir);
  if (relative.startsWith("..") || path.isAbsolute(relative)) return;
  const exclude = path.join(root, ".git", "info", "exclude");
  if (!existsSync(path.dirname(exclude))) return;
  const line = `/${relative.split(path.sep).join("/")}/`;
  const current = existsSync(exclude) ? readFileSync(exclude, "utf8") : "";
  if (!current.split("\n").includes(line))
    appendFileSync(exclude, `${current.endsWith("\n") || current === "" ? "" : "\n"}${line}\n`);
}

/** `git worktree prune`, taking its turn with adds and removes (see withWorktreeLock). */
export function pruneWorktrees(root: string): Promise<void> {
  return withWorktreeLock(root, async () => {
    await gitFast(root, ["worktree", "prune"]);
  });
}

export async function listWorktrees(root: string): Promise<WorktreeInfo[]> {
  const text = await gitFast(root, ["worktree", "list", "--porcelain"]);
  const entries: WorktreeInfo[] = [];
  for (const block of text.split("\n\n")) {
    const info: Partial<WorktreeInfo> = {};
    for (const line of block.split("\n")) {
      if (line.startsWith("worktree ")) info.path = line.slice(9);
      else if (line.startsWith("HEAD ")) info.head = line.slice(5);
      else if (line.startsWith("branch ")) info.branch = line.slice(7).replace(/^refs\/heads\//, "");
    }
    if (info.path) entries.push(info as WorktreeInfo);
  }
  return entries;
}

/**
 * Creates (or recreates) the worktree of a workstream at `worktreesDir/<ws-id>` on a fresh
 * `workstream/<ws-id>` branch at `baseCommit`. A leftover worktree from an earlier attempt is removed.
 * `detached` leaves branches alone (HEAD detached at `baseCommit`), as the merge queue's own worktree.
 */
export async function createWorktree(
  root: string,
  worktreesDir: string,
  wsId: string,
  baseCommit: string,
  { detached = false }: { detached?: boolean } = {},
): Promise<string> {
  const head = detached ? ["--detach"] : ["-B", workstreamBranch(wsId)];
  await addWorktree(root, worktreesDir, wsId, "urgent", async (target) => {
    await gitFast(root, ["worktree", "add", "--quiet", ...head, target, baseCommit]);
  });
  return path.join(worktreesDir, wsId);
}

/** A worktree made ahead of its workstream's start, and whether it is on the workstream's branch yet. */
export interface PreparedWorktree {
  folder: string;
  /** Its HEAD, where the branch was made when `onBranch`. */
  commit: string;
  onBranch: boolean;
}

/**
 * Makes `id`'s worktree at `baseCommit` ahead of its workstream's start, taking its turn after the
 * worktrees starting workstreams wait for. A workstream with no branch yet gets its fresh branch
 * now, so its start runs no git at all; an existing branch (an earlier run's work) is not touched
 * before the workstream really starts: the worktree is left detached for `attachWorkstreamBranch`.
 */
export async function prepareWorktree(
  root: string,
  worktreesDir: string,
  wsId: string,
  baseCommit: string,
): Promise<PreparedWorktree> {
  let onBranch = true;
  await addWorktree(root, worktreesDir, wsId, "ahead", async (target) => {
    // `-b` refuses an existing branch before it writes anything, so the fallback starts clean.
    const fresh = await gitRun(root, [
      "worktree",
      "add",
      "--quiet",
      "-b",
      workstreamBranch(wsId),
      target,
      baseCommit,
    ]);
    if (fresh.exitCode === 0) return;
    onBranch = false;
    await gitFast(root, ["worktree", "add", "--quiet", "--detach", target, baseCommit]);
  });
  return { folder: path.join(worktreesDir, wsId), commit: baseCommit, onBranch };
}

/**
 * Drops the branch `prepareWorktree` made for a workstream that never started, if it still points
 * where it was made: the run leaves no branch behind for work it did not do.
 */
export async function dropPreparedBranch(root: string, wsId: string, baseCommit: string): Promise<void> {
  await gitRun(root, ["update-ref", "-d", `refs/heads/${workstreamBranch(wsId)}`, baseCommit]);
}

/** Runs `add` for `worktreesDir/<ws-id>` in its turn, once any leftover of an earlier attempt is gone. */
async function addWorktree(
  root: string,
  worktreesDir: string,
  wsId: string,
  turn: WorktreeTurn,
  add: (target: string) => Promise<void>,
): Promise<void> {
  const target = path.join(worktreesDir, wsId);
  mkdirSync(worktreesDir, { recursive: true });
  excludeFromStatus(root, worktreesDir);
  await withWorktreeLock(
    root,
    async () => {
      // Only a leftover from an earlier attempt needs cleaning; checking the admin dir spares a git call.
      const leftover = existsSync(target) || existsSync(path.join(root, ".git", "worktrees", wsId));
      const registered =
        leftover && (await listWorktrees(root)).some((w) => path.resolve(w.path) === path.resolve(target));
      if (registered) {
        if (existsSync(target)) await gitFast(root, ["worktree", "remove", "--force", "--force", target]);
        else await gitFast(root, ["worktree", "prune"]);
      }
      await add(target);
    },
    turn,
  );
}

/** Puts a worktree prepared detached (see prepareWorktree) on a fresh `workstream/<ws-id>` branch at its HEAD. */
export async function attachWorkstreamBranch(worktree: string, wsId: string): Promise<void> {
  await gitFast(worktree, ["checkout", "--quiet", "-B", workstreamBranch(wsId)]);
}

/**
 * Removes a worktree (forcefully: its changes were committed or it failed); the branch stays.
 * Removal is clean-up: it waits while worktree adds are queued, so new workstreams start first.
 */
export async function removeWorktree(root: string, worktreePath: string): Promise<boolean> {
  return withWorktreeLock(
    root,
    async () => {
      if (
        !existsSync(worktreePath) &&
        !existsSync(path.join(root, ".git", "worktrees", path.basename(worktreePath)))
      )
        return false;
      try {
        await gitFast(root, ["worktree", "remove", "--force", "--force", worktreePath]);
      } catch {
        return false; // not a worktree of this repository
      }
      return true;
    },
    "cleanup",
  );
}
