import { detectTools, knownCapabilities, loadRegistry, routeCapability } from "../../../node/aim";
import { sandboxLine, sandboxSupport } from "../../../node/process/sandbox/support";
import { type CommandIO } from "../../io";

export interface AimStatusOptions {
  json?: boolean;
}

/** `wsp aim status`: which AI tools are installed, their versions, and where each capability routes. */
export async function aimStatus(options: AimStatusOptions, io: CommandIO): Promise<number> {
  const { registry, file } = await loadRegistry(io.cwd, io.env);
  const detected = await detectTools(registry, io.cwd, io.env);
  const installed = new Set(detected.filter((tool) => tool.installed).map((tool) => tool.id));
  const routing = knownCapabilities(registry).map((capability) => {
    const route = registry.routing[capability];
    const order = route ? [route.primary, ...route.fallbacks] : [];
    const available = routeCapability(registry, capability, (id) => installed.has(id));
    return { capability, order, available, selected: available[0] ?? null };
  });
  const sandbox = sandboxSupport();
  if (options.json) {
    io.out(`${JSON.stringify({ registry: file, tools: detected, routing, sandbox }, null, 2)}\n`);
    return 0;
  }
  io.out(`Registry: ${file}\nTools:\n`);
  const width = Math.max(...registry.tools.map((tool) => tool.id.length));
  for (const tool of registry.tools) {
    const found = detected.find((entry) => entry.id === tool.id)!;
    const state = !found.installed
      ? `missing${tool.install ? ` (install: ${tool.install})` : ""}`
      : (found.version ?? `installed, version not recognised: ${found.rawVersion ?? "no output"}`);
    io.out(`  ${tool.id.padEnd(width)}  ${state}\n`);
  }
  io.out("Routing:\n");
  const capabilityWidth = Math.max(...routing.map((entry) => entry.capability.length));
  for (const entry of routing) {
    const chain = entry.order.length > 0 ? entry.order.join(" -> ") : "(no route: any tool with it)";
    io.out(
      `  ${entry.capability.padEnd(capabilityWidth)}  ${chain}  => ${entry.selected ?? "none installed"}\n`,
    );
  }
  io.out(`${sandboxLine(sandbox)}\n`);
  return 0;
}
