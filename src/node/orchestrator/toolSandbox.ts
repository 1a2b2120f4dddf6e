/**
 * Decides, for each tool a workstream runs, whether and how it is sandboxed: the run's settings
 * (config/sandbox.yaml, `--sandbox`, what this machine supports), the tool's profile and the bundle
 * together give one SandboxRequest for the process door, or none where the sandbox is off or (with
 * `auto`) unavailable.
 */
import { type Bundle } from "../../core/bundle/types";
import { agentEnvAllowList, agentHomeFolders } from "../../core/sandbox/agentAccess";
import { allowListOf, baseEnvAllowList, mergeAllowLists } from "../../core/sandbox/policy";
import { effectiveMode, effectiveNetwork, type SandboxConfig } from "../../core/sandbox/settings";
import { type ToolProfile } from "../../core/orchestrator/profiles";
import { untrackedSecretFiles } from "../git";
import { type SandboxRequest } from "../process/sandbox/sandboxLaunch";
import { sandboxSupport, type SandboxSupport } from "../process/sandbox/support";
import { loadSandboxConfig } from "../tools/sandboxConfig";
import { UserError } from "../../core/errors";

/** What a run knows about sandboxing before its first tool starts. */
export interface RunSandbox {
  config: SandboxConfig;
  support: SandboxSupport;
  /** Untracked secret-looking files of the base checkout, hidden from every tool. */
  secrets: readonly string[];
}

/**
 * Loads the config and measures the machine; refuses a run that requires a sandbox it cannot have.
 * With the config's mode `off`, the machine is still measured when a profile of `profiles` requires
 * the sandbox, since nothing may turn that off; a dry run passes none, as it starts no tool.
 */
export async function prepareRunSandbox(
  repoRoot: string,
  env: NodeJS.ProcessEnv,
  modeOverride?: string,
  profiles: Iterable<ToolProfile> = [],
): Promise<RunSandbox> {
  const config = loadSandboxConfig(repoRoot, env, modeOverride);
  const needed =
    config.mode !== "off" || [...profiles].some((profile) => profile.sandbox?.mode === "required");
  const support: SandboxSupport = needed ? sandboxSupport() : { available: false, reason: "sandbox: off" };
  if (config.mode === "required" && !support.available)
    throw new UserError(`the sandbox is required but not available: ${support.reason ?? "unknown reason"}`);
  return { config, support, secrets: needed ? await untrackedSecretFiles(repoRoot) : [] };
}

/** The one line a run prints when `auto` cannot sandbox here; undefined when there is nothing to say. */
export function sandboxWarning(sandbox: RunSandbox): string | undefined {
  if (sandbox.config.mode !== "auto" || sandbox.support.available) return undefined;
  return `warning: tools run without a sandbox: ${sandbox.support.reason ?? "not supported here"}`;
}

/** How the run's tools are contained, for the events and the editor. */
export function sandboxSummary(sandbox: RunSandbox): string {
  if (sandbox.config.mode === "off") return "off";
  return sandbox.support.available
    ? (sandbox.support.engine ?? "on")
    : `unavailable: ${sandbox.support.reason ?? ""}`;
}

export class SandboxUnavailable extends Error {}

/**
 * The sandbox for one tool, or undefined to run it bare. `profile` is undefined for an acceptance
 * test. Throws SandboxUnavailable when the tool's profile requires a sandbox this machine lacks.
 */
export function toolSandbox(
  sandbox: RunSandbox,
  where: { repoRoot: string; worktree: string; bundle: Pick<Bundle, "network">; promptDir?: string },
  profile: ToolProfile | undefined,
): SandboxRequest | undefined {
  const mode = effectiveMode(sandbox.config.mode, profile?.sandbox?.mode);
  if (mode === "off") return undefined;
  if (!sandbox.support.available) {
    if (mode === "required")
      throw new SandboxUnavailable(
        `tool profile '${profile?.id ?? "acceptance"}' requires a sandbox: ${sandbox.support.reason ?? "not available"}`,
      );
    return undefined;
  }
  const agent = profile?.agent;
  // The edit tool must reach its model, so only the config and its profile can cut its network.
  const isEditTool = profile?.kind === "edit";
  return {
    worktree: where.worktree,
    repoRoot: where.repoRoot,
    secrets: sandbox.secrets,
    ...(where.promptDir !== undefined ? { extraReadable: [where.promptDir] } : {}),
    homeFolders: [...(agent ? agentHomeFolders(agent.cli) : []), ...(profile?.sandbox?.home ?? [])],
    network: effectiveNetwork(
      sandbox.config.network,
      profile?.sandbox?.network,
      isEditTool ? undefined : where.bundle.network,
    ),
    envAllow: mergeAllowLists(
      baseEnvAllowList,
      allowListOf(sandbox.config.env),
      allowListOf(profile?.sandbox?.env ?? []),
      allowListOf(Object.keys(profile?.env ?? {})),
      ...(agent ? [agentEnvAllowList(agent.cli, agent.api_key_env)] : []),
    ),
  };
}
