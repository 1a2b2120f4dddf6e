import { readFile } from "node:fs/promises";
import path from "node:path";
import { load, YAMLException } from "js-yaml";
import { UserError } from "../../core/errors";
import { parseRegistry } from "../../core/aim/registry";
import { type AiToolRegistry } from "../../core/aim/types";
import { readConfigTextIfExists } from "../files/configText";
import { packageRoot } from "./packageRoot";

export const REGISTRY_FILES = ["config/ai_tools.yaml", "config/ai_tools.yml", "config/ai_tools.json"];

export interface LoadedRegistry {
  registry: AiToolRegistry;
  /** The file it came from: the workspace's own, or the default shipped with Workstream Pipeline. */
  file: string;
}

/**
 * Loads the AI tool registry: `$AI_TOOLS_REGISTRY` when set, else the workspace's
 * `config/ai_tools.{yaml,yml,json}`, else the shipped default. A broken file is a UserError naming
 * the file and the position or JSON pointer of each problem.
 */
export async function loadRegistry(cwd: string, env: NodeJS.ProcessEnv = {}): Promise<LoadedRegistry> {
  const explicit = env.AI_TOOLS_REGISTRY;
  if (explicit) {
    const file = path.resolve(cwd, explicit);
    const text = readConfigTextIfExists(file);
    if (text === undefined) throw new UserError(`AI_TOOLS_REGISTRY names a missing file: ${file}`);
    return { registry: parseRegistryText(file, text), file };
  }
  for (const relative of REGISTRY_FILES) {
    const file = path.join(cwd, relative);
    const text = readConfigTextIfExists(file);
    if (text !== undefined) return { registry: parseRegistryText(file, text), file };
  }
  const shipped = path.join(packageRoot(), "config", "ai_tools.yaml");
  return { registry: parseRegistryText(shipped, await readFile(shipped, "utf8")), file: shipped };
}

export function parseRegistryText(file: string, text: string): AiToolRegistry {
  let data: unknown;
  try {
    data = file.endsWith(".json") ? JSON.parse(text) : load(text);
  } catch (error) {
    if (error instanceof YAMLException) {
      const mark = (error as YAMLException & { mark?: { line: number; column: number } }).mark;
      throw new UserError(
        `${file}:${(mark?.line ?? 0) + 1}:${(mark?.column ?? 0) + 1}: invalid YAML: ${error.reason}`,
      );
    }
    throw new UserError(`${file}: invalid JSON: ${String(error)}`);
  }
  const result = parseRegistry(data);
  if (!result.registry) {
    throw new UserError(
      `${file} is not a valid AI tool registry:\n${result.problems.map((problem) => `  ${problem.pointer}: ${problem.message}`).join("\n")}`,
    );
  }
  return result.registry;
}
