// Builds a throwaway workspace: copies the given folders into a fresh temp dir and commits them to a
// new git repository, the way the demo and the VS Code tests run (CONTRACTS.md, item 3).
import { execFileSync } from "node:child_process";
import { cpSync, existsSync, mkdtempSync } from "node:fs";
import os from "node:os";
import path from "node:path";

/**
 * @param {string} sourceRoot folder the copied folders live in
 * @param {string[]} folders folder names to copy when present (missing ones are skipped)
 * @param {string} [prefix] temp dir name prefix
 * @returns {string} the workspace path
 */
export function buildWorkspace(sourceRoot, folders, prefix = "wsp-workspace-") {
  const workspace = mkdtempSync(path.join(os.tmpdir(), prefix));
  for (const folder of folders) {
    const source = path.join(sourceRoot, folder);
    if (existsSync(source)) cpSync(source, path.join(workspace, folder), { recursive: true });
  }
  const git = (...args) => execFileSync("git", args, { cwd: workspace, stdio: ["ignore", "ignore", "pipe"] });
  git("init", "-q", "-b", "main");
  git("add", "-A");
  git(
    "-c",
    "user.name=Workstream Pipeline",
    "-c",
    "user.email=demo@workstream-pipeline.invalid",
    "commit",
    "-q",
    "--allow-empty",
    "-m",
    "Example workspace",
  );
  return workspace;
}
