import { type AiToolRegistry } from "./types";

/**
 * The tools to try for a capability, best first: the route's primary, then its fallbacks, keeping
 * only installed ones. A capability with no route falls back to every installed tool that declares
 * it, in registry order. Empty when nothing installed can serve it.
 */
export function routeCapability(
  registry: AiToolRegistry,
  capability: string,
  isInstalled: (toolId: string) => boolean,
): string[] {
  const route = registry.routing[capability];
  const candidates = route
    ? [route.primary, ...route.fallbacks]
    : registry.tools.filter((tool) => tool.capabilities.includes(capability)).map((tool) => tool.id);
  return [...new Set(candidates)].filter((id) => isInstalled(id));
}

/** Every capability the registry knows, from routes and from tools. */
export function knownCapabilities(registry: AiToolRegistry): string[] {
  const all = new Set([
    ...Object.keys(registry.routing),
    ...registry.tools.flatMap((tool) => tool.capabilities),
  ]);
  return [...all].sort();
}
