/** Loads `config/merge_queue.yaml`: how the merge queue integrates done workstreams (docs/merge-queue.md). */
import { existsSync } from "node:fs";
import { readYamlConfig } from "../files/configText";
import { parseMergeQueueSettings, type MergeQueueSettings } from "../../core/merge/queueSettings";
import { configFile } from "../paths";

export function loadMergeQueueSettings(workspace: string): MergeQueueSettings {
  const file = configFile(workspace, "merge_queue.yaml");
  if (!existsSync(file)) return parseMergeQueueSettings(undefined, file);
  return parseMergeQueueSettings(readYamlConfig(file), file);
}
