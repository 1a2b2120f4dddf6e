/**
 * Reads a workstreams directory the way the original did (`*.json`, sorted, not recursive), plus
 * what validation needs around it: the repository's tracked files and the tool profile ids.
 */
import { readdir, readFile, stat } from "node:fs/promises";
import path from "node:path";
import {
  parseToolProfiles,
  validateDocuments,
  type DocumentText,
  type ToolProfileIds,
  type ValidationResult,
} from "../../core/bundle";
import { findRepoRoot, listTrackedFiles } from "../git";
import { DEFAULT_WORKTREES_DIR, TOOL_PROFILES_FILE } from "../paths";

export interface WorkspaceBundles {
  /** The repository root (git top level, or the directory's parent when not in a repository). */
  root: string;
  /** The workstreams directory, absolute. */
  dir: string;
  /** Documents keyed by absolute path. */
  documents: DocumentText[];
  trackedFiles: string[];
  toolProfiles: ToolProfileIds;
}

/** Thrown when the directory itself cannot be read; bad bundles never throw. */
export class WorkstreamDirError extends Error {}

/** Loads every `*.json` in `dir` with the repository context validation needs. */
export async function loadWorkspaceBundles(
  dir: string,
  options: { root?: string } = {},
): Promise<WorkspaceBundles> {
  const absolute = path.resolve(dir);
  const info = await stat(absolute).catch(() => undefined);
  if (!info?.isDirectory()) throw new WorkstreamDirError(`workstreams directory not found: ${dir}`);
  const root = options.root ?? (await findRepoRoot(absolute)) ?? path.dirname(absolute);
  const names = (await readdir(absolute)).filter((name) => name.endsWith(".json")).sort();
  const documents = await Promise.all(
    names.map(async (name) => {
      const uri = path.join(absolute, name);
      return { uri, text: await readFile(uri, "utf8") };
    }),
  );
  // The workspace's own profiles only: validation does not follow $PIPELINE_TOOL_PROFILES_PATH.
  const profilesPath = path.join(root, TOOL_PROFILES_FILE);
  const profilesText = await readFile(profilesPath, "utf8").catch(() => null);
  return {
    root,
    dir: absolute,
    documents,
    trackedFiles: await trackedFiles(root),
    toolProfiles: parseToolProfiles(profilesPath, profilesText),
  };
}

/** Loads and validates in one go. */
export async function validateWorkspaceDir(
  dir: string,
): Promise<ValidationResult & { workspace: WorkspaceBundles }> {
  const workspace = await loadWorkspaceBundles(dir);
  const result = validateDocuments(workspace.documents, {
    trackedFiles: workspace.trackedFiles,
    toolProfiles: workspace.toolProfiles,
  });
  return { ...result, workspace };
}

/** Tracked files by `git ls-files` in a repository; otherwise a walk of the directory (skipping VCS and dependencies). */
export async function trackedFiles(root: string): Promise<string[]> {
  return (await listTrackedFiles(root)) ?? walk(root, "");
}

const skipped = new Set([".git", "node_modules", "dist", DEFAULT_WORKTREES_DIR]);

async function walk(root: string, relative: string): Promise<string[]> {
  const entries = await readdir(path.join(root, relative), { withFileTypes: true }).catch(() => []);
  const files: string[] = [];
  for (const entry of entries) {
    const child = relative ? `${relative}/${entry.name}` : entry.name;
    if (entry.isDirectory()) {
      if (!skipped.has(entry.name)) files.push(...(await walk(root, child)));
    } else if (entry.isFile()) files.push(child);
  }
  return files;
}
