/** The AI tool registry for the CLI and the orchestrator: load, detect, route, audit. */
export { loadRegistry, parseRegistryText, REGISTRY_FILES, type LoadedRegistry } from "./loadRegistry";
export { detectTools } from "./detect";
export { auditAimInvocation, AIM_INVOCATION_EVENT, type AimInvocation } from "./audit";
export { routeCapability, knownCapabilities } from "../../core/aim/routing";
export { parseRegistry, parseToolVersion } from "../../core/aim/registry";
export type { AiTool, AiToolRegistry, CapabilityRoute, DetectedTool } from "../../core/aim/types";
