/** Lists a worktree's files (repository-relative, forward slashes), skipping git's own folder. */
import { readdirSync } from "node:fs";
import path from "node:path";

const SKIPPED = new Set([".git", "node_modules"]);

export function listFiles(root: string, relative = ""): string[] {
  const files: string[] = [];
  for (const entry of readdirSync(path.join(root, relative), { withFileTypes: true })) {
    if (SKIPPED.has(entry.name)) continue;
    const child = relative ? `${relative}/${entry.name}` : entry.name;
    if (entry.isDirectory()) files.push(...listFiles(root, child));
    else if (entry.isFile()) files.push(child);
  }
  return files.sort();
}
