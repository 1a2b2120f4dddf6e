/** Loads `config/worktree.yaml`: how each workstream's worktree is made ready (docs/worktrees.md). */
import { existsSync } from "node:fs";
import { readYamlConfig } from "../files/configText";
import { parseWorktreeSettings, type WorktreeSettings } from "../../core/worktree/settings";
import { configFile } from "../paths";

export function loadWorktreeSettings(workspace: string): WorktreeSettings {
  const file = configFile(workspace, "worktree.yaml");
  if (!existsSync(file)) return parseWorktreeSettings(undefined, file);
  return parseWorktreeSettings(readYamlConfig(file), file);
}
