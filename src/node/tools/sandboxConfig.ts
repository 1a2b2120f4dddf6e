/** Loads `config/sandbox.yaml` (or `PIPELINE_SANDBOX_CONFIG`), and lets `PIPELINE_SANDBOX` or `--sandbox` override its mode. */
import { existsSync } from "node:fs";
import { readYamlConfig } from "../files/configText";
import { UserError } from "../../core/errors";
import { type SandboxMode, sandboxModes } from "../../core/sandbox/policy";
import { configFile } from "../paths";
import { parseSandboxConfig, type SandboxConfig } from "../../core/sandbox/settings";

export function loadSandboxConfig(
  workspace: string,
  env: NodeJS.ProcessEnv,
  modeOverride?: string,
): SandboxConfig {
  const file = env.PIPELINE_SANDBOX_CONFIG || configFile(workspace, "sandbox.yaml");
  let raw: unknown;
  if (existsSync(file)) raw = readYamlConfig(file);
  else if (env.PIPELINE_SANDBOX_CONFIG) throw new UserError(`sandbox config not found: ${file}`);
  const config = parseSandboxConfig(raw, file);
  const override = modeOverride ?? (env.PIPELINE_SANDBOX || undefined);
  if (override === undefined) return config;
  if (!(sandboxModes as readonly string[]).includes(override))
    throw new UserError(
      `${modeOverride !== undefined ? "--sandbox" : "PIPELINE_SANDBOX"} must be one of ${sandboxModes.join(", ")} (got ${JSON.stringify(override)})`,
    );
  return { ...config, mode: override as SandboxMode };
}
