/** Loads the tool profiles and circuit breakers from the workspace (or the paths the env names). */
import { existsSync } from "node:fs";
import path from "node:path";
import { load as loadYaml } from "js-yaml";
import { readConfigText } from "../files/configText";
import { UserError, messageOf } from "../../core/errors";
import { parseToolProfiles, type ToolProfiles } from "../../core/orchestrator/profiles";
import { parseBreakerConfig, type BreakerConfig } from "../../core/orchestrator/breakers";
import { packageRoot } from "../aim/packageRoot";

/**
 * `PIPELINE_TOOL_PROFILES_PATH`, else `<workspace>/config/tool_profiles.json`, else (a repository
 * `wsp init` has not set up yet) the profiles this package ships, said through `warn`.
 */
export function loadToolProfiles(
  workspace: string,
  env: NodeJS.ProcessEnv,
  warn: (line: string) => void = () => {},
): ToolProfiles {
  let file = env.PIPELINE_TOOL_PROFILES_PATH ?? path.join(workspace, "config", "tool_profiles.json");
  if (!existsSync(file) && env.PIPELINE_TOOL_PROFILES_PATH === undefined) {
    const shipped = path.join(packageRoot(), "config", "tool_profiles.json");
    if (existsSync(shipped)) {
      warn(
        `no ${path.join("config", "tool_profiles.json")} in this repository: using the shipped defaults ` +
          `(${shipped}); \`wsp init\` writes a copy you can edit`,
      );
      file = shipped;
    }
  }
  if (!existsSync(file))
    throw new UserError(`tool profiles not found: ${file} (\`wsp init\` creates config/tool_profiles.json)`);
  const text = readConfigText(file);
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (error) {
    throw new UserError(`${file}: not valid JSON: ${messageOf(error)}`);
  }
  return parseToolProfiles(parsed, file);
}

/**
 * `PIPELINE_CIRCUIT_BREAKERS_PATH`, else `config/circuit_breakers.yaml`, else `.json` beside it,
 * else the built-in limits.
 */
export function loadBreakerConfig(workspace: string, env: NodeJS.ProcessEnv): BreakerConfig {
  const candidates = env.PIPELINE_CIRCUIT_BREAKERS_PATH
    ? [env.PIPELINE_CIRCUIT_BREAKERS_PATH]
    : [
        path.join(workspace, "config", "circuit_breakers.yaml"),
        path.join(workspace, "config", "circuit_breakers.json"),
      ];
  const file = candidates.find((candidate) => existsSync(candidate));
  if (file === undefined) {
    if (env.PIPELINE_CIRCUIT_BREAKERS_PATH)
      throw new UserError(`circuit breakers not found: ${env.PIPELINE_CIRCUIT_BREAKERS_PATH}`);
    return parseBreakerConfig(undefined);
  }
  const text = readConfigText(file);
  let parsed: unknown;
  try {
    parsed = file.endsWith(".json") ? JSON.parse(text) : loadYaml(text, { filename: file });
  } catch (error) {
    throw new UserError(`${file}: cannot parse: ${messageOf(error)}`);
  }
  return parseBreakerConfig(parsed, file);
}
