/**
 * One workstream, one run at a time, across processes: two `wsp` processes (or two clicks in the
 * editor) running the same workstream would share `.worktrees/<id>`, and the second one's set-up
 * removes the first one's worktree mid-edit.
 *
 * A run claims a workstream with a numbered file in `.claims/<id>/`, naming its process and run,
 * written whole and then hard-linked into place (a link fails when the name exists, and nobody ever
 * reads a half-written claim). The highest number is the claim in force. When its process is gone,
 * the next claimer takes the next number instead of deleting the stale file, so two processes
 * taking over the same crashed claim at once race for one name and exactly one wins. A claimer
 * whose link lands below a higher number (it listed before that number appeared) backs off.
 */
import { linkSync, mkdirSync, readdirSync, unlinkSync, writeFileSync } from "node:fs";
import path from "node:path";
import { readRegularFile } from "../files/regularFile";
import { processAlive } from "../process/processAlive";

export interface ClaimHolder {
  pid: number;
  runId: string;
}

export interface HeldClaim {
  release(): void;
}

export type ClaimResult = { held: HeldClaim } | { heldBy: ClaimHolder };

const CLAIM_NAME = /^(\d+)\.json$/;
/** Lost races before a claimer gives up and reports whoever holds the claim then. */
const MAX_ATTEMPTS = 20;

export function claimDirectory(worktreesDir: string, wsId: string): string {
  return path.join(worktreesDir, ".claims", wsId);
}

function readHolder(file: string): ClaimHolder | undefined {
  // Only a file is read: anything else in a claim's place (a named pipe) holds nothing.
  const read = readRegularFile(file, 64 * 1024);
  if (!Buffer.isBuffer(read)) return undefined;
  try {
    const data = JSON.parse(read.toString("utf8")) as Partial<ClaimHolder>;
    return typeof data.pid === "number" && typeof data.runId === "string"
      ? { pid: data.pid, runId: data.runId }
      : undefined;
  } catch {
    return undefined; // unreadable, or released a moment ago: holds nothing
  }
}

/** The claim numbers present in the directory, highest first. */
function claimNumbers(directory: string): number[] {
  const numbers: number[] = [];
  for (const name of readdirSync(directory)) {
    const match = CLAIM_NAME.exec(name);
    if (match) numbers.push(Number(match[1]));
  }
  return numbers.sort((a, b) => b - a);
}

function claimPath(directory: string, claim: number): string {
  return path.join(directory, `${claim}.json`);
}

function removeQuietly(file: string): void {
  try {
    unlinkSync(file);
  } catch {
    // already gone: released, or cleared by the claimer that came after
  }
}

/** The live holder of the highest claim, if its process still runs. */
function liveHolder(directory: string, highest: number | undefined): ClaimHolder | undefined {
  if (highest === undefined) return undefined;
  const holder = readHolder(claimPath(directory, highest));
  return holder !== undefined && processAlive(holder.pid) ? holder : undefined;
}

/**
 * Where the claim on a whole run lives: two `wsp resume` of one run at once must not both carry it
 * on. Workstream ids start with `ws-`, so `.runs` never meets one.
 */
export function runClaimDirectory(worktreesDir: string, runId: string): string {
  return path.join(worktreesDir, ".claims", ".runs", encodeURIComponent(runId));
}

/** Claims `wsId` for this process's run `runId`, or says who holds it. */
export function claimWorkstream(worktreesDir: string, wsId: string, runId: string): ClaimResult {
  return claimIn(claimDirectory(worktreesDir, wsId), runId);
}

/** Claims the run `runId` itself for this process (`wsp resume`), or says who holds it. */
export function claimRun(worktreesDir: string, runId: string): ClaimResult {
  return claimIn(runClaimDirectory(worktreesDir, runId), runId);
}

/** Whoever holds the run's claim now, if that process still lives. */
export function runClaimHolder(worktreesDir: string, runId: string): ClaimHolder | undefined {
  const directory = runClaimDirectory(worktreesDir, runId);
  try {
    return liveHolder(directory, claimNumbers(directory)[0]);
  } catch {
    return undefined; // never claimed
  }
}

function claimIn(directory: string, runId: string): ClaimResult {
  mkdirSync(directory, { recursive: true });
  const mine: ClaimHolder = { pid: process.pid, runId };
  const staging = path.join(directory, `staging-${process.pid}.tmp`);
  writeFileSync(staging, JSON.stringify(mine));
  try {
    for (let attempt = 0; attempt < MAX_ATTEMPTS; attempt++) {
      const [highest] = claimNumbers(directory);
      const holder = liveHolder(directory, highest);
      if (holder !== undefined) return { heldBy: holder };
      const claim = (highest ?? -1) + 1;
      const file = claimPath(directory, claim);
      try {
        linkSync(staging, file);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== "EEXIST") throw error;
        continue; // another claimer took this number first; look again
      }
      const numbers = claimNumbers(directory);
      if (numbers[0] !== claim) {
        // A higher claim appeared while this one was being made: this one never counted.
        removeQuietly(file);
        continue;
      }
      // The older, stale claims are history now.
      for (const older of numbers.slice(1)) removeQuietly(claimPath(directory, older));
      return { held: { release: () => removeQuietly(file) } };
    }
  } finally {
    unlinkSync(staging);
  }
  const [highest] = claimNumbers(directory);
  return { heldBy: liveHolder(directory, highest) ?? { pid: 0, runId: "unknown" } };
}
