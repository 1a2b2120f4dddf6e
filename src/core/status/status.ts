/** `wsp status` as pure logic: joins bundles, git branches, worktrees and the store's runs. */

export const BRANCH_PREFIX = "workstream/";

export interface StatusInputs {
  bundles: { id: string; title?: string; file: string }[];
  /** Local branch names (without refs/heads/). */
  branches: string[];
  /** Worktrees checked out on a workstream branch: workstream id → path relative to the repository. */
  worktrees: Record<string, string>;
  /** Ahead/behind of each existing workstream branch against the base. */
  divergence: Record<string, { ahead: number; behind: number }>;
  /** The latest run status of each workstream id, when the store knows one. */
  lastRuns: Record<string, { runId: string; status: string; updatedAt: string }>;
}

export interface WorkstreamStatusRow {
  id: string;
  title: string | null;
  bundle: string;
  branch: string | null;
  worktree: string | null;
  lastRun: { runId: string; status: string; updatedAt: string } | null;
  ahead: number | null;
  behind: number | null;
  /** Work not yet merged on a branch the base has moved past: it was built on a stale base. */
  stale: boolean;
}

export interface StatusReport {
  workstreams: WorkstreamStatusRow[];
  orphans: { branches: string[]; worktrees: string[] };
}

export function buildStatus(inputs: StatusInputs): StatusReport {
  const ids = new Set(inputs.bundles.map((bundle) => bundle.id));
  const branches = new Set(inputs.branches);
  const workstreams = inputs.bundles.map((bundle): WorkstreamStatusRow => {
    const branch = `${BRANCH_PREFIX}${bundle.id}`;
    const divergence = inputs.divergence[bundle.id];
    return {
      id: bundle.id,
      title: bundle.title ?? null,
      bundle: bundle.file,
      branch: branches.has(branch) ? branch : null,
      worktree: inputs.worktrees[bundle.id] ?? null,
      lastRun: inputs.lastRuns[bundle.id] ?? null,
      ahead: divergence?.ahead ?? null,
      behind: divergence?.behind ?? null,
      stale: divergence !== undefined && divergence.ahead > 0 && divergence.behind > 0,
    };
  });
  return {
    workstreams,
    orphans: {
      branches: inputs.branches
        .filter((branch) => branch.startsWith(BRANCH_PREFIX) && !ids.has(branch.slice(BRANCH_PREFIX.length)))
        .sort(),
      worktrees: Object.entries(inputs.worktrees)
        .filter(([id]) => !ids.has(id))
        .map(([, worktree]) => worktree)
        .sort(),
    },
  };
}

/** Parses `git rev-list --left-right --count base...branch`: "<behind>\t<ahead>". */
export function parseLeftRightCount(output: string): { ahead: number; behind: number } | undefined {
  const match = /^(\d+)\s+(\d+)\s*$/.exec(output.trim());
  return match ? { behind: Number(match[1]), ahead: Number(match[2]) } : undefined;
}

/** One text line per workstream, then the orphans. */
export function formatStatus(report: StatusReport, base: string): string {
  const lines: string[] = [];
  for (const row of report.workstreams) {
    const divergence = row.ahead === null ? "" : ` | ${row.ahead} ahead, ${row.behind} behind ${base}`;
    const stale = row.stale
      ? ` | STALE: ${base} moved on since this work began; the merge queue will rebuild it on ${base}`
      : "";
    const run = row.lastRun ? `${row.lastRun.status} (run ${row.lastRun.runId})` : "never run";
    lines.push(
      `${row.id}: ${run} | bundle ${row.bundle} | branch ${row.branch ?? "none"} | worktree ${row.worktree ?? "none"}${divergence}${stale}`,
    );
  }
  if (report.workstreams.length === 0) lines.push("no workstreams");
  for (const branch of report.orphans.branches) lines.push(`orphan branch: ${branch} (no bundle)`);
  for (const worktree of report.orphans.worktrees) lines.push(`orphan worktree: ${worktree} (no bundle)`);
  return `${lines.join("\n")}\n`;
}
