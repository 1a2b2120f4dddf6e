import { readdirSync, unlinkSync } from "node:fs";
import path from "node:path";
import { processAlive } from "../process/processAlive";

/**
 * Deletes temp files that writers killed mid-checkpoint or mid-lock left beside the store
 * (`.<name>.<pid>.<random>.tmp`, `<name>.lock.<pid>[.<nonce>]`), once their pid is gone. Caller holds the lock.
 */
export function removeLeftovers(file: string): void {
  const directory = path.dirname(file);
  const name = path.basename(file);
  let entries: string[];
  try {
    entries = readdirSync(directory);
  } catch {
    return;
  }
  for (const entry of entries) {
    const match =
      /^\.(.+)\.(\d+)\.[0-9a-f]+\.tmp$/.exec(entry) ??
      /^(.+\.lock)\.(\d+)(?:\.[0-9a-f]+)?$/.exec(entry) ??
      undefined;
    if (match === undefined || !match[1]?.startsWith(name)) continue;
    if (processAlive(Number(match[2]))) continue;
    try {
      unlinkSync(path.join(directory, entry));
    } catch {
      // Another writer removed it first.
    }
  }
}
