/**
 * Reads a workstreams directory the way the original did (`*.json`, sorted, not recursive), plus
 * what validation needs around it: the repository's tracked files and the tool profile ids.
 */
import { readdir, stat } from "node:fs/promises";
import path from "node:path";
import {
  compareDiagnostics,
  parseToolProfiles,
  type Diagnostic,
  validateDocuments,
  type DocumentText,
  type ToolProfileIds,
  type ValidationResult,
} from "../../core/bundle";
import { findRepoRoot, listTrackedFiles } from "../git";
import { readBundleFiles } from "./readBundleFiles";
import { readConfigText } from "../files/configText";
import { DEFAULT_WORKTREES_DIR, TOOL_PROFILES_FILE } from "../paths";

export interface WorkspaceBundles {
  /** The repository root (git top level, or the directory's parent when not in a repository). */
  root: string;
  /** The workstreams directory, absolute. */
  dir: string;
  /** Documents keyed by absolute path. */
  documents: DocumentText[];
  /** Entries not read (not a regular file, too large, a symbolic link leaving the repository) and invalid UTF-8. */
  readDiagnostics: Diagnostic[];
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
  const { documents, diagnostics: readDiagnostics } = readBundleFiles(absolute, root);
  // The workspace's own profiles only: validation does not follow $PIPELINE_TOOL_PROFILES_PATH.
  const profilesPath = path.join(root, TOOL_PROFILES_FILE);
  const profilesText = readProfilesText(profilesPath);
  return {
    root,
    dir: absolute,
    documents,
    readDiagnostics,
    trackedFiles: await trackedFiles(root),
    toolProfiles: parseToolProfiles(profilesPath, profilesText),
  };
}

/** The profiles' text, or null when there is none to read (missing, or not a regular file: never a hang). */
function readProfilesText(file: string): string | null {
  try {
    return readConfigText(file);
  } catch {
    return null;
  }
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
  if (workspace.readDiagnostics.length === 0) return { ...result, workspace };
  const diagnostics = [...result.diagnostics, ...workspace.readDiagnostics].sort(compareDiagnostics);
  return { ...result, diagnostics, workspace };
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
