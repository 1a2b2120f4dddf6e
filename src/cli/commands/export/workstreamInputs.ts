/** What the workflow needs to know of each selected workstream: graph, timeout, agent CLI and key. */
import { type LoadedBundle } from "../../../core/bundle/types";
import { UserError } from "../../../core/errors";
import { AGENT_PACKAGES, agentKeyEnv } from "../../../core/export/agentInstall";
import { type ExportedWorkstream } from "../../../core/export/workflow";
import { resolveBudgets, type BreakerConfig } from "../../../core/orchestrator/breakers";
import { type ToolProfiles } from "../../../core/orchestrator/profiles";

/** Minutes a job spends besides the workstream itself: checkout, installs, push and upload. */
const SETUP_MINUTES = 20;
/** A hosted runner's job is killed after 6 hours whatever the timeout says. */
const HOSTED_RUNNER_MAX_MINUTES = 360;

export function selectBundles(bundles: readonly LoadedBundle[], only: string | undefined): LoadedBundle[] {
  if (only === undefined) return [...bundles];
  const wanted = only
    .split(",")
    .map((id) => id.trim())
    .filter(Boolean);
  const known = new Set(bundles.map(({ bundle }) => bundle.id));
  for (const id of wanted) if (!known.has(id)) throw new UserError(`--only: unknown workstream '${id}'`);
  const selected = bundles.filter(({ bundle }) => wanted.includes(bundle.id));
  const chosen = new Set(wanted);
  for (const { bundle } of selected)
    for (const dep of bundle.depends_on)
      if (!chosen.has(dep))
        throw new UserError(
          `--only: ${bundle.id} depends on ${dep}, which is not exported; add it to --only (its job's branch and journal feed ${bundle.id})`,
        );
  return selected;
}

export function exportedWorkstreams(
  selected: readonly LoadedBundle[],
  profiles: ToolProfiles,
  breakers: BreakerConfig,
  warn: (line: string) => void,
): ExportedWorkstream[] {
  return selected.map(({ bundle }) => {
    const wallClock = resolveBudgets(breakers, bundle.id, bundle.circuit_breaker).max_wall_clock_sec;
    const timeoutMinutes = Math.min(HOSTED_RUNNER_MAX_MINUTES, Math.ceil(wallClock / 60) + SETUP_MINUTES);
    if (bundle.capability !== undefined)
      warn(
        `${bundle.id}: routed by capability '${bundle.capability}'; the job installs the CLI of its tool '${bundle.tool}'`,
      );
    const profile = profiles.get(bundle.tool);
    if (profile === undefined) throw new UserError(`${bundle.id}: unknown tool profile '${bundle.tool}'`);
    const exported: ExportedWorkstream = {
      id: bundle.id,
      dependsOn: [...bundle.depends_on],
      scope: [...bundle.files_scope, ...bundle.files_create],
      timeoutMinutes,
    };
    if (profile.agent !== undefined) {
      const keyEnv = agentKeyEnv(profile.agent.cli, profile.agent.api_key_env);
      if (keyEnv === undefined)
        warn(`${bundle.id}: ${profile.id} names no api_key_env; its job gets no API key secret`);
      exported.agent = {
        cli: profile.agent.cli,
        npmPackage: AGENT_PACKAGES[profile.agent.cli],
        ...(keyEnv === undefined ? {} : { keyEnv }),
      };
    } else if (profile.command !== "{node}")
      warn(
        `${bundle.id}: the job does not install '${profile.command}' (tool ${profile.id}); the runner must have it`,
      );
    return exported;
  });
}
