/**
 * One workstream, one run at a time, across processes: two `wsp` processes (or two clicks in the
 * editor) running the same workstream would share `.worktrees/<id>`, and the second one's set-up
 * removes the first one's worktree mid-edit. A run claims a workstream with a file naming its
 * process and run, written whole and then hard-linked into place (a link fails when the name
 * exists, so exactly one claimer wins, and nobody ever reads a half-written claim); a claim whose
 * process is gone is stale and taken over.
 */
import { linkSync, mkdirSync, readFileSync, unlinkSync, writeFileSync } from "node:fs";
import path from "node:path";

export interface ClaimHolder {
  pid: number;
  runId: string;
}

export interface HeldClaim {
  release(): void;
}

export type ClaimResult = { held: HeldClaim } | { heldBy: ClaimHolder };

export function claimFile(worktreesDir: string, wsId: string): string {
  return path.join(worktreesDir, ".claims", `${wsId}.json`);
}

function readHolder(file: string): ClaimHolder | undefined {
  try {
    const data = JSON.parse(readFileSync(file, "utf8")) as Partial<ClaimHolder>;
    return typeof data.pid === "number" && typeof data.runId === "string"
      ? { pid: data.pid, runId: data.runId }
      : undefined;
  } catch {
    return undefined; // unreadable or half-written: treated as stale
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: the process exists but belongs to someone else.
    return (error as NodeJS.ErrnoException).code === "EPERM";
  }
}

/** Claims `wsId` for this process's run `runId`, or says who holds it. */
export function claimWorkstream(worktreesDir: string, wsId: string, runId: string): ClaimResult {
  const file = claimFile(worktreesDir, wsId);
  mkdirSync(path.dirname(file), { recursive: true });
  const mine: ClaimHolder = { pid: process.pid, runId };
  const staging = `${file}.${process.pid}.tmp`;
  writeFileSync(staging, JSON.stringify(mine));
  try {
    for (let attempt = 0; attempt < 3; attempt++) {
      try {
        linkSync(staging, file);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
        const holder = readHolder(file);
        if (holder && isAlive(holder.pid)) return { heldBy: holder };
        // Stale: its process is gone (killed, crashed). Remove it and try again; if another process
        // does the same at once, only one of the links wins.
        try {
          unlinkSync(file);
        } catch {
          // already removed by another process
        }
        continue;
      }
      return {
        held: {
          release: () => {
            const holder = readHolder(file);
            if (holder?.pid === mine.pid && holder.runId === mine.runId) unlinkSync(file);
          },
        },
      };
    }
  } finally {
    unlinkSync(staging);
  }
  const holder = readHolder(file);
  return { heldBy: holder ?? { pid: 0, runId: "unknown" } };
}
