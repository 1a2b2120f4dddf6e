/** Loads `config/worktree.yaml`: how each workstream's worktree is made ready (docs/worktrees.md). */
import { existsSync } from "node:fs";
import { load as loadYaml } from "js-yaml";
import { readConfigText } from "../files/configText";
import { UserError, messageOf } from "../../core/errors";
import { parseWorktreeSettings, type WorktreeSettings } from "../../core/worktree/settings";
import { configFile } from "../paths";

export function loadWorktreeSettings(workspace: string): WorktreeSettings {
  const file = configFile(workspace, "worktree.yaml");
  if (!existsSync(file)) return parseWorktreeSettings(undefined, file);
  const text = readConfigText(file);
  let raw: unknown;
  try {
    raw = loadYaml(text, { filename: file });
  } catch (error) {
    throw new UserError(`${file}: cannot parse: ${messageOf(error)}`);
  }
  return parseWorktreeSettings(raw, file);
}
