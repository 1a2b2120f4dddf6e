/**
 * The disk a set of folders really takes: allocated blocks, each file counted once however many hard
 * links it has, links never followed. A worktree's shared folders are empty mount points on the host,
 * so what this counts is the worktree's own use.
 */
import { lstatSync, readdirSync } from "node:fs";
import path from "node:path";

export function diskUsage(roots: readonly string[]): number {
  const seen = new Set<string>();
  let bytes = 0;
  const stack = [...roots];
  while (stack.length > 0) {
    const current = stack.pop()!;
    const info = lstatSync(current, { throwIfNoEntry: false, bigint: false });
    if (!info) continue;
    const inode = `${info.dev}:${info.ino}`;
    if (seen.has(inode)) continue;
    seen.add(inode);
    bytes += info.blocks * 512;
    if (!info.isDirectory()) continue;
    let names: string[];
    try {
      names = readdirSync(current);
    } catch {
      continue;
    }
    for (const name of names) stack.push(path.join(current, name));
  }
  return bytes;
}

/** 1.5 MB, 320 KB, 12 B: sizes as people read them. */
export function readableSize(bytes: number): string {
  const units = ["B", "KB", "MB", "GB", "TB"];
  let value = bytes;
  let unit = 0;
  while (value >= 1000 && unit < units.length - 1) {
    value /= 1000;
    unit++;
  }
  return `${unit === 0 ? value : value.toFixed(1)} ${units[unit]}`;
}
