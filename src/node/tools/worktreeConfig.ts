/** Loads `config/worktree.yaml`: how each workstream's worktree is made ready (docs/worktrees.md). */
import { existsSync, readFileSync } from "node:fs";
import { load as loadYaml } from "js-yaml";
import { UserError, messageOf } from "../../core/errors";
import { parseWorktreeSettings, type WorktreeSettings } from "../../core/worktree/settings";
import { configFile } from "../paths";

export function loadWorktreeSettings(workspace: string): WorktreeSettings {
  const file = configFile(workspace, "worktree.yaml");
  if (!existsSync(file)) return parseWorktreeSettings(undefined, file);
  let raw: unknown;
  try {
    raw = loadYaml(readFileSync(file, "utf8"), { filename: file });
  } catch (error) {
    throw new UserError(`${file}: cannot parse: ${messageOf(error)}`);
  }
  return parseWorktreeSettings(raw, file);
}
