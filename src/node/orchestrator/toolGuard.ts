/**
 * Watches one workstream's tools: the tamper guard's snapshot is taken once the worktree exists and
 * again after every tool, and each comparison names whatever the tool changed that it must not. A
 * sandboxed tool's denied writes are read from its output, so an attempt is recorded, never silent.
 */
import { lstatSync, readlinkSync } from "node:fs";
import path from "node:path";
import { captureGuard, type GuardSnapshot, tamperFindings } from "../git";

/** Lines in a tool's output that say the sandbox stopped something. */
const DENIAL =
  /Read-only file system|EROFS|Operation not permitted|EPERM|Permission denied|EACCES|EBUSY|Device or resource busy/;

export class ToolGuard {
  private constructor(
    private readonly repoRoot: string,
    private readonly worktree: string,
    private readonly branch: string,
    private last: GuardSnapshot,
    /** The first look at the base checkout, until it is in `last`. */
    private firstBase: Promise<Map<string, string>> | undefined,
  ) {}

  /**
   * The first snapshot, taken right after wsp created the worktree and before any tool ran. `base`
   * is the base checkout as read meanwhile (`readBaseCheckout`). Only a bare tool could write there,
   * so only a bare tool waits for that read (see beforeTool); a sandboxed one starts beside it.
   */
  static async start(
    repoRoot: string,
    worktree: string,
    branch: string,
    base: Promise<Map<string, string>>,
  ): Promise<ToolGuard> {
    const snapshot = await captureGuard(repoRoot, worktree, branch, undefined, new Map());
    return new ToolGuard(repoRoot, worktree, branch, snapshot, base);
  }

  /** Called before each tool starts: a bare one may touch the base checkout, so its first look must be in. */
  async beforeTool({ sandboxed }: { sandboxed: boolean }): Promise<void> {
    if (!sandboxed) await this.takeFirstBase();
  }

  private async takeFirstBase(): Promise<void> {
    if (this.firstBase === undefined) return;
    const base = await this.firstBase;
    this.firstBase = undefined;
    this.last = { ...this.last, base };
  }

  /**
   * What changed since the last check that no tool may change; empty when nothing did. `base: false`
   * leaves the base checkout's files to a later check: a sandboxed tool sees them read-only, and
   * asking git after each one would cost more than starting the tool.
   */
  async check({ base = true }: { base?: boolean } = {}): Promise<string[]> {
    await this.takeFirstBase();
    const now = await captureGuard(
      this.repoRoot,
      this.worktree,
      this.branch,
      this.last.gitFile,
      base ? undefined : this.last.base,
    );
    const findings = tamperFindings(this.last, now);
    // A reported change is not reported again by the next tool's check.
    this.last = { ...now, gitFile: this.last.gitFile };
    return findings;
  }
}

/** The lines of a sandboxed tool's output that report a denied operation (at most `limit`). */
export function deniedOperations(output: string, limit = 10): string[] {
  return output
    .split("\n")
    .filter((line) => DENIAL.test(line))
    .map((line) => line.trim().slice(0, 300))
    .slice(0, limit);
}

/**
 * Changed paths that are symbolic links pointing outside the worktree: committed, they would let the
 * next tool (or a user's checkout) write wherever they point.
 */
export function linksLeavingWorktree(worktree: string, changed: readonly string[]): string[] {
  const root = path.resolve(worktree);
  return changed.filter((file) => {
    const full = path.join(root, file);
    try {
      if (!lstatSync(full).isSymbolicLink()) return false;
      const target = path.resolve(path.dirname(full), readlinkSync(full));
      return target !== root && !target.startsWith(`${root}${path.sep}`);
    } catch {
      return false;
    }
  });
}
